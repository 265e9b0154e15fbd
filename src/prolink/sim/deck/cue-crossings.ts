/**
 * When a playing deck's playhead reaches the cues of its track within one
 * stretch of its timeline (a Segment). Like beats, a cue at position b belongs
 * to the segment whose position range [p0, end position) holds it, so a cue
 * on a boundary is reached exactly once: a jump, a play start or a loop pass
 * landing on it reaches it at the segment's start; a cue the playhead never
 * sweeps over (jumped past, behind the loop) is not reached. Pure.
 */
import { moves, positionIn, timeToReach, type Segment } from './segment';
import type { SimCue } from './track';

/** Floating-point slack between a cue's position and the playhead (beats). */
const EPSILON = 1e-9;

export interface CueCrossing {
  readonly at: number;
  readonly trackId: number;
  readonly cue: SimCue;
  /** True when the segment started on the cue (a DJ action or a loop pass put the playhead there), false when the deck played onto it. */
  readonly landed: boolean;
}

/** Whether segment s goes on where `previous` left off, playing (a pitch change, a ramp's end): nothing put the playhead anywhere. */
export function continuesPlaying(previous: Segment | undefined, s: Segment): boolean {
  return previous !== undefined && previous.playing && s.playing && previous.track === s.track && Math.abs(positionIn(previous, s.t0) - s.p0) <= EPSILON;
}

/**
 * The cues segment s reaches before `end` (the next segment's start), after
 * time `after`, in time order; `continues` when it goes on from the segment
 * before without a jump (continuesPlaying).
 */
export function cueCrossingsIn(s: Segment, end: number, after: number, continues: boolean): CueCrossing[] {
  const cues = s.track?.cues;
  if (!moves(s) || s.track === null || cues === undefined || cues.length === 0) return [];
  const trackEnd = s.track.beats + 1;
  const endPosition = Math.min(end === Infinity ? trackEnd : positionIn(s, end), trackEnd);
  const out: CueCrossing[] = [];
  for (const cue of cues) {
    if (cue.beat < s.p0 - EPSILON || cue.beat >= endPosition - EPSILON) continue;
    const onStart = Math.abs(cue.beat - s.p0) <= EPSILON;
    const landed = onStart && !continues;
    const at = onStart ? s.t0 : s.t0 + timeToReach(s, cue.beat);
    if (!Number.isFinite(at) || at <= after || at >= end) continue;
    out.push({ at, trackId: s.track.id, cue, landed });
  }
  return out.sort((a, b) => a.at - b.at);
}
