/**
 * Adding the Device Library Plus IDs of a USB to the catalogue scanned from
 * its export.pdb: each exportLibrary.db beside an export.pdb is opened with
 * the key, and each of its tracks gives its content ID to the export.pdb
 * track with the same analysis file (else the same audio file). So an
 * OPUS-QUAD's track ID finds its track directly, and everything else stays
 * as export.pdb has it.
 *
 * Nothing here stops a scan: no key, no module, a wrong key or a damaged
 * file is one sentence, and the catalogue is used as export.pdb gives it.
 */
import * as path from 'node:path';
import type { CatalogueData } from '../catalogue';
import { childNamed } from '../catalogue/export-location';
import type { LibraryTrack } from '../library-track';
import { DeviceLibraryError } from './dlp-error';
import { readDeviceLibrary, type DeviceLibraryTrack } from './read-device-library';
import type { ModuleResolver } from './sqlcipher-module';

export const DEVICE_LIBRARY_FILE = 'exportLibrary.db';
/** Where the key comes from when --library-key is not given. */
export const LIBRARY_KEY_ENV = 'PROLINK_LIBRARY_KEY';

export interface DeviceLibraryNote {
  readonly level: 'info' | 'warn';
  readonly message: string;
}

export interface DeviceLibraryOptions {
  /** The SQLCipher key of exportLibrary.db; undefined or '' when the user gave none. */
  readonly key: string | undefined;
  readonly moduleName?: string;
  readonly resolve?: ModuleResolver;
}

export interface WithDeviceLibraries {
  readonly data: CatalogueData;
  /** One sentence per exportLibrary.db that was read or not. */
  readonly notes: readonly DeviceLibraryNote[];
}

/** The key given on the command line, else in PROLINK_LIBRARY_KEY; undefined when neither. */
export function libraryKeyOf(option: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const key = option ?? env[LIBRARY_KEY_ENV];
  return key === undefined || key === '' ? undefined : key;
}

/** exportLibrary.db beside `pdbPath`, ignoring letter case; null when there is none. */
export function deviceLibraryBeside(pdbPath: string): string | null {
  return childNamed(path.dirname(pdbPath), DEVICE_LIBRARY_FILE);
}

/** A path of the USB compared without letter case or slash style (FAT/exFAT). */
function pathKey(p: string): string | null {
  const parts = p.split(/[\\/]+/).filter((x) => x !== '' && x !== '.');
  return parts.length === 0 ? null : parts.join('/').toLowerCase();
}

/** Sets deviceLibraryId on the export.pdb tracks of `root` that `dlp` lists; returns the tracks and how many of dlp's were not found. */
function join(tracks: readonly LibraryTrack[], root: string, dlp: readonly DeviceLibraryTrack[]): { tracks: LibraryTrack[]; unmatched: number; matched: number } {
  const byAnalysis = new Map<string, DeviceLibraryTrack>();
  const byFile = new Map<string, DeviceLibraryTrack>();
  for (const t of dlp) {
    const a = pathKey(t.source.analyzePath);
    const f = pathKey(t.source.filePath);
    if (a !== null && !byAnalysis.has(a)) byAnalysis.set(a, t);
    if (f !== null && !byFile.has(f)) byFile.set(f, t);
  }
  const used = new Set<DeviceLibraryTrack>();
  const joined = tracks.map((track) => {
    if (track.source.exportRoot !== root) return track;
    const a = pathKey(track.source.analyzePath);
    const f = pathKey(track.source.filePath);
    const found = (a === null ? undefined : byAnalysis.get(a)) ?? (f === null ? undefined : byFile.get(f));
    if (found === undefined || used.has(found)) return track;
    used.add(found);
    return { ...track, deviceLibraryId: found.deviceLibraryId };
  });
  return { tracks: joined, unmatched: dlp.length - used.size, matched: used.size };
}

/** The catalogue with the Device Library Plus IDs of its exports added where a key opens them. */
export async function addDeviceLibraries(data: CatalogueData, options: DeviceLibraryOptions): Promise<WithDeviceLibraries> {
  const notes: DeviceLibraryNote[] = [];
  let tracks: readonly LibraryTrack[] = data.tracks;
  for (const exp of data.exports) {
    const file = deviceLibraryBeside(exp.pdbPath);
    if (file === null) continue;
    if (options.key === undefined || options.key === '') {
      notes.push({
        level: 'info',
        message: `${file}: Device Library Plus is not read without its key (give --library-key or ${LIBRARY_KEY_ENV}); tracks are matched from ${path.basename(exp.pdbPath)} as before.`,
      });
      continue;
    }
    const dlp = await readDeviceLibrary(file, {
      exportRoot: exp.root,
      key: options.key,
      ...(options.moduleName === undefined ? {} : { moduleName: options.moduleName }),
      ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
    });
    if (dlp instanceof DeviceLibraryError) {
      notes.push({ level: 'warn', message: `${dlp.message.replace(/\.$/, '')}; tracks are matched from ${path.basename(exp.pdbPath)} as before.` });
      continue;
    }
    const result = join(tracks, exp.root, dlp.tracks);
    tracks = result.tracks;
    const left = result.unmatched === 0 ? '' : `; ${result.unmatched} of its tracks are not in ${path.basename(exp.pdbPath)} and are left out`;
    notes.push({ level: result.unmatched === 0 ? 'info' : 'warn', message: `${file}: Device Library Plus IDs added to ${result.matched} tracks${left}.` });
  }
  return { data: tracks === data.tracks ? data : { ...data, tracks }, notes };
}
