/**
 * Finding a USB export on disk: the folder holding PIONEER (the USB's root),
 * the PIONEER folder itself, or a folder or path holding just an export.pdb. Letter case of the folder names is not
 * trusted, since USB sticks are FAT/exFAT volumes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CatalogueError } from './catalogue-error';

export const PIONEER_FOLDER = 'PIONEER';
const REKORDBOX_FOLDER = 'rekordbox';
const EXPORT_PDB = 'export.pdb';

export interface ExportLocation {
  /** The folder holding PIONEER: analysis paths in export.pdb start here. */
  readonly root: string;
  /** The export.pdb file. */
  readonly pdbPath: string;
}

/** The entry of `dir` named `name`, ignoring letter case; null when there is none. */
export function childNamed(dir: string, name: string): string | null {
  const exact = path.join(dir, name);
  if (fs.existsSync(exact)) return exact;
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return null;
  }
  const found = entries.find((entry) => entry.toLowerCase() === name.toLowerCase());
  return found === undefined ? null : path.join(dir, found);
}

/** Where an export.pdb found at `pdbPath` has its root: above PIONEER/rekordbox, else its own folder. */
function rootOfPdb(pdbPath: string): string {
  const rekordbox = path.dirname(pdbPath);
  const pioneer = path.dirname(rekordbox);
  const inPlace =
    path.basename(rekordbox).toLowerCase() === REKORDBOX_FOLDER.toLowerCase() && path.basename(pioneer).toLowerCase() === PIONEER_FOLDER.toLowerCase();
  return inPlace ? path.dirname(pioneer) : rekordbox;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/**
 * Where the export in `folder` is: `folder` may be the USB's root (holding
 * PIONEER), the PIONEER folder, the folder holding export.pdb, or the
 * export.pdb file. A CatalogueError sentence when there is none.
 */
export function locateExport(folder: string): ExportLocation {
  const absolute = path.resolve(folder);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(absolute);
  } catch {
    throw new CatalogueError('unreadable', `${folder}: no such folder; give the USB drive's folder (the one holding PIONEER).`);
  }
  if (stat.isFile()) {
    if (path.basename(absolute).toLowerCase().endsWith('.pdb')) return { root: rootOfPdb(absolute), pdbPath: absolute };
    throw new CatalogueError('no-export', `${folder}: not a folder or an export.pdb; give the USB drive's folder (the one holding PIONEER).`);
  }
  const isPioneer = path.basename(absolute).toLowerCase() === PIONEER_FOLDER.toLowerCase();
  const pioneer = isPioneer ? absolute : childNamed(absolute, PIONEER_FOLDER);
  const rekordbox = pioneer === null ? null : childNamed(pioneer, REKORDBOX_FOLDER);
  const candidates = [rekordbox === null ? null : childNamed(rekordbox, EXPORT_PDB), childNamed(absolute, EXPORT_PDB)];
  const pdbPath = candidates.find((c): c is string => c !== null && isFile(c));
  if (pdbPath === undefined) {
    throw new CatalogueError(
      'no-export',
      `${folder}: holds no PIONEER/rekordbox/export.pdb; give the folder of a USB drive that rekordbox exported to (the one holding PIONEER).`,
    );
  }
  return { root: rootOfPdb(pdbPath), pdbPath };
}

/**
 * The file an analysis path of export.pdb (e.g. /PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT)
 * names under `root`; null when the path is empty or would leave the export.
 */
export function analysisFile(root: string, analyzePath: string): string | null {
  const parts = analyzePath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) return null;
  return path.join(root, ...parts);
}
