/**
 * Deck states and deck events with the decks' library tracks (used only when
 * the bridge has a library). Statuses already carry the track their packet's
 * facts gave (deck-states.ts); this adds what arrives between statuses:
 *
 * - phrase data and track lengths can change a deck's match: the deck's last
 *   state is sent again at once with the new track, so expressions read it;
 * - an OPUS-QUAD reports no export.pdb IDs, so its track is only known once
 *   its phrase data arrives, which the bridge asks for on the load. The
 *   track.load event (and the events of the same deck after it) waits for
 *   that data, so that it can say which track was loaded: until the data
 *   arrives, its transfer fails, the track is known otherwise (by tempo and
 *   length, in CDJ mode, where the OPUS-QUAD sends no phrase data), `holdMs`
 *   pass, or the deck plays, stops or changes track (tempo and on-air
 *   changes queue behind it, in order). Nothing is dropped or sent twice: a
 *   held event goes out exactly once, with the track or with null, and its
 *   `at` stays the load's instant.
 */
import type { OperatorFunction } from 'rxjs';
import type { BridgeEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { DeckTrackMatches } from '../library/match/deck-track-matches';
import type { SongStructure } from '../prolink/phrases/song-structure';
import { emitDeckChanges } from './deck-events';
import { withState, type Emit } from './with-state';

/** How long a track.load of an OPUS deck waits for its phrase data at most (status time, ms). */
export const TRACK_LOAD_HOLD_MS = 1500;

export type TrackSignal =
  | { readonly kind: 'structure'; readonly deck: number; readonly trackId: number; readonly structure: SongStructure }
  | { readonly kind: 'phrases-failed'; readonly deck: number; readonly trackId: number }
  | { readonly kind: 'length'; readonly deck: number; readonly seconds: number };

export type TrackMatchingInput = DeckState | TrackSignal;
export type TrackMatchingOutput = DeckState | BridgeEvent;

export interface TrackMatchingOptions {
  readonly holdMs?: number;
}

function isSignal(input: TrackMatchingInput): input is TrackSignal {
  return 'kind' in input;
}

/** A deck state, not an event: only events have a `type`. */
export function isDeckStateOutput(output: TrackMatchingOutput): output is DeckState {
  return !('type' in output);
}

export function isEventOutput(output: TrackMatchingOutput): output is BridgeEvent {
  return 'type' in output;
}

interface Held {
  /** The track.load first, then the deck's events that followed it. */
  readonly events: BridgeEvent[];
  readonly trackId: number;
  readonly at: number;
}

interface State {
  readonly last: Map<number, DeckState>;
  readonly held: Map<number, Held>;
  /** The events of one status, reused (no array per packet). */
  readonly changes: BridgeEvent[];
}

/** Events that end the wait of a held track.load; tempo and on-air changes queue behind it. */
const MOVES_ON: ReadonlySet<BridgeEvent['type']> = new Set(['play', 'stop', 'track.load', 'track.unload']);

export function trackMatching(tracks: DeckTrackMatches, options: TrackMatchingOptions = {}): OperatorFunction<TrackMatchingInput, TrackMatchingOutput> {
  const holdMs = options.holdMs ?? TRACK_LOAD_HOLD_MS;

  const release = (state: State, deck: number, emit: Emit<TrackMatchingOutput>): void => {
    const held = state.held.get(deck);
    if (held === undefined) return;
    state.held.delete(deck);
    const track = tracks.infoOn(deck);
    for (const event of held.events) emit(event.type === 'track.load' ? { ...event, track } : event);
  };

  /** Sends the deck's last state again with its new track. */
  const refresh = (state: State, deck: number, emit: Emit<TrackMatchingOutput>): void => {
    const last = state.last.get(deck);
    if (last === undefined) return;
    const next: DeckState = { ...last, track: tracks.infoOn(deck) };
    state.last.set(deck, next);
    emit(next);
  };

  const onStatus = (state: State, next: DeckState, emit: Emit<TrackMatchingOutput>): void => {
    if (state.held.size > 0) {
      for (const [deck, held] of state.held) if (next.updatedAt - held.at >= holdMs) release(state, deck, emit);
    }
    const deck = next.deck;
    const previous = state.last.get(deck);
    state.last.set(deck, next);
    emit(next);
    // The held load's track is known from the status itself (its tempo came, with a length heard before): it waits no more.
    if (next.track !== null && state.held.get(deck)?.trackId === next.trackId) release(state, deck, emit);
    const changes = state.changes;
    changes.length = 0;
    emitDeckChanges(previous, next, (e) => changes.push(e));
    for (const event of changes) {
      // Play, stop or another track: the deck moved on, and what waited goes out first, as it is.
      if (MOVES_ON.has(event.type)) release(state, deck, emit);
      const held = state.held.get(deck);
      if (held !== undefined) held.events.push(event);
      else if (event.type === 'track.load' && event.track === null && tracks.awaitingPhrases(deck)) {
        state.held.set(deck, { events: [event], trackId: event.trackId ?? 0, at: event.at });
      } else emit(event);
    }
  };

  return withState<TrackMatchingInput, TrackMatchingOutput, State>(
    () => ({ last: new Map(), held: new Map(), changes: [] }),
    (state, input, emit) => {
      if (!isSignal(input)) {
        onStatus(state, input, emit);
        return;
      }
      const deck = input.deck;
      if (input.kind === 'length') {
        if (tracks.observeLength(deck, input.seconds)) {
          refresh(state, deck, emit);
          if (tracks.infoOn(deck) !== null) release(state, deck, emit);
        }
        return;
      }
      if (input.kind === 'structure') {
        if (tracks.observeStructure(deck, input.trackId, input.structure)) refresh(state, deck, emit);
      } else {
        tracks.phrasesFailed(deck, input.trackId);
      }
      if (state.held.get(deck)?.trackId === input.trackId) release(state, deck, emit);
    },
  );
}

/** Each deck's track length from its precise position packets, once per change (not per packet). */
export function lengthChanges(): OperatorFunction<{ readonly deck: number; readonly trackLengthSeconds: number }, TrackSignal> {
  return withState<{ readonly deck: number; readonly trackLengthSeconds: number }, TrackSignal, Map<number, number>>(
    () => new Map(),
    (lengths, { deck, trackLengthSeconds }, emit) => {
      if (lengths.get(deck) === trackLengthSeconds) return;
      lengths.set(deck, trackLengthSeconds);
      if (trackLengthSeconds > 0) emit({ kind: 'length', deck, seconds: trackLengthSeconds });
    },
  );
}
