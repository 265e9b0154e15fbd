/**
 * Events derived from consecutive states of the same deck: track loads and
 * unloads, play/stop, on-air/off-air and tempo changes.
 */
import type { OperatorFunction } from 'rxjs';
import type { DeckState } from '../events/deck-state';
import type { BridgeEvent, DeckEvent, TempoEvent, TrackEvent } from '../events/bridge-event';
import { withState, type Emit } from './with-state';

/** Effective BPM changes smaller than this are noise from the 0.01-BPM / pitch quantisation. */
export const TEMPO_EPSILON = 0.005;

/**
 * A deck that enters P1 'loading' (§3.2) showing the track it already had:
 * the DJ loaded the same track again (players show 'loading' with the new
 * track's ID). It is a load like any other: the track went back to its start.
 */
function reloaded(before: DeckState | null, next: DeckState): boolean {
  return before !== null && next.trackId !== null && before.trackId === next.trackId && next.playState === 'loading' && before.playState !== 'loading';
}

/** Emits the events between two states of a deck, in order; nothing when nothing changed. */
export function emitDeckChanges(previous: DeckState | undefined, next: DeckState, emit: Emit<BridgeEvent>): void {
  const at = next.updatedAt;
  const deck = next.deck;
  const before = previous ?? null;
  if ((before?.trackId ?? null) !== next.trackId || reloaded(before, next)) {
    if (before?.trackId != null) {
      emit({ type: 'track.unload', at, deck, trackId: before.trackId, previousTrackId: before.trackId, track: before.track } satisfies TrackEvent);
    }
    if (next.trackId !== null) {
      emit({ type: 'track.load', at, deck, trackId: next.trackId, previousTrackId: before?.trackId ?? null, track: next.track } satisfies TrackEvent);
    }
  }
  if ((before?.playing ?? false) !== next.playing) emit({ type: next.playing ? 'play' : 'stop', at, deck } satisfies DeckEvent);
  if ((before?.onAir ?? false) !== next.onAir) emit({ type: next.onAir ? 'onair' : 'offair', at, deck } satisfies DeckEvent);
  const oldBpm = before?.effectiveBpm ?? null;
  const newBpm = next.effectiveBpm;
  const tempoChanged = oldBpm === null || newBpm === null ? oldBpm !== newBpm : Math.abs(oldBpm - newBpm) > TEMPO_EPSILON;
  if (tempoChanged && (before !== null || newBpm !== null)) {
    emit({ type: 'tempo', at, deck, effectiveBpm: newBpm, previousBpm: oldBpm } satisfies TempoEvent);
  }
}

export function diffDeck(previous: DeckState | undefined, next: DeckState): BridgeEvent[] {
  const events: BridgeEvent[] = [];
  emitDeckChanges(previous, next, (e) => events.push(e));
  return events;
}

export function deckEvents(): OperatorFunction<DeckState, BridgeEvent> {
  return withState<DeckState, BridgeEvent, Map<number, DeckState>>(
    () => new Map(),
    (decks, next, emit) => {
      const previous = decks.get(next.deck);
      decks.set(next.deck, next);
      emitDeckChanges(previous, next, emit);
    },
  );
}
