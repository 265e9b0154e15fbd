import { MidiClock, type MidiClockOptions } from '../../../src/outputs/midi/midi-clock';
import { TIMING_CLOCK } from '../../../src/outputs/midi/midi-bytes';
import { heldBack, slewInterval, STEADY, type SlewLimits, type SlewState } from '../../../src/outputs/midi/midi-clock-slew';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { BeatGridEstimator } from '../../../src/timing/beat-grid-estimator';
import type { BeatGridSource } from '../../../src/timing/beat-grid';
import { seededRandom } from '../../../src/timing/sim/prng';
import { SimDeck, type DeckEvent, type DeckStart } from '../../../src/timing/sim/sim-deck';
import { simulateStatus } from '../../../src/timing/sim/status-sim';
import { TickScheduler } from '../../../src/timing/tick-scheduler';
import { VirtualTime } from '../../../src/timing/virtual-time';

const LIMITS: SlewLimits = { maxNudge: 0.02, fastNudge: 0.1, fastAboveBeats: 1 / 8, fastPulses: 6 };
const NOMINAL = 2500 / 128;
const PULSE_BEATS = 1 / 24;

/** Feeds the controller a constant phase error of `errorPulses` and follows it pulse by pulse as the clock would. */
function correct(errorPulses: number, state: SlewState = STEADY, pulses = 200): { intervals: number[]; left: number[]; state: SlewState } {
  let error = errorPulses * NOMINAL; // ms the clock is behind
  const intervals: number[] = [];
  const left: number[] = [];
  for (let k = 0; k < pulses; k++) {
    const next = slewInterval(NOMINAL - error, NOMINAL, (error / NOMINAL) * PULSE_BEATS, state, LIMITS);
    state = next.state;
    intervals.push(next.interval);
    error -= NOMINAL - next.interval;
    left.push(error);
  }
  return { intervals, left, state };
}

describe('slewInterval (the clock phase controller)', () => {
  it('corrects a small error at once when it fits within 2 %, and by 2 % per pulse when it does not', () => {
    const once = slewInterval(NOMINAL - 0.2, NOMINAL, (0.2 / NOMINAL) * PULSE_BEATS, STEADY, LIMITS);
    expect(once.interval).toBeCloseTo(NOMINAL - 0.2, 12);
    expect(once.state.fast).toBe(false);
    const { intervals, left } = correct(1); // 1/24 beat behind: below the fast threshold
    expect(Math.min(...intervals)).toBeCloseTo(NOMINAL * 0.98, 12);
    const pulsesToZero = left.findIndex((e) => Math.abs(e) < 1e-9) + 1;
    expect(pulsesToZero).toBe(Math.ceil(1 / 0.02)); // 50 pulses of 2 %
  });

  it('corrects a large error of the source at up to 10 %, easing back to nominal with no step after the first', () => {
    const { intervals, left } = correct(4.8); // 0.2 beat behind
    expect(intervals[0]).toBeCloseTo(NOMINAL * 0.9, 9);
    for (const i of intervals) expect(i).toBeGreaterThanOrEqual(NOMINAL * 0.9 - 1e-9);
    // After the first change the interval only ever moves back towards nominal, by at most 2 % per pulse.
    for (let k = 1; k < intervals.length; k++) {
      expect(intervals[k]!).toBeGreaterThanOrEqual(intervals[k - 1]! - 1e-9);
      expect(intervals[k]! - intervals[k - 1]!).toBeLessThanOrEqual(NOMINAL * 0.02 + 1e-9);
    }
    const done = left.findIndex((e) => Math.abs(e) < 1e-6);
    expect(done).toBeGreaterThan(0);
    expect(done).toBeLessThan(24 * 3); // within three beats; 2 % alone takes 240 pulses
    expect(intervals.slice(done + 1).every((i) => Math.abs(i - NOMINAL) < 1e-9)).toBe(true);
  });

  it('stretches intervals the same way when the clock is ahead', () => {
    const { intervals, left } = correct(-4.8);
    expect(intervals[0]).toBeCloseTo(NOMINAL * 1.1, 9);
    for (const i of intervals) expect(i).toBeLessThanOrEqual(NOMINAL * 1.1 + 1e-9);
    expect(left.findIndex((e) => Math.abs(e) < 1e-6)).toBeLessThan(24 * 3);
  });

  it('nudges a lag the clock caused itself (a held-back pulse) within 2 %', () => {
    const lagged = heldBack(STEADY, 4.8 * NOMINAL, 128);
    expect(lagged.ownLagBeats).toBeCloseTo(0.2, 9);
    const { intervals } = correct(4.8, lagged);
    expect(Math.min(...intervals)).toBeCloseTo(NOMINAL * 0.98, 9);
    // The source moving further on top of it is its own error: fast again.
    const more = slewInterval(NOMINAL - 9.6 * NOMINAL, NOMINAL, 0.4, lagged, LIMITS);
    expect(more.startedFast).toBe(true);
  });
});

function rig(source: BeatGridSource, options: Partial<MidiClockOptions> = {}) {
  const time = new VirtualTime(0);
  const port = new RecordingMidiPort('clock', () => time.now());
  const clock = new MidiClock(port, new TickScheduler(time, time.strategy()), source, options);
  return { time, port, clock };
}

const pulseTimes = (port: RecordingMidiPort, from = -Infinity): number[] => port.messages.filter((m) => m.bytes[0] === TIMING_CLOCK && m.at >= from).map((m) => m.at);
const gaps = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);
/** Distance (ms) of a pulse from the nearest 1/24 beat of the deck's grid. */
const offGrid = (d: SimDeck, t: number): number => {
  const pulses = d.positionAt(t) * 24;
  return (Math.abs(pulses - Math.round(pulses)) * 60000) / (24 * d.bpmAt(t));
};

function deck(start: Partial<DeckStart>, events: DeckEvent[] = []): SimDeck {
  return new SimDeck({ at: 0, position: 1, bpm: 128, playing: true, barOffset: 1, ...start }, events);
}

describe('MidiClock correcting large phase errors', () => {
  it('follows a hand-off to a deck 80 ms away in under three beats, at most 10 % off nominal, without repositioning', () => {
    const a = deck({ position: 1 });
    const offset = (80 * 128) / 60000; // beats
    const b = deck({ position: 1 + offset });
    const { time, port, clock } = rig(a);
    clock.start();
    time.runUntil(5000);
    clock.follow(b);
    time.runUntil(12_000);
    const all = pulseTimes(port);
    const first = a.positionAt(all[0]!);
    // What each pulse stands for is unchanged by the hand-off (no SPP): its error is b's position against it.
    const errorsMs = all.map((t, k) => ((b.positionAt(t) - (first + k / 24)) * 60000) / 128).filter((_, k) => all[k]! >= 5000);
    const after = pulseTimes(port, 5000);
    for (const g of gaps(after)) {
      expect(g).toBeGreaterThanOrEqual(NOMINAL * 0.9 - 1e-9);
      expect(g).toBeLessThanOrEqual(NOMINAL * 1.1 + 1e-9);
    }
    expect(errorsMs[0]).toBeGreaterThan(70);
    const back = errorsMs.findIndex((e, k) => errorsMs.slice(k).every((f) => Math.abs(f) < 0.01));
    expect(back).toBeGreaterThan(0);
    expect(after[back]! - 5000).toBeLessThan((3 * 60000) / 128);
    // The error only shrinks: no overshoot.
    for (let k = 1; k < errorsMs.length; k++) {
      expect(errorsMs[k]!).toBeLessThanOrEqual(errorsMs[k - 1]! + 1e-9);
      expect(errorsMs[k]!).toBeGreaterThan(-1e-6);
    }
    expect(clock.stats).toMatchObject({ repositions: 0, fastCorrections: 1 });
    expect(offGrid(b, after.at(-1)!)).toBeLessThan(1e-6);
  });

  it('nudges a 100 ms stall of its own thread away within 2 % (no fast correction)', () => {
    const d = deck({ position: 1 });
    const { time, port, clock } = rig(d);
    clock.start();
    time.at(5000, () => time.busy(100));
    time.runUntil(20_000);
    const after = gaps(pulseTimes(port, 5000));
    expect(after.filter((g) => g < NOMINAL * 0.98 - 1e-9)).toHaveLength(1); // the half interval after the stall
    expect(clock.stats.fastCorrections).toBe(0);
    expect(offGrid(d, pulseTimes(port).at(-1)!)).toBeLessThan(1e-6);
  });

  it('free-running (no grid), resumes its interval after a stall instead of catching up in half intervals', () => {
    const noPosition: BeatGridSource = { grid: (at) => ({ at, playing: true, position: null, bpm: 128, barOffset: null, uncertaintyMs: null }) };
    const { time, port, clock } = rig(noPosition);
    clock.start();
    time.at(5000, () => time.busy(100));
    time.runUntil(8000);
    const after = gaps(pulseTimes(port, 4000));
    expect(after.filter((g) => g < NOMINAL * 0.98 - 1e-9)).toHaveLength(1);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(NOMINAL * 0.5 - 1e-9);
    expect(after.filter((g) => Math.abs(g - NOMINAL) > 1e-9).length).toBeLessThanOrEqual(2); // the stall and the half interval after it
    expect(clock.stats.starts).toBe(1);
  });

  it('makes no fast correction and keeps every interval within 2 % on the estimate in steady play and through ±8 % steps', () => {
    for (let seed = 1; seed <= 10; seed++) {
      for (const to of [null, 135, 115]) {
        const events: DeckEvent[] = to === null ? [] : [{ at: 20_000, kind: 'tempo', bpm: to }];
        const d = new SimDeck({ at: 0, position: 1 + seededRandom(seed)() * 4, bpm: 125, playing: true, barOffset: 1 }, events);
        const time = new VirtualTime(0);
        const estimator = new BeatGridEstimator();
        for (const o of simulateStatus(d, 0, 30_000, { seed })) time.at(o.at, () => estimator.observe(o));
        const port = new RecordingMidiPort('clock', () => time.now());
        const clock = new MidiClock(port, new TickScheduler(time, time.strategy()), estimator);
        clock.start();
        time.runUntil(30_000);
        expect(clock.stats).toMatchObject({ fastCorrections: 0, repositions: 0 });
        // Steady: within 2 % of nominal. Through a step: within 2 % of the old or new nominal (the estimate learns the step late).
        const steady = gaps(pulseTimes(port, 10_000));
        const nominals = to === null ? [2500 / 125] : [2500 / 125, 2500 / to];
        for (const g of steady) {
          expect(g).toBeGreaterThanOrEqual(Math.min(...nominals) * 0.98 - 1e-9);
          expect(g).toBeLessThanOrEqual(Math.max(...nominals) * 1.02 + 1e-9);
        }
      }
    }
  });
});
