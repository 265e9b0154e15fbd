/**
 * Beats for decks that send none (the OPUS-QUAD, §4). Every status packet of
 * the deck refines a BeatGridEstimator; beats are then emitted at the
 * predicted instants on the given scheduler, so they land on the beat rather
 * than whenever the next status packet (every ~200 ms) happens to arrive.
 * A beat number is emitted at most once per pass; a jump backwards (loop,
 * cue) makes earlier numbers due again.
 */
import { concat, defer, EMPTY, groupBy, map, mergeMap, scan, switchMap, timer, type Observable, type SchedulerLike } from 'rxjs';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { BeatGridEstimator, type EstimatorOptions } from '../timing/beat-grid-estimator';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';

/** Beats predicted further out than this are not scheduled yet (a new status will come first). */
const HORIZON_MS = 5_000;

interface DeckClock {
  readonly estimator: BeatGridEstimator;
  /** Beat number emitted last, so a refined prediction does not repeat it. */
  lastEmitted: number | null;
}

export interface EstimatedBeatsOptions {
  readonly estimator?: Partial<EstimatorOptions>;
  /** Called with each deck's estimator, e.g. for a MIDI clock to follow. */
  readonly onEstimator?: (deck: number, estimator: BeatGridEstimator) => void;
}

/**
 * Emits the deck's next predicted beat, then (lazily, after it) the one after;
 * stops when nothing can be predicted. The next status restarts it.
 */
function nextBeat(clock: DeckClock, deck: number, scheduler: SchedulerLike): Observable<BeatEvent> {
  return defer(() => {
    const now = scheduler.now();
    const grid = clock.estimator.grid(now);
    if (grid === null || !grid.playing || grid.bpm === null) return EMPTY;
    // Start from the last emitted beat unless the deck has moved backwards past it.
    const position = clock.estimator.positionAt(now);
    let after = now;
    if (clock.lastEmitted !== null && position !== null && position >= clock.lastEmitted - 0.5) {
      const last = clock.estimator.predictBeat(clock.lastEmitted);
      if (last !== null) after = Math.max(now, last.at + 1e-6);
    }
    const prediction = clock.estimator.nextBeatAfter(after);
    if (prediction === null || prediction.at - now > HORIZON_MS) return EMPTY;
    const beat = timer(Math.max(0, prediction.at - now), scheduler).pipe(
      map((): BeatEvent => {
        clock.lastEmitted = prediction.beat;
        return {
          type: 'beat',
          at: prediction.at,
          deck,
          beat: prediction.beat,
          beatInBar: prediction.beatInBar,
          effectiveBpm: clock.estimator.bpm,
          estimated: true,
        };
      }),
    );
    return concat(beat, defer(() => nextBeat(clock, deck, scheduler)));
  });
}

export function estimatedBeats(status: Observable<Received<CdjStatus>>, scheduler: SchedulerLike, options: EstimatedBeatsOptions = {}): Observable<BeatEvent> {
  return status.pipe(
    groupBy((s) => s.packet.deck),
    mergeMap((deckStatus) => {
      const deck = deckStatus.key;
      const clock: DeckClock = { estimator: new BeatGridEstimator(options.estimator), lastEmitted: null };
      options.onEstimator?.(deck, clock.estimator);
      return deckStatus.pipe(
        scan((c, { packet, at }) => {
          const outcome = c.estimator.observe({ at, beat: packet.beat, beatInBar: packet.beatInBar, effectiveBpm: packet.effectiveBpm, playing: packet.playing });
          if (outcome === 'jump' || outcome === 'phase-moved' || outcome === 'paused' || outcome === 'anchored') c.lastEmitted = null;
          return c;
        }, clock),
        switchMap((c) => nextBeat(c, deck, scheduler)),
      );
    }),
  );
}
