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

/**
 * The fractional beat position at `timeMs` (beat n at position n, half-way
 * to beat n + 1 at n + 0.5), interpolated between the grid's beats, so tempo
 * changes are followed. Before the first beat and after the last one the
 * position goes on at that beat's tempo. Null for an empty grid.
 */
export function positionAtTime(grid: readonly GridBeat[], timeMs: number): number | null {
  const first = grid[0];
  if (first === undefined) return null;
  const index = lastBeatIndexAtOrBefore(grid, timeMs);
  if (index < 0) return 1 - (first.timeMs - timeMs) / beatOrMinute(first.bpm);
  const current = grid[index] as GridBeat;
  const next = grid[index + 1];
  const length = next !== undefined && next.timeMs > current.timeMs ? next.timeMs - current.timeMs : beatOrMinute(current.bpm);
  return index + 1 + (timeMs - current.timeMs) / length;
}

/** The time (ms into the track) of a fractional beat position: the inverse of positionAtTime. Null for an empty grid. */
export function timeAtPosition(grid: readonly GridBeat[], position: number): number | null {
  const first = grid[0];
  const last = grid[grid.length - 1];
  if (first === undefined || last === undefined) return null;
  if (position < 1) return first.timeMs - (1 - position) * beatOrMinute(first.bpm);
  const index = Math.floor(position) - 1;
  const current = grid[index];
  if (current === undefined) return last.timeMs + (position - grid.length) * beatOrMinute(last.bpm);
  const next = grid[index + 1];
  const length = next !== undefined && next.timeMs > current.timeMs ? next.timeMs - current.timeMs : beatOrMinute(current.bpm);
  return current.timeMs + (position - (index + 1)) * length;
}

/** A beat's length at `bpm`; a grid beat without a tempo is counted as a minute long rather than dividing by zero. */
function beatOrMinute(bpm: number): number {
  return bpm > 0 ? MS_PER_MINUTE / bpm : MS_PER_MINUTE;
}

/** The tempo at `timeMs`: that of the beat playing then (the first beat's before it); null for an empty grid. */
export function tempoAtTime(grid: readonly GridBeat[], timeMs: number): number | null {
  return (grid[Math.max(0, lastBeatIndexAtOrBefore(grid, timeMs))] as GridBeat | undefined)?.bpm ?? null;
}

/** Beat-in-bar (1–4) of beat `beat` (1-based); beyond the grid's ends it counts on in bars of four. Null for an empty grid. */
export function beatInBarOfBeat(grid: readonly GridBeat[], beat: number): number | null {
  if (!Number.isInteger(beat)) return null;
  const inside = grid[beat - 1];
  if (inside !== undefined) return inside.beatInBar;
  const edge = beat < 1 ? grid[0] : grid[grid.length - 1];
  if (edge === undefined) return null;
  const edgeBeat = beat < 1 ? 1 : grid.length;
  return ((((edge.beatInBar - 1 + beat - edgeBeat) % 4) + 4) % 4) + 1;
}
