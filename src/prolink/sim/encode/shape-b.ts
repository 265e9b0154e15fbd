/**
 * The shape B header of ports 50001/50002 (protocol doc §1.1), written for the
 * packets DJ gear sends: magic, type, name at 0x0b, 0x1f, subtype 0x20, the
 * sender's device number at 0x21 and len_r at 0x22.
 */
import { B_DEVICE, B_LENGTH, B_NAME, B_ONE, B_SUBTYPE, BODY, writeHeader, writeName } from '../../packets/header';
import { EncodeError, byteArg, nameArg } from '../../packets/encode';

/** §1.1: 0x1f is 01 on almost every packet, 02 on absolute-position packets. */
export const ONE_USUAL = 0x01;

export interface ShapeBHeader {
  readonly type: number;
  /** Whole datagram length; len_r = length − 0x24 unless lengthField says otherwise. */
  readonly length: number;
  readonly name: string;
  readonly device: number;
  readonly subtype?: number;
  readonly one?: number;
  /** Value for 0x22 when it is not len_r (the OPUS 0x10 hello sends 0). */
  readonly lengthField?: number;
}

/** A zeroed datagram of `length` bytes with the shape B header filled in. */
export function shapeB(header: ShapeBHeader): Buffer {
  if (!Number.isInteger(header.length) || header.length < BODY || header.length > 0xffff + BODY) {
    throw new EncodeError('bad-argument', `packet length ${header.length} cannot carry a shape B header`);
  }
  const buf = Buffer.alloc(header.length);
  writeHeader(buf, header.type);
  writeName(buf, B_NAME, nameArg(header.name));
  buf[B_ONE] = byteArg('byte 0x1f', header.one ?? ONE_USUAL);
  buf[B_SUBTYPE] = byteArg('subtype', header.subtype ?? 0x00);
  buf[B_DEVICE] = byteArg('device', header.device);
  buf.writeUInt16BE(header.lengthField ?? header.length - BODY, B_LENGTH);
  return buf;
}

/** §3.4: BPM 0xffff means "no BPM". */
const NO_BPM_RAW = 0xffff;

/** Writes a 32-bit field, or ffffffff for null (the "no value" sentinel of §3.1/§4). */
export function writeU32OrNone(buf: Buffer, offset: number, value: number | null): void {
  buf.writeUInt32BE(value === null ? 0xffffffff : u32(value), offset);
}

/** Writes BPM × 100, or ffff for null (§3.4). */
export function writeBpm(buf: Buffer, offset: number, bpm: number | null): void {
  if (bpm === null) {
    buf.writeUInt16BE(NO_BPM_RAW, offset);
    return;
  }
  const raw = Math.round(bpm * 100);
  if (!(raw >= 0 && raw < NO_BPM_RAW)) {
    throw new EncodeError('bad-argument', `BPM ${bpm} does not fit BPM × 100 in 16 bits`);
  }
  buf.writeUInt16BE(raw, offset);
}

function u32(value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xfffffffe) {
    throw new EncodeError('bad-argument', `${value} does not fit a 32-bit field (ffffffff means "none")`);
  }
  return value;
}

/** §3.4: the 24-bit pitch coding, 0x100000 = ±0 %. */
export const PITCH_ZERO_RAW = 0x100000;
const PITCH_MAX_RAW = 0x200000;

/** Raw pitch value for a percentage (−100 … +100), rounded to the wire's resolution. */
export function pitchRaw(percent: number): number {
  const raw = Math.round(PITCH_ZERO_RAW * (1 + percent / 100));
  if (!Number.isFinite(raw) || raw < 0 || raw > PITCH_MAX_RAW) {
    throw new EncodeError('bad-argument', `pitch ${percent} % is outside −100 … +100 %`);
  }
  return raw;
}

/** The percentage a raw pitch value stands for (§3.4). */
export function pitchPercentOfRaw(raw: number): number {
  return ((raw - PITCH_ZERO_RAW) * 100) / PITCH_ZERO_RAW;
}
