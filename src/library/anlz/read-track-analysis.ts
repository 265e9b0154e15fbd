/**
 * Reads a track's analysis files from disk: the .DAT that export.pdb names
 * and, beside it, the .EXT and .2EX with the same stem. The only code here
 * that touches the file system.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { AnlzError } from './errors';
import { analysisFromBuffers, type AnlzFileBytes, type AnlzFileNames, type TrackAnalysis } from './track-analysis';

/** The .EXT and .2EX beside a .DAT, in the same letter case as its extension. */
export function siblingPaths(datPath: string): AnlzFileNames {
  const { dir, name, ext } = path.parse(datPath);
  const lower = ext !== '' && ext === ext.toLowerCase();
  const sibling = (extension: string): string =>
    path.join(dir, `${name}${lower ? extension.toLowerCase() : extension}`);
  return { dat: datPath, ext: sibling('.EXT'), twoEx: sibling('.2EX') };
}

function readOptional(file: string): AnlzFileBytes {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    if (errorField(error, 'code') === 'ENOENT') return null;
    return { unreadable: errorField(error, 'message') ?? String(error) };
  }
}

/** A string field of a thrown value; checked by shape, as errors may come from another realm. */
function errorField(error: unknown, field: 'code' | 'message'): string | null {
  if (typeof error !== 'object' || error === null || !(field in error)) return null;
  const value: unknown = (error as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : null;
}

/**
 * The beat grid, cues and phrases of the track whose .DAT is at `datPath`.
 * Throws an AnlzError naming the file when the .DAT is missing, cannot be
 * read or is damaged; a missing or damaged .EXT/.2EX is a sentence in
 * `problems`.
 */
export function readTrackAnalysis(datPath: string): TrackAnalysis {
  const names = siblingPaths(datPath);
  const dat = readOptional(datPath);
  if (dat === null) throw new AnlzError('unreadable', datPath, 'the analysis file does not exist');
  const analysis = analysisFromBuffers({ dat, ext: readOptional(names.ext), twoEx: readOptional(names.twoEx) }, names);
  if (analysis instanceof AnlzError) throw analysis;
  return analysis;
}
