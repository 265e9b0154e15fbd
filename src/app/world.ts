import type { Observable } from 'rxjs';
import { merge, map, scan } from '../rx';
import type { DeckState } from '../events/deck-state';
import type { World } from '../mapping/expression-context';
import type { MasterTempo } from '../streams/master';

/** The latest state of every deck and the master, as the engine reads it. */
export function worldOf(decks: Observable<DeckState>, master: Observable<MasterTempo>): Observable<World> {
  return merge(decks.pipe(map((deck) => ({ deck }))), master.pipe(map((master) => ({ master })))).pipe(
    scan<{ deck: DeckState } | { master: MasterTempo }, World>(
      (world, input) => {
        if ('master' in input) return { decks: world.decks, masterDeck: input.master.deck };
        const decks = new Map(world.decks);
        decks.set(input.deck.deck, input.deck);
        return { decks, masterDeck: world.masterDeck };
      },
      { decks: new Map(), masterDeck: null },
    ),
  );
}
