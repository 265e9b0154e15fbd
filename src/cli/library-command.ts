/**
 * `library scan <folder…>` reads rekordbox USB exports into a track
 * catalogue file; `library show <query>` looks tracks up in catalogues or
 * exports. Exit codes: 0 done; 1 `show` found no track; 2 bad input (no
 * export in a folder, an export.pdb that cannot be read, a catalogue file
 * that is not one).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readTrackAnalysis } from '../library/anlz';
import {
  Catalogue,
  CatalogueError,
  catalogueJson,
  loadCatalogue,
  mergeCatalogues,
  saveCatalogue,
  scanExports,
  type AnalysisReader,
  type CatalogueData,
} from '../library/catalogue';
import { addDeviceLibraries, libraryKeyOf, type DeviceLibraryNote } from '../library/dlp';
import { summaryLines, trackLines } from './library-format';

export const LIBRARY_OK = 0;
export const LIBRARY_NOT_FOUND = 1;
export const LIBRARY_BAD_INPUT = 2;

/** Where `library scan` writes and `library show` reads when given no file. */
export const DEFAULT_CATALOGUE = 'prolink-library.json';

export interface LibraryDeps {
  readonly cwd: string;
  readonly readAnalysis: AnalysisReader;
  readonly now: () => Date;
}

const DEFAULT_DEPS: LibraryDeps = { cwd: process.cwd(), readAnalysis: readTrackAnalysis, now: () => new Date() };

export interface LibraryScanOptions {
  /** Where to write the catalogue; default prolink-library.json in the current folder (not written with --json unless given). */
  readonly out?: string;
  /** Print the catalogue as JSON instead of the summary. */
  readonly json: boolean;
  /** --library-key: the key of Device Library Plus (exportLibrary.db); else PROLINK_LIBRARY_KEY. */
  readonly libraryKey?: string;
}

function errorText(error: unknown): string {
  if (error instanceof CatalogueError) return error.message;
  throw error;
}

export async function runLibraryScan(
  folders: readonly string[],
  options: LibraryScanOptions,
  print: (line: string) => void,
  printError: (line: string) => void,
  deps: LibraryDeps = DEFAULT_DEPS,
): Promise<number> {
  let data: CatalogueData;
  try {
    data = scanExports(folders.map((f) => path.resolve(deps.cwd, f)), { readAnalysis: deps.readAnalysis, now: deps.now });
  } catch (error) {
    printError(errorText(error));
    return LIBRARY_BAD_INPUT;
  }
  const added = await addDeviceLibraries(data, { key: libraryKeyOf(options.libraryKey) });
  data = added.data;
  // With --json, stdout is the catalogue alone.
  for (const note of added.notes) (note.level === 'info' && !options.json ? print : printError)(note.message);
  const out = options.out === undefined ? (options.json ? null : path.resolve(deps.cwd, DEFAULT_CATALOGUE)) : path.resolve(deps.cwd, options.out);
  if (out !== null) {
    try {
      saveCatalogue(out, data);
    } catch (error) {
      printError(errorText(error));
      return LIBRARY_BAD_INPUT;
    }
  }
  if (options.json) {
    print(catalogueJson(data).trimEnd());
  } else {
    for (const line of summaryLines(data, out === null ? 'not listed here' : `listed in ${out}`)) print(line);
    if (out !== null) {
      const chosen = options.out === undefined ? ` (the default: ${DEFAULT_CATALOGUE} in the current folder; choose another with --out)` : '';
      print(`Catalogue written to ${out}${chosen}`);
    }
  }
  const damagedExports = data.summary.unreadable.filter((u) => path.basename(u.file).toLowerCase().endsWith('.pdb'));
  for (const damaged of damagedExports) printError(damaged.error);
  return damagedExports.length > 0 ? LIBRARY_BAD_INPUT : LIBRARY_OK;
}

export interface LibraryShowOptions {
  /** Catalogue files or export folders; default prolink-library.json in the current folder. */
  readonly library?: readonly string[];
  /** --library-key: the key of Device Library Plus (exportLibrary.db) in export folders; else PROLINK_LIBRARY_KEY. */
  readonly libraryKey?: string;
}

function isDirectory(file: string): boolean {
  try {
    return fs.statSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** A catalogue file is loaded; a folder is scanned as an export. */
function readSource(source: string, deps: LibraryDeps): CatalogueData {
  return isDirectory(source) ? scanExports([source], { readAnalysis: deps.readAnalysis, now: deps.now }) : loadCatalogue(source);
}

/** Like readSource, with the Device Library Plus IDs of an export folder added when its key is given. */
async function readSourceWithDeviceLibrary(source: string, deps: LibraryDeps, key: string | undefined, notes: DeviceLibraryNote[]): Promise<CatalogueData> {
  const data = readSource(source, deps);
  if (!isDirectory(source)) return data;
  const added = await addDeviceLibraries(data, { key });
  notes.push(...added.notes);
  return added.data;
}

/**
 * readLibrary with Device Library Plus: export folders holding an
 * exportLibrary.db get its IDs when `libraryKey` (else PROLINK_LIBRARY_KEY)
 * opens it; `notes` say what happened with each such file.
 */
export async function readLibraryWithDeviceLibraries(
  sources: readonly string[],
  libraryKey: string | undefined,
  deps: LibraryDeps = DEFAULT_DEPS,
): Promise<{ readonly library: Catalogue | string; readonly notes: readonly DeviceLibraryNote[] }> {
  const paths = sources.map((s) => path.resolve(deps.cwd, s));
  const key = libraryKeyOf(libraryKey);
  const notes: DeviceLibraryNote[] = [];
  try {
    const parts: CatalogueData[] = [];
    for (const s of paths) {
      if (!fs.existsSync(s)) throw new CatalogueError('unreadable', `${s} does not exist (give a catalogue file from "library scan" or a USB export folder)`);
      parts.push(await readSourceWithDeviceLibrary(s, deps, key, notes));
    }
    const library = new Catalogue(parts.length === 1 && parts[0] !== undefined ? parts[0] : mergeCatalogues(parts, deps.now().toISOString()));
    return { library, notes };
  } catch (error) {
    return { library: error instanceof Error ? error.message : String(error), notes };
  }
}

/**
 * The library `run --library` uses: catalogue files loaded, export folders
 * scanned, all merged; or one sentence saying what could not be read.
 */
export function readLibrary(sources: readonly string[], deps: LibraryDeps = DEFAULT_DEPS): Catalogue | string {
  const paths = sources.map((s) => path.resolve(deps.cwd, s));
  try {
    const parts = paths.map((s) => {
      if (!fs.existsSync(s)) throw new CatalogueError('unreadable', `${s} does not exist (give a catalogue file from "library scan" or a USB export folder)`);
      return readSource(s, deps);
    });
    return new Catalogue(parts.length === 1 && parts[0] !== undefined ? parts[0] : mergeCatalogues(parts, deps.now().toISOString()));
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export async function runLibraryShow(
  query: string,
  options: LibraryShowOptions,
  print: (line: string) => void,
  printError: (line: string) => void,
  deps: LibraryDeps = DEFAULT_DEPS,
): Promise<number> {
  const sources = (options.library ?? [DEFAULT_CATALOGUE]).map((s) => path.resolve(deps.cwd, s));
  let catalogue: Catalogue;
  try {
    const key = libraryKeyOf(options.libraryKey);
    const notes: DeviceLibraryNote[] = [];
    const parts: CatalogueData[] = [];
    for (const s of sources) parts.push(await readSourceWithDeviceLibrary(s, deps, key, notes));
    for (const note of notes) (note.level === 'info' ? print : printError)(note.message);
    catalogue = new Catalogue(parts.length === 1 && parts[0] !== undefined ? parts[0] : mergeCatalogues(parts, deps.now().toISOString()));
  } catch (error) {
    printError(errorText(error));
    return LIBRARY_BAD_INPUT;
  }
  const found = catalogue.search(query);
  if (found.length === 0) {
    printError(`No track matches ${JSON.stringify(query)} among the ${catalogue.tracks.length} tracks of ${sources.join(', ')}.`);
    return LIBRARY_NOT_FOUND;
  }
  found.forEach((track, i) => {
    if (i > 0) print('');
    for (const line of trackLines(track)) print(line);
  });
  return LIBRARY_OK;
}
