/**
 * Deck state from CDJ status packets: one DeckState per packet, normalised
 * (OPUS decks 9–12 become 1–4, "nothing loaded" becomes null).
 */
import type { OperatorFunction } from 'rxjs';
import { map } from '../rx';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { opusDeck } from '../prolink/packets/header';
import { playheadMoves } from '../prolink/packets/status-names';
import type { DeckState, TrackInfo } from '../events/deck-state';
import type { DeckTrackMatches } from '../library/match/deck-track-matches';
import type { Received } from './received';

export function deckStateOf(received: Received<CdjStatus>): DeckState {
  return deckStateWithTrack(received, null);
}

/** The deck state with the deck's library track. */
export function deckStateWithTrack(received: Received<CdjStatus>, track: TrackInfo | null): DeckState {
  const state = stateOf(received, track);
  // Rare (a few statuses in a hundred): the marker costs the other statuses nothing.
  return received.packet.flagsZero && received.packet.isOpus ? { ...state, flagByteZero: true } : state;
}

function stateOf({ packet, at }: Received<CdjStatus>, track: TrackInfo | null): DeckState {
  return {
    deck: packet.deck,
    device: packet.device,
    deviceName: packet.name,
    trackId: packet.trackId === 0 ? null : packet.trackId,
    trackDevice: packet.trackDevice === 0 ? null : packet.trackDevice,
    slot: packet.slot,
    playState: packet.playState,
    playing: packet.playing,
    moving: playheadMoves(packet),
    master: packet.master,
    handingTo: packet.masterHandoff === null ? null : packet.isOpus ? opusDeck(packet.masterHandoff) : packet.masterHandoff,
    sync: packet.sync,
    onAir: packet.onAir,
    bpm: packet.bpm,
    pitch: packet.pitch,
    effectiveBpm: packet.effectiveBpm,
    beat: packet.beat,
    beatInBar: packet.beatInBar === 0 ? null : packet.beatInBar,
    phrase: null,
    track,
    updatedAt: at,
  };
}

/** With `tracks`, each state carries the deck's library track (the same object while the match holds). */
export function toDeckStates(tracks: DeckTrackMatches | null = null): OperatorFunction<Received<CdjStatus>, DeckState> {
  if (tracks === null) return map(deckStateOf);
  return map((r) => {
    const p = r.packet;
    return deckStateWithTrack(r, tracks.observeStatus(p.deck, p.name, p.trackId === 0 ? null : p.trackId, p.bpm));
  });
}
