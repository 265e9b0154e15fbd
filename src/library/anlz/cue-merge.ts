/**
 * One cue list from the several a track's files hold. The .DAT holds PCOB
 * tags; the .EXT holds the same cues again as PCOB and, with names and
 * colours, as PCO2. PCO2 cues come first; a PCOB cue is added only when no
 * cue of the same kind, hot-cue number, time and loop end is already there.
 */
import type { LibraryCue } from '../library-track';

function identity(cue: LibraryCue): string {
  return `${cue.kind}|${cue.hotCue ?? '-'}|${cue.timeMs}|${cue.loopEndMs ?? '-'}`;
}

/** Lists in order of preference; the result is in time order (memory cues before hot cues at the same time, then by hot cue). */
export function mergeCues(...lists: readonly (readonly LibraryCue[])[]): LibraryCue[] {
  const byIdentity = new Map<string, LibraryCue>();
  for (const list of lists) {
    for (const cue of list) {
      const key = identity(cue);
      if (!byIdentity.has(key)) byIdentity.set(key, cue);
    }
  }
  return [...byIdentity.values()].sort(compareCues);
}

export function compareCues(a: LibraryCue, b: LibraryCue): number {
  if (a.timeMs !== b.timeMs) return a.timeMs - b.timeMs;
  if (a.kind !== b.kind) return a.kind === 'memory' ? -1 : 1;
  return (a.hotCue ?? 0) - (b.hotCue ?? 0);
}
