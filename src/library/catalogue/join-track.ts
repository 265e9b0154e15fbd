/**
 * Turning a track row of export.pdb into a LibraryTrack: its IDs replaced by
 * the names of the artist, album, genre, label, key, colour and artwork rows
 * they point to, and its analysis added. Pure.
 */
import type { GridBeat, LibraryCue, LibraryTrack } from '../library-track';
import type { PdbDatabase, TrackRow } from '../pdb';
import type { SongStructure } from '../../prolink/phrases/song-structure';

/** What the analysis reader gives for one track (the fields a catalogue keeps). */
export interface AnalysisContent {
  readonly grid: readonly GridBeat[];
  readonly cues: readonly LibraryCue[];
  readonly phrases: SongStructure | null;
  readonly phraseFingerprint: string | null;
}

export const NO_ANALYSIS: AnalysisContent = { grid: [], cues: [], phrases: null, phraseFingerprint: null };

/** ID → name maps of the tables track rows link to. */
export interface PdbLookups {
  readonly artists: ReadonlyMap<number, string>;
  readonly albums: ReadonlyMap<number, string>;
  readonly genres: ReadonlyMap<number, string>;
  readonly labels: ReadonlyMap<number, string>;
  readonly keys: ReadonlyMap<number, string>;
  readonly colors: ReadonlyMap<number, string>;
  readonly artwork: ReadonlyMap<number, string>;
}

function byId<T extends { readonly id: number }>(rows: readonly T[], value: (row: T) => string): Map<number, string> {
  const map = new Map<number, string>();
  for (const row of rows) if (!map.has(row.id)) map.set(row.id, value(row));
  return map;
}

export function pdbLookups(db: PdbDatabase): PdbLookups {
  const t = db.tables;
  return {
    artists: byId(t.artists, (r) => r.name),
    albums: byId(t.albums, (r) => r.name),
    genres: byId(t.genres, (r) => r.name),
    labels: byId(t.labels, (r) => r.name),
    keys: byId(t.keys, (r) => r.name),
    colors: byId(t.colors, (r) => r.name),
    artwork: byId(t.artwork, (r) => r.path),
  };
}

/** The name `id` has in `map`; '' for 0 (none) or an ID with no row. */
function nameOf(map: ReadonlyMap<number, string>, id: number): string {
  return id === 0 ? '' : map.get(id) ?? '';
}

/** Rows a track links to that the export does not hold, as a sentence, or null when all are there. */
export function missingLinks(row: TrackRow, lookups: PdbLookups): string | null {
  const links: Array<[string, ReadonlyMap<number, string>, number]> = [
    ['artist', lookups.artists, row.artistId],
    ['album', lookups.albums, row.albumId],
    ['genre', lookups.genres, row.genreId],
    ['label', lookups.labels, row.labelId],
    ['key', lookups.keys, row.keyId],
    ['colour', lookups.colors, row.colorId],
    ['artwork', lookups.artwork, row.artworkId],
  ];
  const missing = links.filter(([, map, id]) => id !== 0 && !map.has(id)).map(([what, , id]) => `${what} ${id}`);
  return missing.length === 0 ? null : `track ${row.id} links to rows the export does not hold: ${missing.join(', ')}`;
}

export function libraryTrack(row: TrackRow, lookups: PdbLookups, exportRoot: string, analysis: AnalysisContent): LibraryTrack {
  return {
    id: row.id,
    title: row.title,
    artist: nameOf(lookups.artists, row.artistId),
    album: nameOf(lookups.albums, row.albumId),
    genre: nameOf(lookups.genres, row.genreId),
    label: nameOf(lookups.labels, row.labelId),
    key: nameOf(lookups.keys, row.keyId),
    color: nameOf(lookups.colors, row.colorId),
    rating: row.rating,
    comment: row.comment,
    durationSeconds: row.durationSeconds,
    bpm: row.bpm,
    artworkPath: nameOf(lookups.artwork, row.artworkId),
    source: { exportRoot, analyzePath: row.analyzePath, filePath: row.filePath },
    grid: analysis.grid,
    cues: analysis.cues,
    phrases: analysis.phrases,
    phraseFingerprint: analysis.phraseFingerprint,
  };
}
