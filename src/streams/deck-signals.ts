/**
 * What the phrase positions of a deck are made from, in the order it
 * happened: its status packets, its beats (real, or estimated and perhaps
 * confirmed), and estimated beats a status did not confirm.
 */
import { map, merge, type Observable } from 'rxjs';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { UnconfirmedReason } from './phrase-tracker';

export type DeckSignal =
  | { readonly kind: 'status'; readonly state: DeckState }
  | { readonly kind: 'beat'; readonly beat: BeatEvent }
  | { readonly kind: 'unconfirmed'; readonly beat: BeatEvent; readonly reason: UnconfirmedReason };

export function deckSignals(decks: Observable<DeckState>, beats: Observable<BeatEvent>): Observable<DeckSignal> {
  return merge(
    decks.pipe(map((state): DeckSignal => ({ kind: 'status', state }))),
    beats.pipe(map((beat): DeckSignal => ({ kind: 'beat', beat }))),
  );
}
