/**
 * What the bridge would receive from a simulated deck: OPUS-style status
 * packets (one about every 200 ms, unaligned to the beat, §3 / §10), for
 * CDJ-style decks beat packets (§4), and precise position packets (§5). Every timing choice is drawn from a
 * seeded generator, so a run is reproducible from its seed.
 */
import { beatInBar } from '../beat-grid';
import type { BeatObservation } from '../beat-grid-estimator';
import type { PlayheadObservation } from '../playhead-track';
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

export interface PlayheadTiming extends LinkTiming {
  /** Interval between precise position packets (ms; §5: ~30). */
  readonly intervalMs: number;
  /** The track's own tempo (before pitch): the deck's tempo divided by it is the pitch. */
  readonly trackBpm: number;
  /** Track time of beat 1 (ms). */
  readonly firstBeatMs: number;
}

export const DEFAULT_PLAYHEAD_TIMING: PlayheadTiming = { ...DEFAULT_STATUS_TIMING, outlierRate: 0, intervalMs: 30, trackBpm: 120, firstBeatMs: 0 };

/**
 * Precise position packets (§5) for the deck from `from` to `to`: the
 * playhead in whole track milliseconds (beat n at firstBeatMs + (n − 1) beat
 * periods of the track's own tempo) and the pitch, as the bridge receives them.
 */
export function simulatePlayhead(deck: SimDeck, from: number, to: number, timing: Partial<PlayheadTiming> = {}): PlayheadObservation[] {
  const t: PlayheadTiming = { ...DEFAULT_PLAYHEAD_TIMING, ...timing };
  const random = seededRandom(t.seed ^ 0x27d4eb2d);
  const msPerBeat = 60_000 / t.trackBpm;
  const out: PlayheadObservation[] = [];
  for (let g = from; g < to; g += t.intervalMs) {
    out.push({
      at: g + delay(random, t),
      ms: Math.round(t.firstBeatMs + (deck.positionAt(g) - 1) * msPerBeat),
      pitch: deck.bpmAt(g) / t.trackBpm,
    });
  }
  return out;
}
