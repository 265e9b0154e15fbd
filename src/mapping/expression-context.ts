/**
 * The plain-data context expressions read: the event's deck, the master deck,
 * the phrase and the event itself, shaped exactly as scopes.ts declares.
 */
import type { DeckState, PhraseInfo } from '../events/deck-state';
import type { BridgeEvent } from '../events/bridge-event';
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
 * it cost nothing.
 */
export function deckView(state: DeckState | undefined, position: () => DeckPosition | null = () => null): DeckView | null {
  if (state === undefined) return null;
  let known: DeckPosition | null | undefined;
  const read = (): DeckPosition | null => (known === undefined ? (known = position()) : known);
  return {
    number: state.deck,
    device: state.device,
    name: state.deviceName,
    trackId: state.trackId,
    slot: state.slot,
    playState: state.playState,
    playing: state.playing,
    master: state.master,
    sync: state.sync,
    onAir: state.onAir,
    bpm: state.bpm,
    pitch: state.pitch,
    pitchPercent: (state.pitch - 1) * 100,
    effectiveBpm: state.effectiveBpm,
    beat: state.beat,
    beatInBar: state.beatInBar,
    bar: barOf(state.beat),
    phrase: state.phrase,
    track: state.track,
    get positionMs(): number | null {
      return read()?.positionMs ?? null;
    },
    get timecode(): string | null {
      return read()?.timecode ?? null;
    },
  };
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
  return event.type === 'beat' ? { confirmed: !event.estimated, ...event, bar: barOf(event.beat) } : (event as unknown as Readonly<Record<string, unknown>>);
}

export interface ExpressionContext {
  readonly deck: DeckView | null;
  readonly master: DeckView | null;
  readonly phrase: PhraseInfo | null;
  readonly event: Readonly<Record<string, unknown>>;
}

export function expressionContext(event: BridgeEvent, world: World): ExpressionContext {
  const deck = event.deck === null ? undefined : world.decks.get(event.deck);
  const master = world.masterDeck === null ? undefined : world.decks.get(world.masterDeck);
  const positionOf = world.positionOf;
  const at = (state: DeckState | undefined) => (): DeckPosition | null => (state === undefined || positionOf === undefined ? null : positionOf(state, event.at));
  return {
    deck: deckView(deck, at(deck)),
    master: deckView(master, at(master)),
    phrase: eventPhrase(event) ?? deck?.phrase ?? null,
    event: eventView(event),
  };
}
