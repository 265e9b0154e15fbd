/**
 * Turns a reassembled 0x56 PSSI transfer (data type 0x0a, protocol doc §7.2)
 * into the exact PSSI tag. The transfer starts with the tag's 12-byte header;
 * its own len_tag (tag offset 0x08) says where it ends, so any padding after it
 * is cut off by length rather than by trimming zero bytes (§7.4).
 */
import { PhraseError } from '../phrases/errors';
import { PSSI_FOURCC, TAG_ENTRIES, TAG_FOURCC, TAG_LEN_TAG, TAG_SHARED_HEADER } from '../phrases/pssi-layout';
import { parsePssiTag } from '../phrases/pssi';
import type { SongStructure } from '../phrases/song-structure';

/** The PSSI tag inside a reassembled transfer: a view of `data`, exactly len_tag bytes long. */
export function pssiTagFromTransfer(data: Buffer): Buffer | PhraseError {
  if (data.length < TAG_SHARED_HEADER) {
    const message = `a PSSI transfer needs at least ${TAG_SHARED_HEADER} bytes, got ${data.length}`;
    return new PhraseError('too-short', message, data.length);
  }
  const fourcc = data.toString('latin1', TAG_FOURCC, TAG_FOURCC + 4);
  if (fourcc !== PSSI_FOURCC) {
    return new PhraseError('bad-fourcc', `expected "${PSSI_FOURCC}", found ${JSON.stringify(fourcc)}`, data.length);
  }
  const lenTag = data.readUInt32BE(TAG_LEN_TAG);
  if (lenTag < TAG_ENTRIES) {
    const message = `len_tag ${lenTag} is smaller than the ${TAG_ENTRIES}-byte header`;
    return new PhraseError('bad-length', message, data.length);
  }
  if (lenTag > data.length) {
    const message = `len_tag says ${lenTag} bytes but the transfer holds ${data.length}`;
    return new PhraseError('too-short', message, data.length);
  }
  return data.subarray(0, lenTag);
}

/** Cuts the tag out of a reassembled transfer and parses it. */
export function songStructureFromTransfer(data: Buffer): SongStructure | PhraseError {
  const tag = pssiTagFromTransfer(data);
  return tag instanceof PhraseError ? tag : parsePssiTag(tag);
}
