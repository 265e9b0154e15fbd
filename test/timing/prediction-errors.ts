/**
 * How far a DeckTiming's beat predictions land from a simulated deck's true
 * beats, fed status and precise position observations as they would arrive.
 */
import type { DeckTiming } from '../../src/timing/deck-timing';
import type { BeatObservation } from '../../src/timing/beat-observation';
import type { PlayheadObservation } from '../../src/timing/playhead-track';
import type { SimDeck } from '../../src/timing/sim/sim-deck';

export type Observation = { readonly kind: 'status'; readonly o: BeatObservation } | { readonly kind: 'playhead'; readonly o: PlayheadObservation };

/**
 * |predicted − true| (ms) for the true beats in (from, to], each predicted
 * from what arrived up to `aheadMs` (about half a beat) before it; Infinity
 * where nothing could be predicted.
 */
export function predictionErrors(deck: SimDeck, list: readonly Observation[], from: number, to: number, timing: DeckTiming, aheadMs: number): number[] {
  const out: number[] = [];
  let i = 0;
  for (let b = deck.nextBeatAfter(from); b !== null && b.at <= to; b = deck.nextBeatAfter(b.at)) {
    for (; i < list.length && (list[i] as Observation).o.at < b.at - aheadMs; i++) {
      const x = list[i] as Observation;
      if (x.kind === 'status') timing.observe(x.o);
      else timing.observePlayhead(x.o);
    }
    const predicted = timing.predictBeat(b.beat);
    out.push(predicted === null ? Infinity : Math.abs(predicted.at - b.at));
  }
  return out;
}
