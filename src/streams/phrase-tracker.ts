/**
 * Phrase changes (§8.5): as a deck's beat position moves, look up the phrase
 * it is in and emit phrase.start when it enters a phrase, phrase.end when it
 * leaves one, and phrase.fill when it reaches the fill-in of the phrase.
 * Positions going backwards (loops, cue jumps) simply enter phrases again, so
 * they re-emit. A new track resets the deck; its structure may arrive after
 * the positions (the 0x55/0x56 transfer takes a moment), and then the current
 * phrase starts as soon as it is known.
 */
import { from, mergeMap, scan, type OperatorFunction } from 'rxjs';
import { phraseAtBeat, type InPhrase } from '../prolink/phrases/phrase-at-beat';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { PhraseInfo } from '../events/deck-state';
import type { PhraseEvent } from '../events/bridge-event';

export type PhraseInput =
  | { readonly kind: 'structure'; readonly deck: number; readonly trackId: number; readonly structure: SongStructure }
  | { readonly kind: 'position'; readonly deck: number; readonly trackId: number | null; readonly beat: number | null; readonly at: number };

interface DeckPhrases {
  readonly trackId: number | null;
  readonly structure: SongStructure | null;
  /** Sorted index of the phrase the deck is in, or null. */
  readonly current: number | null;
  readonly inFill: boolean;
  readonly info: PhraseInfo | null;
  readonly lastBeat: number | null;
  readonly lastAt: number;
}

interface State {
  readonly decks: ReadonlyMap<number, DeckPhrases>;
  readonly events: readonly PhraseEvent[];
}

const EMPTY_DECK: DeckPhrases = { trackId: null, structure: null, current: null, inFill: false, info: null, lastBeat: null, lastAt: 0 };

/** A verse2 is a verse, a verse1b too; intro, chorus, up… are their own family. */
export function phraseFamily(kind: string): string {
  return kind.replace(/\d+[a-z]?$/, '');
}

export function phraseInfo(structure: SongStructure, position: InPhrase): PhraseInfo {
  const { phrase } = position;
  return {
    index: position.sortedIndex + 1,
    kind: phrase.kind,
    family: phraseFamily(phrase.kind),
    label: phrase.label,
    mood: structure.mood,
    bank: structure.bank,
    startBeat: position.startBeat,
    endBeat: position.endBeat,
    bars: position.bars,
    fillBeat: phrase.fill ? phrase.fillBeat : null,
  };
}

function advance(deck: number, before: DeckPhrases, beat: number | null, at: number): { next: DeckPhrases; events: PhraseEvent[] } {
  const events: PhraseEvent[] = [];
  if (before.structure === null) return { next: { ...before, lastBeat: beat, lastAt: at }, events };
  const position = phraseAtBeat(before.structure, beat);
  if (position.where === 'none') return { next: { ...before, lastBeat: beat, lastAt: at }, events };
  const index = position.where === 'in-phrase' ? position.sortedIndex : null;
  const movedBack = before.lastBeat !== null && beat !== null && beat < before.lastBeat;
  let { info, inFill } = before;
  const restarted = movedBack && position.where === 'in-phrase' && beat === position.startBeat;
  if (index !== before.current || restarted) {
    if (before.info !== null) events.push({ type: 'phrase.end', at, deck, phrase: before.info });
    info = position.where === 'in-phrase' ? phraseInfo(before.structure, position) : null;
    inFill = false;
    if (info !== null) events.push({ type: 'phrase.start', at, deck, phrase: info });
  }
  const nowInFill = position.where === 'in-phrase' && position.inFill;
  if (nowInFill && !inFill && info !== null) events.push({ type: 'phrase.fill', at, deck, phrase: info });
  return { next: { ...before, current: index, inFill: nowInFill, info, lastBeat: beat, lastAt: at }, events };
}

function reduce(state: State, input: PhraseInput): State {
  const decks = new Map(state.decks);
  const before = decks.get(input.deck) ?? EMPTY_DECK;
  const events: PhraseEvent[] = [];
  if (input.kind === 'structure') {
    if (before.trackId !== null && before.trackId !== input.trackId) return { decks, events };
    const withStructure: DeckPhrases = { ...EMPTY_DECK, trackId: input.trackId, structure: input.structure, lastBeat: null };
    const { next, events: emitted } = advance(input.deck, withStructure, before.lastBeat, before.lastAt);
    decks.set(input.deck, next);
    return { decks, events: emitted };
  }
  let current = before;
  if (input.trackId !== before.trackId) {
    if (before.info !== null) events.push({ type: 'phrase.end', at: input.at, deck: input.deck, phrase: before.info });
    current = { ...EMPTY_DECK, trackId: input.trackId };
  }
  const { next, events: emitted } = advance(input.deck, current, input.beat, input.at);
  decks.set(input.deck, next);
  return { decks, events: [...events, ...emitted] };
}

export function trackPhrases(): OperatorFunction<PhraseInput, PhraseEvent> {
  return (source) =>
    source.pipe(
      scan(reduce, { decks: new Map(), events: [] } as State),
      mergeMap((state) => from(state.events)),
    );
}
