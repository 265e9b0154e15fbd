/**
 * Reading a Device Library Plus database (PIONEER/rekordbox/exportLibrary.db,
 * SQLCipher 4) into tracks keyed by its content IDs: the IDs an OPUS-QUAD or
 * XDJ-AZ reports for a track loaded from the USB. Where a row names an
 * analysis file, the beat grid, cues and phrases come from it with the
 * analysis reader passed in.
 *
 * Table and column names as pyrekordbox's Device Library Plus models give
 * them (content.content_id, title, bpmx100, length, artist_id_artist,
 * album_id, genre_id, label_id, key_id, color_id, image_id, djComment,
 * rating, path, analysisDataFilePath; artist/album/genre/label/key/color with
 * <table>_id and name; image with image_id and path).
 */
import type { LibraryTrack } from '../library-track';
import { analysisFile, NO_ANALYSIS, type AnalysisContent, type AnalysisReader } from '../catalogue';
import * as fs from 'node:fs';
import { DeviceLibraryError } from './dlp-error';
import { queryEncrypted, type ModuleResolver, type SqlRow } from './sqlcipher-module';

/** A track of Device Library Plus: a LibraryTrack whose deviceLibraryId is set; its `id` (export.pdb's) is 0, unknown here. */
export type DeviceLibraryTrack = LibraryTrack & { readonly deviceLibraryId: number };

export interface DeviceLibrary {
  readonly file: string;
  readonly tracks: readonly DeviceLibraryTrack[];
  /** Sentences about analysis files that could not be read. */
  readonly problems: readonly string[];
}

export interface ReadDeviceLibraryOptions {
  /** The folder holding PIONEER: analysis paths start here. */
  readonly exportRoot: string;
  readonly key: string;
  /** Reads a track's analysis; without it, tracks come with no grid, cues or phrases. */
  readonly readAnalysis?: AnalysisReader;
  /** The SQLCipher module to load (default @evolu/sqlite-wasm). */
  readonly moduleName?: string;
  readonly resolve?: ModuleResolver;
}

const TRACKS_SQL = `
SELECT c.content_id AS id, c.title AS title, c.bpmx100 AS bpmx100, c.length AS length, c.rating AS rating,
       c.djComment AS comment, c.path AS filePath, c.analysisDataFilePath AS analyzePath,
       ar.name AS artist, al.name AS album, g.name AS genre, lb.name AS label, k.name AS keyName,
       co.name AS color, im.path AS artworkPath
FROM content c
LEFT JOIN artist ar ON ar.artist_id = c.artist_id_artist
LEFT JOIN album al ON al.album_id = c.album_id
LEFT JOIN genre g ON g.genre_id = c.genre_id
LEFT JOIN label lb ON lb.label_id = c.label_id
LEFT JOIN "key" k ON k.key_id = c.key_id
LEFT JOIN color co ON co.color_id = c.color_id
LEFT JOIN image im ON im.image_id = c.image_id
ORDER BY c.content_id`;

function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

function num(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  return 0;
}

function readAnalysisOf(root: string, analyzePath: string, reader: AnalysisReader | undefined, problems: string[]): AnalysisContent {
  if (reader === undefined) return NO_ANALYSIS;
  const datPath = analysisFile(root, analyzePath);
  if (datPath === null || !fs.existsSync(datPath)) return NO_ANALYSIS;
  try {
    const analysis = reader(datPath);
    problems.push(...analysis.problems);
    return { grid: analysis.grid, cues: analysis.cues, phrases: analysis.phrases, phraseFingerprint: analysis.phraseFingerprint };
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    problems.push(text.includes(datPath) ? text : `${datPath}: ${text}`);
    return NO_ANALYSIS;
  }
}

function trackOf(row: SqlRow, options: ReadDeviceLibraryOptions, problems: string[]): DeviceLibraryTrack {
  const analyzePath = str(row['analyzePath']);
  const analysis = readAnalysisOf(options.exportRoot, analyzePath, options.readAnalysis, problems);
  return {
    id: 0,
    deviceLibraryId: num(row['id']),
    title: str(row['title']),
    artist: str(row['artist']),
    album: str(row['album']),
    genre: str(row['genre']),
    label: str(row['label']),
    key: str(row['keyName']),
    color: str(row['color']),
    rating: num(row['rating']),
    comment: str(row['comment']),
    // Whole seconds, as onelibrary-connect reads the column (pyrekordbox's notes say ms; no real file was at hand to settle it).
    durationSeconds: num(row['length']),
    bpm: num(row['bpmx100']) / 100,
    artworkPath: str(row['artworkPath']),
    source: { exportRoot: options.exportRoot, analyzePath, filePath: str(row['filePath']) },
    grid: analysis.grid,
    cues: analysis.cues,
    phrases: analysis.phrases,
    phraseFingerprint: analysis.phraseFingerprint,
  };
}

/** The tracks of the Device Library Plus database `file`, or one sentence saying why it was not read. Never throws. */
export async function readDeviceLibrary(file: string, options: ReadDeviceLibraryOptions): Promise<DeviceLibrary | DeviceLibraryError> {
  const rows = await queryEncrypted({
    file,
    key: options.key,
    queries: [TRACKS_SQL],
    ...(options.moduleName === undefined ? {} : { moduleName: options.moduleName }),
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
  });
  if (rows instanceof DeviceLibraryError) return rows;
  const problems: string[] = [];
  const tracks = (rows[0] ?? []).map((row) => trackOf(row, options, problems));
  return { file, tracks, problems };
}
