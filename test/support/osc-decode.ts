/**
 * A small OSC 1.0 decoder written from the specification, used only by tests
 * to check what the bridge put on the wire without trusting the library that
 * encoded it. Also undoes SLIP framing (RFC 1055) for OSC over TCP.
 */
export type DecodedArg = { type: string; value: number | string | boolean | null };
export interface DecodedMessage {
  address: string;
  args: DecodedArg[];
}

function readPaddedString(buf: Buffer, offset: number): [string, number] {
  const end = buf.indexOf(0, offset);
  if (end < 0) throw new Error('unterminated OSC string');
  const text = buf.toString('utf8', offset, end);
  const next = offset + Math.ceil((end - offset + 1) / 4) * 4;
  return [text, next];
}

export function decodeOsc(buf: Buffer): DecodedMessage {
  const [address, afterAddress] = readPaddedString(buf, 0);
  const [tags, afterTags] = readPaddedString(buf, afterAddress);
  if (!tags.startsWith(',')) throw new Error(`bad type tag string "${tags}"`);
  let offset = afterTags;
  const args: DecodedArg[] = [];
  for (const tag of tags.slice(1)) {
    switch (tag) {
      case 'i':
        args.push({ type: 'i', value: buf.readInt32BE(offset) });
        offset += 4;
        break;
      case 'f':
        args.push({ type: 'f', value: buf.readFloatBE(offset) });
        offset += 4;
        break;
      case 's': {
        const [text, next] = readPaddedString(buf, offset);
        args.push({ type: 's', value: text });
        offset = next;
        break;
      }
      case 'T':
        args.push({ type: 'T', value: true });
        break;
      case 'F':
        args.push({ type: 'F', value: false });
        break;
      case 'N':
        args.push({ type: 'N', value: null });
        break;
      default:
        throw new Error(`unexpected OSC type tag "${tag}"`);
    }
  }
  if (offset !== buf.length) throw new Error(`${buf.length - offset} trailing bytes after OSC message`);
  return { address, args };
}

const END = 0xc0;
const ESC = 0xdb;
const ESC_END = 0xdc;
const ESC_ESC = 0xdd;

/** Splits a SLIP byte stream into frames; returns complete frames and the unfinished rest. */
export function slipFrames(stream: Buffer): { frames: Buffer[]; rest: Buffer } {
  const frames: Buffer[] = [];
  let current: number[] = [];
  let lastEnd = -1;
  for (let i = 0; i < stream.length; i++) {
    const byte = stream[i] as number;
    if (byte === END) {
      if (current.length > 0) frames.push(Buffer.from(current));
      current = [];
      lastEnd = i;
    } else if (byte === ESC) {
      const next = stream[++i];
      current.push(next === ESC_END ? END : next === ESC_ESC ? ESC : (next as number));
    } else {
      current.push(byte);
    }
  }
  return { frames, rest: stream.subarray(lastEnd + 1) };
}
