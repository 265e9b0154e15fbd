/**
 * Memory for a long-running bridge.
 *
 * - The young generation: V8 grows its semi-spaces up to 16 MB while the
 *   bridge's modules load, and keeps them: a quarter of the resident memory
 *   of a run, on a Raspberry Pi too. Kept at their starting size, the young
 *   generation is collected a little more often (about every second or two
 *   while running, a fraction of a millisecond each), and the process stays
 *   some 8 MB smaller.
 * - The old generation: after each full collection V8 lets the heap grow up
 *   to several times what is alive before collecting again, more the faster
 *   the process allocates. Under a flood of datagrams (a broken switch, a
 *   storm) a small young generation promotes short-lived objects quickly, and
 *   the heap, then the resident memory, nearly doubles and stays so. Growth is
 *   held to 20 % over what is alive (never less than V8's own minimum step):
 *   full collections come a little sooner under such a flood, and at the
 *   usual packet rates there is next to nothing to promote.
 *
 * A size or growth given in NODE_OPTIONS or on node's command line is left to rule.
 */
import * as v8 from 'node:v8';

export const YOUNG_GENERATION_FLAG = '--semi-space-growth-factor=1';
export const OLD_GENERATION_GROWTH_PERCENT = 20;
export const OLD_GENERATION_FLAG = `--heap-growing-percent=${OLD_GENERATION_GROWTH_PERCENT}`;

function nodeArguments(execArgv: readonly string[], nodeOptions: string | undefined): string[] {
  return [...execArgv, ...(nodeOptions ?? '').split(/\s+/)];
}

/** Whether the user already chose the young generation's size. */
export function youngGenerationChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return nodeArguments(execArgv, nodeOptions).some((arg) => /^--(max|min)[-_]semi[-_]space[-_]size\b/.test(arg));
}

/** Whether the user already chose how the old generation grows. */
export function oldGenerationGrowthChosen(execArgv: readonly string[], nodeOptions: string | undefined): boolean {
  return nodeArguments(execArgv, nodeOptions).some((arg) => /^--(heap[-_]growing[-_]percent|optimize[-_]for[-_]size)\b/.test(arg));
}

export interface HeapSettingsApplied {
  readonly youngGeneration: boolean;
  readonly oldGeneration: boolean;
}

/** Keeps the young generation at its starting size and the old generation's growth bounded, where the user chose neither; call before loading the bridge. */
export function keepHeapSmall(execArgv: readonly string[] = process.execArgv, nodeOptions: string | undefined = process.env['NODE_OPTIONS']): HeapSettingsApplied {
  const youngGeneration = !youngGenerationChosen(execArgv, nodeOptions);
  if (youngGeneration) v8.setFlagsFromString(YOUNG_GENERATION_FLAG);
  const oldGeneration = !oldGenerationGrowthChosen(execArgv, nodeOptions);
  if (oldGeneration) v8.setFlagsFromString(OLD_GENERATION_FLAG);
  return { youngGeneration, oldGeneration };
}
