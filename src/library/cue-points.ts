/**
 * A track's memory cues and hot cues placed on its beat grid: where on the
 * deck's beat counter each one lies (beat 129 is 129, half-way to beat 130 is
 * 129.5), so the stream layer can fire them as the deck's beats reach them.
 * Pure; computed once per track (cached by the track object).
 */
import type { CueInfo } from '../events/bridge-event';
import type { GridBeat, LibraryCue, LibraryTrack } from './library-track';
import { beatAtTime, beatLengthMs } from './anlz/grid-lookup';

/** A cue this close to a beat (in beats) counts as on it: rekordbox quantizes cues to the grid, to the millisecond. */
export const ON_BEAT_BEATS = 0.01;

export interface CuePoint {
  readonly cue: CueInfo;
  /** The beat counter value of the beat the cue lies in (the cue's beat rounded down). */
  readonly onBeat: number;
  /** How far into that beat the cue lies, 0 ≤ fraction < 1 (0: on the beat). */
  readonly fraction: number;
  /** Tells this cue from another at the same place (kind, hot cue number, time, name). */
  readonly id: string;
}

/**
 * The fractional beat position of `timeMs` on a grid, extrapolated before
 * the first beat and after the last at their tempos; null for an empty grid.
 */
export function gridPositionOfTime(grid: readonly GridBeat[], timeMs: number): number | null {
  const first = grid[0];
  const last = grid[grid.length - 1];
  if (first === undefined || last === undefined) return null;
  const inGrid = beatAtTime(grid, timeMs);
  if (inGrid !== null) return inGrid.beat + inGrid.fraction;
  const edge = timeMs < first.timeMs ? { beat: 1, at: first } : { beat: grid.length, at: last };
  const length = beatLengthMs(edge.at.bpm);
  return length > 0 ? edge.beat + (timeMs - edge.at.timeMs) / length : null;
}

function cueInfo(cue: LibraryCue, beat: number): CueInfo {
  return { name: cue.name, kind: cue.kind, hotCue: cue.hotCue, hotCueLetter: cue.hotCueLetter, color: cue.color, timeMs: cue.timeMs, beat };
}

/** Cue points of loose cue data on a grid, in beat order (cues before beat 1 of the counter are left out: the deck never counts them). */
export function cuePointsOf(cues: readonly LibraryCue[], grid: readonly GridBeat[]): readonly CuePoint[] {
  const out: CuePoint[] = [];
  for (const cue of cues) {
    const raw = gridPositionOfTime(grid, cue.timeMs);
    if (raw === null || !Number.isFinite(raw)) continue;
    const rounded = Math.round(raw);
    const beat = Math.abs(raw - rounded) < ON_BEAT_BEATS ? rounded : raw;
    const onBeat = Math.floor(beat);
    if (onBeat < 1) continue;
    out.push({ cue: cueInfo(cue, beat), onBeat, fraction: beat - onBeat, id: `${cue.kind}:${cue.hotCue ?? 0}:${cue.timeMs}:${cue.name}` });
  }
  return out.sort((a, b) => a.cue.beat - b.cue.beat);
}

const cache = new WeakMap<LibraryTrack, readonly CuePoint[]>();

/** The track's cue points, in beat order (cached per track). */
export function cuePoints(track: LibraryTrack): readonly CuePoint[] {
  let points = cache.get(track);
  if (points === undefined) {
    points = cuePointsOf(track.cues, track.grid);
    cache.set(track, points);
  }
  return points;
}

/** The cue points lying in beat `beat` (from the beat up to, not including, the next), in order. */
export function cuePointsInBeat(points: readonly CuePoint[], beat: number): readonly CuePoint[] {
  // Few cues per track (rekordbox allows 8 hot cues and a few memory cues): a scan is cheaper than a search.
  return points.filter((p) => p.onBeat === beat);
}
