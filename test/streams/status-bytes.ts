/**
 * Real CdjStatus values for stream tests: a captured status packet
 * (prolink-connect's status-simple.dat, 284 bytes) with chosen fields patched
 * at their §3.1 offsets, then decoded by the real codec.
 */
import { decodeCdjStatus, type CdjStatus } from '../../src/prolink/packets/cdj-status';
import { isPacketError } from '../../src/prolink/packets/errors';
import { writeName } from '../../src/prolink/packets/header';
import type { Received } from '../../src/streams/received';
import { readFixture } from '../support/fixtures';

const TEMPLATE = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'status-simple.dat');

export interface StatusFields {
  name?: string;
  device?: number;
  trackId?: number;
  playing?: boolean;
  master?: boolean;
  onAir?: boolean;
  /** Raw flag byte; overrides playing/master/onAir. */
  flags?: number;
  playState?: number;
  bpm?: number | null;
  pitch?: number;
  beat?: number | null;
  beatInBar?: number;
  /** M_h (0x9f): the device this master hands over to; absent or null sends 0xff. */
  masterHandoff?: number | null;
  /** P2 (0x8b) says the playhead moves; by default it does while the deck plays (its flag or its play state says so). */
  moving?: boolean;
  /**
   * The loop a CDJ-3000 says it plays (§3.1): the packet grows to the
   * CDJ-3000's 0x200 bytes and gets Loop_s/Loop_e (ms / 65.536, rounded) and
   * Loop_b. Null: grown, the fields left zero (no loop).
   */
  loop?: { startMs: number; endMs: number; beats: number } | null;
}

export function statusBytes(f: StatusFields): Buffer {
  const buf = f.loop === undefined ? Buffer.from(TEMPLATE) : Buffer.concat([TEMPLATE, Buffer.alloc(0x200 - TEMPLATE.length)]);
  if (f.loop !== undefined && f.loop !== null) {
    buf.writeUInt32BE(Math.round(f.loop.startMs / 65.536), 0x1b6);
    buf.writeUInt32BE(Math.round(f.loop.endMs / 65.536), 0x1be);
    buf.writeUInt16BE(f.loop.beats, 0x1c8);
  }
  writeName(buf, 0x0b, f.name ?? 'CDJ-2000nexus');
  const device = f.device ?? 2;
  buf[0x21] = device;
  buf[0x24] = device;
  const trackId = f.trackId ?? 0;
  buf.writeUInt32BE(trackId, 0x2c);
  buf[0x28] = trackId === 0 ? 0 : device;
  buf[0x2a] = trackId === 0 ? 0 : 1;
  // A stopped deck is paused (05) unless a test says it stands at its cue point (06).
  const playState = f.playState ?? (f.playing === true ? 3 : trackId === 0 ? 0 : 5);
  buf[0x7b] = playState;
  buf[0x8b] = (f.moving ?? (f.playing === true || playState === 3 || playState === 4)) ? 0xfa : 0xfe;
  const flags = f.flags ?? 0x84 | (f.playing === true ? 0x40 : 0) | (f.master === true ? 0x20 : 0) | (f.onAir === true ? 0x08 : 0);
  buf[0x89] = flags;
  buf.writeUInt32BE(Math.round((f.pitch ?? 1) * 0x100000), 0x8c);
  buf.writeUInt16BE(f.bpm === null || f.bpm === undefined ? 0xffff : Math.round(f.bpm * 100), 0x92);
  buf.writeUInt32BE(f.beat === null || f.beat === undefined ? 0xffffffff : f.beat, 0xa0);
  buf[0xa6] = f.beatInBar ?? 0;
  buf[0x9f] = f.masterHandoff === null || f.masterHandoff === undefined ? 0xff : f.masterHandoff;
  return buf;
}

export function status(f: StatusFields): CdjStatus {
  const decoded = decodeCdjStatus(statusBytes(f));
  if (isPacketError(decoded)) throw new Error(String(decoded));
  return decoded;
}

export function received(f: StatusFields, at: number, address = '169.254.1.1'): Received<CdjStatus> {
  return { packet: status(f), address, at };
}
