/**
 * Finds and lists tags in a rekordbox analysis file (ANLZ0000.DAT/.EXT/.2EX),
 * e.g. the PSSI tag of an .EXT file. The file is a "PMAI" header followed by a chain of
 * tags, each starting with fourcc, len_header and len_tag (protocol doc §8).
 * The walk always advances by at least one tag header, so it ends on any input.
 */
import { PhraseError } from './errors';
import { PSSI_FOURCC } from './pssi-layout';
import { parsePssiTag } from './pssi';
import type { SongStructure } from './song-structure';

/** "PMAI" */
export const ANLZ_FOURCC = 'PMAI';
export const FILE_FOURCC = 0x00;
export const FILE_LEN_HEADER = 0x04;
export const FILE_LEN_FILE = 0x08;

/** Every tag (and the file header) starts with fourcc, len_header, len_tag: 12 bytes. */
export const TAG_PREFIX = 0x0c;
const TAG_LEN_TAG = 0x08;

export interface AnlzTagFound {
  readonly status: 'found';
  readonly fourcc: string;
  /** Offset of the tag in the file. */
  readonly offset: number;
  /** The whole tag (a view into the file buffer, len_tag bytes). */
  readonly tag: Buffer;
}

export interface AnlzTagAbsent {
  readonly status: 'absent';
  readonly fourcc: string;
  /** The fourccs the file does hold, in order. */
  readonly tagsSeen: readonly string[];
}

export type AnlzTagLookup = AnlzTagFound | AnlzTagAbsent;

function fourccAt(buf: Buffer, offset: number): string {
  return buf.toString('latin1', offset, offset + 4);
}

/** Checks the file header; returns where the tag chain starts and ends. */
function tagChainBounds(
  file: Buffer,
): { readonly start: number; readonly end: number; readonly lenFile: number } | PhraseError {
  if (file.length < TAG_PREFIX) {
    const message = `an ANLZ file needs at least ${TAG_PREFIX} bytes, got ${file.length}`;
    return new PhraseError('too-short', message, file.length);
  }
  const magic = fourccAt(file, FILE_FOURCC);
  if (magic !== ANLZ_FOURCC) {
    return new PhraseError('bad-fourcc', `expected "${ANLZ_FOURCC}", found ${JSON.stringify(magic)}`, file.length);
  }
  const lenHeader = file.readUInt32BE(FILE_LEN_HEADER);
  const lenFile = file.readUInt32BE(FILE_LEN_FILE);
  if (lenHeader < TAG_PREFIX || lenHeader > file.length || lenFile < lenHeader) {
    return new PhraseError(
      'bad-anlz',
      `impossible file header: len_header ${lenHeader}, len_file ${lenFile}, ${file.length} bytes present`,
      file.length,
    );
  }
  // A truncated file is walked as far as its bytes go.
  return { start: lenHeader, end: Math.min(lenFile, file.length), lenFile };
}

/** Yields each tag in file order; a broken tag ends the walk with a PhraseError. */
function* walkTags(file: Buffer, start: number, end: number): Generator<AnlzTagFound | PhraseError> {
  let offset = start;
  while (offset + TAG_PREFIX <= end) {
    const tagFourcc = fourccAt(file, offset);
    const lenTag = file.readUInt32BE(offset + TAG_LEN_TAG);
    if (lenTag < TAG_PREFIX) {
      yield new PhraseError('bad-anlz', `tag "${tagFourcc}" at ${offset} has len_tag ${lenTag}`, file.length);
      return;
    }
    if (lenTag > end - offset) {
      const message = `tag "${tagFourcc}" at ${offset} declares ${lenTag} bytes, only ${end - offset} remain`;
      yield new PhraseError('bad-anlz', message, file.length);
      return;
    }
    yield { status: 'found', fourcc: tagFourcc, offset, tag: file.subarray(offset, offset + lenTag) };
    offset += lenTag;
  }
}

/** Looks for the first tag with the given fourcc. */
export function findAnlzTag(file: Buffer, fourcc: string): AnlzTagLookup | PhraseError {
  const bounds = tagChainBounds(file);
  if (bounds instanceof PhraseError) return bounds;
  const seen: string[] = [];
  for (const step of walkTags(file, bounds.start, bounds.end)) {
    if (step instanceof PhraseError) return step;
    if (step.fourcc === fourcc) return step;
    seen.push(step.fourcc);
  }
  return { status: 'absent', fourcc, tagsSeen: seen };
}

export interface AnlzTagList {
  /** Every whole tag, in file order, up to the first broken one. */
  readonly tags: readonly AnlzTagFound[];
  /**
   * Why the walk stopped early (a broken tag, stray bytes, or a file shorter
   * than its header's len_file), or null when the whole chain was read.
   */
  readonly broken: PhraseError | null;
}

/** Every tag of an ANLZ file; a file whose header is unusable is a PhraseError. */
export function listAnlzTags(file: Buffer): AnlzTagList | PhraseError {
  const bounds = tagChainBounds(file);
  if (bounds instanceof PhraseError) return bounds;
  const tags: AnlzTagFound[] = [];
  for (const step of walkTags(file, bounds.start, bounds.end)) {
    if (step instanceof PhraseError) return { tags, broken: step };
    tags.push(step);
  }
  const last = tags[tags.length - 1];
  const after = last === undefined ? bounds.start : last.offset + last.tag.length;
  if (after < bounds.end) {
    const message = `${bounds.end - after} stray bytes at ${after}, too few for a tag`;
    return { tags, broken: new PhraseError('bad-anlz', message, file.length) };
  }
  if (file.length < bounds.lenFile) {
    const message = `the file holds ${file.length} bytes, its header says ${bounds.lenFile}`;
    return { tags, broken: new PhraseError('too-short', message, file.length) };
  }
  return { tags, broken: null };
}

/** Looks for the PSSI song-structure tag (present in rekordbox 6+ .EXT files). */
export function findPssiTag(file: Buffer): AnlzTagLookup | PhraseError {
  return findAnlzTag(file, PSSI_FOURCC);
}

/**
 * The song structure of an .EXT file; null when the file is sound but has no
 * PSSI tag (rekordbox 5, or tracks without a phrase analysis).
 */
export function songStructureFromAnlz(file: Buffer): SongStructure | null | PhraseError {
  const lookup = findPssiTag(file);
  if (lookup instanceof PhraseError) return lookup;
  return lookup.status === 'found' ? parsePssiTag(lookup.tag) : null;
}
