/**
 * Watches mapping files for saves. Editors often save by writing a temporary
 * file and renaming it over the original, which replaces the inode, so the
 * folders are watched rather than the files. Bursts of events (one save can
 * produce several) are debounced into one callback.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { realTimers, type Timers } from '../outputs/reporter';

export interface WatchOptions {
  readonly debounceMs?: number;
  readonly timers?: Timers;
  readonly onError?: (message: string) => void;
}

export interface Watcher {
  close(): void;
}

const MAPPING_FILE = /\.ya?ml$/i;

/**
 * Calls `onChange` once things have been quiet for debounceMs after any change
 * to one of `files`, or to any .yaml/.yml file in one of `folders`.
 */
export function watchMappingFiles(
  paths: readonly string[],
  onChange: () => void,
  options: WatchOptions = {},
): Watcher {
  const timers = options.timers ?? realTimers;
  const debounceMs = options.debounceMs ?? 150;
  const watchedFiles = new Map<string, Set<string>>(); // folder -> file names (empty set: every mapping file)
  for (const given of paths) {
    const resolved = path.resolve(given);
    let isFolder = false;
    try {
      isFolder = fs.statSync(resolved).isDirectory();
    } catch {
      // A file that does not exist yet is watched through its folder.
    }
    const folder = isFolder ? resolved : path.dirname(resolved);
    const names = watchedFiles.get(folder) ?? new Set<string>();
    if (!isFolder) names.add(path.basename(resolved));
    else names.add('*');
    watchedFiles.set(folder, names);
  }

  let pending: unknown = null;
  const trigger = (): void => {
    if (pending !== null) timers.clearTimeout(pending);
    pending = timers.setTimeout(() => {
      pending = null;
      onChange();
    }, debounceMs);
  };

  const watchers: fs.FSWatcher[] = [];
  for (const [folder, names] of watchedFiles) {
    try {
      const watcher = fs.watch(folder, { persistent: false }, (_event, filename) => {
        const name = filename === null ? null : filename.toString();
        if (name === null || (names.has('*') ? MAPPING_FILE.test(name) : names.has(name))) trigger();
      });
      watcher.on('error', (error) => options.onError?.(`watching ${folder} failed: ${error.message}`));
      watchers.push(watcher);
    } catch (error) {
      options.onError?.(`cannot watch ${folder}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return {
    close(): void {
      if (pending !== null) timers.clearTimeout(pending);
      for (const watcher of watchers) watcher.close();
    },
  };
}
