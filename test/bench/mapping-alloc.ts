/**
 * Heap allocated per status packet, measured deterministically: OPUS-QUAD
 * status datagrams (4 decks, each packet a tempo change, beats advancing at
 * 125 BPM, as in the loopback part) delivered as the UDP link delivers them
 * (a FastSubject), taken by the app's ingestion and its streams on a
 * virtual-time scheduler, every stream subscribed as the bridge subscribes
 * it. The scheduler is heap-scheduler.ts, not rxjs's VirtualTimeScheduler:
 * that one sorts its queue on every schedule (V8's sort allocates a copy) and
 * makes a new action for every reschedule, hundreds of bytes per packet that
 * production's asyncScheduler never allocates and that the subtracted
 * harness run (which schedules almost nothing) would not take out.
 * Optionally each event then goes through the engine (runInto with the
 * world the decks build), as the mapping runtime runs it when nobody watches
 * what fires: commands go to a sink as they are made, and OSC messages are
 * encoded into bytes there (encoding-sink.ts: the router and a UDP target,
 * short of the socket call). For scale, the
 * OPUS beat-grid estimators alone (one observe() per packet, as the
 * estimated-beats stream calls it) are measured too.
 *
 * Method: the packets go in chunks; before each chunk a full GC empties the
 * young generation, after it heapUsed has grown by what the chunk allocated
 * (nothing is collected in between). Chunks that overlap a GC other than the
 * forced ones are left out. The same run with an unsubscribed input measures
 * what the harness itself allocates (datagram delivery, the scheduler), and
 * that is subtracted.
 */
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { Subscription } from 'rxjs';
import { bridgeStreamsOfDecoded } from '../../src/streams/bridge-streams';
import { FastSubject } from '../../src/streams/fast-share';
import { startIngestion } from '../../src/app/ingestion';
import type { Link } from '../../src/app/link';
import type { TimedDatagram } from '../../src/streams/received';
import { PORT_STATUS } from '../../src/prolink/packets/header';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping';
import { initialMemory, rulesFor, runInto } from '../../src/mapping/engine';
import type { DeckState } from '../../src/events/deck-state';
import type { World } from '../../src/mapping/expression-context';
import type { DeckPosition } from '../../src/timing/deck-position';
import { decodeCdjStatus } from '../../src/prolink/packets/cdj-status';
import { isPacketError } from '../../src/prolink/packets/errors';
import { BeatGridEstimator, type BeatObservation } from '../../src/timing/beat-grid-estimator';
import { OpusStatusBuilder } from './mapping-status';
import { EncodingSink } from './encoding-sink';
import { HeapScheduler } from './heap-scheduler';

const DECKS = 4;
// Each OPUS deck sends a status every 200 ms (§3): four decks, one packet every 50 ms of virtual time. The
// plausibility stage judges timing as devices keep it, so a faster virtual rate would only measure refusals.
const PACKET_MS = 50;
const BEAT_MS = 480; // 125 BPM
const BPM_RAW_BASE = 12_400;
const BPM_RAW_STEPS = 200;
const CHUNK = 50;

export interface AllocationResult {
  /** Bytes allocated per status packet: the least of the runs, and the most. */
  readonly bytesPerPacket: number;
  readonly maxBytes: number;
  /** Events the stream layer emitted per packet. */
  readonly eventsPerPacket: number;
  /** Chunks left out because a GC ran inside them. */
  readonly discarded: number;
}

function datagrams(count: number): TimedDatagram[] {
  const builder = new OpusStatusBuilder();
  const offsets = [0, 97, 194, 291];
  return Array.from({ length: count }, (_, n) => {
    const deck = (n % DECKS) + 1;
    const at = n * PACKET_MS;
    const bpmRaw = BPM_RAW_BASE + (Math.floor(n / DECKS) % BPM_RAW_STEPS);
    const beat = 1 + Math.floor((at + (offsets[deck - 1] ?? 0)) / BEAT_MS);
    const data = builder.build({ deck, trackId: 5000 + deck, bpmRaw, beat, master: deck === 1 });
    return { port: PORT_STATUS, address: '127.0.0.1', data, at };
  });
}

interface Wiring {
  readonly subscription: Subscription;
  events(): number;
}

/** The link's side of the app: its datagrams as app/link.ts delivers them (a FastSubject), and nothing sent. */
function linkOf(input: FastSubject<TimedDatagram>): Link {
  return { description: 'allocation bench', datagrams: input, identity: null, send: () => undefined, close: async () => undefined };
}

const quiet = { debug: (): void => undefined };

function subscribeLikeTheBridge(input: FastSubject<TimedDatagram>, scheduler: HeapScheduler, mapping: CompiledMapping | null): Wiring {
  // As app/bridge.ts builds them: the ingestion decodes each datagram, the streams take the decoded ones.
  const ingestion = startIngestion(linkOf(input), quiet, Infinity);
  const streams = bridgeStreamsOfDecoded(ingestion.decoded$, { scheduler });
  const subscription = new Subscription(() => ingestion.stop());
  let events = 0;
  // The world as the app keeps it (app/bridge.ts): one Map updated in place, read synchronously by the rules.
  const decks = new Map<number, DeckState>();
  // The app's world also says where a deck is (for deck.positionMs and deck.timecode); here it never knows,
  // but the engine pays for asking as it would in the app.
  const positionOf = (): DeckPosition | null => null;
  let world: World = { decks, masterDeck: null, positionOf };
  const memory = mapping === null ? null : initialMemory(mapping);
  const noProblem = (): void => undefined;
  const sink = new EncodingSink();
  subscription.add(streams.malformed$.subscribe());
  subscription.add(streams.implausible$.subscribe());
  subscription.add(streams.received$.subscribe());
  subscription.add(streams.metadata$.subscribe());
  subscription.add(streams.devices$.subscribe());
  subscription.add(streams.decks$.subscribe((d) => decks.set(d.deck, d)));
  subscription.add(streams.master$.subscribe((m) => (world = { decks, masterDeck: m.deck, positionOf })));
  // The app takes precise positions from their packets (believed$), not positions$.
  subscription.add(streams.believed$.subscribe());
  subscription.add(
    streams.events$.subscribe((event) => {
      events++;
      // As the mapping runtime runs it: the memory is its own, updated in place.
      if (mapping !== null && memory !== null) runInto(rulesFor(mapping, event), event, world, memory, sink, noProblem);
    }),
  );
  // The app relays raw status packets to dashboards built on them (app/bridge.ts): one plain subscriber, nobody connected.
  let relayed = 0;
  subscription.add(ingestion.datagrams$.subscribe((d) => (d.port === PORT_STATUS ? relayed++ : relayed)));
  ingestion.release();
  return { subscription, events: () => events };
}

interface Chunk {
  readonly start: number;
  readonly end: number;
  readonly bytes: number;
}

/** Told when the measured packets begin and when they end (alloc-profile.ts samples only those). */
export interface MeasuredSpan {
  start(): void;
  end(): void;
}

/**
 * Pushes `warmup + chunks × CHUNK` packets on virtual time and measures the
 * chunks after the warm-up. `wire` null: nothing subscribed (the harness alone).
 */
async function run(
  gc: () => void,
  packets: readonly TimedDatagram[],
  warmup: number,
  wire: ((input: FastSubject<TimedDatagram>, s: HeapScheduler) => Wiring) | null,
  span: MeasuredSpan | null = null,
): Promise<{ bytes: number[]; events: number; discarded: number }> {
  const scheduler = new HeapScheduler();
  const input = new FastSubject<TimedDatagram>();
  const wiring = wire?.(input, scheduler) ?? null;
  const chunks: Chunk[] = [];
  const pauses: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) pauses.push(e.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  let eventsAtWarm = 0;
  let open: { start: number; heap: number } | null = null;
  const closeChunk = (): void => {
    if (open === null) return;
    const heap = process.memoryUsage().heapUsed;
    chunks.push({ start: open.start, end: performance.now(), bytes: heap - open.heap });
    open = null;
  };
  /** Delivers packet n; false once they have all gone. */
  const push = (n: number): boolean => {
    if (n >= warmup && (n - warmup) % CHUNK === 0) {
      closeChunk();
      if (n === warmup) eventsAtWarm = wiring?.events() ?? 0;
      if (n === warmup) span?.start();
      if (n === packets.length) span?.end();
      if (n < packets.length) {
        gc();
        open = { start: performance.now(), heap: process.memoryUsage().heapUsed };
      }
    }
    const d = packets[n];
    if (d === undefined) {
      // Stops the streams' interval timers, so the virtual clock runs out.
      wiring?.subscription.unsubscribe();
      return false;
    }
    input.next(d);
    return true;
  };
  // One action for all the packets, rescheduling itself: the harness's own share stays small (it is subtracted anyway).
  let next = 0;
  scheduler.schedule(function () {
    if (push(next++)) this.schedule(undefined, PACKET_MS);
  }, 0);
  scheduler.flush();
  await new Promise((resolve) => setTimeout(resolve, 50));
  observer.disconnect();
  const clean = chunks.filter((c) => !pauses.some((p) => p > c.start && p < c.end));
  return { bytes: clean.map((c) => c.bytes), events: (wiring?.events() ?? 0) - eventsAtWarm, discarded: chunks.length - clean.length };
}

const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);

/** What is subscribed to the datagrams: the stream layer (with the engine behind it), or the OPUS beat-grid estimator alone. */
export type AllocationSubject = { readonly kind: 'streams'; readonly mapping: CompiledMapping | null } | { readonly kind: 'estimator' };

/** Each OPUS deck's estimator, fed the observations the stream layer would give it (decoded beforehand). */
function estimatorsOnly(packets: readonly TimedDatagram[]): (input: FastSubject<TimedDatagram>) => Wiring {
  const observations = new Map<TimedDatagram, { readonly deck: number; readonly o: BeatObservation }>();
  for (const d of packets) {
    const s = decodeCdjStatus(d.data);
    if (isPacketError(s)) throw new Error(`benchmark status packet does not decode: ${s.message}`);
    observations.set(d, { deck: s.deck, o: { at: d.at, beat: s.beat, beatInBar: s.beatInBar, effectiveBpm: s.effectiveBpm, playing: s.playing } });
  }
  return (input) => {
    const estimators = new Map<number, BeatGridEstimator>();
    const subscription = input.subscribe((d) => {
      const x = observations.get(d);
      if (x === undefined) return;
      let estimator = estimators.get(x.deck);
      if (estimator === undefined) estimators.set(x.deck, (estimator = new BeatGridEstimator()));
      estimator.observe(x.o);
    });
    return { subscription, events: () => 0 };
  };
}

/**
 * Bytes per status packet, the harness's own share subtracted. Code the
 * optimiser has not (or no longer) optimised allocates more, by up to a third
 * here, so the figure is the least of `runs` runs (the steady state of a
 * long-running bridge), with the largest beside it.
 */
export async function measureAllocation(gc: () => void, subject: AllocationSubject, runs = 3, chunks = 60, warmup = 6000, span: MeasuredSpan | null = null): Promise<AllocationResult> {
  const packets = datagrams(warmup + chunks * CHUNK);
  const harness = await run(gc, packets, warmup, null);
  const wire = subject.kind === 'estimator' ? estimatorsOnly(packets) : (input: FastSubject<TimedDatagram>, scheduler: HeapScheduler) => subscribeLikeTheBridge(input, scheduler, subject.mapping);
  const results: { bytes: number; events: number; discarded: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const measured = await run(gc, packets, warmup, wire, span);
    if (harness.bytes.length === 0 || measured.bytes.length === 0) throw new Error('every measured chunk had a GC inside: the allocation figures would be meaningless');
    results.push({ bytes: (mean(measured.bytes) - mean(harness.bytes)) / CHUNK, events: measured.events / (chunks * CHUNK), discarded: measured.discarded });
  }
  const bytes = results.map((r) => r.bytes);
  return {
    bytesPerPacket: Math.min(...bytes),
    maxBytes: Math.max(...bytes),
    eventsPerPacket: results[0]?.events ?? 0,
    discarded: results.reduce((sum, r) => sum + r.discarded, 0),
  };
}
