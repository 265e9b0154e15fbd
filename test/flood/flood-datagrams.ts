/**
 * Garbage for the flood test, made from real bytes: every Pro DJ Link
 * datagram of the real captures (and the OPUS-QUAD hex dumps), each copy
 * mutated (bits flipped, bytes scrambled, cut short), plus status packets
 * that claim to be OPUS-QUAD decks 9–12 or devices that cannot exist, from
 * a host that is not the OPUS-QUAD. Seeded, so a run can be repeated.
 *
 * Written to a file as [u16 port][u16 length][bytes]… for the flooding
 * process to send as fast as it can.
 */
import * as fs from 'node:fs';
import { encodeCdjStatus } from '../../src/prolink/sim/encode';
import { seededRandom, type Random } from '../../src/prolink/sim/random';
import { CAPTURE_NAMES, proDjLinkPortDatagrams } from '../capture/prolink-datagrams';
import { readHexFixture } from '../support/fixtures';

export interface FloodDatagram {
  readonly port: number;
  readonly data: Buffer;
  readonly kind: 'mutated' | 'spoofed';
}

const KYLE = 'kyleawayan__opus-quad-pro-dj-link-analysis';
const KYLE_PACKETS: readonly [number, string][] = [
  [50000, 'rekordbox-lighting-keepalive.hex'],
  [50002, 'phrase-request-0x55.hex'],
  [50002, 'art-chunk0-0x56-first160.hex'],
  [50002, 'art-chunk1-0x56-first160.hex'],
];
/** Device numbers a spoofed status claims: the OPUS-QUAD's decks, and numbers no player has. */
const SPOOFED_DEVICES = [9, 10, 11, 12, 9, 10, 11, 12, 21, 33, 131, 240];

/** The real datagrams the mutations start from. */
export function realDatagrams(): { readonly port: number; readonly data: Buffer }[] {
  const out: { port: number; data: Buffer }[] = [];
  for (const name of CAPTURE_NAMES) for (const d of proDjLinkPortDatagrams(name)) out.push({ port: d.dstPort, data: d.payload });
  for (const [port, file] of KYLE_PACKETS) out.push({ port, data: readHexFixture(KYLE, file) });
  return out;
}

function pick<T>(random: Random, xs: readonly T[]): T {
  return xs[Math.floor(random() * xs.length)] as T;
}

/** A copy of `data` with at least one bit changed: flipped bits, scrambled bytes, or cut short. */
export function mutate(data: Buffer, random: Random): Buffer {
  const copy = Buffer.from(data);
  const how = random();
  if (how < 0.1 && copy.length > 1) return copy.subarray(0, 1 + Math.floor(random() * (copy.length - 1)));
  const changes = how < 0.8 ? 1 + Math.floor(random() * 4) : 1 + Math.floor(random() * 8);
  for (let i = 0; i < changes; i++) {
    const at = Math.floor(random() * copy.length);
    const before = copy[at] as number;
    copy[at] = how < 0.8 ? before ^ (1 << Math.floor(random() * 8)) : Math.floor(random() * 256);
    if (copy[at] === before) copy[at] = before ^ 0x01;
  }
  return copy;
}

/** A plausible-looking OPUS-QUAD status packet for a deck the sender does not own. */
export function spoofedStatus(random: Random): Buffer {
  const device = pick(random, SPOOFED_DEVICES);
  const playing = random() < 0.7;
  const bpm = 80 + Math.floor(random() * 100);
  return encodeCdjStatus({
    name: 'OPUS-QUAD',
    device,
    trackDevice: device,
    slot: 3,
    trackType: 1,
    trackId: 1 + Math.floor(random() * 5000),
    playState: playing ? 3 : 5,
    playing,
    master: random() < 0.3,
    sync: false,
    onAir: random() < 0.5,
    moving: playing,
    pitchPercent: (random() - 0.5) * 10,
    bpm,
    masterHandoff: null,
    beat: 1 + Math.floor(random() * 600),
    beatsUntilCue: null,
    beatInBar: 1 + Math.floor(random() * 4),
    packetCounter: Math.floor(random() * 100_000),
  });
}

/** `count` datagrams, a fifth of them spoofed status, the rest mutated real ones. */
export function floodDatagrams(count: number, seed: number): FloodDatagram[] {
  const random = seededRandom(seed);
  const real = realDatagrams();
  const out: FloodDatagram[] = [];
  for (let i = 0; i < count; i++) {
    if (random() < 0.2) out.push({ port: 50002, data: spoofedStatus(random), kind: 'spoofed' });
    else {
      const source = pick(random, real);
      out.push({ port: source.port, data: mutate(source.data, random), kind: 'mutated' });
    }
  }
  return out;
}

export function writeFloodFile(file: string, datagrams: readonly FloodDatagram[]): void {
  const parts: Buffer[] = [];
  for (const d of datagrams) {
    const head = Buffer.alloc(4);
    head.writeUInt16BE(d.port, 0);
    head.writeUInt16BE(d.data.length, 2);
    parts.push(head, d.data);
  }
  fs.writeFileSync(file, Buffer.concat(parts));
}
