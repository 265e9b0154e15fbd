/**
 * Everything the bridge takes from one track's analysis files: the beat grid
 * and cues of the .DAT, the named cues and phrases of the .EXT, and the audio
 * path all three hold. Pure: bytes in, a TrackAnalysis or an AnlzError out.
 *
 * The .DAT is the track's main file: when it is damaged the result is an
 * AnlzError. The .EXT and .2EX add to it: when one is missing or damaged, what
 * could be read is kept and `problems` says what was not.
 */
import type { AnlzTagFound } from '../../prolink/phrases/anlz-file';
import { listAnlzTags } from '../../prolink/phrases/anlz-file';
import { PhraseError } from '../../prolink/phrases/errors';
import { phraseFingerprint } from '../../prolink/phrases/phrase-fingerprint';
import { parsePssiTag } from '../../prolink/phrases/pssi';
import { PSSI_FOURCC } from '../../prolink/phrases/pssi-layout';
import type { SongStructure } from '../../prolink/phrases/song-structure';
import type { GridBeat, LibraryCue } from '../library-track';
import { PCO2_FOURCC, PCOB_FOURCC, PPTH_FOURCC, PQTZ_FOURCC } from './anlz-layout';
import { parsePathTag } from './audio-path';
import { parseBeatGridTag } from './beat-grid';
import type { CueListReading } from './cue-entry';
import { parseCueListTag } from './cue-list';
import { mergeCues } from './cue-merge';
import { AnlzError, TagFault } from './errors';
import { parseExtendedCueListTag } from './extended-cue-list';

export interface TrackAnalysis {
  /** The beat grid (PQTZ of the .DAT); empty when the track has none. */
  readonly grid: readonly GridBeat[];
  /** Memory and hot cues of all files, each once, in time order. */
  readonly cues: readonly LibraryCue[];
  /** The phrase analysis (PSSI of the .EXT), null when there is none. */
  readonly phrases: SongStructure | null;
  readonly phraseFingerprint: string | null;
  /** The audio file the analysis describes (PPTH), null when no file names it. */
  readonly audioPath: string | null;
  /** Sentences, each naming its file, for what is missing or could not be read. */
  readonly problems: readonly string[];
}

/** A file that exists but could not be read, and why. */
export interface AnlzUnreadable {
  readonly unreadable: string;
}

/** A file's bytes, null when it is not there, or why it could not be read. */
export type AnlzFileBytes = Buffer | null | AnlzUnreadable;

/** The three files of a track. */
export interface AnlzFiles {
  readonly dat: AnlzFileBytes;
  readonly ext: AnlzFileBytes;
  readonly twoEx: AnlzFileBytes;
}

/** How messages name the three files, e.g. their paths. */
export interface AnlzFileNames {
  readonly dat: string;
  readonly ext: string;
  readonly twoEx: string;
}

interface FileTags {
  readonly tags: readonly AnlzTagFound[];
  readonly path: string | null;
}

export function analysisFromBuffers(files: AnlzFiles, names: AnlzFileNames): TrackAnalysis | AnlzError {
  const problems: string[] = [];
  if (files.dat !== null && !Buffer.isBuffer(files.dat)) {
    return new AnlzError('unreadable', names.dat, `the analysis file cannot be read: ${files.dat.unreadable}`);
  }
  const dat = files.dat === null ? null : readMainFile(files.dat, names.dat);
  if (dat instanceof AnlzError) return dat;
  if (dat === null) problems.push(`${names.dat}: missing, so the track has no beat grid and no cues from it`);
  const ext = readSideFile(files.ext, names.ext, 'the track has no phrases and no cue names from it', problems);
  const twoEx = readSideFile(files.twoEx, names.twoEx, 'the audio path could not be checked against it', problems);

  const grid = dat === null ? [] : readGrid(dat.tags, names.dat, problems);
  if (grid instanceof AnlzError) return grid;
  const datCues = dat === null ? [] : readCues(dat.tags, PCOB_FOURCC, names.dat, problems, 'strict');
  if (datCues instanceof AnlzError) return datCues;
  const extCues = ext === null ? [] : readCues(ext.tags, PCOB_FOURCC, names.ext, problems, 'lenient');
  if (extCues instanceof AnlzError) return extCues;
  const extNamed = ext === null ? [] : readCues(ext.tags, PCO2_FOURCC, names.ext, problems, 'lenient');
  if (extNamed instanceof AnlzError) return extNamed;
  const phrases = ext === null ? null : readPhrases(ext.tags, names.ext, problems);

  checkPaths([dat, ext, twoEx], [names.dat, names.ext, names.twoEx], problems);
  return {
    grid,
    cues: mergeCues(extNamed, extCues, datCues),
    phrases,
    phraseFingerprint: phrases === null ? null : phraseFingerprint(phrases),
    audioPath: dat?.path ?? ext?.path ?? twoEx?.path ?? null,
    problems,
  };
}

/** The .DAT: any damage is an AnlzError. */
function readMainFile(file: Buffer, name: string): FileTags | AnlzError {
  const list = listAnlzTags(file);
  if (list instanceof PhraseError)
    return new AnlzError('not-anlz', name, `not a rekordbox analysis file: ${list.message}`);
  if (list.broken !== null) return new AnlzError('broken-chain', name, `the file is damaged: ${list.broken.message}`);
  const path = readPath(list.tags);
  if (path instanceof TagFault) return AnlzError.fromFault(name, path);
  return { tags: list.tags, path };
}

/** The .EXT or .2EX: damage becomes a problem, and the whole tags before it are kept. */
function readSideFile(file: AnlzFileBytes, name: string, loss: string, problems: string[]): FileTags | null {
  if (file === null) {
    problems.push(`${name}: missing, so ${loss}`);
    return null;
  }
  if (!Buffer.isBuffer(file)) {
    problems.push(`${name}: cannot be read (${file.unreadable}), so ${loss}`);
    return null;
  }
  const list = listAnlzTags(file);
  if (list instanceof PhraseError) {
    problems.push(`${name}: not a rekordbox analysis file (${list.message}); nothing was read from it`);
    return null;
  }
  if (list.broken !== null) {
    problems.push(
      `${name}: the file is damaged (${list.broken.message}); only the ${list.tags.length} tags before that were read`,
    );
  }
  const path = readPath(list.tags);
  if (path instanceof TagFault) problems.push(`${name}: ${path.toString()}`);
  return { tags: list.tags, path: path instanceof TagFault ? null : path };
}

function readPath(tags: readonly AnlzTagFound[]): string | null | TagFault {
  const tag = tags.find((t) => t.fourcc === PPTH_FOURCC);
  return tag === undefined ? null : parsePathTag(tag.tag);
}

function readGrid(tags: readonly AnlzTagFound[], name: string, problems: string[]): GridBeat[] | AnlzError {
  const tag = tags.find((t) => t.fourcc === PQTZ_FOURCC);
  if (tag === undefined) {
    problems.push(`${name}: holds no beat grid (no ${PQTZ_FOURCC} tag)`);
    return [];
  }
  const grid = parseBeatGridTag(tag.tag);
  return grid instanceof TagFault ? AnlzError.fromFault(name, grid) : grid;
}

/**
 * Cues of every tag with `fourcc`. 'strict' (the .DAT): a damaged tag is an
 * AnlzError; 'lenient': it is a problem and the tag is left out. Entries that
 * hold something unreadable are problems either way.
 */
function readCues(
  tags: readonly AnlzTagFound[],
  fourcc: string,
  name: string,
  problems: string[],
  damage: 'strict' | 'lenient',
): LibraryCue[] | AnlzError {
  const parse = fourcc === PCO2_FOURCC ? parseExtendedCueListTag : parseCueListTag;
  const cues: LibraryCue[] = [];
  for (const tag of tags) {
    if (tag.fourcc !== fourcc) continue;
    const reading: CueListReading | TagFault = parse(tag.tag);
    if (reading instanceof TagFault) {
      if (damage === 'strict') return AnlzError.fromFault(name, reading);
      problems.push(`${name}: ${reading.toString()}; its cues were left out`);
      continue;
    }
    for (const skipped of reading.skipped) problems.push(`${name}: ${fourcc} tag at ${tag.offset}: ${skipped}`);
    cues.push(...reading.cues);
  }
  return cues;
}

function readPhrases(tags: readonly AnlzTagFound[], name: string, problems: string[]): SongStructure | null {
  const tag = tags.find((t) => t.fourcc === PSSI_FOURCC);
  if (tag === undefined) return null;
  const structure = parsePssiTag(tag.tag);
  if (structure instanceof PhraseError) {
    problems.push(`${name}: the phrase analysis (${PSSI_FOURCC} tag) cannot be read: ${structure.message}`);
    return null;
  }
  return structure;
}

/** All files of a track describe the same audio file; a disagreement means they were mixed up. */
function checkPaths(files: readonly (FileTags | null)[], names: readonly string[], problems: string[]): void {
  const named = files.flatMap((f, i) =>
    f === null || f.path === null ? [] : [{ path: f.path, name: names[i] ?? '' }],
  );
  const first = named[0];
  for (const other of named.slice(1)) {
    if (first !== undefined && other.path !== first.path) {
      problems.push(
        `${other.name}: describes ${JSON.stringify(other.path)}, but ${first.name} describes ${JSON.stringify(first.path)}`,
      );
    }
  }
}
