/**
 * The header every Pro DJ Link datagram shares (protocol doc §1.1).
 */
import { PacketError } from './errors';

export const PORT_ANNOUNCE = 50000;
export const PORT_BEAT = 50001;
export const PORT_STATUS = 50002;

/** "Qspt1WmJOL" */
export const MAGIC: Readonly<Buffer> = Buffer.from([0x51, 0x73, 0x70, 0x74, 0x31, 0x57, 0x6d, 0x4a, 0x4f, 0x4c]);

export const OFFSET_TYPE = 0x0a;
export const NAME_LENGTH = 20;

/** Shape A (port 50000): sub-kind, then the name one byte later than shape B. */
export const A_SUBKIND = 0x0b;
export const A_NAME = 0x0c;
export const A_ONE = 0x20;
export const A_STRUCTURE = 0x21;
export const A_LENGTH = 0x22;

/** Shape B (ports 50001/50002). */
export const B_NAME = 0x0b;
export const B_ONE = 0x1f;
export const B_SUBTYPE = 0x20;
export const B_DEVICE = 0x21;
export const B_LENGTH = 0x22;

/** Where the body starts in both shapes. */
export const BODY = 0x24;

export function hasMagic(buf: Buffer): boolean {
  if (buf.length < MAGIC.length) return false;
  for (let i = 0; i < MAGIC.length; i++) {
    if (buf[i] !== MAGIC[i]) return false;
  }
  return true;
}

/**
 * Reads a NUL-padded ASCII name. Stops at the first NUL; bytes outside printable
 * ASCII are kept as-is (latin1) so nothing is thrown on odd input.
 */
export function readName(buf: Buffer, offset: number, length = NAME_LENGTH): string {
  const end = Math.min(buf.length, offset + length);
  let stop = offset;
  while (stop < end && buf[stop] !== 0) stop++;
  return buf.toString('latin1', offset, stop);
}

/** Writes `name` as NUL-padded ASCII into exactly `length` bytes. */
export function writeName(buf: Buffer, offset: number, name: string, length = NAME_LENGTH): void {
  buf.fill(0, offset, offset + length);
  buf.write(name.slice(0, length), offset, length, 'latin1');
}

/** Checks magic and a minimum length; returns the type byte or an error. */
export function checkHeader(buf: Buffer, port: number | null, minLength: number): number | PacketError {
  if (buf.length <= OFFSET_TYPE) {
    return new PacketError('too-short', `datagram of ${buf.length} bytes has no type byte`, port, null, buf.length);
  }
  const type = buf[OFFSET_TYPE] as number;
  if (!hasMagic(buf)) {
    return new PacketError('bad-magic', 'missing the Qspt1WmJOL magic', port, type, buf.length);
  }
  if (buf.length < minLength) {
    return new PacketError(
      'too-short',
      `needs at least ${minLength} bytes, got ${buf.length}`,
      port,
      type,
      buf.length,
    );
  }
  return type;
}

/** Writes magic and type; the caller fills the rest. */
export function writeHeader(buf: Buffer, type: number): void {
  MAGIC.copy(buf, 0);
  buf[OFFSET_TYPE] = type;
}

/** OPUS-QUAD reports decks 1–4 as device numbers 9–12 (§3.5). */
export const OPUS_NAME = 'OPUS-QUAD';
export const OPUS_FIRST_DEVICE = 9;
export const OPUS_LAST_DEVICE = 12;

export function isOpusName(name: string): boolean {
  return name === OPUS_NAME;
}

/** Maps an OPUS device number 9–12 to deck 1–4; anything else is returned unchanged. */
export function opusDeck(device: number): number {
  return device >= OPUS_FIRST_DEVICE && device <= OPUS_LAST_DEVICE ? device - 8 : device;
}

/** Pro DJ Link traffic: sent to one of ports 50000–50002 and starting with the magic (§1.1, §1.2). */
export function isProDjLinkPayload(port: number, payload: Buffer): boolean {
  return port >= PORT_ANNOUNCE && port <= PORT_STATUS && hasMagic(payload);
}
