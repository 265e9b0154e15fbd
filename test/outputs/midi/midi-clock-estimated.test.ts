import { MidiClock } from '../../../src/outputs/midi/midi-clock';
import { CONTINUE, SONG_POSITION, STOP, TIMING_CLOCK } from '../../../src/outputs/midi/midi-bytes';
import { RecordedMessage, RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { BeatGridEstimator, BeatObservation } from '../../../src/timing/beat-grid-estimator';
import { seededRandom } from '../../../src/timing/sim/prng';
import { DeckEvent, DeckStart, SimDeck } from '../../../src/timing/sim/sim-deck';
import { byArrival, simulateBeatPackets, simulateStatus } from '../../../src/timing/sim/status-sim';
import { TickScheduler } from '../../../src/timing/tick-scheduler';
import { VirtualTime } from '../../../src/timing/virtual-time';

interface Pulse {
  readonly at: number;
  /** The deck position the pulse stands for, from the receiver's point of view (SPP + pulses since Continue). */
  readonly position: number;
}

/** What a receiver would make of the stream: every pulse's song position (grids with beat 1 on a downbeat). */
function receiverView(messages: readonly RecordedMessage[]): Pulse[] {
  const out: Pulse[] = [];
  let base = 0;
  let k = 0;
  let running = false;
  for (const m of messages) {
    if (m.bytes[0] === SONG_POSITION) base = m.bytes[1]! | (m.bytes[2]! << 7);
    else if (m.bytes[0] === CONTINUE) (running = true), (k = 0);
    else if (m.bytes[0] === STOP) running = false;
    else if (m.bytes[0] === TIMING_CLOCK && running) out.push({ at: m.at, position: 1 + base / 4 + k++ / 24 });
  }
  return out;
}

function run(deck: SimDeck, observations: readonly BeatObservation[], until: number) {
  const time = new VirtualTime(0);
  const estimator = new BeatGridEstimator();
  for (const o of observations) time.at(o.at, () => estimator.observe(o));
  const port = new RecordingMidiPort('clock', () => time.now());
  const clock = new MidiClock(port, new TickScheduler(time, time.strategy()), estimator);
  clock.start();
  time.runUntil(until);
  const pulses = receiverView(port.messages);
  const errorMs = (p: Pulse): number => ((deck.positionAt(p.at) - p.position) * 60000) / deck.bpmAt(p.at);
  return { port, clock, pulses, errorMs };
}

function deckFor(seed: number, bpm: number, events: (d: SimDeck) => DeckEvent[] = () => []): SimDeck {
  const r = seededRandom(seed * 7919);
  const start: DeckStart = { at: 0, position: 1 + r() * 8, bpm, playing: true, barOffset: 1 };
  return new SimDeck(start, events(new SimDeck(start)));
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
};

describe('MidiClock following the estimator on simulated OPUS status', () => {
  it('lands beats within 10 ms (p95) of the true grid after 8 bars, with every interval within ±2 %', () => {
    const errors: number[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const bpm = 90 + seededRandom(seed)() * 80;
      const period = 60000 / bpm;
      const deck = deckFor(seed, bpm);
      const { pulses, errorMs } = run(deck, simulateStatus(deck, 0, 48 * period, { seed }), 48 * period);
      const onBeats = pulses.filter((p) => p.at > 32 * period && Number.isInteger(Math.round(p.position * 24) / 24) && Math.abs(p.position - Math.round(p.position)) < 1e-9);
      expect(onBeats.length).toBeGreaterThan(10);
      errors.push(...onBeats.map((p) => Math.abs(errorMs(p))));
      const nominal = 2500 / bpm;
      for (let i = 1; i < pulses.length; i++) {
        if (pulses[i]!.position - pulses[i - 1]!.position !== 1 / 24) continue; // a reposition
        const gap = pulses[i]!.at - pulses[i - 1]!.at;
        expect(Math.abs(gap / nominal - 1)).toBeLessThanOrEqual(0.02 + 1e-9);
      }
    }
    console.log(`clock on estimated beats after 8 bars: p50 ${percentile(errors, 50).toFixed(2)} ms, p95 ${percentile(errors, 95).toFixed(2)} ms`);
    expect(percentile(errors, 95)).toBeLessThan(10);
  });

  it('follows a +16 % step of an estimated deck with no two pulses closer than 98 % of the new interval, no gap over 102 % of the old', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const deck = deckFor(seed, 120, () => [{ at: 20_000, kind: 'tempo', bpm: 139.2 }]);
      const { pulses, clock } = run(deck, simulateStatus(deck, 0, 30_000, { seed }), 30_000);
      const gaps = pulses.slice(1).map((p, i) => p.at - pulses[i]!.at).filter((_, i) => pulses[i + 1]!.at > 15_000);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual((2500 / 139.2) * 0.98 - 1e-9);
      expect(Math.max(...gaps)).toBeLessThanOrEqual((2500 / 120) * 1.02 + 1e-9);
      expect(clock.stats.repositions).toBe(0);
    }
  });

  it('with CDJ beat packets, is back on the beat grid within one beat of seeing a jump, or nudging a small rest away', () => {
    const nominal = 2500 / 128;
    for (let seed = 1; seed <= 10; seed++) {
      const deck = deckFor(seed, 128, (d) => [{ at: 10_000, kind: 'jump', position: Math.floor(d.positionAt(10_000)) + 20.4 }]);
      const observations = byArrival(simulateStatus(deck, 0, 16_000, { seed }), simulateBeatPackets(deck, 0, 16_000, { seed }));
      const { pulses, errorMs } = run(deck, observations, 16_000);
      // Whole-bar jumps keep the receiver's bar count (by design), so compare the phase within the bar.
      const barPhaseError = (p: Pulse): number => {
        const beats = (errorMs(p) * 128) / 60000;
        return ((((beats + 2) % 4) + 4) % 4 - 2) * (60000 / 128);
      };
      const firstPacket = observations.find((o) => o.at > 10_000 && o.source === 'packet')!.at;
      const oneBeatLater = pulses.filter((p) => p.at > firstPacket + 60000 / 128);
      const left = Math.abs(barPhaseError(oneBeatLater[0]!));
      // Re-anchored (error ~0), or below the ¼-beat jump threshold and shrinking by up to 2 % of a pulse per pulse.
      expect(left).toBeLessThan(60000 / 128 / 4);
      oneBeatLater.forEach((p, k) => expect(Math.abs(barPhaseError(p))).toBeLessThan(Math.max(3, left - k * nominal * 0.02 + 3)));
    }
  });

  it('stops after the estimator reports a pause and restarts bar-aligned on play', () => {
    const deck = deckFor(3, 128, () => [{ at: 12_000, kind: 'pause' }, { at: 15_000, kind: 'play' }]);
    const { port, pulses, errorMs } = run(deck, simulateStatus(deck, 0, 30_000, { seed: 3 }), 30_000);
    const stop = port.messages.find((m) => m.bytes[0] === STOP && m.at > 12_000)!;
    expect(stop.at - 12_000).toBeLessThan(260); // one status interval (+ jitter and latency) and one pulse
    const restart = port.messages.filter((m) => m.bytes[0] === SONG_POSITION && m.at > stop.at)[0]!;
    expect((restart.bytes[1]! | (restart.bytes[2]! << 7)) % 16).toBe(0);
    const late = pulses.filter((p) => p.at > 24_000 && Math.abs(p.position - Math.round(p.position)) < 1e-9);
    expect(Math.max(...late.map((p) => Math.abs(errorMs(p))))).toBeLessThan(20);
  });
});
