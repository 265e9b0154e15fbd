/**
 * Small helpers shared by the decoders and encoders in this folder.
 * All readers assume the caller has already checked the buffer length once.
 */
import { PacketError } from './errors';
import { A_NAME, B_NAME, NAME_LENGTH, OFFSET_TYPE, PORT_ANNOUNCE } from './header';
import { StringInterner } from './intern';

/** Magic as three big-endian words (§1.1): "Qspt", "1WmJ", "OL". */
const MAGIC_WORD_0 = 0x51737074;
const MAGIC_WORD_1 = 0x31576d4a;
const MAGIC_TAIL = 0x4f4c;

/** The "no value" sentinels of §3.1 and §4. */
export const NO_BPM = 0xffff;
export const NO_U32 = 0xffffffff;
export const NO_HANDOFF = 0xff;

/** Pitch coding shared by status, beat and mixer packets (§3.4). */
export const PITCH_MASK = 0x00ffffff;
export const PITCH_ZERO = 0x100000;

const names = new StringInterner(NAME_LENGTH);

/** Device name at the shape A (port 50000) or shape B offset, interned. */
export function nameAt(buf: Buffer, offset: number): string {
  return names.intern(buf, offset);
}

/** Name offset for a port: shape A on 50000, shape B elsewhere (§1.1). */
export function nameOffsetFor(port: number): number {
  return port === PORT_ANNOUNCE ? A_NAME : B_NAME;
}

/** True when the datagram starts with the magic; `buf.length >= 10` is the caller's job. */
export function startsWithMagic(buf: Buffer): boolean {
  return (
    u32(buf, 0) === MAGIC_WORD_0 && u32(buf, 4) === MAGIC_WORD_1 && u16(buf, 8) === MAGIC_TAIL
  );
}

/*
 * Integer readers for offsets already covered by the decoder's single length
 * check. Plain indexing is several times faster than Buffer#readUInt32BE on
 * Node 20 and allocates nothing; out of range they would return garbage
 * (NaN or 0), never throw, which is why every decoder checks the length first.
 */
export function u8(buf: Buffer, offset: number): number {
  return buf[offset] as number;
}

export function u16(buf: Buffer, offset: number): number {
  return ((buf[offset] as number) << 8) | (buf[offset + 1] as number);
}

export function u32(buf: Buffer, offset: number): number {
  return (
    (buf[offset] as number) * 0x1000000 +
    (((buf[offset + 1] as number) << 16) | ((buf[offset + 2] as number) << 8) | (buf[offset + 3] as number))
  );
}

export function i32(buf: Buffer, offset: number): number {
  return (
    ((buf[offset] as number) << 24) |
    ((buf[offset + 1] as number) << 16) |
    ((buf[offset + 2] as number) << 8) |
    (buf[offset + 3] as number)
  );
}

export function u32le(buf: Buffer, offset: number): number {
  return (
    (buf[offset + 3] as number) * 0x1000000 +
    (((buf[offset + 2] as number) << 16) | ((buf[offset + 1] as number) << 8) | (buf[offset] as number))
  );
}

function hex2(value: number): string {
  return value.toString(16).padStart(2, '0');
}

/**
 * One length check for a decoder: returns null when the datagram has the magic,
 * the expected type byte and at least `minLength` bytes, else the error value.
 */
export function checkPacket(
  buf: Buffer,
  port: number,
  expectedType: number,
  minLength: number,
  what: string,
): PacketError | null {
  const length = buf.length;
  if (length <= OFFSET_TYPE) {
    return new PacketError('too-short', `datagram of ${length} bytes has no type byte`, port, null, length);
  }
  const type = buf[OFFSET_TYPE] as number;
  if (!startsWithMagic(buf)) {
    return new PacketError('bad-magic', 'missing the Qspt1WmJOL magic', port, type, length);
  }
  if (type !== expectedType) {
    return new PacketError(
      'bad-value',
      `type 0x${hex2(type)} is not a ${what} (0x${hex2(expectedType)})`,
      port,
      type,
      length,
    );
  }
  if (length < minLength) {
    return new PacketError('too-short', `${what} needs at least ${minLength} bytes, got ${length}`, port, type, length);
  }
  return null;
}

/** A decode error for a field value the decoder cannot accept. */
export function badValue(buf: Buffer, port: number, message: string): PacketError {
  return new PacketError('bad-value', message, port, buf[OFFSET_TYPE] ?? null, buf.length);
}

/** A decode error for a length field that cannot describe this packet. */
export function badLength(buf: Buffer, port: number, message: string): PacketError {
  return new PacketError('bad-length', message, port, buf[OFFSET_TYPE] ?? null, buf.length);
}

/** `aa:bb:cc:dd:ee:ff` from six bytes at `offset`. */
export function readMac(buf: Buffer, offset: number): string {
  let text = hex2(u8(buf, offset));
  for (let i = 1; i < 6; i++) text += ':' + hex2(u8(buf, offset + i));
  return text;
}

/** Dotted IPv4 from four bytes at `offset`. */
export function readIpv4(buf: Buffer, offset: number): string {
  return `${u8(buf, offset)}.${u8(buf, offset + 1)}.${u8(buf, offset + 2)}.${u8(buf, offset + 3)}`;
}

/** 32-bit value, or null for the all-ones sentinel. */
export function u32OrNull(buf: Buffer, offset: number): number | null {
  const value = u32(buf, offset);
  return value === NO_U32 ? null : value;
}

/** Pitch multiplier from a 4-byte pitch field (low 24 bits, §3.4): 1 = ±0 %. */
export function pitchMultiplier(raw: number): number {
  return (raw & PITCH_MASK) / PITCH_ZERO;
}

/** Pitch in percent from a 4-byte pitch field (§3.4). */
export function pitchPercent(raw: number): number {
  return (((raw & PITCH_MASK) - PITCH_ZERO) * 100) / PITCH_ZERO;
}

/** BPM from a BPM×100 field, or null for 0xffff (§3.4). */
export function bpmOrNull(raw: number): number | null {
  return raw === NO_BPM ? null : raw / 100;
}

/**
 * Reads a UTF-16 big-endian string (§2.5, media names) of at most `maxBytes`,
 * stopping at the first 0x0000 code unit or the end of the buffer.
 */
export function readUtf16be(buf: Buffer, offset: number, maxBytes: number): string {
  const end = Math.min(buf.length, offset + maxBytes);
  let text = '';
  for (let i = offset; i + 1 < end; i += 2) {
    const unit = u16(buf, i);
    if (unit === 0) break;
    text += String.fromCharCode(unit);
  }
  return text;
}

/** Writes `text` as UTF-16 big-endian into exactly `maxBytes` bytes, zero padded. */
export function writeUtf16be(buf: Buffer, offset: number, text: string, maxBytes: number): void {
  buf.fill(0, offset, offset + maxBytes);
  const units = Math.min(text.length, Math.floor(maxBytes / 2));
  for (let i = 0; i < units; i++) buf.writeUInt16BE(text.charCodeAt(i), offset + 2 * i);
}
