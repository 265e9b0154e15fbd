/**
 * Deck state from CDJ status packets: one DeckState per packet, normalised
 * (OPUS decks 9–12 become 1–4, "nothing loaded" becomes null).
 */
import { map, type OperatorFunction } from 'rxjs';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import { opusDeck } from '../prolink/packets/header';
import type { DeckState } from '../events/deck-state';
import type { Received } from './received';

export function deckStateOf({ packet, at }: Received<CdjStatus>): DeckState {
  return {
    deck: packet.deck,
    device: packet.device,
    deviceName: packet.name,
    trackId: packet.trackId === 0 ? null : packet.trackId,
    trackDevice: packet.trackDevice === 0 ? null : packet.trackDevice,
    slot: packet.slot,
    playState: packet.playState,
    playing: packet.playing,
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
    updatedAt: at,
  };
}

export function toDeckStates(): OperatorFunction<Received<CdjStatus>, DeckState> {
  return map(deckStateOf);
}
