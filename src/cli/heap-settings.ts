/**
 * Memory for a long-running bridge. V8 grows its young generation (the
 * semi-spaces) up to 16 MB while the bridge's modules load, and keeps it:
 * a quarter of the resident memory of a run, on a Raspberry Pi too. Kept at
 * its starting size, the young generation is collected a little more often
 * (about every second or two while running, a fraction of a millisecond
 * each), and the process stays some 8 MB smaller. A --max-semi-space-size
 * given in NODE_OPTIONS or on node's command line is left to rule.
 */
import * as v8 from 'node:v8';

export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';

/** Whether the user already chose the young generation's size. */
export function youngGenerationChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--(max|min)[-_]semi[-_]space[-_]size\b/.test(arg));
}

/** Keeps the young generation at its starting size, unless the user chose one; call before loading the bridge. */
export function keepYoungGenerationSmall(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env['NODE_OPTIONS']): boolean {
  if (youngGenerationChosen(execArgv, nodeOptions)) return false;
  v8.setFlagsFromString(YOUNG_GENERATION_FLAG);
  return true;
}
