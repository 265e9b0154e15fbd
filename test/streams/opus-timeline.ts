/**
 * Timed OPUS-QUAD datagrams for stream tests run in virtual time: status
 * packets of decks that play, stop and jump on a fixed tempo, and the 0x56
 * chunks of a PSSI transfer, all as real bytes decoded by the real codecs.
 */
import * as path from 'node:path';
import { map, merge, timer, type Observable } from 'rxjs';
import { DATA_TYPE_PSSI } from '../../src/prolink/packets/binary-chunk';
import { findPssiTag } from '../../src/prolink/phrases/anlz-file';
import { PORT_STATUS } from '../../src/prolink/packets/header';
import type { TimedDatagram } from '../../src/streams/received';
import { readFixture } from '../support/fixtures';
import { chunkBytes } from './chunk-bytes';
import { statusBytes } from './status-bytes';

export const OPUS = '169.254.9.9';

/** Demo Track 1's PSSI tag as an OPUS-QUAD sends it: 1 Chorus [1-37), 2 Verse 1 [37-73), 3 Verse 1 [73-121), … */
export function demoTrack1Tag(): Buffer {
  const file = readFixture(...path.join('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const found = findPssiTag(file);
  if (!('status' in found) || found.status !== 'found') throw new Error('no PSSI in fixture');
  return found.tag;
}

export type Timed = readonly [at: number, datagram: TimedDatagram];

/** One segment of a deck's play: from `from` ms (inclusive) to `to` (exclusive), at `beat` on `from`, playing or not. */
export interface Segment {
  readonly from: number;
  readonly to: number;
  readonly trackId: number;
  readonly beat: number;
  readonly playing: boolean;
  readonly master?: boolean;
}

/** Status packets every `everyMs` (default 200) of an OPUS deck (1–4) that plays `segments` at `bpm`, starting `phaseMs` into the period. */
export function deckStatuses(deck: number, bpm: number, segments: readonly Segment[], phaseMs = 0, everyMs = 200): Timed[] {
  const beatMs = 60_000 / bpm;
  const out: Timed[] = [];
  for (const s of segments) {
    for (let t = s.from + phaseMs; t < s.to; t += everyMs) {
      const beat = s.playing ? s.beat + Math.floor((t - s.from) / beatMs) : s.beat;
      const data = statusBytes({ name: 'OPUS-QUAD', device: deck + 8, trackId: s.trackId, playing: s.playing, master: s.master ?? false, onAir: true, bpm, beat, beatInBar: ((beat - 1) % 4) + 1 });
      out.push([t, { port: PORT_STATUS, address: OPUS, data, at: t }]);
    }
  }
  return out;
}

/** The 0x56 chunks of one PSSI transfer for an OPUS deck, all at `at`. */
export function pssiChunks(deck: number, trackId: number, at: number, tag: Buffer = demoTrack1Tag()): Timed[] {
  const count = Math.ceil(tag.length / 1024);
  return Array.from({ length: count }, (_, i): Timed => [at, { port: PORT_STATUS, address: OPUS, data: chunkBytes(deck + 8, DATA_TYPE_PSSI, trackId, i, count, tag.subarray(i * 1024, (i + 1) * 1024)), at }]);
}

/** The datagrams, each sent at its time on the scheduler in use (virtual time in TestScheduler.run). */
export function playOut(timeline: readonly Timed[]): Observable<TimedDatagram> {
  const sorted = [...timeline].sort((a, b) => a[0] - b[0]);
  return merge(...sorted.map(([at, d]) => timer(at).pipe(map(() => d))));
}
