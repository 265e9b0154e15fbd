/**
 * Where the next predictable event of a look-ahead rule lies: the next beat,
 * downbeat or bar on a deck's grid, the next phrase start, end or fill-in
 * in its track's song structure, or the next cue of its track (whose place
 * on the grid the library knows). Pure: the grid and the structure come in,
 * the instant and the event to fire come out.
 *
 * An "instance" names one occurrence: the beat counter value it happens at
 * (a beat number, or the beat a phrase boundary lies on) and its predicted
 * time. The same beat number seen again much later is a new instance (a loop
 * or a jump back), so both are compared. Cues carry an id as well: a memory
 * cue and a hot cue often sit on the same beat, and each is its own event.
 */
import { beatInBar, beatPeriodMs, gridPositionAt, gridTimeOf, isUsableBpm, type BeatGrid } from '../timing/beat-grid';
import { phraseAtBeat } from '../prolink/phrases/phrase-at-beat';
import type { SongStructure } from '../prolink/phrases/song-structure';
import { phraseInfo } from '../streams/phrase-tracker';
import { UNSURE_BEAT_MS } from '../streams/estimated-beats';
import type { PhraseInfo } from '../events/deck-state';
import type { BeatEvent, CueEvent, PhraseEvent } from '../events/bridge-event';
import type { CuePoint } from '../library/cue-points';

export type PredictableEvent = 'beat' | 'downbeat' | 'bar' | 'phrase.start' | 'phrase.end' | 'phrase.fill' | 'cue';

/** What the look-ahead can fire ahead of its instant. */
export type PredictedEvent = BeatEvent | PhraseEvent | CueEvent;

export interface Instance {
  /** The beat counter value the event happens at; null when not numbered. */
  readonly key: number | null;
  /** When it happens (ms). */
  readonly at: number;
  /** Which cue (cues only): two cues on one beat are two instances. */
  readonly id?: string;
}

export interface LookAheadTarget {
  readonly instance: Instance;
  /** The predicted instant minus the lead. */
  readonly fireAt: number;
  /** The event to fire; its `at` is the predicted instant. */
  readonly event: PredictedEvent;
}

export interface PredictInput {
  readonly on: PredictableEvent;
  readonly leadMs: number;
  readonly deck: number;
  readonly now: number;
  readonly grid: BeatGrid | null;
  /** The song structure of the track on the deck (phrase events only). */
  readonly structure: SongStructure | null;
  /** The instance last fired for this rule and deck, which must not fire again. */
  readonly fired: Instance | null;
  /** The cue points of the track on the deck that the rule can fire on (cue only). */
  readonly cues?: readonly CuePoint[] | null;
  /** Every instance recently fired for this rule and deck (cue only: several cues can share a beat). */
  readonly recent?: readonly Instance[];
}

/** Beat positions this close below an integer count as that beat (floating-point slack). */
const POSITION_EPSILON = 1e-6;
/** Tolerance for unnumbered instances when the tempo is unknown (ms). */
const DEFAULT_TOLERANCE_MS = 250;

/**
 * Whether two sightings are the same occurrence: the same beat number (or
 * either unnumbered) and close in time. Numbered instances may be up to a
 * beat apart (a prediction against a late packet); unnumbered ones half a beat.
 */
export function sameInstance(a: Instance, b: Instance, bpm: number | null): boolean {
  const period = isUsableBpm(bpm) ? beatPeriodMs(bpm) : DEFAULT_TOLERANCE_MS * 2;
  if ((a.id ?? null) !== (b.id ?? null)) return false;
  const numbered = a.key !== null && b.key !== null;
  if (numbered && a.key !== b.key) return false;
  return Math.abs(a.at - b.at) < (numbered ? period : period / 2);
}

interface Boundary {
  readonly beat: number;
  readonly type: PhraseEvent['type'];
  readonly phrase: PhraseInfo;
}

const boundaryCache = new WeakMap<SongStructure, readonly Boundary[]>();

/** Every phrase start, end and fill-in of a structure, by beat (the beats the phrase tracker emits them on). */
export function phraseBoundaries(structure: SongStructure): readonly Boundary[] {
  const cached = boundaryCache.get(structure);
  if (cached !== undefined) return cached;
  const starts = [...new Set(structure.phrases.map((p) => p.beat))].filter((b) => b > 0).sort((a, b) => a - b);
  const out: Boundary[] = [];
  for (const start of starts) {
    const position = phraseAtBeat(structure, start);
    if (position.where !== 'in-phrase' || position.startBeat !== start || position.endBeat <= start) continue;
    const phrase = phraseInfo(structure, position);
    out.push({ beat: start, type: 'phrase.start', phrase });
    const fill = phrase.fillBeat;
    if (fill !== null && fill < position.endBeat) out.push({ beat: Math.max(fill, start), type: 'phrase.fill', phrase });
    out.push({ beat: position.endBeat, type: 'phrase.end', phrase });
  }
  out.sort((a, b) => a.beat - b.beat);
  boundaryCache.set(structure, out);
  return out;
}

interface Moving {
  readonly grid: BeatGrid;
  readonly bpm: number;
  /** Beat position at now + lead: the earliest an event can still be fired in time. */
  readonly horizon: number;
  /** The grid's phase is known only to within more than UNSURE_BEAT_MS: a firing on it may come late, and says so as the event would. */
  readonly unsure: boolean;
  readonly coasting: boolean;
}

function moving(input: PredictInput): Moving | null {
  const { grid } = input;
  if (grid === null || !grid.playing || grid.position === null || !isUsableBpm(grid.bpm)) return null;
  const horizon = gridPositionAt(grid, input.now + input.leadMs);
  const unsure = grid.uncertaintyMs === null || grid.uncertaintyMs > UNSURE_BEAT_MS;
  return horizon === null ? null : { grid, bpm: grid.bpm, horizon, unsure, coasting: grid.coasting === true };
}

function target(input: PredictInput, m: Moving, key: number, event: (at: number) => PredictedEvent, id?: string): LookAheadTarget | 'fired' | null {
  const at = gridTimeOf(m.grid, key);
  if (at === null) return null;
  const instance: Instance = id === undefined ? { key, at } : { key, at, id };
  if (input.fired !== null && sameInstance(input.fired, instance, m.bpm)) return 'fired';
  if (input.recent?.some((f) => sameInstance(f, instance, m.bpm)) === true) return 'fired';
  return { instance, fireAt: at - input.leadMs, event: event(at) };
}

function nextBeat(input: PredictInput, m: Moving): LookAheadTarget | null {
  const bars = input.on !== 'beat';
  const barOffset = m.grid.barOffset;
  if (bars && barOffset === null) return null;
  let n = Math.max(1, Math.ceil(m.horizon - POSITION_EPSILON));
  if (bars) while (beatInBar(n, barOffset) !== 1) n++;
  const step = bars ? 4 : 1;
  // The first candidate may be the one already fired; the next one cannot be.
  for (let tries = 0; tries < 2; tries++, n += step) {
    const beat = n;
    const found = target(input, m, beat, (at) => ({
      type: 'beat',
      at,
      deck: input.deck,
      beat,
      beatInBar: beatInBar(beat, barOffset),
      effectiveBpm: m.bpm,
      estimated: true,
      late: m.unsure,
      coasting: m.coasting,
    }));
    if (found !== 'fired') return found;
  }
  return null;
}

function nextPhraseBoundary(input: PredictInput, m: Moving): LookAheadTarget | null {
  if (input.structure === null) return null;
  const from = Math.ceil(m.horizon - POSITION_EPSILON);
  for (const b of phraseBoundaries(input.structure)) {
    if (b.type !== input.on || b.beat < from) continue;
    const found = target(input, m, b.beat, (at) => ({ type: b.type, at, deck: input.deck, phrase: b.phrase, estimated: true, late: m.unsure, confirmed: false, coasting: m.coasting }));
    if (found !== 'fired') return found;
  }
  return null;
}

/** The next cue at or after the horizon; cues on one beat in their order, one instance each. */
function nextCue(input: PredictInput, m: Moving): LookAheadTarget | null {
  for (const point of input.cues ?? []) {
    if (point.cue.beat < m.horizon - POSITION_EPSILON) continue;
    const found = target(
      input,
      m,
      point.cue.beat,
      (at): CueEvent => ({ type: 'cue', at, deck: input.deck, cue: point.cue, estimated: true, late: m.unsure, confirmed: false, coasting: m.coasting }),
      point.id,
    );
    if (found !== 'fired') return found;
  }
  return null;
}

/** The next instance of `on` that can still fire `leadMs` ahead; null when nothing is predictable (paused, unknown tempo or phase). */
export function nextTarget(input: PredictInput): LookAheadTarget | null {
  const m = moving(input);
  if (m === null) return null;
  if (input.on === 'cue') return nextCue(input, m);
  return input.on === 'beat' || input.on === 'downbeat' || input.on === 'bar' ? nextBeat(input, m) : nextPhraseBoundary(input, m);
}
