/**
 * A short, stable fingerprint of a decoded phrase analysis. It covers what
 * the analysis says (mood, end beat, bank, and each phrase's index, beat,
 * kind, variant flags, extra beats and fill) and nothing about how it was
 * stored, so a masked PSSI from a USB export, the unmasked copy rekordbox
 * keeps locally, and the tag an OPUS-QUAD sends in a 0x56 transfer all give
 * the same fingerprint. It lets a track loaded on a deck be matched to a
 * track of a USB export by its phrases.
 */
import { createHash } from 'node:crypto';
import type { Phrase, SongStructure } from './song-structure';

/** Changes whenever the canonical encoding below changes, so old fingerprints never collide with new ones. */
const FINGERPRINT_VERSION = 'pssi-fingerprint/1';
/** Hex digits kept of the SHA-256 (64 bits). */
export const FINGERPRINT_HEX_LENGTH = 16;

const HEADER_BYTES = 2 + 2 + 1 + 4; // mood, end beat, bank, phrase count
const PHRASE_BYTES = 2 + 2 + 2 + 1 + 1 + 1 + 1 + 2 + 2 + 2 + 1 + 2; // see writePhrase
/** fillBeat written for a phrase without fill (the fill byte before it tells the cases apart). */
const NO_FILL_BEAT = 0xffff;

export function phraseFingerprint(structure: SongStructure): string {
  const phrases = structure.phrases;
  const bytes = Buffer.alloc(HEADER_BYTES + phrases.length * PHRASE_BYTES);
  let at = bytes.writeUInt16BE(structure.moodRaw & 0xffff, 0);
  at = bytes.writeUInt16BE(structure.endBeat & 0xffff, at);
  at = bytes.writeUInt8(structure.bankRaw & 0xff, at);
  at = bytes.writeUInt32BE(phrases.length, at);
  for (const phrase of phrases) at = writePhrase(bytes, at, phrase);
  return createHash('sha256').update(FINGERPRINT_VERSION).update(bytes).digest('hex').slice(0, FINGERPRINT_HEX_LENGTH);
}

function writePhrase(bytes: Buffer, start: number, p: Phrase): number {
  let at = bytes.writeUInt16BE(p.index & 0xffff, start);
  at = bytes.writeUInt16BE(p.beat & 0xffff, at);
  at = bytes.writeUInt16BE(p.kindRaw & 0xffff, at);
  at = bytes.writeUInt8(p.k1 & 0xff, at);
  at = bytes.writeUInt8(p.k2 & 0xff, at);
  at = bytes.writeUInt8(p.k3 & 0xff, at);
  at = bytes.writeUInt8(p.b & 0xff, at);
  at = bytes.writeUInt16BE(p.beat2 & 0xffff, at);
  at = bytes.writeUInt16BE(p.beat3 & 0xffff, at);
  at = bytes.writeUInt16BE(p.beat4 & 0xffff, at);
  at = bytes.writeUInt8(p.fill ? 1 : 0, at);
  return bytes.writeUInt16BE(p.fillBeat === null ? NO_FILL_BEAT : p.fillBeat & 0xffff, at);
}
