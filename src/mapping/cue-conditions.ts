/**
 * The `cue:` and `cueKind:` conditions of rules on cue: whether a cue matches
 * them. Shared by the engine and the look-ahead, which predicts only the cues
 * a rule's conditions can accept.
 */
import type { CueInfo } from '../events/bridge-event';
import type { CompiledConditions, CueNameMatch } from './compiled-mapping';

function nameMatches(matches: readonly CueNameMatch[] | null, name: string): boolean {
  if (matches === null) return true;
  const lower = name.toLowerCase();
  return matches.some((m) => ('name' in m ? m.name === lower : m.pattern.test(name)));
}

/** Whether the cue passes the rule's cue conditions (true when it has none). */
export function cueMatches(when: Pick<CompiledConditions, 'cue' | 'cueKind'>, cue: CueInfo): boolean {
  return (when.cueKind === null || when.cueKind.has(cue.kind)) && nameMatches(when.cue, cue.name);
}
