/**
 * OSC 1.0 messages written straight into a buffer, from an address and the
 * argument columns of OscArgs: no packet object, no array per argument, no
 * concatenation. The layout (address and type-tag strings NUL-terminated and
 * padded to four bytes, int32 and float32 big-endian, strings UTF-8 like the
 * address, T/F/N with no data) is the one the `osc` package writes, and the
 * tests hold the two byte for byte. oscMessageProblem is the one set of
 * checks both encoders apply (encodeOscMessage uses it too).
 */
import type { OscArgs } from './osc-args';

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;
const COMMA = 0x2c;

/** Bytes of an OSC string: UTF-8, then at least one NUL, to a multiple of four. */
function paddedStringSize(text: string): number {
  return (Buffer.byteLength(text, 'utf8') + 4) & ~3;
}

/** Why the message cannot be encoded, or null. */
export function oscMessageProblem(address: string, args: OscArgs): string | null {
  if (!address.startsWith('/')) return `OSC address "${address}" must start with "/"`;
  for (let i = 0; i < args.length; i++) {
    const value = args.valueAt(i);
    switch (args.typeAt(i)) {
      case 'int':
        if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) return `int argument ${String(value)} is not a 32-bit integer`;
        break;
      case 'float':
        if (typeof value !== 'number' || !Number.isFinite(value)) return `float argument ${String(value)} is not a finite number`;
        break;
      case 'string':
        if (typeof value !== 'string') return `string argument ${String(value)} is not a string`;
        break;
      default:
        break;
    }
  }
  return null;
}

/** The encoded size of a message that oscMessageProblem accepts. */
export function oscMessageSize(address: string, args: OscArgs): number {
  // ',' and the tags, then NUL and padding.
  let size = paddedStringSize(address) + ((args.length + 1 + 4) & ~3);
  for (let i = 0; i < args.length; i++) {
    const type = args.typeAt(i);
    if (type === 'int' || type === 'float') size += 4;
    else if (type === 'string') size += paddedStringSize(args.valueAt(i) as string);
  }
  return size;
}

function tagOf(args: OscArgs, i: number): number {
  switch (args.typeAt(i)) {
    case 'int':
      return 0x69; // i
    case 'float':
      return 0x66; // f
    case 'string':
      return 0x73; // s
    case 'bool':
      return args.valueAt(i) === true ? 0x54 : 0x46; // T, F
    case 'nil':
      return 0x4e; // N
  }
}

/** Writes a string with its NUL and padding at `offset`; returns the offset after it. */
function writeString(target: Buffer, offset: number, text: string): number {
  const end = offset + target.write(text, offset, 'utf8');
  const padded = (end - offset + 4) & ~3;
  target.fill(0, end, offset + padded);
  return offset + padded;
}

/**
 * Writes a message that oscMessageProblem accepts at `offset` (the target must
 * have oscMessageSize bytes free there); returns the offset after it.
 */
export function writeOscMessage(target: Buffer, offset: number, address: string, args: OscArgs): number {
  let at = writeString(target, offset, address);
  const tags = at;
  target[at++] = COMMA;
  for (let i = 0; i < args.length; i++) target[at++] = tagOf(args, i);
  const tagsEnd = tags + ((args.length + 1 + 4) & ~3);
  target.fill(0, at, tagsEnd);
  at = tagsEnd;
  for (let i = 0; i < args.length; i++) {
    const type = args.typeAt(i);
    if (type === 'int') at = target.writeInt32BE(args.valueAt(i) as number, at);
    else if (type === 'float') at = target.writeFloatBE(args.valueAt(i) as number, at);
    else if (type === 'string') at = writeString(target, at, args.valueAt(i) as string);
  }
  return at;
}
