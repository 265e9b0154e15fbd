/**
 * The beat grid of every deck, for the MIDI clock, timecode and look-ahead
 * rules to follow. OPUS-QUAD decks already have their timing in the beat
 * stream (adopted here, with the precise positions it is fed in CDJ mode);
 * other decks get one fed with their status, their real beat packets and,
 * from CDJ-3000s, their precise position packets (which then set the phase
 * and position: the beat packets keep the beat events).
 *
 * A beat packet cannot arrive before its beat, so the phase sits at the
 * latest instant the packets allow (the least-delayed one marks the beat,
 * within the LAN's minimum delay), and the allowance for late packets is
 * wide, so one a busy bridge read late cannot pull the phase.
 *
 * Where the deck's track is known in the library (`trackGrid`), precise
 * positions place the beats on that track's own grid (playhead-grid.ts).
 */
import { DeckTiming } from '../timing/deck-timing';
import type { EstimatorOptions } from '../timing/estimator-options';
import type { BeatGrid } from '../timing/beat-grid';
import type { DeckState } from '../events/deck-state';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckGridSource } from '../streams/estimated-beats';

const REAL_BEAT_ESTIMATOR: Partial<EstimatorOptions> = { phaseAnchor: 'latest', latencyMaxMs: 20 };

/** What DeckGrids needs of a precise position (§5). */
export interface PrecisePlayhead {
  readonly deck: number;
  readonly at: number;
  readonly ms: number;
  readonly pitch: number;
}

export class DeckGrids {
  private readonly timings = new Map<number, DeckTiming>();
  private readonly adopted = new Set<number>();
  private readonly tracks = new Map<number, { readonly trackId: number | null; readonly bpm: number | null }>();

  /** `trackGrid`: the beat grid of the track a deck shows, where known (its library track). */
  constructor(private readonly trackGrid: DeckGridSource | null = null) {}

  /** Uses the beat stream's own timing for this deck. */
  adopt(deck: number, timing: DeckTiming): void {
    this.timings.set(deck, timing);
    this.adopted.add(deck);
  }

  observeStatus(state: DeckState): void {
    this.tracks.set(state.deck, { trackId: state.trackId, bpm: state.bpm });
    if (state.deviceName === 'OPUS-QUAD' || this.adopted.has(state.deck)) return;
    this.own(state.deck).observe({
      at: state.updatedAt,
      beat: state.beat,
      beatInBar: state.beatInBar,
      effectiveBpm: state.effectiveBpm,
      playing: state.playing,
      trackBpm: state.bpm,
      trackId: state.trackId,
    });
  }

  observeBeat(beat: BeatEvent): void {
    if (beat.estimated || this.adopted.has(beat.deck)) return;
    const track = this.tracks.get(beat.deck);
    this.own(beat.deck).observe({
      at: beat.at,
      beat: beat.beat,
      beatInBar: beat.beatInBar,
      effectiveBpm: beat.effectiveBpm,
      playing: true,
      source: 'packet',
      trackBpm: track?.bpm ?? null,
      trackId: track?.trackId ?? null,
    });
  }

  /** A precise position from a deck whose timing is kept here (CDJ-3000s); the OPUS-QUAD's go to the beat stream. */
  observePrecise(p: PrecisePlayhead): void {
    if (this.adopted.has(p.deck)) return;
    this.own(p.deck).observePlayhead({ at: p.at, ms: p.ms, pitch: p.pitch });
  }

  grid(deck: number | null, at: number): BeatGrid | null {
    return deck === null ? null : (this.timings.get(deck)?.grid(at) ?? null);
  }

  private own(deck: number): DeckTiming {
    let timing = this.timings.get(deck);
    if (timing === undefined) {
      const trackGrid = this.trackGrid;
      timing = new DeckTiming(REAL_BEAT_ESTIMATOR, trackGrid === null ? null : (trackId) => trackGrid(deck, trackId));
      this.timings.set(deck, timing);
    }
    return timing;
  }
}
