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
import {
  BEAT_VIEW_FIELDS,
  DECK_VIEW_FIELDS,
  TEMPO_VIEW_FIELDS,
  eventPhrase,
  writeBeatView,
  writeEventFields,
  writePlainDeckData,
  type DeckView,
  type ExpressionContext,
  type World,
} from './expression-context';

/**
 * A kept view starts with each of its fields null, so V8 holds its numbers
 * as references to number objects: reading one is then free. A field that
 * has only ever held numbers is stored unboxed instead, and every read that
 * hands the number on (expressions read fields by name, hundreds of times per
 * event with a large mapping) makes a new number object; a write makes one
 * now instead, once per field per event or deck state.
 */
function heldAsReferences(fields: readonly string[]): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const field of fields) view[field] = null;
  return view;
}

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
  private readonly beatView: Record<string, unknown> = heldAsReferences(BEAT_VIEW_FIELDS);
  private readonly tempoView: Record<string, unknown> = heldAsReferences(TEMPO_VIEW_FIELDS);

  /** The context for this event, valid until the next call. */
  fill(event: BridgeEvent, world: World): ExpressionContext {
    const deck = event.deck === null ? undefined : world.decks.get(event.deck);
    const master = world.masterDeck === null ? undefined : world.decks.get(world.masterDeck);
    const context = this.context;
    context.deck = this.viewOf(deck);
    context.master = this.viewOf(master);
    context.phrase = eventPhrase(event) ?? deck?.phrase ?? null;
    // Other events are their own view (eventView). A tempo event's fields go into a kept view all the same: tempo events
    // come with every status while a pitch fader moves, and rules read their tempo as a float.
    if (event.type === 'beat') context.event = writeBeatView(this.beatView, event);
    else if (event.type === 'tempo') context.event = writeEventFields(this.tempoView, event);
    else context.event = event as unknown as Readonly<Record<string, unknown>>;
    return context;
  }

  private viewOf(state: DeckState | undefined): DeckView | null {
    if (state === undefined) return null;
    let kept = this.views.get(state.deck);
    if (kept === undefined) {
      kept = { state: null, view: heldAsReferences(DECK_VIEW_FIELDS) };
      this.views.set(state.deck, kept);
    }
    if (kept.state !== state) {
      writePlainDeckData(kept.view, state);
      kept.state = state;
    }
    return kept.view;
  }
}
