/**
 * Files the package itself carries, found from where this module is
 * installed (never from the working directory): the default mapping and
 * the package's own metadata.
 */
import * as path from 'node:path';

/** The package root: this file is dist/cli/package-files.js (or src/cli/package-files.ts). */
export const PACKAGE_ROOT = path.resolve(__dirname, '..', '..');

/** The mapping `run` uses when it is given none and finds no ./mappings folder. */
export const PACKAGED_DEFAULT_MAPPING = path.join(PACKAGE_ROOT, 'mappings', 'default.yaml');

/** The folder `run` reads when no --mapping is given, relative to the working directory. */
export const LOCAL_MAPPINGS = 'mappings';

export interface MappingChoice {
  readonly paths: readonly string[];
  /** One line saying that the packaged default is used, or null. */
  readonly note: string | null;
}

/**
 * The mapping paths a run uses: those given with --mapping; else ./mappings
 * when it exists; else the packaged default mapping, with a line saying so.
 */
export function chooseMappingPaths(
  given: readonly string[] | undefined,
  exists: (file: string) => boolean,
  packagedDefault: string = PACKAGED_DEFAULT_MAPPING,
): MappingChoice {
  if (given !== undefined && given.length > 0) return { paths: given, note: null };
  if (exists(LOCAL_MAPPINGS)) return { paths: [LOCAL_MAPPINGS], note: null };
  return {
    paths: [packagedDefault],
    note:
      `no --mapping given and no ./${LOCAL_MAPPINGS} folder here: using the packaged default mapping ${packagedDefault} ` +
      '(OSC to 127.0.0.1:9000; "prolink-bridge init" writes a mapping of your own to edit)',
  };
}
