/**
 * Checks a single packet can fail on its own: names, device numbers for the
 * kind, and fields that contradict each other. Pure: a packet (with its raw
 * bytes where the stage has them) and what its device has shown so far in,
 * a reason or null out.
 *
 * Some relations are only enforced for a device once it has shown that it
 * keeps them ("learned"), because the sources do not say whether every model
 * does (the OPUS-QUAD above all, §3.5, §12): a device that never fills the
 * master-mode byte is not judged by it.
 */
import type { Beat } from '../../prolink/packets/beat';
import type { BinaryChunk } from '../../prolink/packets/binary-chunk';
import type { CdjStatus } from '../../prolink/packets/cdj-status';
import { FLAG_MASTER, FLAG_PLAYING, ST_PITCH } from '../../prolink/packets/cdj-status';
import { PITCH_MASK, PITCH_ZERO } from '../../prolink/packets/common';
import { B_DEVICE, BODY } from '../../prolink/packets/header';
import type { KeepAlive } from '../../prolink/packets/keep-alive';
import type { PrecisePosition } from '../../prolink/packets/precise-position';
import {
  P1_CUE_PLAYING,
  P1_CUE_SCRATCHING,
  P1_CUED,
  P1_EMERGENCY_LOOP,
  P1_EMPTY,
  P1_ENDED,
  P1_LOADING,
  P1_LOOPING,
  P1_PAUSED,
  P1_PLAYING,
  P1_SEARCHING,
  P1_SPUN_DOWN,
} from '../../prolink/packets/status-names';
import { isAnnouncedNumber, isBeatSender, isChunkDeck, isDeckNumber } from './ranges';
import type { ImplausibleReason } from './reasons';

/** §3.1 offsets the codec does not decode. */
export const ST_DEVICE_COPY = BODY;
export const ST_MASTER_MODE = 0x9e;
export const ST_PITCH_3 = 0xc0;
/** §4: D again in the last byte of a beat packet. */
export const BEAT_DEVICE_COPY = 0x5f;

/** §3.3: bits 7 and 2 of F were always 1 and bit 0 always 0 on every player seen. */
const FLAGS_FIXED_MASK = 0x85;
const FLAGS_FIXED_VALUE = 0x84;
/** §3.1 M_m: 00 not master, 01 master (rekordbox track), 02 master (other track). */
const MASTER_MODE_MAX = 0x02;
/** §3.4: 0x200000 is +100 %. */
const PITCH_MAX = 2 * PITCH_ZERO;
/** No track has this many beats (8 hours at 270 BPM); only a corrupted counter reaches it. */
export const BEAT_COUNTER_MAX = 131_072;
const BEATS_PER_BAR = 4;

/** §3.2: every play state a device was seen to send. */
const PLAY_STATES: ReadonlySet<number> = new Set([
  P1_EMPTY, P1_LOADING, P1_PLAYING, P1_LOOPING, P1_PAUSED, P1_CUED, P1_CUE_PLAYING, P1_CUE_SCRATCHING, P1_SEARCHING, P1_SPUN_DOWN, P1_ENDED, P1_EMERGENCY_LOOP,
]);
/** Play states in which the play flag (F bit 6) may be set. */
const MOVING_STATES: ReadonlySet<number> = new Set([P1_PLAYING, P1_LOOPING, P1_CUE_PLAYING, P1_CUE_SCRATCHING, P1_SEARCHING, P1_EMERGENCY_LOOP]);

/** What a device (an address and name) has shown it keeps; only ever switched on. */
export interface Learned {
  /** Byte 0x24 of its status (0x5f of its beats) repeats the device number. */
  deviceCopy: boolean;
  /** F bits 7 and 2 set, bit 0 clear, whenever F is not 00. */
  fixedFlagBits: boolean;
  /** M_m (0x9e) is 01 or 02 exactly when F says master. */
  masterMode: boolean;
  /** F bit 6 is set whenever P1 says playing and P2 says moving. */
  playFlag: boolean;
  /** Pitch3 (0xc0) repeats Pitch1 (0x8c). */
  pitchCopy: boolean;
  /** A loaded track comes with a non-zero source slot. */
  slot: boolean;
}

export function nothingLearned(): Learned {
  return { deviceCopy: false, fixedFlagBits: false, masterMode: false, playFlag: false, pitchCopy: false, slot: false };
}

/** Printable ASCII, at least one character. */
export function isPlausibleName(name: string): boolean {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

function u32At(data: Buffer, offset: number): number | null {
  return data.length >= offset + 4 ? data.readUInt32BE(offset) : null;
}

/** Status (§3): numbers, field relations and learned invariants. */
export function checkStatus(s: CdjStatus, data: Buffer | null, learned: Readonly<Learned>): ImplausibleReason | null {
  if (!isPlausibleName(s.name)) return 'bad-name';
  if (!isDeckNumber(s.device, s.isOpus)) return 'device-out-of-range';
  if (learned.deviceCopy && data !== null && data[ST_DEVICE_COPY] !== data[B_DEVICE]) return 'device-copy-mismatch';
  if (!PLAY_STATES.has(s.playStateRaw) || s.beatInBar > BEATS_PER_BAR) return 'bad-field';
  if (data !== null && ((u32At(data, ST_PITCH) ?? 0) & PITCH_MASK) > PITCH_MAX) return 'bad-field';
  if (s.beat !== null && s.beat > BEAT_COUNTER_MAX) return 'bad-field';
  const loaded = s.trackId !== 0;
  if (loaded !== (s.trackDevice !== 0) || loaded !== (s.trackTypeRaw !== 0)) return 'track-without-source';
  if (learned.slot && loaded !== (s.slotRaw !== 0)) return 'track-without-source';
  const flags = s.flags;
  if (flags !== 0) {
    if (learned.fixedFlagBits && (flags & FLAGS_FIXED_MASK) !== FLAGS_FIXED_VALUE) return 'flags-inconsistent';
    if ((flags & FLAG_PLAYING) !== 0 && !MOVING_STATES.has(s.playStateRaw)) return 'flags-inconsistent';
    if (learned.playFlag && (flags & FLAG_PLAYING) === 0 && (s.playStateRaw === P1_PLAYING || s.playStateRaw === P1_LOOPING) && s.moving) return 'flags-inconsistent';
    if (learned.masterMode && data !== null) {
      const mode = data[ST_MASTER_MODE] ?? 0;
      if (mode > MASTER_MODE_MAX || ((flags & FLAG_MASTER) !== 0) !== (mode !== 0)) return 'flags-inconsistent';
    }
  }
  if (learned.pitchCopy && data !== null) {
    const copy = u32At(data, ST_PITCH_3);
    if (copy !== null && copy !== u32At(data, ST_PITCH)) return 'pitch-copy-mismatch';
  }
  return null;
}

/** Switches on what an accepted status shows its device keeps. */
export function learnFromStatus(s: CdjStatus, data: Buffer | null, learned: Learned): void {
  if (s.trackId !== 0 && s.slotRaw !== 0) learned.slot = true;
  if (s.flags !== 0 && (s.flags & FLAGS_FIXED_MASK) === FLAGS_FIXED_VALUE) learned.fixedFlagBits = true;
  if ((s.flags & FLAG_PLAYING) !== 0 && (s.playStateRaw === P1_PLAYING || s.playStateRaw === P1_LOOPING) && s.moving) learned.playFlag = true;
  if (data === null) return;
  if (data[ST_DEVICE_COPY] === data[B_DEVICE]) learned.deviceCopy = true;
  const mode = data[ST_MASTER_MODE] ?? 0;
  if ((s.flags & FLAG_MASTER) !== 0 && mode >= 1 && mode <= MASTER_MODE_MAX) learned.masterMode = true;
  const pitch = u32At(data, ST_PITCH);
  if (pitch !== null && pitch !== PITCH_ZERO && u32At(data, ST_PITCH_3) === pitch) learned.pitchCopy = true;
}

/** §4: the distances to beats 1, 2, 4 and 8 and to the next two bars, at 0 % pitch, from the tempo and beat in bar. */
function beatTimingAgrees(b: Beat): boolean {
  if (b.bpm === null || b.bpm === 0) return true;
  const period = 60_000 / b.bpm;
  const toBar = BEATS_PER_BAR + 1 - b.beatInBar;
  const expected: readonly [number | null, number][] = [
    [b.nextBeat, 1],
    [b.secondBeat, 2],
    [b.nextBar, toBar],
    [b.fourthBeat, 4],
    [b.secondBar, toBar + BEATS_PER_BAR],
    [b.eighthBeat, 8],
  ];
  for (const [ms, beats] of expected) {
    if (ms === null) continue;
    const want = beats * period;
    if (Math.abs(ms - want) > 2 + want * 0.005) return false;
  }
  return true;
}

/** Beat packets (§4). */
export function checkBeat(b: Beat, data: Buffer | null, learned: Readonly<Learned>): ImplausibleReason | null {
  if (!isPlausibleName(b.name)) return 'bad-name';
  if (!isBeatSender(b.device, b.name === 'OPUS-QUAD')) return 'device-out-of-range';
  if (learned.deviceCopy && data !== null && data[BEAT_DEVICE_COPY] !== data[B_DEVICE]) return 'device-copy-mismatch';
  if (b.beatInBar < 1 || b.beatInBar > BEATS_PER_BAR) return 'bad-field';
  if (!beatTimingAgrees(b)) return 'beat-timing';
  return null;
}

export function learnFromBeat(data: Buffer | null, learned: Learned): void {
  if (data !== null && data[BEAT_DEVICE_COPY] === data[B_DEVICE]) learned.deviceCopy = true;
}

/** Keep-alives (§2.1): the IP inside is the sender's, the name readable, the number one its type can have. */
export function checkKeepAlive(k: KeepAlive, address: string): ImplausibleReason | null {
  if (k.ip !== address) return 'address-mismatch';
  if (!isPlausibleName(k.name)) return 'bad-name';
  if (!isAnnouncedNumber(k.device, k.deviceType)) return 'device-out-of-range';
  return null;
}

export function checkPosition(p: PrecisePosition): ImplausibleReason | null {
  if (!isPlausibleName(p.name)) return 'bad-name';
  if (!isDeckNumber(p.device, p.isOpus)) return 'device-out-of-range';
  return null;
}

export function checkChunk(c: BinaryChunk): ImplausibleReason | null {
  if (!isPlausibleName(c.name)) return 'bad-name';
  if (!isChunkDeck(c.device, c.name === 'OPUS-QUAD')) return 'device-out-of-range';
  if (c.chunkCount === 0 || c.chunkIndex >= c.chunkCount) return 'bad-field';
  return null;
}
