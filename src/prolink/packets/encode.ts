/**
 * Shared pieces of the encoders: argument checks and address parsing.
 * Encoders take values chosen by the program (interface MAC/IP, device
 * numbers); an impossible argument is a programming error and is thrown as an
 * EncodeError rather than silently producing a wrong packet.
 */
import { NAME_LENGTH } from './header';

export type EncodeErrorCode = 'bad-argument';

export class EncodeError extends Error {
  override readonly name = 'EncodeError';

  constructor(
    readonly code: EncodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** A MAC address as "aa:bb:cc:dd:ee:ff" (":" or "-" separated). */
export type MacAddress = string;
/** A dotted IPv4 address such as "192.168.1.10". */
export type Ipv4Address = string;

const MAC_BYTES = 6;
const IPV4_BYTES = 4;

function isHexDigit(code: number): boolean {
  return (code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x46) || (code >= 0x61 && code <= 0x66);
}

/** Six bytes from "aa:bb:cc:dd:ee:ff", or null when the text is not a MAC address. */
export function parseMac(text: string): Buffer | null {
  const parts = text.split(text.includes('-') ? '-' : ':');
  if (parts.length !== MAC_BYTES) return null;
  const out = Buffer.alloc(MAC_BYTES);
  for (let i = 0; i < MAC_BYTES; i++) {
    const part = parts[i] as string;
    if (part.length !== 2 || !isHexDigit(part.charCodeAt(0)) || !isHexDigit(part.charCodeAt(1))) return null;
    out[i] = parseInt(part, 16);
  }
  return out;
}

/** Four bytes from a dotted IPv4 address, or null when the text is not one. */
export function parseIpv4(text: string): Buffer | null {
  const parts = text.split('.');
  if (parts.length !== IPV4_BYTES) return null;
  const out = Buffer.alloc(IPV4_BYTES);
  for (let i = 0; i < IPV4_BYTES; i++) {
    const part = parts[i] as string;
    if (part.length === 0 || part.length > 3) return null;
    for (let c = 0; c < part.length; c++) {
      const code = part.charCodeAt(c);
      if (code < 0x30 || code > 0x39) return null;
    }
    const value = Number(part);
    if (value > 255) return null;
    out[i] = value;
  }
  return out;
}

export function macBytes(mac: MacAddress): Buffer {
  const bytes = parseMac(mac);
  if (bytes === null) {
    throw new EncodeError('bad-argument', `"${mac}" is not a MAC address (expected aa:bb:cc:dd:ee:ff)`);
  }
  return bytes;
}

export function ipv4Bytes(ip: Ipv4Address): Buffer {
  const bytes = parseIpv4(ip);
  if (bytes === null) throw new EncodeError('bad-argument', `"${ip}" is not a dotted IPv4 address`);
  return bytes;
}

/** Checks a one-byte field value (device numbers, counters). */
export function byteArg(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xff) {
    throw new EncodeError('bad-argument', `${what} must be an integer 0-255, got ${value}`);
  }
  return value;
}

/** Checks a 32-bit unsigned field value (track IDs). */
export function u32Arg(what: string, value: number): number {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new EncodeError('bad-argument', `${what} must be an integer 0-4294967295, got ${value}`);
  }
  return value;
}

/** Checks a device name: printable ASCII, at most 20 bytes (§1.1). */
export function nameArg(name: string): string {
  if (name.length > NAME_LENGTH) {
    throw new EncodeError('bad-argument', `device name "${name}" is longer than ${NAME_LENGTH} characters`);
  }
  for (let i = 0; i < name.length; i++) {
    const code = name.charCodeAt(i);
    if (code < 0x20 || code > 0x7e) {
      throw new EncodeError('bad-argument', `device name "${name}" must be printable ASCII`);
    }
  }
  return name;
}
