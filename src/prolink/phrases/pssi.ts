/**
 * PSSI song-structure tag parser (protocol doc §8.1–§8.4). Pure and total: any
 * input gives a SongStructure or a PhraseError, never an exception.
 */
import { PhraseError } from './errors';
import { phraseName } from './phrase-names';
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
  TAG_LEN_TAG,
  TAG_MOOD,
  TAG_SHARED_HEADER,
} from './pssi-layout';
import { detectPssiMask, xorPssiMaskInPlace } from './pssi-mask';
import { bankFromRaw, moodFromRaw, type Mood, type Phrase, type SongStructure } from './song-structure';

/**
 * Parses a whole PSSI tag, starting at the "P" of "PSSI". Bytes past the tag's
 * own len_tag are ignored, so a buffer with trailing padding is fine.
 */
export function parsePssiTag(buf: Buffer): SongStructure | PhraseError {
  if (buf.length < TAG_ENTRIES) {
    const message = `a PSSI tag needs at least ${TAG_ENTRIES} bytes, got ${buf.length}`;
    return new PhraseError('too-short', message, buf.length);
  }
  const fourcc = buf.toString('latin1', TAG_FOURCC, TAG_FOURCC + 4);
  if (fourcc !== PSSI_FOURCC) {
    return new PhraseError('bad-fourcc', `expected "${PSSI_FOURCC}", found ${JSON.stringify(fourcc)}`, buf.length);
  }
  const lenTag = buf.readUInt32BE(TAG_LEN_TAG);
  if (lenTag < TAG_ENTRIES) {
    const message = `len_tag ${lenTag} is smaller than the ${TAG_ENTRIES}-byte header`;
    return new PhraseError('bad-length', message, buf.length);
  }
  if (lenTag > buf.length) {
    return new PhraseError('too-short', `len_tag says ${lenTag} bytes but only ${buf.length} are present`, buf.length);
  }
  return decode(buf, 0, lenTag, 'bad-length');
}

/**
 * Parses a PSSI tag body: the bytes from len_entry_bytes (tag offset 0x0c) on,
 * without the 12-byte fourcc/len_header/len_tag prefix. Mask positions are the
 * same as in the whole tag.
 */
export function parsePssiBody(buf: Buffer): SongStructure | PhraseError {
  const headerBytes = TAG_ENTRIES - TAG_SHARED_HEADER;
  if (buf.length < headerBytes) {
    const message = `a PSSI body needs at least ${headerBytes} bytes, got ${buf.length}`;
    return new PhraseError('too-short', message, buf.length);
  }
  return decode(buf, -TAG_SHARED_HEADER, buf.length + TAG_SHARED_HEADER, 'too-short');
}

/**
 * `base` is the buffer offset of tag offset 0 (negative for a bare body);
 * `tagLength` is how many tag bytes may be read. The caller has checked that
 * the 0x20-byte header is present.
 */
function decode(
  buf: Buffer,
  base: number,
  tagLength: number,
  overflowCode: 'bad-length' | 'too-short',
): SongStructure | PhraseError {
  const entryBytes = buf.readUInt32BE(base + TAG_LEN_ENTRY_BYTES);
  if (entryBytes < ENTRY_SIZE) {
    return new PhraseError('bad-entry-size', `len_entry_bytes ${entryBytes} is below ${ENTRY_SIZE}`, buf.length);
  }
  const count = buf.readUInt16BE(base + TAG_LEN_ENTRIES);
  const needed = TAG_ENTRIES + count * entryBytes;
  if (needed > tagLength) {
    return new PhraseError(
      overflowCode,
      `${count} entries of ${entryBytes} bytes need ${needed} tag bytes, only ${tagLength} available`,
      buf.length,
    );
  }

  const detection = detectPssiMask(buf.readUInt16BE(base + TAG_MOOD), count);
  // A private copy in tag coordinates; the caller's buffer is never modified.
  const tag = Buffer.alloc(needed);
  buf.copy(tag, TAG_LEN_ENTRY_BYTES, base + TAG_LEN_ENTRY_BYTES, base + needed);
  if (detection.masked) xorPssiMaskInPlace(tag, TAG_MOOD, needed, count);

  const mood = moodFromRaw(detection.mood);
  const bankRaw = tag[TAG_BANK] as number;
  const phrases: Phrase[] = [];
  for (let i = 0; i < count; i++) {
    phrases.push(readEntry(tag, TAG_ENTRIES + i * entryBytes, mood));
  }
  return {
    mood,
    moodRaw: detection.mood,
    bank: bankFromRaw(bankRaw),
    bankRaw,
    endBeat: tag.readUInt16BE(TAG_END_BEAT),
    masked: detection.masked,
    phrases: sortByBeat(phrases),
  };
}

function readEntry(tag: Buffer, at: number, mood: Mood): Phrase {
  const kindRaw = tag.readUInt16BE(at + ENTRY_KIND);
  const k1 = tag[at + ENTRY_K1] as number;
  const k2 = tag[at + ENTRY_K2] as number;
  const k3 = tag[at + ENTRY_K3] as number;
  const fill = (tag[at + ENTRY_FILL] as number) !== 0;
  const { kind, label } = phraseName(mood, kindRaw, k1, k2, k3);
  return {
    index: tag.readUInt16BE(at + ENTRY_INDEX),
    beat: tag.readUInt16BE(at + ENTRY_BEAT),
    kindRaw,
    kind,
    label,
    k1,
    k2,
    k3,
    b: tag[at + ENTRY_B] as number,
    beat2: tag.readUInt16BE(at + ENTRY_BEAT2),
    beat3: tag.readUInt16BE(at + ENTRY_BEAT3),
    beat4: tag.readUInt16BE(at + ENTRY_BEAT4),
    fill,
    fillBeat: fill ? tag.readUInt16BE(at + ENTRY_FILL_BEAT) : null,
  };
}

/** Stable sort by beat; real files are already in order, so usually no work. */
function sortByBeat(phrases: Phrase[]): Phrase[] {
  for (let i = 1; i < phrases.length; i++) {
    if ((phrases[i] as Phrase).beat < (phrases[i - 1] as Phrase).beat) {
      return phrases.sort((a, b) => a.beat - b.beat);
    }
  }
  return phrases;
}
