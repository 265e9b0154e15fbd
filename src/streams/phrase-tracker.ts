/**
 * Phrase changes (§8.5): as a deck's beat position moves, look up the phrase
 * it is in and emit phrase.start when it enters a phrase, phrase.end when it
 * leaves one, and phrase.fill when it reaches the fill-in of the phrase.
 * Positions going backwards (loops, cue jumps) simply enter phrases again, so
 * they re-emit. A new track resets the deck; its structure may arrive after
 * the positions (the 0x55/0x56 transfer takes a moment), and then the current
 * phrase starts as soon as it is known.
 */
import type { OperatorFunction } from 'rxjs';
import { phraseAtBeat, type InPhrase } from '../prolink/phrases/phrase-at-beat';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { PhraseInfo } from '../events/deck-state';
import type { PhraseEvent } from '../events/bridge-event';
import { withState, type Emit } from './with-state';

export type PhraseInput =
  | { readonly kind: 'structure'; readonly deck: number; readonly trackId: number; readonly structure: SongStructure }
  | { readonly kind: 'position'; readonly deck: number; readonly trackId: number | null; readonly beat: number | null; readonly at: number };

/** One deck's phrase state; private to one subscription, updated in place. */
interface DeckPhrases {
  trackId: number | null;
  structure: SongStructure | null;
  /** Sorted index of the phrase the deck is in, or null. */
  current: number | null;
  inFill: boolean;
  info: PhraseInfo | null;
  lastBeat: number | null;
  lastAt: number;
}

/** The deck has (or learns the structure of) this track: no phrase entered yet; its position is left as it is. */
function reset(d: DeckPhrases, trackId: number | null, structure: SongStructure | null): void {
  d.trackId = trackId;
  d.structure = structure;
  d.current = null;
  d.inFill = false;
  d.info = null;
}

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

/** Moves the deck to `beat` and emits what that crosses: the end of a phrase, the start of the next, its fill. */
function advance(deck: number, d: DeckPhrases, beat: number | null, at: number, emit: Emit<PhraseEvent>): void {
  const lastBeat = d.lastBeat;
  d.lastBeat = beat;
  d.lastAt = at;
  if (d.structure === null) return;
  const position = phraseAtBeat(d.structure, beat);
  if (position.where === 'none') return;
  const index = position.where === 'in-phrase' ? position.sortedIndex : null;
  const movedBack = lastBeat !== null && beat !== null && beat < lastBeat;
  const restarted = movedBack && position.where === 'in-phrase' && beat === position.startBeat;
  const ended = d.info;
  let started: PhraseInfo | null = null;
  const entered = index !== d.current || restarted;
  if (entered) {
    d.info = started = position.where === 'in-phrase' ? phraseInfo(d.structure, position) : null;
    d.inFill = false;
  }
  const nowInFill = position.where === 'in-phrase' && position.inFill;
  const info = d.info;
  const filled = nowInFill && !d.inFill && info !== null;
  d.current = index;
  d.inFill = nowInFill;
  if (entered && ended !== null) emit({ type: 'phrase.end', at, deck, phrase: ended });
  if (started !== null) emit({ type: 'phrase.start', at, deck, phrase: started });
  if (filled) emit({ type: 'phrase.fill', at, deck, phrase: info });
}

function step(decks: Map<number, DeckPhrases>, input: PhraseInput, emit: Emit<PhraseEvent>): void {
  let d = decks.get(input.deck);
  if (d === undefined) {
    d = { trackId: null, structure: null, current: null, inFill: false, info: null, lastBeat: null, lastAt: 0 };
    decks.set(input.deck, d);
  }
  if (input.kind === 'structure') {
    if (d.trackId !== null && d.trackId !== input.trackId) return;
    // The deck is where the positions left it, now with phrases to be in.
    const { lastBeat, lastAt } = d;
    reset(d, input.trackId, input.structure);
    d.lastBeat = null;
    advance(input.deck, d, lastBeat, lastAt, emit);
    return;
  }
  if (input.trackId !== d.trackId) {
    // A new track: its structure is not known yet, so its position only moves the deck.
    const ended = d.info;
    reset(d, input.trackId, null);
    d.lastBeat = input.beat;
    d.lastAt = input.at;
    if (ended !== null) emit({ type: 'phrase.end', at: input.at, deck: input.deck, phrase: ended });
    return;
  }
  advance(input.deck, d, input.beat, input.at, emit);
}

export function trackPhrases(): OperatorFunction<PhraseInput, PhraseEvent> {
  return withState(() => new Map<number, DeckPhrases>(), step);
}
