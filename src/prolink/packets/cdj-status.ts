/**
 * CDJ status, type 0x0a on port 50002 (§3). Lengths vary by model (0xd0
 * pre-nexus, 0xd4 nexus, 0x11c/0x124 nexus 2, 0x200 CDJ-3000, the OPUS-QUAD's
 * undocumented), so fields are read by offset behind a single length check:
 * everything up to beat-in-bar (0xa6) is required, later fields are null when
 * the packet ends before them.
 *
 * This is the hot path (one packet per deck every ~200 ms, far more when
 * replaying captures): no copies, no per-call closures, interned strings.
 */
import { B_DEVICE, B_NAME, OPUS_NAME, PORT_STATUS, opusDeck } from './header';
import {
  NO_HANDOFF,
  bpmOrNull,
  checkPacket,
  nameAt,
  pitchMultiplier,
  pitchPercent,
  u16,
  u32,
  u32OrNull,
  u8,
} from './common';
import { StringInterner } from './intern';
import {
  type PlayState,
  type SlotName,
  type TrackType,
  playStateName,
  playStateSaysPlaying,
  slotName,
  trackTypeName,
} from './status-names';
import type { PacketError } from './errors';

export const TYPE_CDJ_STATUS = 0x0a;

/** §3.1 offsets. */
export const ST_TRACK_DEVICE = 0x28;
export const ST_SLOT = 0x29;
export const ST_TRACK_TYPE = 0x2a;
export const ST_TRACK_ID = 0x2c;
export const ST_PLAY_STATE = 0x7b;
export const ST_FIRMWARE = 0x7c;
export const ST_FIRMWARE_LENGTH = 4;
export const ST_SYNC_COUNTER = 0x84;
export const ST_FLAGS = 0x89;
export const ST_MOTION = 0x8b;
export const ST_PITCH = 0x8c;
export const ST_BPM = 0x92;
export const ST_MASTER_HANDOFF = 0x9f;
export const ST_BEAT = 0xa0;
export const ST_CUE = 0xa4;
export const ST_BEAT_IN_BAR = 0xa6;
export const ST_EMERGENCY = 0xba;
export const ST_PACKET_COUNTER = 0xc8;
/** CDJ-3000 loop fields (§3.1): start and end (4 bytes each, ms = raw × 65536 / 1000), whole beats (2 bytes). */
export const ST_LOOP_START = 0x1b6;
export const ST_LOOP_END = 0x1be;
export const ST_LOOP_BEATS = 0x1c8;
/** A packet this long carries the loop fields. */
export const STATUS_LOOP_LENGTH = ST_LOOP_BEATS + 2;
/** §3.1: loop positions are sent in units of 65.536 ms. */
export const LOOP_MS_PER_UNIT = 65536 / 1000;

/** The core fields end with beat-in-bar (§3.1). */
export const STATUS_MIN_LENGTH = ST_BEAT_IN_BAR + 1;

/** §3.3 flag bits of F (0x89). */
export const FLAG_PLAYING = 0x40;
export const FLAG_MASTER = 0x20;
export const FLAG_SYNC = 0x10;
export const FLAG_ON_AIR = 0x08;
export const FLAG_BPM_SYNC_ONLY = 0x02;

/** §3.1: beats-until-cue sentinel ("no cue or more than 64 bars"). */
export const NO_CUE = 0x01ff;
/** §3.1 P2: the low nibble is 0xa while moving, 0xe while stopped. */
const MOTION_NIBBLE = 0x0f;
const MOTION_MOVING = 0x0a;

const firmwares = new StringInterner(ST_FIRMWARE_LENGTH);

/** A loop a status names (§3.1): start and end within the track (ms, in steps of 65.536 ms), whole beats (null below one beat). */
export interface StatusLoop {
  readonly startMs: number;
  readonly endMs: number;
  readonly beats: number | null;
}

export interface CdjStatus {
  readonly kind: 'cdjStatus';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  /** D at 0x21 as sent (OPUS-QUAD: 9-12). */
  readonly device: number;
  /** 1-4 for OPUS-QUAD device numbers 9-12, otherwise the device number. */
  readonly deck: number;
  readonly isOpus: boolean;
  /** rekordbox ID (OPUS-QUAD: Device Library Plus content_id); 0 = nothing loaded. */
  readonly trackId: number;
  /** Dr: the device the track came from (OPUS 9-12 mapped to 1-4); 0 = none. */
  readonly trackDevice: number;
  readonly slot: SlotName;
  readonly slotRaw: number;
  readonly trackType: TrackType;
  readonly trackTypeRaw: number;
  readonly playState: PlayState;
  readonly playStateRaw: number;
  /** F bit 6; when F is 0x00 (pre-nexus, or the OPUS glitch) inferred from P1/P2. */
  readonly playing: boolean;
  /** P2 says the playhead moves. */
  readonly moving: boolean;
  readonly master: boolean;
  readonly sync: boolean;
  readonly onAir: boolean;
  readonly bpmSyncOnly: boolean;
  /** Raw F (0x89). */
  readonly flags: number;
  /** F == 0x00 on the wire: pre-nexus, or the OPUS glitch; upstream the last good F stands in for it, and this stays true. */
  readonly flagsZero: boolean;
  /** Raw P2 (0x8b). */
  readonly motion: number;
  /** Pitch1 multiplier (effective pitch), 1 = ±0 %. */
  readonly pitch: number;
  readonly pitchPercent: number;
  /** Track BPM at the playhead, null for 0xffff. */
  readonly bpm: number | null;
  readonly effectiveBpm: number | null;
  /** Beat counter from 1; 0 at the very start; null for 0xffffffff. */
  readonly beat: number | null;
  /** 1-4; 0 without an analysed track. */
  readonly beatInBar: number;
  /** Null for 0x01ff (no cue within 64 bars). */
  readonly beatsUntilCue: number | null;
  /** M_h: device about to become master, null for 0xff. */
  readonly masterHandoff: number | null;
  readonly syncCounter: number;
  /** Null when the packet ends before 0xcc. */
  readonly packetCounter: number | null;
  /** Emergency loop byte (0xba) non-zero; null when the packet ends before it. */
  readonly emergency: boolean | null;
  /**
   * The loop the player is playing, where it says (CDJ-3000, §3.1). Null
   * when the packet ends before these fields or names no loop (the end is
   * zero). One field, allocated only while a loop plays: the status is
   * decoded for every packet.
   */
  readonly loop: StatusLoop | null;
  readonly firmware: string;
  readonly length: number;
}

/** Pre-nexus players (and the OPUS glitch) send F = 0: judge from P1/P2 (§3.3, §3.5). */
function inferPlaying(p1: number, moving: boolean): boolean {
  return playStateSaysPlaying(p1, moving) ?? false;
}

export function decodeCdjStatus(buf: Buffer, port: number = PORT_STATUS): CdjStatus | PacketError {
  const error = checkPacket(buf, port, TYPE_CDJ_STATUS, STATUS_MIN_LENGTH, 'CDJ status packet');
  if (error !== null) return error;
  const length = buf.length;
  const name = nameAt(buf, B_NAME);
  const isOpus = name === OPUS_NAME;
  const device = u8(buf, B_DEVICE);
  const trackDevice = u8(buf, ST_TRACK_DEVICE);
  const slotRaw = u8(buf, ST_SLOT);
  const trackTypeRaw = u8(buf, ST_TRACK_TYPE);
  const p1 = u8(buf, ST_PLAY_STATE);
  const flags = u8(buf, ST_FLAGS);
  const motion = u8(buf, ST_MOTION);
  const moving = (motion & MOTION_NIBBLE) === MOTION_MOVING;
  const rawPitch = u32(buf, ST_PITCH);
  const pitch = pitchMultiplier(rawPitch);
  const bpm = bpmOrNull(u16(buf, ST_BPM));
  const handoff = u8(buf, ST_MASTER_HANDOFF);
  const cue = u16(buf, ST_CUE);
  return {
    kind: 'cdjStatus',
    port,
    type: TYPE_CDJ_STATUS,
    name,
    device,
    deck: isOpus ? opusDeck(device) : device,
    isOpus,
    trackId: u32(buf, ST_TRACK_ID),
    trackDevice: isOpus ? opusDeck(trackDevice) : trackDevice,
    slot: slotName(slotRaw),
    slotRaw,
    trackType: trackTypeName(trackTypeRaw),
    trackTypeRaw,
    playState: playStateName(p1),
    playStateRaw: p1,
    playing: flags === 0 ? inferPlaying(p1, moving) : (flags & FLAG_PLAYING) !== 0,
    moving,
    master: (flags & FLAG_MASTER) !== 0,
    sync: (flags & FLAG_SYNC) !== 0,
    onAir: (flags & FLAG_ON_AIR) !== 0,
    bpmSyncOnly: (flags & FLAG_BPM_SYNC_ONLY) !== 0,
    flags,
    flagsZero: flags === 0,
    motion,
    pitch,
    pitchPercent: pitchPercent(rawPitch),
    bpm,
    effectiveBpm: bpm === null ? null : bpm * pitch,
    beat: u32OrNull(buf, ST_BEAT),
    beatInBar: u8(buf, ST_BEAT_IN_BAR),
    beatsUntilCue: cue === NO_CUE ? null : cue,
    masterHandoff: handoff === NO_HANDOFF ? null : handoff,
    syncCounter: u32(buf, ST_SYNC_COUNTER),
    packetCounter: length >= ST_PACKET_COUNTER + 4 ? u32(buf, ST_PACKET_COUNTER) : null,
    emergency: length > ST_EMERGENCY ? u8(buf, ST_EMERGENCY) !== 0 : null,
    loop: length >= STATUS_LOOP_LENGTH && u32(buf, ST_LOOP_END) !== 0 ? statusLoop(buf) : null,
    firmware: firmwares.intern(buf, ST_FIRMWARE),
    length,
  };
}

function statusLoop(buf: Buffer): StatusLoop {
  const beats = u16(buf, ST_LOOP_BEATS);
  return { startMs: u32(buf, ST_LOOP_START) * LOOP_MS_PER_UNIT, endMs: u32(buf, ST_LOOP_END) * LOOP_MS_PER_UNIT, beats: beats === 0 ? null : beats };
}
