/**
 * Events derived from consecutive states of the same deck: track loads and
 * unloads, play/stop, on-air/off-air and tempo changes.
 */
import { from, mergeMap, scan, type OperatorFunction } from 'rxjs';
import type { DeckState } from '../events/deck-state';
import type { BridgeEvent, DeckEvent, TempoEvent, TrackEvent } from '../events/bridge-event';

/** Effective BPM changes smaller than this are noise from the 0.01-BPM / pitch quantisation. */
export const TEMPO_EPSILON = 0.005;

export function diffDeck(previous: DeckState | undefined, next: DeckState): BridgeEvent[] {
  const at = next.updatedAt;
  const deck = next.deck;
  const events: BridgeEvent[] = [];
  const before = previous ?? null;
  if ((before?.trackId ?? null) !== next.trackId) {
    if (before?.trackId != null) {
      events.push({ type: 'track.unload', at, deck, trackId: before.trackId, previousTrackId: before.trackId } satisfies TrackEvent);
    }
    if (next.trackId !== null) {
      events.push({ type: 'track.load', at, deck, trackId: next.trackId, previousTrackId: before?.trackId ?? null } satisfies TrackEvent);
    }
  }
  if ((before?.playing ?? false) !== next.playing) events.push({ type: next.playing ? 'play' : 'stop', at, deck } satisfies DeckEvent);
  if ((before?.onAir ?? false) !== next.onAir) events.push({ type: next.onAir ? 'onair' : 'offair', at, deck } satisfies DeckEvent);
  const oldBpm = before?.effectiveBpm ?? null;
  const newBpm = next.effectiveBpm;
  const tempoChanged = oldBpm === null || newBpm === null ? oldBpm !== newBpm : Math.abs(oldBpm - newBpm) > TEMPO_EPSILON;
  if (tempoChanged && (before !== null || newBpm !== null)) {
    events.push({ type: 'tempo', at, deck, effectiveBpm: newBpm, previousBpm: oldBpm } satisfies TempoEvent);
  }
  return events;
}

interface State {
  readonly decks: ReadonlyMap<number, DeckState>;
  readonly events: readonly BridgeEvent[];
}

export function deckEvents(): OperatorFunction<DeckState, BridgeEvent> {
  return (source) =>
    source.pipe(
      scan<DeckState, State>(
        (state, next) => {
          const events = diffDeck(state.decks.get(next.deck), next);
          const decks = new Map(state.decks);
          decks.set(next.deck, next);
          return { decks, events };
        },
        { decks: new Map(), events: [] },
      ),
      mergeMap((state) => from(state.events)),
    );
}
