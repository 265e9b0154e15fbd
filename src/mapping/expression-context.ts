/**
 * The plain-data context expressions read: the event's deck, the master deck,
 * the phrase and the event itself, shaped exactly as scopes.ts declares.
 */
import type { DeckState, PhraseInfo } from '../events/deck-state';
import type { BeatEvent, BridgeEvent, TempoEvent } from '../events/bridge-event';
import type { DeckPosition } from '../timing/deck-position';

export interface World {
  readonly decks: ReadonlyMap<number, DeckState>;
  readonly masterDeck: number | null;
  /** Where a deck is at a time (timing/deck-position.ts), for deck.positionMs and deck.timecode; without it they read null. */
  readonly positionOf?: (deck: DeckState, at: number) => DeckPosition | null;
}

export type DeckView = Readonly<Record<string, unknown>>;

export function barOf(beat: number | null): number | null {
  return beat === null || beat < 1 ? null : Math.floor((beat - 1) / 4) + 1;
}

/**
 * The deck as expressions read it. Its position (positionMs, timecode) is
 * worked out on first read only, once per event, so rules that do not read
 * it cost nothing. Without a way to tell positions (`position` undefined)
 * they read null, and the view is plain data: the same for every event, so
 * the last one made for a deck state is handed out again.
 */
export function deckView(state: DeckState | undefined, position?: () => DeckPosition | null): DeckView | null {
  if (state === undefined) return null;
  if (position === undefined) return plainDeckView(state);
  const view = dataOf(state);
  // Accessors shared by every view (a getter in the literal would be two new closures per view, and a
  // view in dictionary mode); each view's own position is kept under a symbol, out of expressions' reach.
  Object.defineProperty(view, LIVE, { value: new LivePosition(position) });
  Object.defineProperty(view, 'positionMs', POSITION_MS);
  Object.defineProperty(view, 'timecode', TIMECODE);
  return view;
}

const LIVE = Symbol('deck position');

/** A view's position, worked out on first read. */
class LivePosition {
  private known: DeckPosition | null | undefined = undefined;
  constructor(private readonly position: () => DeckPosition | null) {}
  read(): DeckPosition | null {
    return this.known === undefined ? (this.known = this.position()) : this.known;
  }
}

type LiveView = Record<typeof LIVE, LivePosition>;

const POSITION_MS: PropertyDescriptor = {
  get(this: LiveView): number | null {
    return this[LIVE].read()?.positionMs ?? null;
  },
  enumerable: true,
  configurable: true,
};

const TIMECODE: PropertyDescriptor = {
  get(this: LiveView): string | null {
    return this[LIVE].read()?.timecode ?? null;
  },
  enumerable: true,
  configurable: true,
};

function dataOf(state: DeckState): Record<string, unknown> {
  return writeDeckData({}, state);
}

/** Writes a deck's fields as expressions read them into `target` (a new object, or a view kept to be written again). */
function writeDeckData(target: Record<string, unknown>, state: DeckState): Record<string, unknown> {
  target['number'] = state.deck;
  target['device'] = state.device;
  target['name'] = state.deviceName;
  target['trackId'] = state.trackId;
  target['slot'] = state.slot;
  target['playState'] = state.playState;
  target['playing'] = state.playing;
  target['moving'] = state.moving;
  target['master'] = state.master;
  target['sync'] = state.sync;
  target['onAir'] = state.onAir;
  target['bpm'] = state.bpm;
  target['pitch'] = state.pitch;
  target['pitchPercent'] = (state.pitch - 1) * 100;
  target['effectiveBpm'] = state.effectiveBpm;
  target['beat'] = state.beat;
  target['beatInBar'] = state.beatInBar;
  target['bar'] = barOf(state.beat);
  target['phrase'] = state.phrase;
  target['track'] = state.track;
  return target;
}

/** The plain view made for each deck state (states are immutable and views read-only, so one serves every event). */
const plainViews = new WeakMap<DeckState, DeckView>();

function plainDeckView(state: DeckState): DeckView {
  let view = plainViews.get(state);
  if (view === undefined) {
    view = writePlainDeckData({}, state);
    plainViews.set(state, view);
  }
  return view;
}

/** A deck's fields with no way to tell its position: positionMs and timecode read null. */
export function writePlainDeckData(target: Record<string, unknown>, state: DeckState): Record<string, unknown> {
  writeDeckData(target, state);
  target['positionMs'] = null;
  target['timecode'] = null;
  return target;
}

export function eventPhrase(event: BridgeEvent): PhraseInfo | null {
  return event.type === 'phrase.start' || event.type === 'phrase.end' || event.type === 'phrase.fill' ? event.phrase : null;
}

/**
 * The event's own fields, and a beat's bar and whether the deck confirmed it
 * (a real beat packet always; an estimated one once held for a status and
 * let through, which then says so itself). Events are plain read-only data,
 * so any other event is its own view (no copy per event).
 */
export function eventView(event: BridgeEvent): Readonly<Record<string, unknown>> {
  // An interface has no index signature, so TypeScript wants the detour through unknown.
  return event.type === 'beat' ? writeBeatView({}, event) : (event as unknown as Readonly<Record<string, unknown>>);
}

/**
 * A beat's view (eventView) written into `target`, field by field in the
 * order a new view has them. Every beat event has the same fields (a
 * confirmed one its own `confirmed`, which the view has anyway), so a target
 * rewritten beat after beat keeps no field of an earlier one.
 */
export function writeBeatView(target: Record<string, unknown>, event: BeatEvent): Record<string, unknown> {
  target['confirmed'] = !event.estimated;
  writeEventFields(target, event);
  target['bar'] = barOf(event.beat);
  return target;
}

/** An event's own fields, written into `target` (a view kept to be written again: every event of a type has the same fields). */
export function writeEventFields(target: Record<string, unknown>, event: BridgeEvent): Record<string, unknown> {
  // An interface has no index signature, so TypeScript wants the detour through unknown.
  const fields = event as unknown as Readonly<Record<string, unknown>>;
  for (const key in fields) target[key] = fields[key];
  return target;
}

/**
 * The fields the views above are written with, in the order they are
 * written (a test holds them to the writers): a view kept to be written
 * again can be made with every one of them first (reused-context.ts).
 */
export const DECK_VIEW_FIELDS = [
  'number',
  'device',
  'name',
  'trackId',
  'slot',
  'playState',
  'playing',
  'moving',
  'master',
  'sync',
  'onAir',
  'bpm',
  'pitch',
  'pitchPercent',
  'effectiveBpm',
  'beat',
  'beatInBar',
  'bar',
  'phrase',
  'track',
  'positionMs',
  'timecode',
] as const;
export const BEAT_VIEW_FIELDS = ['confirmed', 'type', 'at', 'deck', 'beat', 'beatInBar', 'effectiveBpm', 'estimated', 'late', 'coasting', 'bar'] as const;
export const TEMPO_VIEW_FIELDS = ['type', 'at', 'deck', 'effectiveBpm', 'previousBpm'] as const satisfies readonly (keyof TempoEvent)[];

export interface ExpressionContext {
  readonly deck: DeckView | null;
  readonly master: DeckView | null;
  readonly phrase: PhraseInfo | null;
  readonly event: Readonly<Record<string, unknown>>;
}

/**
 * The context for an event. `withPositions` false gives the decks' plain
 * views (positions read null), made once per deck state: for rules that never
 * read a position (reads-positions.ts).
 */
export function expressionContext(event: BridgeEvent, world: World, withPositions = true): ExpressionContext {
  const deck = event.deck === null ? undefined : world.decks.get(event.deck);
  const master = world.masterDeck === null ? undefined : world.decks.get(world.masterDeck);
  const positionOf = withPositions ? world.positionOf : undefined;
  const phrase = eventPhrase(event) ?? deck?.phrase ?? null;
  if (positionOf === undefined) return { deck: deckView(deck), master: deckView(master), phrase, event: eventView(event) };
  const at = (state: DeckState | undefined): (() => DeckPosition | null) | undefined => (state === undefined ? undefined : () => positionOf(state, event.at));
  return { deck: deckView(deck, at(deck)), master: deckView(master, at(master)), phrase, event: eventView(event) };
}
