/**
 * Test helper: a real capture's datagrams mixed with mutated copies of its own
 * packets and with spoofed status packets, fed through the stream layer in
 * virtual time (one datagram scheduled at a time, so large floods stay cheap).
 */
import { Subject, VirtualTimeScheduler, type SchedulerAction } from 'rxjs';
import type { UdpDatagram } from '../../../src/capture';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { writeName } from '../../../src/prolink/packets/header';
import type { BridgeEvent } from '../../../src/events/bridge-event';
import { createBridgeStreams } from '../../../src/streams/bridge-streams';
import { isImplausible, plausibility, type PlausibilityOptions } from '../../../src/streams/plausibility/plausible';
import type { Implausible } from '../../../src/streams/plausibility/reasons';
import type { Received, TimedDatagram } from '../../../src/streams/received';

/** mulberry32: a small seeded PRNG, so every run mutates the same bytes. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Timed extends TimedDatagram {
  /** What it is: the capture's own datagram, a mutated copy, or a spoof. */
  readonly origin: 'real' | 'mutant' | 'spoof';
}

/** The capture as timed datagrams, ms from its first one. */
export function timedCapture(datagrams: readonly UdpDatagram[]): Timed[] {
  const first = datagrams.find((d) => d.timestampNs !== null)?.timestampNs ?? 0n;
  return datagrams.map((d) => ({ origin: 'real', port: d.dstPort, address: d.srcIp, data: d.payload, at: Number((d.timestampNs ?? first) - first) / 1e6 }));
}

/** `bits` different random bits of a copy of `data` flipped (so the copy always differs). */
export function flipBits(data: Buffer, bits: number, random: () => number): Buffer {
  const copy = Buffer.from(data);
  const flipped = new Set<number>();
  while (flipped.size < Math.min(bits, data.length * 8)) flipped.add(Math.floor(random() * copy.length * 8));
  for (const bit of flipped) copy[bit >> 3] = (copy[bit >> 3] as number) ^ (1 << (bit & 7));
  return copy;
}

/** A status packet made from a real one, claiming `name`/`device` and a random loaded track. */
export function spoofStatus(template: Buffer, name: string, device: number, random: () => number): Buffer {
  const b = Buffer.from(template);
  writeName(b, 0x0b, name);
  b[0x21] = device;
  b[0x24] = device;
  b.writeUInt32BE(1 + Math.floor(random() * 100_000), 0x2c);
  b[0x28] = device;
  b[0x29] = 3;
  b[0x2a] = 1;
  const playing = random() < 0.5;
  b[0x7b] = playing ? 3 : 5;
  b[0x89] = 0x84 | (playing ? 0x40 : 0) | (random() < 0.5 ? 0x20 : 0);
  b[0x9e] = (b[0x89] & 0x20) !== 0 ? 1 : 0;
  b.writeUInt32BE(Math.floor(random() * 400), 0xa0);
  if (b.length >= 0xcc) b.writeUInt32BE(Math.floor(random() * 0xffffffff), 0xc8);
  return b;
}

export function kindOf(d: TimedDatagram): string {
  const p = decodePacket(d.port, d.data);
  return isPacketError(p) ? 'malformed' : p.kind;
}

export interface FloodRun {
  readonly events: BridgeEvent[];
  readonly implausible: Implausible[];
  malformed: number;
  readonly deviceNames: Set<string>;
}

/** Feeds `timeline` (sorted by time) through createBridgeStreams in virtual time. */
export function runTimeline(timeline: readonly Timed[]): FloodRun {
  const end = (timeline[timeline.length - 1]?.at ?? 0) + 20_000;
  const virtual = new VirtualTimeScheduler(undefined, end);
  const input = new Subject<TimedDatagram>();
  const streams = createBridgeStreams(input, { scheduler: virtual, phraseRetryMs: 60_000 });
  const run: FloodRun = { events: [], implausible: [], malformed: 0, deviceNames: new Set() };
  streams.events$.subscribe((e) => run.events.push(e));
  streams.implausible$.subscribe((i) => run.implausible.push(i));
  streams.malformed$.subscribe(() => run.malformed++);
  streams.devices$.subscribe((c) => run.deviceNames.add(`${c.device.name} #${c.device.device}`));
  const next = function (this: SchedulerAction<number>, index = 0): void {
    let i = index;
    const now = virtual.now();
    for (let d = timeline[i]; d !== undefined && d.at <= now; d = timeline[++i]) input.next({ port: d.port, address: d.address, data: d.data, at: now });
    const following = timeline[i];
    if (following === undefined) {
      input.complete();
      return;
    }
    this.schedule(i, following.at - now);
  };
  virtual.schedule(next, timeline[0]?.at ?? 0, 0);
  virtual.flush();
  return run;
}

export interface Judgement {
  /** Per origin: packets believed, by decoded kind. */
  readonly believed: Record<string, Record<string, number>>;
  /** Per origin: packets not believed, by reason (malformed: the decoder refused them). */
  readonly refused: Record<string, Record<string, number>>;
  /** The believed packets that were not real, for a closer look. */
  readonly believedFakes: { readonly timed: Timed; readonly kind: string; readonly device: number | null; readonly name: string }[];
}

function bump(table: Record<string, Record<string, number>>, origin: string, key: string): void {
  const row = (table[origin] ??= {});
  row[key] = (row[key] ?? 0) + 1;
}

/** Runs the plausibility operator alone over the timeline and tells, per origin, what it believed and refused. */
export function judgeTimeline(timeline: readonly Timed[], options: PlausibilityOptions = {}): Judgement {
  const input = new Subject<Received>();
  const origins = new Map<Received, Timed>();
  const byKey = new Map<string, Timed>();
  const judgement: Judgement = { believed: {}, refused: {}, believedFakes: [] };
  input.pipe(plausibility(options)).subscribe((j) => {
    if (isImplausible(j)) {
      const timed = byKey.get(`${j.at}|${j.address}|${j.kind}|${j.device ?? ''}`);
      bump(judgement.refused, timed?.origin ?? '?', j.reason);
      return;
    }
    const timed = origins.get(j);
    if (timed === undefined) return;
    bump(judgement.believed, timed.origin, j.packet.kind);
    if (timed.origin !== 'real') {
      const device = 'device' in j.packet && typeof j.packet.device === 'number' ? j.packet.device : null;
      judgement.believedFakes.push({ timed, kind: j.packet.kind, device, name: 'name' in j.packet ? j.packet.name : '' });
    }
  });
  for (const t of timeline) {
    const packet = decodePacket(t.port, t.data);
    if (isPacketError(packet)) {
      bump(judgement.refused, t.origin, 'malformed');
      continue;
    }
    const r: Received = { packet, address: t.address, at: t.at, data: t.data };
    origins.set(r, t);
    const device = 'device' in packet && typeof packet.device === 'number' ? packet.device : '';
    byKey.set(`${t.at}|${t.address}|${packet.kind}|${device}`, t);
    input.next(r);
  }
  input.complete();
  return judgement;
}
