/**
 * Building a catalogue from USB exports on disk: each export.pdb is read and
 * joined, and each track's analysis is read with the reader passed in. A
 * damaged export.pdb or analysis file is listed with its error sentence and
 * the scan goes on; a folder that is no export at all is a CatalogueError.
 */
import * as fs from 'node:fs';
import type { LibraryTrack } from '../library-track';
import { readPdb, type PdbDatabase } from '../pdb';
import { CATALOGUE_FORMAT, CATALOGUE_VERSION, type CatalogueData } from './catalogue-data';
import { summarize, type ExportInfo, type MissingAnalysis, type UnreadableFile } from './catalogue-summary';
import { analysisFile, locateExport, type ExportLocation } from './export-location';
import { libraryTrack, missingLinks, NO_ANALYSIS, pdbLookups, type AnalysisContent } from './join-track';

/** Reads one track's analysis from its .DAT path (and the .EXT/.2EX beside it); throws an error naming a damaged file. */
export type AnalysisReader = (datPath: string) => AnalysisContent & { readonly problems: readonly string[] };

export interface ScanOptions {
  readonly readAnalysis: AnalysisReader;
  /** The time written into the catalogue. */
  readonly now: () => Date;
}

interface Collected {
  readonly exports: ExportInfo[];
  readonly tracks: LibraryTrack[];
  readonly missingAnalysis: MissingAnalysis[];
  readonly unreadable: UnreadableFile[];
  readonly problems: string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readExportPdb(location: ExportLocation, into: Collected): PdbDatabase | null {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(location.pdbPath);
  } catch (error) {
    into.unreadable.push({ file: location.pdbPath, error: `${location.pdbPath}: cannot be read: ${message(error)}` });
    return null;
  }
  try {
    return readPdb(bytes, location.pdbPath);
  } catch (error) {
    // PdbError messages lead with the file; anything else is still reported, never thrown past the scan.
    into.unreadable.push({ file: location.pdbPath, error: message(error) });
    return null;
  }
}

function trackAnalysis(location: ExportLocation, analyzePath: string, id: number, title: string, options: ScanOptions, into: Collected): AnalysisContent {
  const datPath = analysisFile(location.root, analyzePath);
  if (datPath === null || !fs.existsSync(datPath)) {
    into.missingAnalysis.push({ exportRoot: location.root, id, title, analyzePath });
    return NO_ANALYSIS;
  }
  try {
    const analysis = options.readAnalysis(datPath);
    into.problems.push(...analysis.problems);
    return { grid: analysis.grid, cues: analysis.cues, phrases: analysis.phrases, phraseFingerprint: analysis.phraseFingerprint };
  } catch (error) {
    const text = message(error);
    into.unreadable.push({ file: datPath, error: text.includes(datPath) ? text : `${datPath}: ${text}` });
    return NO_ANALYSIS;
  }
}

function scanOne(location: ExportLocation, options: ScanOptions, into: Collected): void {
  const db = readExportPdb(location, into);
  if (db === null) return;
  const lookups = pdbLookups(db);
  for (const row of db.tables.tracks) {
    const missing = missingLinks(row, lookups);
    if (missing !== null) into.problems.push(`${location.pdbPath}: ${missing}`);
    const analysis = trackAnalysis(location, row.analyzePath, row.id, row.title, options, into);
    into.tracks.push(libraryTrack(row, lookups, location.root, analysis));
  }
  into.exports.push({ root: location.root, pdbPath: location.pdbPath, tracks: db.tables.tracks.length, sequence: db.header.sequence });
}

/**
 * Scans the exports in `folders` (each the folder holding PIONEER, or PIONEER
 * itself). Throws a CatalogueError when a folder holds no export.pdb.
 */
export function scanExports(folders: readonly string[], options: ScanOptions): CatalogueData {
  const locations = folders.map(locateExport);
  const into: Collected = { exports: [], tracks: [], missingAnalysis: [], unreadable: [], problems: [] };
  const seen = new Set<string>();
  for (const location of locations) {
    if (seen.has(location.root)) {
      into.problems.push(`${location.root}: given more than once; scanned once`);
      continue;
    }
    seen.add(location.root);
    scanOne(location, options, into);
  }
  return {
    format: CATALOGUE_FORMAT,
    version: CATALOGUE_VERSION,
    createdAt: options.now().toISOString(),
    exports: into.exports,
    tracks: into.tracks,
    summary: summarize(into),
  };
}
