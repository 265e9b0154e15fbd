/**
 * Beats for decks that send none (the OPUS-QUAD, §4). Every status packet of
 * the deck refines a BeatGridEstimator; beats are then emitted at the
 * predicted instants on the given scheduler, so they land on the beat rather
 * than whenever the next status packet (every ~200 ms) happens to arrive.
 * A beat number is emitted at most once per pass; a jump backwards (loop,
 * cue) makes earlier numbers due again.
 *
 * Every status re-plans the deck's next beat, so this runs per packet: one
 * scheduled action per plan, no observable chain built and torn down.
 */
import { groupBy, mergeMap, Observable, type OperatorFunction, type SchedulerLike, type Subscription } from 'rxjs';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { BeatGridEstimator, type EstimatorOptions } from '../timing/beat-grid-estimator';
import type { BeatPrediction } from '../timing/beat-grid';
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

/** The deck's next beat to emit as seen at `now`, or null when nothing can be predicted within the horizon. */
function nextBeat(clock: DeckClock, now: number): BeatPrediction | null {
  const grid = clock.estimator.grid(now);
  if (grid === null || !grid.playing || grid.bpm === null) return null;
  // Start from the last emitted beat unless the deck has moved backwards past it.
  const position = clock.estimator.positionAt(now);
  let after = now;
  if (clock.lastEmitted !== null && position !== null && position >= clock.lastEmitted - 0.5) {
    const last = clock.estimator.predictBeat(clock.lastEmitted);
    if (last !== null) after = Math.max(now, last.at + 1e-6);
  }
  const prediction = clock.estimator.nextBeatAfter(after);
  return prediction === null || prediction.at - now > HORIZON_MS ? null : prediction;
}

/**
 * One deck: each status refines the estimator and re-plans its next beat;
 * each beat, when due, is emitted and the one after it planned. Planning
 * stops when nothing can be predicted; the next status starts it again. The
 * output completes once the statuses have and no beat is planned.
 */
function predictBeats(clock: DeckClock, deck: number, scheduler: SchedulerLike): OperatorFunction<Received<CdjStatus>, BeatEvent> {
  return (statuses) =>
    new Observable<BeatEvent>((subscriber) => {
      let planned: Subscription | null = null;
      let statusesDone = false;
      const plan = (): void => {
        if (subscriber.closed) return; // e.g. unsubscribed by a consumer of the beat just emitted
        const now = scheduler.now();
        const prediction = nextBeat(clock, now);
        if (prediction !== null) planned = scheduler.schedule(due, Math.max(0, prediction.at - now), prediction);
        else if (statusesDone) subscriber.complete();
      };
      const due = (prediction: BeatPrediction | undefined): void => {
        planned = null;
        if (prediction === undefined) return;
        try {
          clock.lastEmitted = prediction.beat;
          subscriber.next({
            type: 'beat',
            at: prediction.at,
            deck,
            beat: prediction.beat,
            beatInBar: prediction.beatInBar,
            effectiveBpm: clock.estimator.bpm,
            estimated: true,
          });
          plan();
        } catch (error: unknown) {
          subscriber.error(error);
        }
      };
      const subscription = statuses.subscribe({
        next: ({ packet, at }) => {
          planned?.unsubscribe();
          planned = null;
          try {
            const outcome = clock.estimator.observe({ at, beat: packet.beat, beatInBar: packet.beatInBar, effectiveBpm: packet.effectiveBpm, playing: packet.playing });
            if (outcome === 'jump' || outcome === 'phase-moved' || outcome === 'paused' || outcome === 'anchored') clock.lastEmitted = null;
            plan();
          } catch (error: unknown) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => {
          statusesDone = true;
          if (planned === null) subscriber.complete();
        },
      });
      return () => {
        subscription.unsubscribe();
        planned?.unsubscribe();
      };
    });
}

export function estimatedBeats(status: Observable<Received<CdjStatus>>, scheduler: SchedulerLike, options: EstimatedBeatsOptions = {}): Observable<BeatEvent> {
  return status.pipe(
    groupBy((s) => s.packet.deck),
    mergeMap((deckStatus) => {
      const deck = deckStatus.key;
      const clock: DeckClock = { estimator: new BeatGridEstimator(options.estimator), lastEmitted: null };
      options.onEstimator?.(deck, clock.estimator);
      return deckStatus.pipe(predictBeats(clock, deck, scheduler));
    }),
  );
}
