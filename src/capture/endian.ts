/** Byte-order aware integer reads; `le` selects little-endian. */

const TWO_TO_32 = 0x1_0000_0000;
/** High words below this keep a 64-bit value under Number.MAX_SAFE_INTEGER. */
const SAFE_HIGH_WORD = 0x20_0000;

export function u16(buf: Buffer, offset: number, le: boolean): number {
  return le ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}

export function u32(buf: Buffer, offset: number, le: boolean): number {
  return le ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
}

/** Unsigned 64-bit value stored as high then low 32-bit words (pcapng timestamps). */
export function u64Split(buf: Buffer, offset: number, le: boolean): bigint {
  const high = u32(buf, offset, le);
  const low = u32(buf, offset + 4, le);
  // Below 2^53 one exact double suffices, which saves two bigint operations per packet.
  return high < SAFE_HIGH_WORD ? BigInt(high * TWO_TO_32 + low) : (BigInt(high) << 32n) | BigInt(low);
}

export function i64(buf: Buffer, offset: number, le: boolean): bigint {
  return le ? buf.readBigInt64LE(offset) : buf.readBigInt64BE(offset);
}
