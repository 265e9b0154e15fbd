/**
 * What the bridge would receive from a simulated deck: OPUS-style status
 * packets (one about every 200 ms, unaligned to the beat, §3 / §10) and, for
 * CDJ-style decks, beat packets (§4). Every timing choice is drawn from a
 * seeded generator, so a run is reproducible from its seed.
 */
import { beatInBar } from '../beat-grid';
import type { BeatObservation } from '../beat-grid-estimator';
import { Random, seededRandom, uniform } from './prng';
import { SimDeck } from './sim-deck';

export interface LinkTiming {
  readonly seed: number;
  /** Constant part of the generation-to-arrival delay (ms). */
  readonly latencyMs: number;
  /** Uniform extra delay in [0, latencyJitterMs) (ms). */
  readonly latencyJitterMs: number;
  /** Share of packets delayed further (a busy receiver), by up to `outlierMs`. */
  readonly outlierRate: number;
  readonly outlierMs: number;
}

export interface StatusTiming extends LinkTiming {
  /** Mean status interval (ms). */
  readonly intervalMs: number;
  /** Each interval is intervalMs ± intervalJitterMs, uniform. */
  readonly intervalJitterMs: number;
  /** Decimal places of the reported tempo (status BPM is × 100, §3.4). */
  readonly bpmDecimals: number;
}

export const DEFAULT_STATUS_TIMING: StatusTiming = {
  seed: 1,
  latencyMs: 0.3,
  latencyJitterMs: 1.5,
  outlierRate: 0.02,
  outlierMs: 40,
  intervalMs: 200,
  intervalJitterMs: 15,
  bpmDecimals: 2,
};

/** A simulated status packet: when the deck generated it, and what the bridge observes. */
export interface StatusSample {
  readonly generatedAt: number;
  readonly observation: BeatObservation;
}

/** Status packets generated in [from, to), the first at a random phase of the interval. */
export function simulateStatusSamples(deck: SimDeck, from: number, to: number, timing: Partial<StatusTiming> = {}): StatusSample[] {
  const t: StatusTiming = { ...DEFAULT_STATUS_TIMING, ...timing };
  const random = seededRandom(t.seed);
  const scale = 10 ** t.bpmDecimals;
  const out: StatusSample[] = [];
  for (let g = from + random() * t.intervalMs; g < to; g += t.intervalMs + uniform(random, -1, 1) * t.intervalJitterMs) {
    const position = deck.positionAt(g);
    const beat = position >= 1 ? Math.floor(position) : 0;
    out.push({
      generatedAt: g,
      observation: {
        at: g + delay(random, t),
        beat,
        beatInBar: beat >= 1 ? beatInBar(beat, deck.barOffset) : 0,
        effectiveBpm: Math.round(deck.bpmAt(g) * scale) / scale,
        playing: deck.playingAt(g),
        source: 'status',
      },
    });
  }
  return out;
}

/** Status observations generated in [from, to) (simulateStatusSamples, as the bridge sees them). */
export function simulateStatus(deck: SimDeck, from: number, to: number, timing: Partial<StatusTiming> = {}): BeatObservation[] {
  return simulateStatusSamples(deck, from, to, timing).map((s) => s.observation);
}

/** Beat packets (arrival = beat) for every beat the deck plays in [from, to); they carry no counter. */
export function simulateBeatPackets(deck: SimDeck, from: number, to: number, timing: Partial<LinkTiming> = {}): BeatObservation[] {
  const t: LinkTiming = { ...DEFAULT_STATUS_TIMING, ...timing };
  const random = seededRandom(t.seed ^ 0x5bd1e995);
  const out: BeatObservation[] = [];
  for (let next = deck.nextBeatAfter(from); next !== null && next.at < to; next = deck.nextBeatAfter(next.at)) {
    out.push({
      at: next.at + delay(random, t),
      beat: null,
      beatInBar: beatInBar(next.beat, deck.barOffset),
      effectiveBpm: deck.bpmAt(next.at),
      playing: true,
      source: 'packet',
    });
  }
  return out;
}

/** Merges observation streams by arrival time. */
export function byArrival(...streams: readonly (readonly BeatObservation[])[]): BeatObservation[] {
  return streams.flat().sort((a, b) => a.at - b.at);
}

function delay(random: Random, t: LinkTiming): number {
  const outlier = random() < t.outlierRate ? random() * t.outlierMs : 0;
  return t.latencyMs + random() * t.latencyJitterMs + outlier;
}
