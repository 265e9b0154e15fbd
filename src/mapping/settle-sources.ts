/**
 * Waits for mapping files that are being written. Editors often truncate a
 * file and write it a moment later, or remove it and create it again; read in
 * between, a file is empty, cut off mid-line or missing. A read that looks
 * like that is repeated after a quiet period until two reads agree (or the
 * wait reaches its cap), so a half-written file is never taken for the
 * user's intent.
 */
import type { Timers } from '../outputs/reporter';
import type { ReadSources } from './load-mapping';
import type { MappingError } from './mapping-error';

/** Time between two reads that must agree. */
export const SETTLE_QUIET_MS = 400;
/** Longest wait for files to stop changing; the last read is used then. */
export const SETTLE_MAX_MS = 5000;

/** Errors that a file caught mid-write produces: these are worth waiting out. */
export function looksMidWrite(errors: readonly MappingError[]): boolean {
  return errors.some((e) => e.code === 'empty' || e.code === 'yaml' || e.code === 'unreadable' || e.code === 'emptied');
}

export interface SettleOptions {
  readonly timers: Pick<Timers, 'setTimeout' | 'now'>;
  readonly quietMs?: number;
  readonly maxMs?: number;
  /** Stop waiting (the runtime is stopping, or a newer reload took over). */
  readonly abandoned?: () => boolean;
}

export interface Settled {
  readonly read: ReadSources;
  /** False when the files still changed at the cap (or the wait was abandoned). */
  readonly settled: boolean;
}

/** What a read saw: every file's name and text, and what could not be read. */
export function fingerprint(read: ReadSources): string {
  return JSON.stringify([read.sources.map((s) => [s.file, s.text]), read.errors.map(String)]);
}

function sleep(timers: SettleOptions['timers'], ms: number): Promise<void> {
  return new Promise((resolve) => {
    timers.setTimeout(resolve, ms);
  });
}

/** Reads again every quietMs, starting from `first`, until two reads agree. */
export async function settleSources(read: () => Promise<ReadSources>, first: ReadSources, options: SettleOptions): Promise<Settled> {
  const quietMs = options.quietMs ?? SETTLE_QUIET_MS;
  const maxMs = options.maxMs ?? SETTLE_MAX_MS;
  const started = options.timers.now();
  let last = first;
  let lastPrint = fingerprint(first);
  while (options.timers.now() - started < maxMs) {
    await sleep(options.timers, quietMs);
    if (options.abandoned?.() === true) return { read: last, settled: false };
    const next = await read();
    const print = fingerprint(next);
    if (print === lastPrint) return { read: next, settled: true };
    last = next;
    lastPrint = print;
  }
  return { read: last, settled: false };
}
