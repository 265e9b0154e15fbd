/**
 * Beat packets a capture lost, counted from the raw bytes at their §4 and §3
 * offsets, apart from the codec and the stream that numbers beats: while a
 * player's latest status says it plays, a beat packet whose place in the bar
 * (0x5c) is k ≥ 2 places on from its last one, about k beat periods later
 * (within 0.7 of a beat, for Wi-Fi's bursts), follows k − 1 lost ones.
 * Byte-identical copies within 100 ms are left out first.
 */
import type { UdpDatagram } from '../../src/capture';

const BEAT_TYPE = 0x0a;
const BEAT_KIND = 0x28;
const STATUS_KIND = 0x0a;
const DEVICE = 0x21;
const PITCH = 0x54;
const TRACK_BPM = 0x5a;
const BAR_PLACE = 0x5c;
const STATUS_FLAGS = 0x89;
const PLAYING_BIT = 0x40;
const COPY_WITHIN_MS = 100;
const TIME_TOLERANCE_BEATS = 0.7;

export function lostBeatPackets(datagrams: readonly UdpDatagram[]): Map<number, number> {
  const lost = new Map<number, number>();
  const last = new Map<number, { readonly at: number; readonly bar: number; readonly bytes: Buffer }>();
  const playing = new Map<number, boolean>();
  for (const d of datagrams) {
    const p = d.payload;
    if (p.length <= BAR_PLACE || d.timestampNs === null) continue;
    const device = p[DEVICE] as number;
    if (d.dstPort === 50002 && p[BEAT_TYPE] === STATUS_KIND && p.length > STATUS_FLAGS) {
      playing.set(device, ((p[STATUS_FLAGS] as number) & PLAYING_BIT) !== 0);
      continue;
    }
    if (d.dstPort !== 50001 || p[BEAT_TYPE] !== BEAT_KIND || device < 1 || device > 6) continue;
    const at = Number(d.timestampNs) / 1e6;
    const bpm = (p.readUInt16BE(TRACK_BPM) / 100) * (p.readUInt32BE(PITCH) / 0x100000);
    const bar = p[BAR_PLACE] as number;
    const before = last.get(device);
    if (before !== undefined && at - before.at < COPY_WITHIN_MS && before.bytes.equals(p)) continue;
    last.set(device, { at, bar, bytes: p });
    if (before === undefined || playing.get(device) !== true || bpm <= 0) continue;
    const k = (((bar - before.bar) % 4) + 4) % 4;
    const beats = ((at - before.at) * bpm) / 60_000;
    if (k >= 2 && Math.abs(beats - k) <= TIME_TOLERANCE_BEATS) lost.set(device, (lost.get(device) ?? 0) + k - 1);
  }
  return lost;
}
