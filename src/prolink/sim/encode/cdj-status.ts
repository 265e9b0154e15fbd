/**
 * CDJ status, type 0x0a on port 50002 (protocol doc §3), as players and the
 * OPUS-QUAD send it. Offsets shared with the decoder come from it; the rest are
 * named here. Lengths: 0xd4 nexus, 0x124 NXS2 (both captured), 0x200
 * CDJ-3000 (documented; this simulator's OPUS-QUAD uses it too, since the
 * OPUS's own length is not documented).
 */
import {
  FLAG_MASTER,
  FLAG_ON_AIR,
  FLAG_PLAYING,
  FLAG_SYNC,
  FLAG_BPM_SYNC_ONLY,
  NO_CUE,
  ST_BEAT,
  ST_BEAT_IN_BAR,
  ST_BPM,
  ST_CUE,
  ST_FIRMWARE,
  ST_FIRMWARE_LENGTH,
  ST_FLAGS,
  ST_LOOP_BEATS,
  ST_LOOP_END,
  ST_LOOP_START,
  STATUS_LOOP_LENGTH,
  LOOP_MS_PER_UNIT,
  ST_MASTER_HANDOFF,
  ST_MOTION,
  ST_PACKET_COUNTER,
  ST_PITCH,
  ST_PLAY_STATE,
  ST_SLOT,
  ST_SYNC_COUNTER,
  ST_TRACK_DEVICE,
  ST_TRACK_ID,
  ST_TRACK_TYPE,
  TYPE_CDJ_STATUS,
} from '../../packets/cdj-status';
import { EncodeError, byteArg, u32Arg } from '../../packets/encode';
import { BODY } from '../../packets/header';
import { pitchRaw, shapeB, writeBpm, writeU32OrNone } from './shape-b';

/** §3.1 offsets the decoder does not read. */
export const ST_DEVICE_COPY = BODY;
export const ST_ACTIVITY = 0x27;
export const ST_TRACK_KIND = 0x90;
export const ST_SLIP_COPIES = 0x94;
export const ST_FADER_PITCH = 0x98;
export const ST_PLAY_INDICATOR = 0x9d;
export const ST_MASTER_MODE = 0x9e;
export const ST_PITCH_3 = 0xc0;
export const ST_PITCH_4 = 0xc4;
export const ST_NEXUS = 0xcc;

/** §3 lengths. */
export const STATUS_LENGTH_NEXUS = 0xd4;
export const STATUS_LENGTH_NXS2 = 0x124;
export const STATUS_LENGTH_CDJ3000 = 0x200;
/** §3: beat-link refuses anything shorter than 0xcc bytes of len_r; every known model sends ≥ 0xd0. */
const STATUS_SHORTEST = 0xd0;

/** §3.3: bits 7 and 2 of F are always set on nexus and later players. */
const FLAGS_ALWAYS = 0x84;
/** §3.1 M_v (0x90). */
const TRACK_KIND_REKORDBOX = 0x8000;
const TRACK_KIND_NONE = 0x7fff;
/** §3.1: no slip-mode values (captured from an NXS2 as 7fff ffff). */
const SLIP_NONE = 0x7fffffff;
/** §3.1 P2 (0x8b): NXS2 and OPUS use fa moving / fe stopped. */
export const MOTION_MOVING_NXS2 = 0xfa;
export const MOTION_STOPPED_NXS2 = 0xfe;
/** §3.1 P3 (0x9d): 01 paused, 09 playing forward (as an NXS2 sends while playing). */
const INDICATOR_NONE = 0x00;
const INDICATOR_PAUSED = 0x01;
const INDICATOR_PLAYING = 0x09;
/** §3.1 M_m (0x9e): 01 master with a rekordbox track. */
const MASTER_MODE_REKORDBOX = 0x01;
/** §3.1 nx (0xcc): 1f on NXS2 (captured), XDJ-XZ/AZ and CDJ-3000. */
export const NEXUS_BYTE_NXS2 = 0x1f;
/** §3.1: the master hand-off byte says ff when no hand-off is under way. */
const NO_HANDOFF = 0xff;
/** §3.1: activity 01 while a track is loaded, playing or loading. */
const ACTIVITY_BUSY = 0x01;

export interface CdjStatusFields {
  readonly name: string;
  readonly device: number;
  /** Whole datagram, at least 0xd0; default 0x124 (NXS2). */
  readonly length?: number;
  /** Byte 0x20: 03 by the doc, 05 captured from NXS2 players. Default 03. */
  readonly subtype?: number;
  /** Dr: the device the track was loaded from; 0 = nothing loaded. */
  readonly trackDevice: number;
  /** Sr raw (§3.1): 03 USB. */
  readonly slot: number;
  /** Tr raw (§3.1): 01 rekordbox-analysed. */
  readonly trackType: number;
  readonly trackId: number;
  /** P1 raw (§3.2). */
  readonly playState: number;
  readonly playing: boolean;
  readonly master: boolean;
  readonly sync: boolean;
  /** F bit 1 (§3.3): synced tempo, beat alignment abandoned after a nudge. */
  readonly bpmSyncOnly?: boolean;
  readonly onAir: boolean;
  /** Written instead of the F byte built from the flags (the OPUS-QUAD's zeroed F, §3.5). */
  readonly flagsOverride?: number;
  /** P2: the playhead moves. */
  readonly moving: boolean;
  /** Effective pitch in percent (Pitch1/Pitch3). */
  readonly pitchPercent: number;
  /** Fader pitch in percent (Pitch2/Pitch4); defaults to pitchPercent. */
  readonly faderPitchPercent?: number;
  /** Track BPM at the playhead; null = no track (ffff). */
  readonly bpm: number | null;
  /** M_h: device about to become master; null = ff. */
  readonly masterHandoff: number | null;
  /** Beat counter; null = ffffffff (no analysed track). */
  readonly beat: number | null;
  /** Beats to the next memory cue; null = 01ff. */
  readonly beatsUntilCue: number | null;
  /** 1–4, 0 without an analysed track. */
  readonly beatInBar: number;
  readonly syncCounter?: number;
  readonly packetCounter?: number;
  /** Four ASCII characters at 0x7c. */
  readonly firmware?: string;
  /** The loop being played, as CDJ-3000s report it (§3.1; needs a packet of 0x1ca bytes or more); absent or null: none. */
  readonly loop?: LoopFields | null;
}

/** A loop in the status: start and end within the track (ms), and its whole beats (0 below one beat). */
export interface LoopFields {
  readonly startMs: number;
  readonly endMs: number;
  readonly beats: number;
}

export function encodeCdjStatus(f: CdjStatusFields): Buffer {
  const length = f.length ?? STATUS_LENGTH_NXS2;
  if (length < STATUS_SHORTEST) {
    throw new EncodeError('bad-argument', `a CDJ status packet needs at least ${STATUS_SHORTEST} bytes, not ${length}`);
  }
  const buf = shapeB({ type: TYPE_CDJ_STATUS, length, name: f.name, device: f.device, subtype: f.subtype ?? 0x03 });
  const loaded = f.trackDevice !== 0;
  buf[ST_DEVICE_COPY] = f.device;
  buf[ST_ACTIVITY] = loaded || f.playing ? ACTIVITY_BUSY : 0x00;
  buf[ST_TRACK_DEVICE] = byteArg('trackDevice', f.trackDevice);
  buf[ST_SLOT] = byteArg('slot', f.slot);
  buf[ST_TRACK_TYPE] = byteArg('trackType', f.trackType);
  buf.writeUInt32BE(u32Arg('trackId', f.trackId), ST_TRACK_ID);
  buf[ST_PLAY_STATE] = byteArg('playState', f.playState);
  buf.write((f.firmware ?? '1.00').padEnd(ST_FIRMWARE_LENGTH, ' ').slice(0, ST_FIRMWARE_LENGTH), ST_FIRMWARE, 'latin1');
  buf.writeUInt32BE(u32Arg('syncCounter', f.syncCounter ?? 0), ST_SYNC_COUNTER);
  buf[ST_FLAGS] = f.flagsOverride ?? flagsByte(f);
  buf[ST_MOTION] = f.moving ? MOTION_MOVING_NXS2 : MOTION_STOPPED_NXS2;
  const pitch = pitchRaw(f.pitchPercent);
  const fader = pitchRaw(f.faderPitchPercent ?? f.pitchPercent);
  buf.writeUInt32BE(pitch, ST_PITCH);
  buf.writeUInt16BE(f.bpm === null ? TRACK_KIND_NONE : TRACK_KIND_REKORDBOX, ST_TRACK_KIND);
  writeBpm(buf, ST_BPM, f.bpm);
  buf.writeUInt32BE(SLIP_NONE, ST_SLIP_COPIES);
  buf.writeUInt32BE(fader, ST_FADER_PITCH);
  buf[ST_PLAY_INDICATOR] = !loaded ? INDICATOR_NONE : f.playing ? INDICATOR_PLAYING : INDICATOR_PAUSED;
  buf[ST_MASTER_MODE] = f.master ? MASTER_MODE_REKORDBOX : 0x00;
  buf[ST_MASTER_HANDOFF] = f.masterHandoff === null ? NO_HANDOFF : byteArg('masterHandoff', f.masterHandoff);
  writeU32OrNone(buf, ST_BEAT, f.beat);
  buf.writeUInt16BE(f.beatsUntilCue === null ? NO_CUE : Math.min(f.beatsUntilCue, NO_CUE - 1), ST_CUE);
  buf[ST_BEAT_IN_BAR] = byteArg('beatInBar', f.beatInBar);
  buf.writeUInt32BE(pitch, ST_PITCH_3);
  buf.writeUInt32BE(fader, ST_PITCH_4);
  buf.writeUInt32BE(u32Arg('packetCounter', f.packetCounter ?? 0), ST_PACKET_COUNTER);
  buf[ST_NEXUS] = NEXUS_BYTE_NXS2;
  if (f.loop !== undefined && f.loop !== null) writeLoop(buf, f.loop);
  return buf;
}

/** §3.1: the CDJ-3000's loop fields, positions in units of 65.536 ms. */
function writeLoop(buf: Buffer, loop: LoopFields): void {
  if (buf.length < STATUS_LOOP_LENGTH) {
    throw new EncodeError('bad-argument', `a CDJ status packet needs ${STATUS_LOOP_LENGTH} bytes to carry a loop, not ${buf.length}`);
  }
  buf.writeUInt32BE(u32Arg('loop.startMs', Math.round(loop.startMs / LOOP_MS_PER_UNIT)), ST_LOOP_START);
  // The end is never zero: a zero end says there is no loop.
  buf.writeUInt32BE(u32Arg('loop.endMs', Math.max(1, Math.round(loop.endMs / LOOP_MS_PER_UNIT))), ST_LOOP_END);
  buf.writeUInt16BE(Math.min(0xffff, Math.max(0, Math.floor(loop.beats))), ST_LOOP_BEATS);
}

/** §3.3: F from the individual flags. */
export function flagsByte(f: Pick<CdjStatusFields, 'playing' | 'master' | 'sync' | 'bpmSyncOnly' | 'onAir'>): number {
  return (
    FLAGS_ALWAYS |
    (f.playing ? FLAG_PLAYING : 0) |
    (f.master ? FLAG_MASTER : 0) |
    (f.sync ? FLAG_SYNC : 0) |
    (f.bpmSyncOnly === true ? FLAG_BPM_SYNC_ONLY : 0) |
    (f.onAir ? FLAG_ON_AIR : 0)
  );
}
