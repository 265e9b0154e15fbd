/**
 * Which device numbers each kind of device and packet can carry (protocol
 * doc §2.1, §2.3, §3.1, §3.5, §4, §6.1, §12). Where the sources disagree the
 * range is the union of what they report:
 *
 * - players 1–6 (CDJ-3000s use 5 and 6); OPUS-QUAD decks 9–12, and 1–4 as
 *   well because one source says it may report like an XDJ-XZ (§12 item 1);
 * - mixers 33 (every DJM, and the mixer part of all-in-one units);
 * - rekordbox 17–47: 0x11 in its mixer status, 0x13–0x27 in lighting mode,
 *   41–44 in its number claims on a real capture;
 * - virtual players announce 7 and up (beat-link starts at 7; a capture shows
 *   one at 21): they may announce themselves, but no deck exists for them, so
 *   their status, beat and position packets are not believed.
 */
import type { DeviceType } from '../../prolink/packets/device-type';

export interface NumberRange {
  readonly first: number;
  readonly last: number;
}

const PLAYERS: NumberRange = { first: 1, last: 6 };
const OPUS_DECKS: NumberRange = { first: 9, last: 12 };
const OPUS_AS_XDJ: NumberRange = { first: 1, last: 4 };
const MIXER: NumberRange = { first: 33, last: 33 };
/** Announced players, virtual ones included; 33 and up are mixers (§4). */
const ANNOUNCED_PLAYERS: NumberRange = { first: 1, last: 32 };
const REKORDBOX: NumberRange = { first: 17, last: 47 };
/** A keep-alive whose device type is not one we know (§12 item 9): any number a device can claim. */
const ANY_DEVICE: NumberRange = { first: 1, last: 127 };

/** The lists each check asks about, made once: these checks run for every packet. */
const OPUS_DECK_NUMBERS: readonly NumberRange[] = [OPUS_DECKS, OPUS_AS_XDJ];
const PLAYER_NUMBERS: readonly NumberRange[] = [PLAYERS];
const PLAYER_OR_MIXER_NUMBERS: readonly NumberRange[] = [PLAYERS, MIXER];
const ANNOUNCED_PLAYER_NUMBERS: readonly NumberRange[] = [ANNOUNCED_PLAYERS];
const MIXER_NUMBERS: readonly NumberRange[] = [MIXER];
const REKORDBOX_NUMBERS: readonly NumberRange[] = [REKORDBOX];
const ANY_DEVICE_NUMBERS: readonly NumberRange[] = [ANY_DEVICE];

function within(n: number, ranges: readonly NumberRange[]): boolean {
  for (const r of ranges) if (n >= r.first && n <= r.last) return true;
  return false;
}

/** A deck number in a status or precise position packet. */
export function isDeckNumber(device: number, isOpus: boolean): boolean {
  return isOpus ? within(device, OPUS_DECK_NUMBERS) : within(device, PLAYER_NUMBERS);
}

/** A beat packet's sender: a player or a mixer; the OPUS-QUAD never sends beats (§4). */
export function isBeatSender(device: number, isOpus: boolean): boolean {
  return !isOpus && within(device, PLAYER_OR_MIXER_NUMBERS);
}

/** A 0x56 chunk's deck: only the OPUS-QUAD sends them (§7). */
export function isChunkDeck(device: number, isOpus: boolean): boolean {
  return isOpus && within(device, OPUS_DECK_NUMBERS);
}

/** The number a keep-alive may announce for its device type (§2.1 byte 0x34). */
export function isAnnouncedNumber(device: number, type: DeviceType): boolean {
  switch (type) {
    case 'player':
      return within(device, ANNOUNCED_PLAYER_NUMBERS);
    case 'mixer':
      return within(device, MIXER_NUMBERS);
    case 'rekordbox':
      return within(device, REKORDBOX_NUMBERS);
    case 'unknown':
      return within(device, ANY_DEVICE_NUMBERS);
  }
}
