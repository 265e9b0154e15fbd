/**
 * Encoded OSC messages carved out of one long-lived buffer, as views, rather
 * than a new buffer (and the `osc` package's intermediate arrays) per message.
 * A view handed to a UDP socket must stay untouched until the socket has
 * taken its bytes, so the slab counts views given out and released, and only
 * starts again from its beginning once every one is back; a view whose
 * datagram the socket queued retires the slab (it stays that datagram's). A message that does not
 * fit in what is left starts a fresh slab (the old one lives on in its views
 * until they are released); one larger than a slab gets a buffer of its own.
 *
 * A view is itself an object of some hundred bytes, and a show sends the
 * same messages over and over: each batch starts from the slab's beginning,
 * so the same message lands at the same offset with the same length. Views
 * are kept by (offset, length) and handed out again, until a fresh slab
 * replaces the one they look into or too many different ones pile up.
 */
import type { OscArgs } from './osc-args';
import { oscMessageProblem, oscMessageSize, writeOscMessage } from './osc-writer';

export const DEFAULT_SLAB_BYTES = 64 * 1024;
/** Different (offset, length) views kept at most; past it they are forgotten and made again as needed. */
const MAX_KEPT_VIEWS = 4096;

export class OscSlab {
  private slab: Buffer;
  private used = 0;
  private outstanding = 0;
  /** Views into the current slab by offset and length (both multiples of four, so the key stays a small integer). */
  private readonly views = new Map<number, Buffer>();

  constructor(private readonly slabBytes: number = DEFAULT_SLAB_BYTES) {
    if (slabBytes > 64 * 1024) throw new RangeError('an OSC slab holds at most 64 KiB');
    this.slab = Buffer.allocUnsafeSlow(slabBytes);
  }

  /** Views given out and not yet released. */
  get pending(): number {
    return this.outstanding;
  }

  /**
   * The message's bytes, valid until release() is called for them; or why it
   * cannot be encoded (then there is nothing to release).
   */
  encode(address: string, args: OscArgs): Buffer | string {
    const problem = oscMessageProblem(address, args);
    if (problem !== null) return problem;
    const size = oscMessageSize(address, args);
    this.outstanding++;
    if (size > this.slabBytes) {
      const own = Buffer.allocUnsafe(size);
      writeOscMessage(own, 0, address, args);
      return own;
    }
    if (this.used + size > this.slabBytes) {
      this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
      this.used = 0;
      this.views.clear();
    }
    const start = this.used;
    this.used = writeOscMessage(this.slab, start, address, args);
    return this.viewOf(start, size);
  }

  private viewOf(start: number, size: number): Buffer {
    const key = (start / 4) * 16384 + size / 4;
    const kept = this.views.get(key);
    if (kept !== undefined) return kept;
    if (this.views.size >= MAX_KEPT_VIEWS) this.views.clear();
    const view = this.slab.subarray(start, start + size);
    this.views.set(key, view);
    return view;
  }

  /**
   * The views given out may stay in use for an unknown while (a datagram the
   * socket queued): they keep the current slab for themselves, and encoding
   * goes on in a fresh one. Nothing given out so far is to be released.
   */
  retire(): void {
    this.slab = Buffer.allocUnsafeSlow(this.slabBytes);
    this.used = 0;
    this.outstanding = 0;
    this.views.clear();
  }

  /** One view given out by encode() is no longer needed. */
  release(): void {
    if (this.outstanding === 0) return;
    this.outstanding--;
    if (this.outstanding === 0) this.used = 0;
  }
}
