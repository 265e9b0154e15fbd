/**
 * The OPUS-QUAD's 0x56 transfers (§7): album art sent unprompted after a load
 * (data type 02) and PSSI sent in answer to 0x55 (data type 0a), each cut into
 * chunks of at most 1368 payload bytes and sent to one host on port 50002.
 */
import { DATA_TYPE_ART, DATA_TYPE_PSSI } from '../../packets/binary-chunk';
import { OPUS_NAME, PORT_STATUS } from '../../packets/header';
import type { PhraseRequest } from '../../packets/phrase-request';
import { encodeTransfer } from '../encode/binary-chunk';
import type { SimTrack } from '../deck/track';
import type { Outgoing } from './device';

/** OPUS deck 1–4 ↔ device number 9–12 (§3.5). */
export const OPUS_DEVICE_OFFSET = 8;
export const OPUS_DECKS: readonly number[] = [1, 2, 3, 4];

export function opusDevice(deck: number): number {
  return deck + OPUS_DEVICE_OFFSET;
}

function transfer(deck: number, dataType: number, trackId: number, data: Buffer, to: string, chunkBytes: number, what: string): Outgoing[] {
  const device = opusDevice(deck);
  return encodeTransfer({ name: OPUS_NAME, device, dataType, trackId }, data, chunkBytes).map((chunk, i, all) => ({
    port: PORT_STATUS,
    address: to,
    data: chunk,
    what: `0x56 ${what} deck ${deck} track ${trackId} chunk ${i + 1}/${all.length}`,
  }));
}

export function artTransfer(deck: number, track: SimTrack, to: string, chunkBytes: number): Outgoing[] {
  return track.art === null ? [] : transfer(deck, DATA_TYPE_ART, track.id, track.art, to, chunkBytes, 'album art');
}

export function pssiTransfer(deck: number, track: SimTrack, to: string, chunkBytes: number): Outgoing[] {
  return track.pssi === null ? [] : transfer(deck, DATA_TYPE_PSSI, track.id, track.pssi, to, chunkBytes, 'PSSI');
}

/**
 * Which decks' PSSI a 0x55 is answered with (§7.3). The constant form
 * rekordbox sends is described as returning every loaded deck's PSSI, and the
 * per-deck fields' meaning is unknown, so by default every request gets every
 * loaded deck's (a bridge must cope with data it did not ask for arriving
 * again). `perDeck` answers the per-deck form (0x29 = device 9–12) with that
 * deck alone. A request for another data type than PSSI asks for nothing.
 */
export function requestedDecks(request: PhraseRequest, perDeck = false): readonly number[] {
  if (request.dataType !== DATA_TYPE_PSSI) return [];
  const deck = request.deckDevice - OPUS_DEVICE_OFFSET;
  return perDeck && OPUS_DECKS.includes(deck) ? [deck] : OPUS_DECKS;
}
