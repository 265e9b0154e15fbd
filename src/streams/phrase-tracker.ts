/**
 * Phrase changes (§8.5): as a deck's beat position moves, look up the phrase
 * it is in and emit phrase.start when it enters a phrase, phrase.end when it
 * leaves one, and phrase.fill when it reaches the fill-in of the phrase.
 * Positions going backwards (loops, cue jumps) simply enter phrases again, so
 * they re-emit; so does a beat event numbered as the one before it (a loop of
 * one beat on a phrase's first beat wraps). A new track resets the deck; its
 * structure may arrive after the positions (the 0x55/0x56 transfer takes a
 * moment), and then the current phrase starts as soon as it is known, marked
 * late.
 *
 * Each start is emitted once per entry, and only while the deck plays: a
 * stopped deck's phrase shows in its state (the `current` outputs) and starts
 * when the deck plays, marked late. A phrase that never started does not end
 * or fill. A stopped deck that leaves the phrase it played (a cue elsewhere,
 * or the CUE button putting it back on the phrase's first beat, which its
 * play state tells when the beat counter cannot) ends that phrase then. Phrase data that arrives again for the same track (the OPUS
 * answers a request with the data of every loaded deck) is compared by
 * content: the same structure changes nothing.
 */
import type { OperatorFunction } from 'rxjs';
import { phraseAtBeat, type InPhrase } from '../prolink/phrases/phrase-at-beat';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { PhraseInfo } from '../events/deck-state';
import type { PhraseEvent } from '../events/bridge-event';
import { withState, type Emit } from './with-state';
import { samePhraseInfo, sameStructure } from './same-structure';

/** Why a predicted beat was not confirmed by the deck's next status. */
export type UnconfirmedReason = 'jump' | 'stopped' | 'track' | 'expired' | 'repeat';

export type PhraseInput =
  | { readonly kind: 'structure'; readonly deck: number; readonly trackId: number; readonly structure: SongStructure }
  | {
      readonly kind: 'position';
      readonly deck: number;
      readonly trackId: number | null;
      readonly beat: number | null;
      readonly at: number;
      readonly playing: boolean;
      /** Made from an estimated beat (not a real beat packet or a status). */
      readonly estimated: boolean;
      /** Made from a beat reported after its instant. */
      readonly late: boolean;
      /** Made from a coasting beat (the deck's packets are not arriving). */
      readonly coasting: boolean;
      /** A status of the deck stopped at its cue point (play state 'cued': the CUE button put it there). */
      readonly cued?: boolean;
      /** A beat event numbered as the one before it: the deck went back to it (a loop of one beat wrapped). */
      readonly again?: boolean;
      /**
       * With `again`: a status since the first of the two showed the deck still a beat short of it, well after its
       * instant. That one was a prediction the deck had not reached (a roll in the beat before overtook it), and the
       * deck gets there only now.
       */
      readonly overtook?: boolean;
    }
  /** A predicted beat that a status did not confirm: the deck's state stays; what it would have caused is reported. */
  | { readonly kind: 'unconfirmed'; readonly deck: number; readonly beat: number; readonly at: number; readonly reason: UnconfirmedReason };

export type PhraseOutput =
  | { readonly kind: 'event'; readonly event: PhraseEvent }
  /** The deck's current phrase changed (also while stopped, when no start is emitted). */
  | { readonly kind: 'current'; readonly deck: number; readonly phrase: PhraseInfo | null; readonly at: number }
  /** An event an unconfirmed beat would have caused, dropped. */
  | { readonly kind: 'unconfirmed'; readonly event: PhraseEvent; readonly reason: UnconfirmedReason };

export interface PhraseTrackerOptions {
  /** Every position is confirmed by the deck's own packets (the positions of rules with `confirm: true`). */
  readonly confirmed?: boolean;
}

/** One deck's phrase state; private to one subscription, updated in place. */
interface DeckPhrases {
  trackId: number | null;
  structure: SongStructure | null;
  /** Sorted index of the phrase the deck is in, or null. */
  current: number | null;
  inFill: boolean;
  info: PhraseInfo | null;
  /** Whether `info`'s phrase.start was emitted (so its fill and end are due). */
  started: boolean;
  lastBeat: number | null;
  lastAt: number;
  lastEstimated: boolean;
  playing: boolean;
  /** Where a predicted beat that entered a phrase moved the deck from, until a status shows whether it got there. */
  undo: Undo | null;
}

/** The phrase state a predicted beat left, kept until the deck's own packets speak. */
interface Undo {
  /** The predicted beat that entered the phrase. */
  readonly beat: number;
  readonly current: number | null;
  readonly info: PhraseInfo | null;
  readonly started: boolean;
  readonly inFill: boolean;
}

/**
 * A stopped deck standing at most this many beats short of a predicted beat
 * stopped before it (the stop was heard after the beat was predicted, within
 * a status period), rather than being cued back (a status at the cue point
 * shows where the cue is, not whether the deck got to the beat first).
 */
const STOPPED_SHORT_BEATS = 2;

interface Flags {
  readonly estimated: boolean;
  readonly late: boolean;
  readonly confirmed: boolean;
  readonly coasting: boolean;
}

interface Out {
  readonly deck: number;
  readonly at: number;
  readonly flags: Flags;
  readonly emit: Emit<PhraseOutput>;
}

type MutableOut = { -readonly [K in keyof Out]: Out[K] };

function newDeck(): DeckPhrases {
  return { trackId: null, structure: null, current: null, inFill: false, info: null, started: false, lastBeat: null, lastAt: 0, lastEstimated: false, playing: false, undo: null };
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

function event(type: PhraseEvent['type'], phrase: PhraseInfo, o: Out, late = false): PhraseOutput {
  const { estimated, confirmed, coasting } = o.flags;
  return { kind: 'event', event: { type, at: o.at, deck: o.deck, phrase, estimated, late: late || o.flags.late, confirmed, coasting } };
}

/** The deck is in `info` now (or in no phrase): ends the phrase it leaves, if it started. */
function enter(d: DeckPhrases, info: PhraseInfo | null, o: Out): void {
  const ended = d.started ? d.info : null;
  const changed = d.info !== info;
  d.info = info;
  d.started = false;
  if (changed) o.emit({ kind: 'current', deck: o.deck, phrase: info, at: o.at });
  if (ended !== null) o.emit(event('phrase.end', ended, o));
}

/** A playing deck in a phrase that has not started yet: it starts now (late when it entered the phrase before). */
function startIfPlaying(d: DeckPhrases, o: Out, late: boolean): void {
  if (d.info === null || d.started || !d.playing) return;
  d.started = true;
  o.emit(event('phrase.start', d.info, o, late));
}

/**
 * Moves the deck to `beat` and emits what that crosses: the end of a phrase,
 * the start of the next, its fill. `cued`: a status of the deck stopped at its
 * cue point.
 */
function advance(d: DeckPhrases, beat: number | null, o: Out, cued = false, again = false): void {
  const lastBeat = d.lastBeat;
  d.lastBeat = beat;
  if (d.structure === null) return;
  const position = phraseAtBeat(d.structure, beat);
  if (position.where === 'none') return;
  const index = position.where === 'in-phrase' ? position.sortedIndex : null;
  const movedBack = lastBeat !== null && beat !== null && (beat < lastBeat || (again && beat === lastBeat));
  const atStart = position.where === 'in-phrase' && beat === position.startBeat;
  // The CUE button put the stopped deck back on the first beat of the phrase it played, maybe within the beat it was in.
  const cuedBack = cued && !d.playing && atStart && d.started && index === d.current;
  const restarted = atStart && (movedBack || cuedBack);
  const entered = index !== d.current || restarted;
  if (entered && o.flags.estimated && d.playing && beat !== null) {
    d.undo = { beat, current: d.current, info: d.info, started: d.started, inFill: d.inFill };
  }
  d.current = index;
  if (entered) {
    enter(d, position.where === 'in-phrase' ? phraseInfo(d.structure, position) : null, o);
    d.inFill = false;
  }
  // A start that waited for the deck to play is late; one on entering the phrase is not.
  startIfPlaying(d, o, !entered);
  const nowInFill = position.where === 'in-phrase' && position.inFill;
  if (nowInFill && !d.inFill && d.started && d.info !== null) o.emit(event('phrase.fill', d.info, o));
  d.inFill = nowInFill;
}

/** A structure for the deck's track, new or with new content: the deck is where its positions left it, now with phrases to be in. */
function learn(d: DeckPhrases, trackId: number, structure: SongStructure, o: Out): void {
  d.trackId = trackId;
  d.structure = structure;
  d.undo = null; // its phrases are of the structure before
  const position = phraseAtBeat(structure, d.lastBeat);
  const inPhrase = position.where === 'in-phrase' ? position : null;
  const info = inPhrase === null ? null : phraseInfo(structure, inPhrase);
  d.current = inPhrase === null ? null : inPhrase.sortedIndex;
  const inFill = inPhrase?.inFill ?? false;
  if (samePhraseInfo(info, d.info)) {
    d.inFill = inFill;
    return;
  }
  enter(d, info, o);
  d.inFill = inFill;
  startIfPlaying(d, o, true);
}

/** The eight Flags a tracker can hand out, made once (they are only read): every position would otherwise make one. */
function flagSets(confirmedAlways: boolean): readonly Flags[] {
  const sets: Flags[] = [];
  for (let i = 0; i < 8; i++) {
    const estimated = (i & 1) !== 0;
    sets.push(Object.freeze({ estimated, late: (i & 2) !== 0, confirmed: confirmedAlways || !estimated, coasting: (i & 4) !== 0 }));
  }
  return sets;
}

class PhraseTracker {
  private readonly decks = new Map<number, DeckPhrases>();
  private readonly flagSets: readonly Flags[];
  private spare: MutableOut | null = null;

  constructor(confirmedAlways: boolean) {
    this.flagSets = flagSets(confirmedAlways);
  }

  private flags(estimated: boolean, late: boolean, coasting = false): Flags {
    return this.flagSets[(estimated ? 1 : 0) | (late ? 2 : 0) | (coasting ? 4 : 0)] as Flags;
  }

  step(input: PhraseInput, emit: Emit<PhraseOutput>): void {
    let d = this.decks.get(input.deck);
    if (d === undefined) {
      d = newDeck();
      this.decks.set(input.deck, d);
    }
    switch (input.kind) {
      case 'structure': {
        if (d.trackId !== null && d.trackId !== input.trackId) return;
        if (d.trackId === input.trackId && d.structure !== null && sameStructure(d.structure, input.structure)) return;
        learn(d, input.trackId, input.structure, { deck: input.deck, at: d.lastAt, flags: this.flags(d.lastEstimated, true), emit });
        return;
      }
      case 'unconfirmed': {
        // What the beat would have caused, on a copy: the deck stays where its confirmed positions left it.
        const copy = { ...d, playing: true, lastAt: input.at, lastEstimated: true };
        advance(copy, input.beat, {
          deck: input.deck,
          at: input.at,
          flags: this.flags(true, false),
          emit: (out) => {
            if (out.kind === 'event') emit({ kind: 'unconfirmed', event: out.event, reason: input.reason });
          },
        });
        return;
      }
      case 'position': {
        // The Out of a position is made once and rewritten (one per position would be garbage per status packet), unless a position comes in while another is under way.
        const flags = this.flags(input.estimated, input.late, input.coasting);
        const o = this.spare ?? { deck: input.deck, at: input.at, flags, emit };
        this.spare = null;
        o.deck = input.deck;
        o.at = input.at;
        o.flags = flags;
        o.emit = emit;
        try {
          this.position(d, input, o);
        } finally {
          this.spare = o;
        }
      }
    }
  }

  /** A position of the deck: it is there now, and emits what getting there crossed. */
  private position(d: DeckPhrases, input: Extract<PhraseInput, { kind: 'position' }>, o: Out): void {
    if (d.undo !== null && !keepsUndo(d, input, d.undo)) d.undo = null;
    const undo = d.undo;
    d.lastAt = input.at;
    d.lastEstimated = input.estimated;
    d.playing = input.playing;
    if (undo !== null && stoppedShort(d, input, undo)) {
      // The deck stopped before the predicted beat that entered a phrase: it never left the phrase it
      // was in (which goes on as it was), and never began the other. Playing into it fires it again.
      takeBack(d, undo, input.beat);
      if (d.info !== undo.info) {
        d.info = undo.info;
        o.emit({ kind: 'current', deck: o.deck, phrase: undo.info, at: o.at });
      }
      return;
    }
    if (undo !== null && input.overtook === true && input.beat === undo.beat) {
      // The predicted entry did not happen then: the deck stayed in the phrase it was in, which ends now (below).
      takeBack(d, undo, undo.beat - 1);
      d.info = undo.info;
    }
    if (input.trackId !== d.trackId) {
      // A new track: its structure is not known yet, so its position only moves the deck.
      enter(d, null, o);
      d.trackId = input.trackId;
      d.structure = null;
      d.current = null;
      d.inFill = false;
      d.lastBeat = input.beat;
      return;
    }
    advance(d, input.beat, o, input.cued === true, input.again === true);
  }
}

/** Takes back a predicted entry into a phrase that did not happen: the deck is at `beat`, in the phrase it was in before (whose info the caller puts back). */
function takeBack(d: DeckPhrases, undo: Undo, beat: number | null): void {
  d.undo = null;
  d.lastBeat = beat;
  d.current = undo.current;
  d.inFill = undo.inFill;
  d.started = undo.started;
}

/**
 * Whether the predicted entry may still turn out not to have happened: the
 * deck's next predicted beats, or a status of it stopped around there (one
 * that only says it stopped still shows the predicted beat), come first.
 * A status of the deck playing, or one elsewhere, settles it.
 */
function keepsUndo(d: DeckPhrases, input: Extract<PhraseInput, { kind: 'position' }>, undo: Undo): boolean {
  if (input.beat === null || input.trackId !== d.trackId || Math.abs(input.beat - undo.beat) > STOPPED_SHORT_BEATS) return false;
  return input.estimated || !input.playing;
}

/**
 * Whether a position that keeps the undo (keepsUndo: near the predicted beat,
 * on the same track) is a status of the deck stopped short of that beat, back
 * in the phrase it left.
 */
function stoppedShort(d: DeckPhrases, input: Extract<PhraseInput, { kind: 'position' }>, undo: Undo): boolean {
  if (input.playing || input.beat === null || input.beat >= undo.beat || d.structure === null) return false;
  const position = phraseAtBeat(d.structure, input.beat);
  return (position.where === 'in-phrase' ? position.sortedIndex : null) === undo.current;
}

/** Everything the tracker knows: phrase events, each deck's current phrase, and what unconfirmed beats would have caused. */
export function phraseTracker(options: PhraseTrackerOptions = {}): OperatorFunction<PhraseInput, PhraseOutput> {
  return withState(() => new PhraseTracker(options.confirmed ?? false), (tracker, input, emit) => tracker.step(input, emit));
}

/** Phrase events only. */
export function trackPhrases(options: PhraseTrackerOptions = {}): OperatorFunction<PhraseInput, PhraseEvent> {
  return withState(
    () => new PhraseTracker(options.confirmed ?? false),
    (tracker, input, emit: Emit<PhraseEvent>) =>
      tracker.step(input, (out) => {
        if (out.kind === 'event') emit(out.event);
      }),
  );
}
