/**
 * The truth of a simulated show, written as the events a bridge owes its
 * rules: every beat a playing deck reaches, every phrase change, master
 * change, track load, play and stop, each at the instant it happened. It is
 * built from the simulator's own model (deck timelines, the scenario's track
 * list and the structures the simulator generates), never from what the
 * bridge decodes, so it can judge the bridge.
 *
 * What each event means (the promise the bridge keeps):
 *  - beat: the playhead reached grid beat n while playing.
 *  - phrase.start / phrase.end: a playing deck entered a phrase, by playing
 *    across its first beat, or by a jump, a loop or the start of play landing
 *    in it (a jump inside a beat, as a beat jump that keeps the place in the
 *    beat: at the jump); the phrase it was in ends at that instant. Looping
 *    back to the first beat of the phrase it is in enters it again. A stopped deck enters
 *    nothing: its phrase starts when it plays. A stopped deck cued elsewhere
 *    (or back to the first beat of the phrase it played) leaves that phrase:
 *    it ends then. Loading a new track ends the phrase the deck was in.
 *  - phrase.fill: a playing deck reached the fill-in of its phrase.
 *  - master.change, track.load, play, stop: as the rig did them; a deck
 *    that plays to the end of its track stops there too.
 *  - jump: a playing deck's playhead put elsewhere (not a loop's wrap), and
 *    where it landed; no rule is owed one, it explains what comes after.
 *  - cue: the playhead reached a cue of its track: by playing across it
 *    (every pass of a loop), or by a jump, a play start or a loop pass that
 *    put it on the cue (the instant of that, cause 'action'). Cues jumped
 *    over are not reached.
 * `cause` says whether anyone could have seen the event coming: 'flow' when
 * the deck got there by playing on, 'action' when a DJ action (play, jump,
 * loop, load) put it there at that instant.
 */
import type { SimDeck, TrueBeat } from './deck/deck';
import type { SimEvent } from './devices/device';
import type { Scenario, TrackSpec } from './scenario';
import { syntheticSongStructure } from './tracks/synthetic-phrases';

export type TruthCause = 'flow' | 'action';

interface TruthBase {
  readonly at: number;
}

export interface TruthBeat extends TruthBase {
  readonly type: 'beat';
  readonly deck: number;
  readonly trackId: number;
  readonly beat: number;
  readonly beatInBar: number;
  readonly cause: TruthCause;
  /** Beats the deck has played on at a steady tempo since the last DJ action or tempo change (0 on the beat it happened). */
  readonly flowBeats: number;
  /** Reached again by a wrap of a loop shorter than a beat (a roll): faster than status packets come, so none can show it. Present only then. */
  readonly rollWrap?: true;
}

export interface TruthPhrase extends TruthBase {
  readonly type: 'phrase.start' | 'phrase.end' | 'phrase.fill';
  readonly deck: number;
  readonly trackId: number;
  /** First beat of the phrase: what identifies it within its track. */
  readonly startBeat: number;
  readonly kindRaw: number;
  readonly cause: TruthCause;
  /** Entered again (or left) by a wrap of a roll: see TruthBeat. Present only then. */
  readonly rollWrap?: true;
}

export interface TruthMaster extends TruthBase {
  readonly type: 'master.change';
  readonly deck: number | null;
  readonly previousDeck: number | null;
}

export interface TruthDeckEvent extends TruthBase {
  readonly type: 'play' | 'stop';
  readonly deck: number;
}

export interface TruthLoad extends TruthBase {
  readonly type: 'track.load';
  readonly deck: number;
  readonly trackId: number;
}

export interface TruthCue extends TruthBase {
  readonly type: 'cue';
  readonly deck: number;
  readonly trackId: number;
  /** The cue's grid position (beat n at n) and name: what identifies it within its track. */
  readonly beat: number;
  readonly name: string;
  readonly hotCue: number | null;
  readonly cause: TruthCause;
}

/** A jump of a playing deck (a cue, a hot cue, a beat jump): where it landed. Nothing a rule is owed; what explains the events around it. */
export interface TruthJump extends TruthBase {
  readonly type: 'jump';
  readonly deck: number;
  readonly trackId: number;
  /** Where the playhead landed (beat n at n): a whole number on a beat, a fraction inside one. */
  readonly position: number;
}

/** The platter held on a playing deck (vinyl mode): it stands, still playing, until the hand lets go. Nothing a rule is owed; what explains the events around it. */
export interface TruthHold extends TruthBase {
  readonly type: 'hold';
  readonly deck: number;
}

export type TruthEvent = TruthBeat | TruthPhrase | TruthMaster | TruthDeckEvent | TruthLoad | TruthCue | TruthJump | TruthHold;
export type TruthEventType = TruthEvent['type'];

/** A phrase as the simulator sends it: its first beat, kind, and fill-in beat if any. */
export interface TruthPhraseSpan {
  readonly startBeat: number;
  readonly kindRaw: number;
  readonly fillBeat: number | null;
}

export interface TruthStructure {
  /** In beat order. */
  readonly phrases: readonly TruthPhraseSpan[];
  /** The beat after the last phrase. */
  readonly endBeat: number;
}

/**
 * The structure the simulator sends for a track: its generated one. Tracks
 * that send a real analysis file's PSSI have none here (null), and their
 * phrases are not part of the truth.
 */
export function truthStructureOf(spec: TrackSpec): TruthStructure | null {
  if (spec.anlz !== undefined) return null;
  const generated = syntheticSongStructure(spec.id, spec.beats);
  return {
    endBeat: generated.endBeat,
    phrases: generated.phrases.map((p) => ({ startBeat: p.beat, kindRaw: p.kindRaw, fillBeat: p.fill === true ? (p.fillBeat ?? null) : null })),
  };
}

/** The index of the phrase holding `beat`, or null before the first phrase or from the end beat on. */
function phraseIndexAt(structure: TruthStructure, beat: number): number | null {
  if (beat >= structure.endBeat) return null;
  let found: number | null = null;
  structure.phrases.forEach((p, i) => {
    if (p.startBeat <= beat) found = i;
  });
  return found;
}

/** What the rig did to the decks, from the simulator's event log. */
interface DeckAction {
  readonly at: number;
  readonly code: 'track-load' | 'play' | 'stop' | 'jump' | 'hold' | 'loop';
  readonly trackId: number | null;
}

const DECK_ACTIONS: ReadonlySet<string> = new Set(['track-load', 'play', 'stop', 'jump', 'hold', 'loop']);

function actionsOf(log: readonly SimEvent[], deck: number, from: number, to: number): DeckAction[] {
  return log
    .filter((e) => e.deck === deck && DECK_ACTIONS.has(e.code) && e.at > from && e.at <= to)
    .map((e) => ({ at: e.at, code: e.code as DeckAction['code'], trackId: e.trackId ?? null }));
}

export interface ShowTruthInput {
  readonly scenario: Scenario;
  readonly decks: ReadonlyMap<number, SimDeck>;
  /** The simulator's event log (SimTruth.events), which must cover the whole range. */
  readonly log: readonly SimEvent[];
  readonly from: number;
  readonly to: number;
}

/** Every truth event with from < at ≤ to, in time order. */
export function showTruth(input: ShowTruthInput): TruthEvent[] {
  const structures = new Map(input.scenario.tracks.map((t) => [t.id, truthStructureOf(t)]));
  const events: TruthEvent[] = [];
  for (const [deckNumber, deck] of input.decks) {
    events.push(...deckTruth(deckNumber, deck, actionsOf(input.log, deckNumber, input.from, input.to), structures, input.from, input.to));
    // A deck that plays to the end of its track stops there.
    for (const at of deck.endsBetween(input.from, input.to)) events.push({ type: 'stop', at, deck: deckNumber });
    for (const c of deck.cuesBetween(input.from, input.to)) {
      events.push({ type: 'cue', at: c.at, deck: deckNumber, trackId: c.trackId, beat: c.cue.beat, name: c.cue.name, hotCue: c.cue.hotCue, cause: c.landed ? 'action' : 'flow' });
    }
  }
  for (const e of input.log) {
    if (e.code !== 'master' || e.at <= input.from || e.at > input.to || e.deck === undefined) continue;
    events.push({ type: 'master.change', at: e.at, deck: e.deck, previousDeck: e.previousDeck ?? null });
  }
  return events.sort((a, b) => a.at - b.at || order(a) - order(b));
}

/** At one instant: a load before the stop/play it implies, phrase ends before starts, beats last. */
function order(e: TruthEvent): number {
  switch (e.type) {
    case 'track.load':
      return 0;
    case 'stop':
      return 1;
    case 'play':
      return 2;
    case 'master.change':
    case 'jump':
    case 'hold':
      return 3;
    case 'phrase.end':
      return 4;
    case 'phrase.start':
      return 5;
    case 'phrase.fill':
      return 6;
    case 'beat':
      return 7;
    case 'cue':
      return 8;
  }
}

interface PhraseState {
  trackId: number | null;
  current: number | null;
  lastBeat: number | null;
}

function deckTruth(
  deckNumber: number,
  deck: SimDeck,
  actions: readonly DeckAction[],
  structures: ReadonlyMap<number, TruthStructure | null>,
  from: number,
  to: number,
): TruthEvent[] {
  const out: TruthEvent[] = [];
  const beats = deck.beatsBetween(from, to);
  const state: PhraseState = { trackId: null, current: null, lastBeat: null };
  let actionIndex = 0;
  let flow = 0;
  let lastBeatAt = -Infinity;
  let lastBpm = NaN;
  let pendingAction = true;
  const applyActionsUpTo = (t: number): void => {
    for (; actionIndex < actions.length && (actions[actionIndex] as DeckAction).at <= t; actionIndex++) {
      const a = actions[actionIndex] as DeckAction;
      pendingAction = true;
      if (a.code === 'track-load' && a.trackId !== null) {
        endPhrase(out, deckNumber, state, structures, a.at);
        state.trackId = a.trackId;
        state.lastBeat = null;
        out.push({ type: 'track.load', at: a.at, deck: deckNumber, trackId: a.trackId });
      } else if (a.code === 'play') {
        out.push({ type: 'play', at: a.at, deck: deckNumber });
      } else if (a.code === 'stop' && deck.playingAt(a.at - 1e-6)) {
        out.push({ type: 'stop', at: a.at, deck: deckNumber });
      } else if (a.code === 'jump' && state.trackId !== null && deck.playingAt(a.at)) {
        // A jump that lands inside a beat (a beat jump keeps the place in the beat) reaches no beat,
        // but the deck is in the landing beat's phrase from that instant. One onto a beat is that beat's.
        const position = deck.positionAt(a.at);
        out.push({ type: 'jump', at: a.at, deck: deckNumber, trackId: state.trackId, position });
        const beat = Math.floor(position + 1e-9);
        if (position - beat > 1e-6) {
          phraseAtBeat(out, deckNumber, state, structures, { at: a.at, beat, beatInBar: 0, trackId: state.trackId, bpm: lastBpm }, 'action');
        }
      } else if (a.code === 'jump' && state.trackId !== null) {
        leavePhraseStopped(out, deckNumber, state, structures, a.at, Math.floor(deck.positionAt(a.at) + 1e-9));      } else if (a.code === 'hold' && deck.playingAt(a.at)) {
        out.push({ type: 'hold', at: a.at, deck: deckNumber });
      }
    }
  };
  for (const b of beats) {
    applyActionsUpTo(b.at);
    const continues = state.lastBeat !== null && b.beat === state.lastBeat + 1 && b.trackId === state.trackId && !pendingAction;
    // A loop wraps without a DJ action at that instant, but nothing in the status says when: it counts as an action.
    const cause: TruthCause = continues && b.at > lastBeatAt ? 'flow' : 'action';
    const steady = Math.abs(b.bpm - lastBpm) < 1e-6;
    flow = cause === 'flow' && steady ? flow + 1 : 0;
    lastBpm = b.bpm;
    pendingAction = false;
    lastBeatAt = b.at;
    const beat: TruthBeat = { type: 'beat', at: b.at, deck: deckNumber, trackId: b.trackId, beat: b.beat, beatInBar: b.beatInBar, cause, flowBeats: flow };
    out.push(b.rollWrap === true ? { ...beat, rollWrap: true } : beat);
    phraseAtBeat(out, deckNumber, state, structures, b, cause);
  }
  applyActionsUpTo(to);
  return out;
}

function endPhrase(out: TruthEvent[], deck: number, state: PhraseState, structures: ReadonlyMap<number, TruthStructure | null>, at: number): void {
  const structure = state.trackId === null ? null : (structures.get(state.trackId) ?? null);
  if (structure !== null && state.current !== null && state.trackId !== null) {
    const p = structure.phrases[state.current] as TruthPhraseSpan;
    out.push({ type: 'phrase.end', at, deck, trackId: state.trackId, startBeat: p.startBeat, kindRaw: p.kindRaw, cause: 'action' });
  }
  state.current = null;
}

/**
 * A stopped deck put on beat `beat` (a cue): it leaves the phrase it played
 * when that beat is in another phrase, or is the first beat of that phrase
 * again (the CUE button on a cue at a phrase's start); that phrase ends then.
 * It enters the next one when it plays.
 */
function leavePhraseStopped(out: TruthEvent[], deck: number, state: PhraseState, structures: ReadonlyMap<number, TruthStructure | null>, at: number, beat: number): void {
  const structure = state.trackId === null ? null : (structures.get(state.trackId) ?? null);
  if (structure === null || state.current === null) return;
  const index = phraseIndexAt(structure, beat);
  const back = index === state.current && (structure.phrases[index] as TruthPhraseSpan).startBeat === beat && (state.lastBeat === null || beat <= state.lastBeat);
  if (index !== state.current || back) endPhrase(out, deck, state, structures, at);
}

/** A phrase event a roll's wrap made says so (TruthPhrase.rollWrap). */
function rolled(b: TrueBeat, e: TruthPhrase): TruthPhrase {
  return b.rollWrap === true ? { ...e, rollWrap: true } : e;
}

function phraseAtBeat(out: TruthEvent[], deck: number, state: PhraseState, structures: ReadonlyMap<number, TruthStructure | null>, b: TrueBeat, cause: TruthCause): void {
  state.trackId = b.trackId;
  const structure = structures.get(b.trackId) ?? null;
  const lastBeat = state.lastBeat;
  state.lastBeat = b.beat;
  if (structure === null) return;
  const index = phraseIndexAt(structure, b.beat);
  const movedBack = lastBeat !== null && b.beat <= lastBeat;
  const phrase = index === null ? null : (structure.phrases[index] as TruthPhraseSpan);
  const entered = index !== state.current || (movedBack && phrase !== null && b.beat === phrase.startBeat);
  if (entered) {
    if (state.current !== null) {
      const old = structure.phrases[state.current] as TruthPhraseSpan;
      out.push(rolled(b, { type: 'phrase.end', at: b.at, deck, trackId: b.trackId, startBeat: old.startBeat, kindRaw: old.kindRaw, cause }));
    }
    state.current = index;
    if (phrase !== null) out.push(rolled(b, { type: 'phrase.start', at: b.at, deck, trackId: b.trackId, startBeat: phrase.startBeat, kindRaw: phrase.kindRaw, cause }));
  }
  if (phrase !== null && phrase.fillBeat !== null && b.beat === phrase.fillBeat) {
    out.push(rolled(b, { type: 'phrase.fill', at: b.at, deck, trackId: b.trackId, startBeat: phrase.startBeat, kindRaw: phrase.kindRaw, cause }));
  }
}
