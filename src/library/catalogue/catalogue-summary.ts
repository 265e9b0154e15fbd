/**
 * What a scan found, in numbers and lists a user can act on: how many tracks
 * have titles, grids, cues and phrases, which tracks have no analysis, which
 * appear twice, and which files could not be read. Pure.
 */
import type { LibraryTrack } from '../library-track';

export interface TrackRef {
  readonly exportRoot: string;
  readonly id: number;
  readonly title: string;
}

export interface MissingAnalysis extends TrackRef {
  /** The analysis path export.pdb gives ('' when it gives none). */
  readonly analyzePath: string;
}

export type DuplicateKind =
  | 'same-id' // one export holds two tracks with the same rekordbox ID
  | 'same-track'; // the same title, artist and length in two exports

export interface Duplicate {
  readonly kind: DuplicateKind;
  readonly tracks: readonly TrackRef[];
}

export interface UnreadableFile {
  readonly file: string;
  /** The error sentence, naming the file. */
  readonly error: string;
}

export interface ExportInfo {
  /** The folder holding PIONEER. */
  readonly root: string;
  readonly pdbPath: string;
  /** Track rows read from its export.pdb. */
  readonly tracks: number;
  /** export.pdb's write sequence number: it changes whenever rekordbox writes the export again. */
  readonly sequence: number;
}

export interface CatalogueSummary {
  readonly exports: number;
  readonly tracks: number;
  readonly withTitles: number;
  readonly withGrids: number;
  readonly withCues: number;
  readonly withPhrases: number;
  readonly missingAnalysis: readonly MissingAnalysis[];
  readonly duplicates: readonly Duplicate[];
  readonly unreadable: readonly UnreadableFile[];
  /** Other sentences worth reading: damaged .EXT/.2EX, links to rows that do not exist. */
  readonly problems: readonly string[];
}

export interface SummaryInputs {
  readonly exports: readonly ExportInfo[];
  readonly tracks: readonly LibraryTrack[];
  readonly missingAnalysis: readonly MissingAnalysis[];
  readonly unreadable: readonly UnreadableFile[];
  readonly problems: readonly string[];
}

export function trackRef(track: LibraryTrack): TrackRef {
  return { exportRoot: track.source.exportRoot, id: track.id, title: track.title };
}

function groups<T>(items: readonly T[], key: (item: T) => string | null): T[][] {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    if (k === null) continue;
    const list = map.get(k);
    if (list === undefined) map.set(k, [item]);
    else list.push(item);
  }
  return [...map.values()];
}

/** Tracks that appear twice: the same ID twice in one export, or the same title, artist and length in two exports. */
export function findDuplicates(tracks: readonly LibraryTrack[]): Duplicate[] {
  const sameId = groups(tracks, (t) => `${t.source.exportRoot}\u0000${t.id}`)
    .filter((g) => g.length > 1)
    .map((g): Duplicate => ({ kind: 'same-id', tracks: g.map(trackRef) }));
  const sameTrack = groups(tracks, (t) =>
    t.title.trim() === '' ? null : [t.title.trim().toLowerCase(), t.artist.trim().toLowerCase(), t.durationSeconds].join('\u0000'),
  )
    .filter((g) => new Set(g.map((t) => t.source.exportRoot)).size > 1)
    .map((g): Duplicate => ({ kind: 'same-track', tracks: g.map(trackRef) }));
  return [...sameId, ...sameTrack];
}

export function summarize(inputs: SummaryInputs): CatalogueSummary {
  const count = (test: (t: LibraryTrack) => boolean): number => inputs.tracks.filter(test).length;
  return {
    exports: inputs.exports.length,
    tracks: inputs.tracks.length,
    withTitles: count((t) => t.title.trim() !== ''),
    withGrids: count((t) => t.grid.length > 0),
    withCues: count((t) => t.cues.length > 0),
    withPhrases: count((t) => t.phrases !== null),
    missingAnalysis: inputs.missingAnalysis,
    duplicates: findDuplicates(inputs.tracks),
    unreadable: inputs.unreadable,
    problems: inputs.problems,
  };
}
