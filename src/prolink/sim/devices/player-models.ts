/**
 * What a simulated CDJ sends, by model: the NXS2 as captured (dysentery,
 * NightClubMare), and the CDJ-3000 as the protocol doc describes it (§3.1:
 * a 0x200-byte status with the loop it plays and a packet counter left at 0;
 * §5: a precise position packet about every 30 ms while a track is loaded).
 */
import { STATUS_LENGTH_CDJ3000, STATUS_LENGTH_NXS2 } from '../encode/cdj-status';

export type PlayerModelName = 'nxs2' | 'cdj-3000';

export interface PlayerModel {
  /** Device name at 0x0b. */
  readonly name: string;
  readonly statusLength: number;
  readonly statusSubtype: number;
  readonly firmware: string;
  /** Keep-alive byte 0x25 (§2.1). */
  readonly keepAliveByte25: number;
  /** The status carries the loop being played (§3.1, 0x1b6–0x1c9). */
  readonly reportsLoop: boolean;
  /** Cadence of precise position packets (§5), null for none. */
  readonly positionMs: number | null;
  /** The status's packet counter (0xc8) counts; CDJ-3000s send 0 (§3.1). */
  readonly countsPackets: boolean;
}

export const PLAYER_MODELS: Readonly<Record<PlayerModelName, PlayerModel>> = {
  // §3: NXS2 players were captured with subtype 05, firmware "1.85" and 02 at keep-alive byte 0x25.
  nxs2: { name: 'CDJ-2000NXS2', statusLength: STATUS_LENGTH_NXS2, statusSubtype: 0x05, firmware: '1.85', keepAliveByte25: 0x02, reportsLoop: false, positionMs: null, countsPackets: true },
  // Not captured: the documented length and fields; subtype and keep-alive byte as the NXS2's.
  'cdj-3000': { name: 'CDJ-3000', statusLength: STATUS_LENGTH_CDJ3000, statusSubtype: 0x05, firmware: '3.00', keepAliveByte25: 0x02, reportsLoop: true, positionMs: 30, countsPackets: false },
};
