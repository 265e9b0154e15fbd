/**
 * The engine's expression context for rules that never read a position,
 * written into the same objects event after event instead of new ones.
 *
 * A context is read only while a pass runs: expressions and templates take
 * primitives out of it, and a rule's commands carry only those values, so
 * nothing keeps a context or a deck view past the pass. Each deck's view is
 * rewritten only when the deck's state object changes (states are immutable,
 * so the same object means the same fields); a beat's view is rewritten for
 * each beat. The engine hands one of these
 * to one pass at a time (engine.ts); a pass started inside another gets its
 * own.
 */
import type { DeckState } from '../events/deck-state';
import type { BridgeEvent } from '../events/bridge-event';
import { eventPhrase, writeBeatView, writePlainDeckData, type DeckView, type ExpressionContext, type World } from './expression-context';

interface KeptView {
  state: DeckState | null;
  readonly view: Record<string, unknown>;
}

interface MutableContext {
  deck: DeckView | null;
  master: DeckView | null;
  phrase: ExpressionContext['phrase'];
  event: ExpressionContext['event'];
}

export class ReusedContext {
  private readonly views = new Map<number, KeptView>();
  private readonly context: MutableContext = { deck: null, master: null, phrase: null, event: {} };
  /** A beat's view (with its bar and whether it is confirmed), rewritten for each beat. */
  private readonly beatView: Record<string, unknown> = {};

  /** The context for this event, valid until the next call. */
  fill(event: BridgeEvent, world: World): ExpressionContext {
    const deck = event.deck === null ? undefined : world.decks.get(event.deck);
    const master = world.masterDeck === null ? undefined : world.decks.get(world.masterDeck);
    const context = this.context;
    context.deck = this.viewOf(deck);
    context.master = this.viewOf(master);
    context.phrase = eventPhrase(event) ?? deck?.phrase ?? null;
    // Other events are their own view (eventView).
    context.event = event.type === 'beat' ? writeBeatView(this.beatView, event) : (event as unknown as Readonly<Record<string, unknown>>);
    return context;
  }

  private viewOf(state: DeckState | undefined): DeckView | null {
    if (state === undefined) return null;
    let kept = this.views.get(state.deck);
    if (kept === undefined) {
      kept = { state: null, view: {} };
      this.views.set(state.deck, kept);
    }
    if (kept.state !== state) {
      writePlainDeckData(kept.view, state);
      kept.state = state;
    }
    return kept.view;
  }
}
