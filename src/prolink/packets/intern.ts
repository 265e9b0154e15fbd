/**
 * Strings that repeat on every packet (device names, firmware versions) are
 * interned: the bytes are compared against a few recently seen values before
 * a new string is created, so the hot status path allocates nothing for them.
 */
export class StringInterner {
  private readonly bytes: Uint8Array;
  private readonly lengths: Int32Array;
  private readonly strings: string[];
  private count = 0;
  private next = 0;

  /**
   * @param width the field width in bytes (the most that is ever compared)
   * @param capacity how many distinct values to remember (ring buffer)
   */
  constructor(
    private readonly width: number,
    private readonly capacity = 16,
  ) {
    this.bytes = new Uint8Array(width * capacity);
    this.lengths = new Int32Array(capacity);
    this.strings = new Array<string>(capacity).fill('');
  }

  /**
   * Returns the NUL-terminated latin1 text of the field at `offset` (at most
   * `width` bytes, clipped to the buffer). Never throws.
   */
  intern(buf: Buffer, offset: number): string {
    const end = Math.min(buf.length, offset + this.width);
    let n = 0;
    while (offset + n < end && buf[offset + n] !== 0) n++;
    const { bytes, lengths, width } = this;
    for (let e = 0; e < this.count; e++) {
      if (lengths[e] !== n) continue;
      const base = e * width;
      let i = 0;
      while (i < n && bytes[base + i] === buf[offset + i]) i++;
      if (i === n) return this.strings[e] as string;
    }
    const text = n === 0 ? '' : buf.toString('latin1', offset, offset + n);
    const slot = this.next;
    bytes.set(buf.subarray(offset, offset + n), slot * width);
    lengths[slot] = n;
    this.strings[slot] = text;
    this.next = (slot + 1) % this.capacity;
    if (this.count < this.capacity) this.count++;
    return text;
  }
}
