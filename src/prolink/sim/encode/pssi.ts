/**
 * The PSSI song-structure tag (protocol doc §8.1), built from phrase values:
 * the inverse of the phrases module's parser, with the optional XOR mask that
 * rekordbox 6+ exports (and so the OPUS-QUAD's 0x56 replies) carry (§8.2).
 * Bytes whose meaning is unknown are written as zero, except one (below).
 */
import {
  ENTRY_B,
  ENTRY_BEAT,
  ENTRY_BEAT2,
  ENTRY_BEAT3,
  ENTRY_BEAT4,
  ENTRY_FILL,
  ENTRY_FILL_BEAT,
  ENTRY_INDEX,
  ENTRY_K1,
  ENTRY_K2,
  ENTRY_K3,
  ENTRY_KIND,
  ENTRY_SIZE,
  PSSI_FOURCC,
  TAG_BANK,
  TAG_END_BEAT,
  TAG_ENTRIES,
  TAG_FOURCC,
  TAG_LEN_ENTRIES,
  TAG_LEN_ENTRY_BYTES,
  TAG_LEN_HEADER,
  TAG_LEN_TAG,
  TAG_MOOD,
} from '../../phrases/pssi-layout';
import { xorPssiMaskInPlace } from '../../phrases/pssi-mask';
import { EncodeError } from '../../packets/encode';

/**
 * §8.1 lists tag offsets 0x1c–0x1d as unknown; they hold 01 00 in every real
 * tag among the shared analysis files (both moods, masked and clear), so
 * byte 0x1c is written as 01.
 */
const TAG_UNKNOWN_1C = 0x1c;
const TAG_UNKNOWN_1C_VALUE = 0x01;
/** §8.1: the fill byte is non-zero when the phrase ends with fill-in beats. */
const FILL_PRESENT = 0x01;
const U16_MAX = 0xffff;
const U8_MAX = 0xff;

export interface PssiPhraseInput {
  /** Defaults to the position in the list, from 1. */
  readonly index?: number;
  readonly beat: number;
  readonly kindRaw: number;
  readonly k1?: number;
  readonly k2?: number;
  readonly k3?: number;
  readonly b?: number;
  readonly beat2?: number;
  readonly beat3?: number;
  readonly beat4?: number;
  readonly fill?: boolean;
  /** Beat where the fill starts; written only when `fill` is true. */
  readonly fillBeat?: number | null;
}

/** A parsed SongStructure is a valid input, so parse → encode round-trips. */
export interface PssiInput {
  /** 1 high, 2 mid, 3 low. */
  readonly moodRaw: number;
  readonly bankRaw?: number;
  readonly endBeat: number;
  readonly phrases: readonly PssiPhraseInput[];
}

export interface PssiEncodeOptions {
  /** Apply the §8.2 XOR mask, as exported analysis files are. */
  readonly masked: boolean;
}

function field(what: string, value: number, max: number): number {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new EncodeError('bad-argument', `PSSI ${what} must be an integer 0–${max}, got ${value}`);
  }
  return value;
}

export function encodePssiTag(input: PssiInput, options: PssiEncodeOptions): Buffer {
  const count = field('phrase count', input.phrases.length, U16_MAX);
  const length = TAG_ENTRIES + count * ENTRY_SIZE;
  const tag = Buffer.alloc(length);
  tag.write(PSSI_FOURCC, TAG_FOURCC, 'latin1');
  tag.writeUInt32BE(TAG_ENTRIES, TAG_LEN_HEADER);
  tag.writeUInt32BE(length, TAG_LEN_TAG);
  tag.writeUInt32BE(ENTRY_SIZE, TAG_LEN_ENTRY_BYTES);
  tag.writeUInt16BE(count, TAG_LEN_ENTRIES);
  tag.writeUInt16BE(field('mood', input.moodRaw, U16_MAX), TAG_MOOD);
  tag.writeUInt16BE(field('end beat', input.endBeat, U16_MAX), TAG_END_BEAT);
  tag[TAG_UNKNOWN_1C] = TAG_UNKNOWN_1C_VALUE;
  tag[TAG_BANK] = field('bank', input.bankRaw ?? 0, U8_MAX);
  input.phrases.forEach((p, i) => writeEntry(tag, TAG_ENTRIES + i * ENTRY_SIZE, p, i + 1));
  if (options.masked) xorPssiMaskInPlace(tag, TAG_MOOD, length, count);
  return tag;
}

function writeEntry(tag: Buffer, at: number, p: PssiPhraseInput, position: number): void {
  tag.writeUInt16BE(field('index', p.index ?? position, U16_MAX), at + ENTRY_INDEX);
  tag.writeUInt16BE(field('beat', p.beat, U16_MAX), at + ENTRY_BEAT);
  tag.writeUInt16BE(field('kind', p.kindRaw, U16_MAX), at + ENTRY_KIND);
  tag[at + ENTRY_K1] = field('k1', p.k1 ?? 0, U8_MAX);
  tag[at + ENTRY_K2] = field('k2', p.k2 ?? 0, U8_MAX);
  tag[at + ENTRY_K3] = field('k3', p.k3 ?? 0, U8_MAX);
  tag[at + ENTRY_B] = field('b', p.b ?? 0, U8_MAX);
  tag.writeUInt16BE(field('beat2', p.beat2 ?? 0, U16_MAX), at + ENTRY_BEAT2);
  tag.writeUInt16BE(field('beat3', p.beat3 ?? 0, U16_MAX), at + ENTRY_BEAT3);
  tag.writeUInt16BE(field('beat4', p.beat4 ?? 0, U16_MAX), at + ENTRY_BEAT4);
  if (p.fill === true) {
    tag[at + ENTRY_FILL] = FILL_PRESENT;
    tag.writeUInt16BE(field('fill beat', p.fillBeat ?? 0, U16_MAX), at + ENTRY_FILL_BEAT);
  }
}
