/**
 * Questions asked of a beat grid: when is beat n, which beat is playing at a
 * time, which beat is nearest a cue, where does the tempo change. Beats are
 * numbered from 1 as players and phrase analyses count them. Pure; times are
 * found by binary search (O(log n)), since grid times never go backwards.
 */
import type { GridBeat } from '../library-track';

const MS_PER_MINUTE = 60_000;

/** Time of beat `beat` (1-based), or null when the grid has no such beat. */
export function timeOfBeat(grid: readonly GridBeat[], beat: number): number | null {
  if (!Number.isInteger(beat)) return null;
  return grid[beat - 1]?.timeMs ?? null;
}

/** Index of the last beat at or before `timeMs`, -1 when every beat is later. */
export function lastBeatIndexAtOrBefore(grid: readonly GridBeat[], timeMs: number): number {
  let low = 0;
  let high = grid.length; // first index whose time is after timeMs lies in [low, high]
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((grid[mid] as GridBeat).timeMs <= timeMs) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}

export interface BeatAtTime {
  /** 1-based number of the beat playing at the time. */
  readonly beat: number;
  readonly beatInBar: number;
  readonly bpm: number;
  /** How far the time lies between this beat and the next, 0 ≤ fraction < 1. */
  readonly fraction: number;
}

/**
 * The beat playing at `timeMs`: the last beat at or before it. The last beat
 * of the grid lasts one beat at its tempo. Null before the first beat, after
 * the last one has ended, and for an empty grid.
 */
export function beatAtTime(grid: readonly GridBeat[], timeMs: number): BeatAtTime | null {
  const index = lastBeatIndexAtOrBefore(grid, timeMs);
  const current = grid[index];
  if (current === undefined) return null;
  const next = grid[index + 1];
  const length = next !== undefined ? next.timeMs - current.timeMs : beatLengthMs(current.bpm);
  const fraction = length > 0 ? (timeMs - current.timeMs) / length : 0;
  const ended = length > 0 ? fraction >= 1 : timeMs > current.timeMs;
  if (next === undefined && ended) return null;
  return { beat: index + 1, beatInBar: current.beatInBar, bpm: current.bpm, fraction };
}

export interface NearestBeat {
  /** 1-based number of the beat closest in time. */
  readonly beat: number;
  readonly beatInBar: number;
  /** timeMs minus the beat's time: negative when the time is before the beat. */
  readonly offsetMs: number;
}

/** The beat closest to `timeMs` (the earlier one on a tie); null for an empty grid. */
export function nearestBeat(grid: readonly GridBeat[], timeMs: number): NearestBeat | null {
  const index = lastBeatIndexAtOrBefore(grid, timeMs);
  const before = grid[index];
  const after = grid[index + 1];
  let chosen = index;
  if (before === undefined) chosen = index + 1;
  else if (after !== undefined && after.timeMs - timeMs < timeMs - before.timeMs) chosen = index + 1;
  const beat = grid[chosen];
  if (beat === undefined) return null;
  return { beat: chosen + 1, beatInBar: beat.beatInBar, offsetMs: timeMs - beat.timeMs };
}

export interface TempoChange {
  /** 1-based number of the first beat at the new tempo. */
  readonly beat: number;
  readonly timeMs: number;
  readonly bpm: number;
}

/** The first beat and every beat whose tempo differs from the beat before it. */
export function tempoChanges(grid: readonly GridBeat[]): TempoChange[] {
  const changes: TempoChange[] = [];
  grid.forEach((b, i) => {
    if (i === 0 || (grid[i - 1] as GridBeat).bpm !== b.bpm) changes.push({ beat: i + 1, timeMs: b.timeMs, bpm: b.bpm });
  });
  return changes;
}

/** Length of one beat at `bpm`, in ms; 0 for a tempo of 0. */
export function beatLengthMs(bpm: number): number {
  return bpm > 0 ? MS_PER_MINUTE / bpm : 0;
}
