/**
 * What the phrase positions of a deck are made from, in the order it
 * happened: its status packets, its beats (real, or estimated and perhaps
 * confirmed), and estimated beats a status did not confirm.
 *
 * A signal is a message to the operator it is handed to, read while it is
 * handed over and not kept: each subscription wraps every status and beat in
 * the same two objects, rewritten for the next one (every status packet goes
 * through here, once for each of the three trackers that follow the decks).
 * One handed over while another is still being delivered (a consumer that
 * leads, synchronously, to another state) gets an object of its own, so the
 * outer one stays whole. The values it wraps (DeckState, BeatEvent) are
 * immutable and may be kept.
 */
import { merge, Observable } from '../rx';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { UnconfirmedReason } from './phrase-tracker';

export type DeckSignal =
  | { readonly kind: 'status'; readonly state: DeckState }
  | { readonly kind: 'beat'; readonly beat: BeatEvent }
  | { readonly kind: 'unconfirmed'; readonly beat: BeatEvent; readonly reason: UnconfirmedReason };

type Wrapper<K extends string, F extends string, V> = { readonly kind: K } & { -readonly [P in F]: V };

/** Each value of `source` handed over in a wrapper made by `make` and reused while no delivery is under way. */
function wrapped<V, W extends DeckSignal>(source: Observable<V>, make: (value: V) => W, fill: (wrapper: W, value: V) => void): Observable<DeckSignal> {
  return new Observable<DeckSignal>((subscriber) => {
    let spare: W | null = null;
    return source.subscribe({
      next: (value) => {
        const wrapper = spare ?? make(value);
        spare = null;
        fill(wrapper, value);
        subscriber.next(wrapper);
        spare = wrapper;
      },
      error: (error: unknown) => subscriber.error(error),
      complete: () => subscriber.complete(),
    });
  });
}

type StatusSignal = Wrapper<'status', 'state', DeckState>;
type BeatSignal = Wrapper<'beat', 'beat', BeatEvent>;

export function deckSignals(decks: Observable<DeckState>, beats: Observable<BeatEvent>): Observable<DeckSignal> {
  return merge(
    wrapped<DeckState, StatusSignal>(
      decks,
      (state) => ({ kind: 'status', state }),
      (w, state) => (w.state = state),
    ),
    wrapped<BeatEvent, BeatSignal>(
      beats,
      (beat) => ({ kind: 'beat', beat }),
      (w, beat) => (w.beat = beat),
    ),
  );
}
