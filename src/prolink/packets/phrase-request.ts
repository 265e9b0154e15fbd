/**
 * The OPUS-QUAD metadata (PSSI) request, type 0x55 on port 50002, 0x2c bytes
 * (§7.3). The track ID at 0x24 is little-endian, the only such field.
 */
import { B_DEVICE, B_LENGTH, B_NAME, B_ONE, BODY, PORT_STATUS, opusDeck, writeHeader, writeName } from './header';
import { checkPacket, nameAt, u32le, u8 } from './common';
import { byteArg, nameArg, u32Arg } from './encode';
import { LIGHTING_DEVICE } from './keep-alive';
import { DATA_TYPE_PSSI } from './binary-chunk';
import type { PacketError } from './errors';

export const TYPE_PHRASE_REQUEST = 0x55;
export const PHRASE_REQUEST_LENGTH = 0x2c;

/** §7.3 offsets. */
export const PR_TRACK_ID = 0x24;
export const PR_DATA_TYPE = 0x28;
export const PR_DECK = 0x29;
export const PR_TAIL = 0x2a;
const PR_TAIL_BYTES = [0x03, 0x01] as const;

/** §7.3: the fixed request rekordbox sends (track ID bytes 36 00 00 00, deck byte 02). */
export const CONSTANT_PHRASE_TRACK_ID = 0x36;
export const CONSTANT_PHRASE_DECK_DEVICE = 0x02;

export interface PhraseRequest {
  readonly kind: 'phraseRequest';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** The requester's D (0x21). */
  readonly device: number;
  /** Little-endian at 0x24. */
  readonly trackId: number;
  /** 0x0a = PSSI. */
  readonly dataType: number;
  /** The byte at 0x29 as sent: an OPUS device number 9-12 (or 02 in the constant form). */
  readonly deckDevice: number;
  /** deckDevice with 9-12 mapped to decks 1-4. */
  readonly deck: number;
  readonly length: number;
}

export function decodePhraseRequest(buf: Buffer, port: number = PORT_STATUS): PhraseRequest | PacketError {
  const error = checkPacket(buf, port, TYPE_PHRASE_REQUEST, PR_DECK + 1, 'phrase request');
  if (error !== null) return error;
  const deckDevice = u8(buf, PR_DECK);
  return {
    kind: 'phraseRequest',
    port,
    type: TYPE_PHRASE_REQUEST,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    trackId: u32le(buf, PR_TRACK_ID),
    dataType: u8(buf, PR_DATA_TYPE),
    deckDevice,
    deck: opusDeck(deckDevice),
    length: buf.length,
  };
}

export interface PhraseRequestOptions {
  readonly trackId: number;
  /** The OPUS device number of the deck, 9-12. */
  readonly deckDevice: number;
  /** Our device number, default 0x17. */
  readonly device?: number;
  /** Defaults to "rekordbox". */
  readonly name?: string;
}

/** The per-deck 0x55 request of §7.3. */
export function encodePhraseRequest(options: PhraseRequestOptions): Buffer {
  const device = byteArg('device', options.device ?? LIGHTING_DEVICE);
  const buf = Buffer.alloc(PHRASE_REQUEST_LENGTH);
  writeHeader(buf, TYPE_PHRASE_REQUEST);
  writeName(buf, B_NAME, nameArg(options.name ?? 'rekordbox'));
  buf[B_ONE] = 0x01;
  buf[B_DEVICE] = device;
  buf.writeUInt16BE(PHRASE_REQUEST_LENGTH - BODY, B_LENGTH);
  buf.writeUInt32LE(u32Arg('trackId', options.trackId), PR_TRACK_ID);
  buf[PR_DATA_TYPE] = DATA_TYPE_PSSI;
  buf[PR_DECK] = byteArg('deckDevice', options.deckDevice);
  buf[PR_TAIL] = PR_TAIL_BYTES[0];
  buf[PR_TAIL + 1] = PR_TAIL_BYTES[1];
  return buf;
}

/** The constant form of §7.3 that asks for the PSSI of every loaded deck. */
export function encodeConstantPhraseRequest(device: number = LIGHTING_DEVICE): Buffer {
  return encodePhraseRequest({ trackId: CONSTANT_PHRASE_TRACK_ID, deckDevice: CONSTANT_PHRASE_DECK_DEVICE, device });
}
