/**
 * End-to-end latency over loopback UDP: a sender socket sends OPUS-QUAD
 * status datagrams to the bridge (loopback-bridge.ts: the real startBridge
 * wiring, streams, world, mapping runtime, output router with real OSC UDP
 * targets), and a receiver socket takes the OSC the rules send. Each status
 * packet changes its deck's tempo, so the mapping's probe rule answers it
 * with one OSC message naming the deck and raw BPM; the time from just
 * before the status send to the probe's arrival is the latency. The OPUS-QUAD
 * announces itself with a keep-alive every 1.5 s of its own time, as real gear
 * does, so the bridge believes its decks however the harness bunches the
 * statuses when it stalls (without one, a single refusal left them to
 * confirm themselves by a steady stream, which bursts can deny for a run). The bridge
 * runs in this process, or (`ownProcess`) in one of its own with the command
 * line's heap settings, as a user runs it: then the garbage collections
 * counted are the bridge's alone, and the harness's own work (sending,
 * receiving and decoding some fourteen datagrams a status) is in neither its
 * heap nor its event loop.
 * Every socket is bound to 127.0.0.1.
 */
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { decodeOsc } from '../support/osc-decode';
import { startBenchBridge, type BenchBridge, type ChildMessage, type EpochSpan, type ParentMessage } from './loopback-bridge';
import { PROBE_ADDRESS, type BenchTargets } from './mapping-rules';
import { OpusStatusBuilder } from './mapping-status';
import { encodeCdjKeepAlive } from '../../src/prolink/packets/keep-alive';
import { OPUS_FIRST_DEVICE, OPUS_NAME } from '../../src/prolink/packets/header';
import { startLoCapture, wireLatencies, type WireLatencies } from './mapping-wire';

const LOOPBACK = '127.0.0.1';
const DECKS = 4;
/** Raw BPM field values cycle through 124.00-125.99 per deck, so each packet changes the tempo. */
const BPM_RAW_BASE = 12_400;
const BPM_RAW_STEPS = 200;
const BEAT_MS = 480; // 125 BPM
const DRAIN_MS = 300;
/** The OPUS-QUAD's keep-alive period, on its own clock (§2.1). */
const KEEP_ALIVE_MS = 1500;
const PACE_TICK_MS = 1;
/** Latencies above this are checked against GC pauses. */
const SLOW_NS = 1_000_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const now = (): bigint => process.hrtime.bigint();

export interface LoopbackOptions {
  readonly mappingYaml: (targets: BenchTargets) => string;
  readonly warmup: number;
  readonly measured: number;
  /** Status datagrams per second. */
  readonly rate: number;
  /** Also time the datagrams on lo with kernel timestamps (mapping-wire.ts). */
  readonly wire?: boolean;
  /**
   * Run the bridge in a process of its own with the command line's heap
   * settings (loopback-bridge.ts), as a user runs it: the GC figures are then
   * the bridge's alone. By default it runs in this process beside the
   * harness, as the latency figures and their same-process floor have it.
   */
  readonly ownProcess?: boolean;
}

export interface LoopbackResult {
  /** Send-to-receive times of the measured packets' probes, ns. */
  readonly latenciesNs: readonly number[];
  readonly sent: number;
  /** Probes received for packets that were never sent, or with values no packet had. */
  readonly unmatched: number;
  /** Every OSC datagram the receiver took, warm-up included. */
  readonly oscDatagrams: number;
  readonly rules: number;
  readonly bridgeEvents: number;
  readonly bridgeReceived: number;
  readonly malformed: number;
  readonly undeliverable: number;
  readonly gcCount: number;
  readonly gcMaxMs: number;
  /** Measured probes slower than 1 ms, and how many of them overlap a GC pause. */
  readonly slow: number;
  readonly slowDuringGc: number;
  readonly cpuCores: number;
  readonly seconds: number;
  /** Kernel-timestamped latencies on lo; a string says why there are none; null when not asked for. */
  readonly wire: WireLatencies | string | null;
}

function bind(socket: dgram.Socket): Promise<number> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      socket.off('error', reject);
      resolve(socket.address().port);
    });
  });
}

function closeSocket(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}

/** Status packets a deck sends per second (§3). */
const STATUS_PER_SECOND = 5;

/** Calls `send(n)` for n = 0..count-1 at `rate` per second, catching up after a late tick. */
export function pace(count: number, rate: number, send: (n: number) => void): Promise<void> {
  return new Promise((resolve) => {
    const started = performance.now();
    let n = 0;
    const timer = setInterval(() => {
      const due = Math.min(count, Math.floor(((performance.now() - started) * rate) / 1000) + 1);
      for (; n < due; n++) send(n);
      if (n >= count) {
        clearInterval(timer);
        resolve();
      }
    }, PACE_TICK_MS);
  });
}

/** The bridge process's next message, when it is of `kind`; rejects on any other, or when the process ends before it. */
function nextMessage<K extends ChildMessage['kind']>(child: ChildProcess, kind: K, awaited: string): Promise<Extract<ChildMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`the bridge process ended before ${awaited} (exit ${String(code)})`));
    child.once('exit', onExit);
    child.once('message', (message: ChildMessage) => {
      child.off('exit', onExit);
      if (message.kind === kind) resolve(message as Extract<ChildMessage, { kind: K }>);
      else reject(new Error(message.kind === 'failed' ? message.message : `unexpected ${message.kind}`));
    });
  });
}

/** The bridge in a process of its own (loopback-bridge.ts), started on `mappingFile`; resolves once it listens. */
async function startBridgeProcess(mappingFile: string, timeScale: number): Promise<BenchBridge> {
  const child = fork(path.join(__dirname, 'loopback-bridge.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const tell = (message: ParentMessage): void => {
    child.send(message);
  };
  const ready = nextMessage(child, 'ready', 'it listened');
  tell({ kind: 'start', mappingFile, timeScale });
  const { inputPort, announcePort } = await ready.catch((error: unknown) => {
    child.kill();
    throw error;
  });
  return {
    inputPort,
    announcePort,
    measure: () => tell({ kind: 'measure' }),
    stop: () => {
      const result = nextMessage(child, 'result', 'its result');
      tell({ kind: 'stop' });
      return result;
    },
  };
}

/** The bridge in this process, beside the harness. */
async function startBridgeHere(mappingFile: string, timeScale: number): Promise<BenchBridge> {
  const bridge = await startBenchBridge({ mappingFile, timeScale });
  if (typeof bridge === 'string') throw new Error(bridge);
  return bridge;
}

export async function measureLoopback(options: LoopbackOptions): Promise<LoopbackResult> {
  const builder = new OpusStatusBuilder();
  const pending = new Map<string, { readonly at: bigint; readonly perf: number; readonly measured: boolean }>();
  const latenciesNs: number[] = [];
  /** Probes slower than SLOW_NS, in ms since the epoch (as the bridge process reports its GC pauses). */
  const slowSpans: EpochSpan[] = [];
  let unmatched = 0;
  let oscDatagrams = 0;
  const probePrefix = Buffer.from(`${PROBE_ADDRESS}\0`, 'latin1');

  const receiver = dgram.createSocket('udp4');
  receiver.on('message', (msg) => {
    const at = now();
    oscDatagrams++;
    if (msg.length < probePrefix.length || msg.compare(probePrefix, 0, probePrefix.length, 0, probePrefix.length) !== 0) return;
    const { args } = decodeOsc(msg);
    const key = `${String(args[0]?.value)}:${String(args[1]?.value)}`;
    const sent = pending.get(key);
    if (sent === undefined) {
      unmatched++;
      return;
    }
    pending.delete(key);
    if (!sent.measured) return;
    const ns = Number(at - sent.at);
    latenciesNs.push(ns);
    if (ns > SLOW_NS) slowSpans.push({ start: performance.timeOrigin + sent.perf, end: performance.timeOrigin + performance.now() });
  });
  const oscPort = await bind(receiver);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prolink-bench-'));
  const file = path.join(dir, 'show.yaml');
  fs.writeFileSync(file, options.mappingYaml({ oscPort, midiPort: 'bench' }));
  // Each OPUS deck sends a status every 200 ms (§3); the benchmark sends `rate` a second over DECKS decks.
  const timeScale = options.rate / (DECKS * STATUS_PER_SECOND);
  let bridge: BenchBridge;
  try {
    bridge = await (options.ownProcess === true ? startBridgeProcess : startBridgeHere)(file, timeScale);
  } catch (error) {
    await closeSocket(receiver);
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const { inputPort, announcePort } = bridge;

  const sender = dgram.createSocket('udp4');
  await bind(sender);
  await new Promise<void>((resolve) => sender.connect(inputPort, LOOPBACK, () => resolve()));
  const announcer = dgram.createSocket('udp4');
  await bind(announcer);
  const keepAlive = encodeCdjKeepAlive({ name: OPUS_NAME, device: OPUS_FIRST_DEVICE, mac: 'c8:3d:fc:0a:0b:0c', ip: LOOPBACK });
  const announce = (): void => announcer.send(keepAlive, announcePort, LOOPBACK);
  announce();
  const announcing = setInterval(announce, KEEP_ALIVE_MS / timeScale);
  await sleep(2 * (KEEP_ALIVE_MS / timeScale));
  const capture = options.wire === true ? await startLoCapture([String(inputPort), `${oscPort}:${PROBE_ADDRESS}`]) : null;

  const total = options.warmup + options.measured;
  const offsets = Array.from({ length: DECKS }, (_, d) => d * 97);
  const begin = performance.now();
  let measureStart = 0;
  await pace(total, options.rate, (n) => {
    if (n === options.warmup) {
      bridge.measure();
      measureStart = performance.now();
    }
    const deck = (n % DECKS) + 1;
    const bpmRaw = BPM_RAW_BASE + (Math.floor(n / DECKS) % BPM_RAW_STEPS);
    // The decks play at 125 BPM on their own clock, which runs timeScale times faster here.
    const beat = 1 + Math.floor(((performance.now() - begin) * timeScale + (offsets[deck - 1] ?? 0)) / BEAT_MS);
    const data = builder.build({ deck, trackId: 5000 + deck, bpmRaw, beat, master: deck === 1 });
    const perf = performance.now();
    const at = now();
    pending.set(`${deck}:${bpmRaw}`, { at, perf, measured: n >= options.warmup });
    sender.send(data);
  });
  const sendEnd = performance.now();
  await sleep(DRAIN_MS);
  clearInterval(announcing);
  const wire = capture === null || typeof capture === 'string' ? capture : wireLatencies(await capture.stop(), inputPort, oscPort, options.warmup);
  const result = await bridge.stop();
  const pauses = result.gcPauses;
  const slowDuringGc = slowSpans.filter((s) => pauses.some((p) => p.start < s.end && p.end > s.start)).length;
  await closeSocket(sender);
  await closeSocket(announcer);
  await closeSocket(receiver);
  const seconds = (sendEnd - measureStart) / 1000;
  return {
    latenciesNs,
    sent: options.measured,
    unmatched,
    oscDatagrams,
    rules: result.rules,
    bridgeEvents: result.events,
    bridgeReceived: result.received,
    malformed: result.malformed,
    undeliverable: result.undeliverable,
    gcCount: pauses.length,
    gcMaxMs: pauses.reduce((most, p) => Math.max(most, p.end - p.start), 0),
    slow: slowSpans.length,
    slowDuringGc,
    cpuCores: result.cpuMs / (result.wallMs || 1),
    seconds,
    wire,
  };
}

/** The floor: one loopback hop, sender socket to receiver socket, same pacing and process. */
export async function measureUdpFloor(warmup: number, count: number, rate: number, bytes: number): Promise<number[]> {
  const receiver = dgram.createSocket('udp4');
  const sentAt: bigint[] = [];
  const latencies: number[] = [];
  receiver.on('message', (msg) => {
    const at = now();
    const n = msg.readUInt32BE(0);
    const sent = sentAt[n];
    if (sent !== undefined && n >= warmup) latencies.push(Number(at - sent));
  });
  const port = await bind(receiver);
  const sender = dgram.createSocket('udp4');
  await bind(sender);
  await new Promise<void>((resolve) => sender.connect(port, LOOPBACK, () => resolve()));
  await pace(warmup + count, rate, (n) => {
    const data = Buffer.alloc(bytes);
    data.writeUInt32BE(n, 0);
    sentAt[n] = now();
    sender.send(data);
  });
  await sleep(DRAIN_MS);
  await closeSocket(sender);
  await closeSocket(receiver);
  return latencies;
}
