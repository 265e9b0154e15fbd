/**
 * How fast the MIDI clock regains phase, in virtual time (clock.bench.ts part 2).
 *
 * Tempo steps: an OPUS deck steps from 125 BPM by ±8 %; its status packets
 * (simulateStatus) feed a BeatGridEstimator that the clock follows. Measured
 * at every true beat after the step: when the clock's beats are within 5 ms of
 * the true beats, and when the estimate it follows is (the floor: the clock
 * cannot be on the beat before the estimate it follows is). With `precise`,
 * the deck also sends precise positions (§5, every 30 ms: the OPUS-QUAD in
 * CDJ mode) and the clock follows DeckTiming, as the bridge does; with
 * `grid`, the bridge also has the track's beat grid (a library), so precise
 * positions place the beats at once; with `packets`, the deck is a CDJ that
 * sends a beat packet on every beat (§4) beside its status.
 *
 * The clock cannot be on the beat before the estimate it follows is, so the
 * clock's own part is how long after the estimate it regains: `clockLag`.
 *
 * Phase steps: the clock follows an exact 128 BPM grid, then a grid the same
 * tempo but some milliseconds ahead or behind (a master hand-off between
 * beat-matched decks, an estimate that moved): how long until every pulse is
 * within 1 ms of the new grid, and the shortest and longest pulse interval.
 */
import { TIMING_CLOCK } from '../../src/outputs/midi/midi-bytes';
import { MidiClock } from '../../src/outputs/midi/midi-clock';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';
import { gridPositionAt } from '../../src/timing/beat-grid';
import { BeatGridEstimator } from '../../src/timing/beat-grid-estimator';
import { DeckTiming } from '../../src/timing/deck-timing';
import { seededRandom } from '../../src/timing/sim/prng';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { byArrival, simulateBeatPackets, simulatePlayhead, simulateStatus } from '../../src/timing/sim/status-sim';
import type { GridBeat } from '../../src/library/library-track';
import { TickScheduler } from '../../src/timing/tick-scheduler';
import { VirtualTime } from '../../src/timing/virtual-time';
import { onBeat, percentile, pulsePositions } from './clock-measure';

export const STEP_FROM_BPM = 125;
/** Regained: beats within this of the true beats (ms). */
export const REGAINED_MS = 5;
const STEP_AT = 30_000;
const RUN_TO = 42_000;

/** What the bridge hears of the deck: status only (OPUS lighting mode), precise positions without or with the track's grid (OPUS CDJ mode), CDJ beat packets. */
export type StepSource = 'status' | 'precise' | 'grid' | 'packets';

const TRACK_ID = 1;
const FIRST_BEAT_MS = 40;

/** The track's own grid at STEP_FROM_BPM (the step is a pitch change), long enough for the run. */
function trackGrid(): GridBeat[] {
  const period = 60_000 / STEP_FROM_BPM;
  return Array.from({ length: 200 }, (_, i) => ({ beatInBar: (i % 4) + 1, timeMs: FIRST_BEAT_MS + i * period, bpm: STEP_FROM_BPM }));
}

export interface Settling {
  /** ms from the step until the estimator reports the new tempo. */
  readonly estimatorTempo: number;
  /** ms until the clock's tempo over one beat is within 0.5 % of the new tempo. */
  readonly clockTempo: number;
  /** ms until the clock's beats are within 5 ms of the true beats (NaN: never, within 12 s). */
  readonly clockPhase: number;
  /** ms until the estimate's beats are within 5 ms of the true beats (NaN: never). */
  readonly estimatePhase: number;
  /** Beat phase errors in the 5 s before the step, and 2–10 s after it (ms). */
  readonly before: number[];
  readonly after: number[];
  /** Pulse intervals over nominal at the true tempo, from 10 s before the step to the end: least and greatest. */
  readonly shortest: number;
  readonly longest: number;
  readonly fastCorrections: number;
}

/** Virtual time: estimator + clock on a deck stepping from 125 BPM to `toBpm` 30 s in. */
export function tempoStep(seed: number, toBpm: number, source: StepSource = 'status', overMs = 0): Settling {
  const r = seededRandom(seed);
  const deck = new SimDeck({ at: 0, position: 1 + r() * 4, bpm: STEP_FROM_BPM, playing: true, barOffset: 1 }, [{ at: STEP_AT, kind: 'tempo', bpm: toBpm, overMs }]);
  // Beyond lighting mode the status packets also carry the track's own tempo and ID (§3.1), as real ones do.
  const status = simulateStatus(deck, 0, RUN_TO, { seed }).map((o) => (source === 'status' ? o : { ...o, trackBpm: STEP_FROM_BPM, trackId: TRACK_ID }));
  const observations = source === 'packets' ? byArrival(status, simulateBeatPackets(deck, 0, RUN_TO, { seed })) : status;
  const time = new VirtualTime(0);
  const grid = trackGrid();
  const estimator = source === 'status' ? new BeatGridEstimator() : new DeckTiming({}, source === 'grid' ? (id) => (id === TRACK_ID ? grid : null) : null);
  if (source === 'precise' || source === 'grid') {
    const playhead = simulatePlayhead(deck, 0, RUN_TO, { seed, trackBpm: STEP_FROM_BPM, firstBeatMs: FIRST_BEAT_MS });
    for (const o of playhead) time.at(o.at, () => (estimator as DeckTiming).observePlayhead(o));
  }
  let estimatorTempo = NaN;
  for (const o of observations) {
    time.at(o.at, () => {
      estimator.observe(o);
      if (Number.isNaN(estimatorTempo) && o.at > STEP_AT && Math.abs((estimator.bpm ?? 0) - toBpm) < 0.01) estimatorTempo = o.at - STEP_AT;
    });
  }
  let estimatePhase = NaN;
  for (let beat = deck.nextBeatAfter(STEP_AT); beat !== null && beat.at < RUN_TO; beat = deck.nextBeatAfter(beat.at)) {
    const { at } = beat;
    time.at(at, () => {
      const g = estimator.grid(at);
      const p = g === null ? null : gridPositionAt(g, at);
      if (Number.isNaN(estimatePhase) && p !== null && Math.abs(((p - beat.beat) * 60000) / deck.bpmAt(at)) < REGAINED_MS) estimatePhase = at - STEP_AT;
    });
  }
  const port = new RecordingMidiPort('virtual', () => time.now());
  const clock = new MidiClock(port, new TickScheduler(time, time.strategy()), estimator);
  clock.start();
  time.runUntil(RUN_TO);
  const pulses = pulsePositions(port.messages).filter((p) => p.at > STEP_AT - 10_000);
  let clockTempo = NaN;
  let clockPhase = NaN;
  let shortest = Infinity;
  let longest = 0;
  const before: number[] = [];
  const after: number[] = [];
  for (let i = 1; i < pulses.length; i++) {
    const { at, position } = pulses[i]!;
    const previous = pulses[i - 1]!;
    if (Math.abs(position - previous.position - 1 / 24) < 1e-9) {
      const ratio = (at - previous.at) / (2500 / deck.bpmAt(previous.at));
      shortest = Math.min(shortest, ratio);
      longest = Math.max(longest, ratio);
    }
    if (at <= STEP_AT && at > STEP_AT - 5000 && onBeat(position)) before.push(Math.abs(((deck.positionAt(at) - position) * 60000) / deck.bpmAt(at)));
    if (at <= STEP_AT || i < 24) continue;
    const bpm = 60000 / (at - pulses[i - 24]!.at);
    if (Number.isNaN(clockTempo) && Math.abs(bpm / toBpm - 1) < 0.005) clockTempo = at - STEP_AT;
    if (!onBeat(position)) continue;
    const phase = Math.abs(((deck.positionAt(at) - position) * 60000) / deck.bpmAt(at));
    if (Number.isNaN(clockPhase) && phase < REGAINED_MS) clockPhase = at - STEP_AT;
    if (at > STEP_AT + 2000 && at < STEP_AT + 10_000) after.push(phase);
  }
  return { estimatorTempo, clockTempo, clockPhase, estimatePhase, before, after, shortest, longest, fastCorrections: clock.stats.fastCorrections };
}

export interface StepSummary {
  readonly runs: readonly Settling[];
  /** p95 of the clock's regain times over the runs that regained (ms). */
  readonly clockP95: number;
  readonly clockNever: number;
  readonly estimateP95: number;
  readonly estimateNever: number;
  /** p95 of how long after the estimate the clock regained (ms), over the runs where both did: the clock's own part. */
  readonly clockLagP95: number;
}

/** `seeds` runs of each of +8 % and −8 %: a step, or with `overMs` a ramp over that long (a pitch fader moved; measured from its start). */
export function tempoSteps(seeds = 40, source: StepSource = 'status', overMs = 0): StepSummary {
  const runs = [STEP_FROM_BPM * 1.08, STEP_FROM_BPM * 0.92].flatMap((to) => Array.from({ length: seeds }, (_, i) => tempoStep(i + 1, to, source, overMs)));
  const known = (values: number[]): number[] => values.filter((v) => !Number.isNaN(v));
  const clock = known(runs.map((r) => r.clockPhase));
  const estimate = known(runs.map((r) => r.estimatePhase));
  return {
    runs,
    clockP95: percentile(clock, 95),
    clockNever: runs.length - clock.length,
    estimateP95: percentile(estimate, 95),
    estimateNever: runs.length - estimate.length,
    clockLagP95: percentile(known(runs.map((r) => r.clockPhase - r.estimatePhase)), 95),
  };
}

export interface PhaseStep {
  readonly offsetMs: number;
  /** ms from the step until every later pulse is within 1 ms of the new grid (NaN: never, within 10 s). */
  readonly settledMs: number;
  /** Least and greatest pulse interval over nominal. */
  readonly shortest: number;
  readonly longest: number;
  readonly transport: number;
}

/** The clock follows an exact 128 BPM grid, then one `offsetMs` ahead (negative: behind). */
export function phaseStep(offsetMs: number): PhaseStep {
  const bpm = 128;
  const stepAt = 5000;
  const a = new SimDeck({ at: 0, position: 1, bpm, playing: true, barOffset: 1 });
  const b = new SimDeck({ at: 0, position: 1 + (offsetMs * bpm) / 60000, bpm, playing: true, barOffset: 1 });
  const time = new VirtualTime(0);
  const port = new RecordingMidiPort('virtual', () => time.now());
  const clock = new MidiClock(port, new TickScheduler(time, time.strategy()), a);
  clock.start();
  time.runUntil(stepAt);
  const before = port.messages.length;
  clock.follow(b);
  time.runUntil(stepAt + 10_000);
  const pulses = pulsePositions(port.messages);
  const nominal = 2500 / bpm;
  let shortest = Infinity;
  let longest = 0;
  let settledMs = 0;
  let off = false;
  for (let i = pulses.length - 1; i > 0; i--) {
    const p = pulses[i]!;
    if (p.at < stepAt) break;
    const gap = (p.at - pulses[i - 1]!.at) / nominal;
    shortest = Math.min(shortest, gap);
    longest = Math.max(longest, gap);
    const errorMs = Math.abs(((b.positionAt(p.at) - p.position) * 60000) / bpm);
    if (errorMs >= 1 && !off) {
      off = true;
      settledMs = (pulses[i + 1]?.at ?? NaN) - stepAt;
    }
  }
  const transport = port.messages.slice(before).filter((m) => m.bytes[0] !== TIMING_CLOCK).length;
  return { offsetMs, settledMs, shortest, longest, transport };
}
