/**
 * MIDI clock timing, measured.
 *
 * 1. Real time: the MidiClock follows an exact 120 / 174 BPM grid and writes to
 *    a recording port stamped with process.hrtime; every pulse is compared with
 *    the time the grid puts it at. Once on the main thread (hybridWait), once
 *    on the clock thread (MidiClockThread, blockingWait), each with the main thread idle and
 *    loaded (back-to-back 5 ms chunks of JSON work + 2,000 OSC messages/s, each
 *    encoded with the osc package, to 127.0.0.1 and received in the same process). A spinning loop first measures
 *    how often the machine itself takes the CPU away (the noise floor no
 *    scheduler can beat).
 * 2. Virtual time: estimator phase error on simulated OPUS status packets;
 *    how fast clock tempo and phase settle after a ±8 % tempo step, beside
 *    how fast the estimate the clock follows does (the floor); and how fast
 *    the clock takes up a grid that moved by tens of milliseconds
 *    (clock-convergence.ts).
 * 3. Virtual time: phase error of the clock's beats against the simulator's
 *    CDJ (real beat and status packets through the bridge's streams and
 *    DeckGrids, with a network delay model), at 120 and 174 BPM
 *    (clock-sim-phase.ts).
 * 4. Real time: look-ahead rules (lead 80 ms) on four exact grids, fired on the
 *    main thread as the bridge does, idle and loaded: fired minus due
 *    (clock-lookahead.ts).
 *
 *   npm run bench:clock     (BENCH_SECONDS=n per real-time run, default 10; BENCH_CHUNK_MS, default 5;
 *                            BENCH_THREAD_SPIN_MS, the clock thread's least spin margin, default 0.3;
 *                            BENCH_PARTS=1,2,3,4 the parts to run, default all)
 */
import * as dgram from 'node:dgram';
import * as os from 'node:os';
import { BroadcastChannel } from 'node:worker_threads';
import { MidiClock } from '../../src/outputs/midi/midi-clock';
import { encodeOscMessage } from '../../src/outputs/osc/osc-message';
import { MidiClockThread } from '../../src/outputs/midi/midi-clock-thread';
import { RecordedMessage, RecordingMidiPort, type MidiPort } from '../../src/outputs/midi/midi-port';
import { BeatGridEstimator } from '../../src/timing/beat-grid-estimator';
import { hrtimeClock } from '../../src/timing/clock';
import { seededRandom } from '../../src/timing/sim/prng';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { simulateStatusSamples } from '../../src/timing/sim/status-sim';
import { TickScheduler } from '../../src/timing/tick-scheduler';
import { DEFAULT_BLOCKING_MAX_SPIN_MS, DEFAULT_BLOCKING_SPIN_MS, hybridWait, timerWait } from '../../src/timing/wait-strategies';
import { fmt, onBeat, percentile, pulsePositions } from './clock-measure';
import { printSimulatorPhase } from './clock-sim-phase';
import { LOOK_AHEAD_LEAD_MS, lookAheadErrors } from './clock-lookahead';
import { phaseStep, REGAINED_MS, STEP_FROM_BPM, tempoSteps } from './clock-convergence';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
const SPIN_MS = 2; // main thread: timer, then spin
const THREAD_SPIN_MS = Number(process.env['BENCH_THREAD_SPIN_MS'] ?? String(DEFAULT_BLOCKING_SPIN_MS)); // clock thread: Atomics.wait, then spin
const PARTS = new Set((process.env['BENCH_PARTS'] ?? '1,2,3,4').split(',').map((p) => p.trim()));
const LATE_MS = 0.25; // the pulse-timing target
const JSON_CHUNK_MS = Number(process.env['BENCH_CHUNK_MS'] ?? '5');
const UDP_PER_SECOND = 2000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Main-thread load: back-to-back chunks of JSON work and a steady stream of loopback datagrams. */
async function startLoad(): Promise<() => Promise<{ chunks: number; sent: number; received: number }>> {
  const doc = { deck: 3, tracks: Array.from({ length: 60 }, (_, i) => ({ id: i, title: `track ${i}`, bpm: 120 + i / 10, cues: [1, 2, 3] })) };
  let running = true;
  let chunks = 0;
  let sink = 0;
  const work = (): void => {
    if (!running) return;
    const end = hrtimeClock.now() + JSON_CHUNK_MS;
    while (hrtimeClock.now() < end) sink += JSON.parse(JSON.stringify(doc)).tracks.length;
    chunks++;
    setImmediate(work);
  };
  const receiver = dgram.createSocket('udp4');
  let received = 0;
  receiver.on('message', () => received++);
  await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
  const target = receiver.address().port;
  const sender = dgram.createSocket('udp4');
  const started = hrtimeClock.now();
  let sent = 0;
  const pump = setInterval(() => {
    const due = Math.floor(((hrtimeClock.now() - started) * UDP_PER_SECOND) / 1000);
    for (; sent < due; sent++) {
      // Each one encoded afresh, as the bridge encodes what its rules send.
      const osc = encodeOscMessage({ address: `/composition/layers/${(sent % 8) + 1}/clips/3/connect`, args: [{ type: 'int', value: sent }, { type: 'float', value: (sent % 100) / 100 }, { type: 'string', value: 'deck 1' }] });
      if (osc.ok) sender.send(osc.bytes, target, '127.0.0.1');
    }
  }, 2);
  setImmediate(work);
  return async () => {
    running = false;
    clearInterval(pump);
    await sleep(50);
    sender.close();
    receiver.close();
    if (sink < 0) console.log(sink);
    return { chunks, sent, received };
  };
}

export interface RealTimeResult {
  readonly pulses: number;
  readonly errors: number[];
  readonly cpu: number;
  readonly load: string;
}

/** A deck just before its first downbeat, so the clock starts within a few pulses. */
function deckAt(bpm: number, start: number): SimDeck {
  return new SimDeck({ at: start, position: 0.75, bpm, playing: true, barOffset: 1 });
}

async function onMainThread(bpm: number): Promise<{ messages: readonly RecordedMessage[]; deck: SimDeck }> {
  const deck = deckAt(bpm, hrtimeClock.now());
  const scheduler = new TickScheduler(hrtimeClock, hybridWait(hrtimeClock, { spinMs: SPIN_MS }), timerWait(hrtimeClock));
  const port = new RecordingMidiPort('bench', () => hrtimeClock.now());
  const stop = new MidiClock(port, scheduler, deck).start();
  await sleep(SECONDS * 1000);
  stop();
  return { messages: port.messages, deck };
}

async function onClockThread(bpm: number, run: number): Promise<{ messages: readonly RecordedMessage[]; deck: SimDeck }> {
  const channelName = `clock-bench-${process.pid}-${run}`;
  const channel = new BroadcastChannel(channelName);
  const recorded = new Promise<readonly RecordedMessage[]>((resolve) => {
    channel.onmessage = (event) => resolve((event as { data: readonly RecordedMessage[] }).data);
  });
  const thread = new MidiClockThread({
    port: { module: __filename, exportName: 'openBenchPort', args: [channelName] },
    clock: {},
    spinMs: THREAD_SPIN_MS,
  });
  const failed = await thread.start();
  if (failed !== null) throw new Error(failed.toString());
  const deck = deckAt(bpm, hrtimeClock.now());
  thread.publish(deck.grid(hrtimeClock.now()));
  const publisher = setInterval(() => thread.publish(deck.grid(hrtimeClock.now())), 200);
  await sleep(SECONDS * 1000);
  clearInterval(publisher);
  await thread.stop();
  const messages = await recorded;
  channel.close();
  return { messages, deck };
}

export async function realTime(where: 'main thread' | 'clock thread', bpm: number, loaded: boolean, run: number): Promise<RealTimeResult> {
  const stopLoad = loaded ? await startLoad() : null;
  const cpu0 = process.cpuUsage();
  const t0 = hrtimeClock.now();
  const { messages, deck } = where === 'main thread' ? await onMainThread(bpm) : await onClockThread(bpm, run);
  const cpu = process.cpuUsage(cpu0);
  const elapsed = hrtimeClock.now() - t0;
  const load = stopLoad === null ? '' : await stopLoad().then((l) => `${l.chunks} JSON chunks, ${Math.round((l.received * 1000) / elapsed)} OSC messages/s received`);
  const period = 60000 / bpm;
  const start = startOf(deck);
  const errors = pulsePositions(messages).map((p) => p.at - (start + (p.position - 1) * period));
  return { pulses: errors.length, errors, cpu: (cpu.user + cpu.system) / 1000 / elapsed, load };
}

/** The time the deck was at position 1 (its start). */
function startOf(deck: SimDeck): number {
  const g = deck.grid(0);
  return g.at - ((g.position ?? 1) - 1) * (60000 / (g.bpm ?? 1));
}

/**
 * Estimator beat errors after 8 bars of simulated OPUS status at a steady
 * tempo, and the errors of the best any estimator could do with those packets:
 * it knows when each was generated (no network delay at all), intersects what
 * every packet says about the phase and takes the middle of what is left (the
 * phase is equally likely anywhere in it, so no other choice does better).
 */
function estimatorErrors(bpmOf: (seed: number) => number, runs: number): { errors: number[]; bestPossible: number[] } {
  const errors: number[] = [];
  const bestPossible: number[] = [];
  for (let seed = 1; seed <= runs; seed++) {
    const bpm = bpmOf(seed);
    const period = 60000 / bpm;
    const deck = new SimDeck({ at: 0, position: 1 + seededRandom(seed * 7919)() * 4, bpm, playing: true, barOffset: 1 });
    const samples = simulateStatusSamples(deck, 0, 42 * period, { seed });
    const estimator = new BeatGridEstimator();
    // Position = c + t / period; each packet bounds c.
    let lo = -Infinity;
    let hi = Infinity;
    let i = 0;
    for (let beat = deck.nextBeatAfter(32 * period); beat !== null && beat.at < 40 * period; beat = deck.nextBeatAfter(beat.at)) {
      for (; i < samples.length && samples[i]!.observation.at < beat.at; i++) {
        const { generatedAt, observation } = samples[i]!;
        estimator.observe(observation);
        lo = Math.max(lo, (observation.beat ?? 0) - generatedAt / period);
        hi = Math.min(hi, (observation.beat ?? 0) + 1 - generatedAt / period);
      }
      const predicted = estimator.predictBeat(beat.beat);
      if (predicted !== null) errors.push(Math.abs(predicted.at - beat.at));
      bestPossible.push(Math.abs((beat.beat - (lo + hi) / 2) * period - beat.at));
    }
  }
  return { errors, bestPossible };
}

/** Spins for `ms` reading the clock; reports the pauses the OS or hypervisor imposed. */
export function noiseFloor(ms: number): { over025: number; over1: number; max: number } {
  let last = hrtimeClock.now();
  const end = last + ms;
  let over025 = 0;
  let over1 = 0;
  let max = 0;
  for (;;) {
    const t = hrtimeClock.now();
    const gap = t - last;
    last = t;
    if (gap > 0.25) over025++;
    if (gap > 1) over1++;
    if (gap > max) max = gap;
    if (t > end) break;
  }
  return { over025, over1, max };
}

async function pulseSection(): Promise<void> {
  console.log(`\n1. Pulse timing, ${SECONDS} s per run; main thread: timer + ${SPIN_MS} ms spin; clock thread: Atomics.wait, then a spin margin that follows how late the kernel wakes it (${THREAD_SPIN_MS}–${DEFAULT_BLOCKING_MAX_SPIN_MS} ms); load = ${JSON_CHUNK_MS} ms JSON chunks + ${UDP_PER_SECOND} OSC messages/s`);
  const noise = noiseFloor(2000);
  console.log(`noise floor: a spinning loop lost the CPU ${noise.over025}× for > 0.25 ms and ${noise.over1}× for > 1 ms in 2 s (longest ${noise.max.toFixed(2)} ms)`);
  console.log(`\npulse error vs ideal grid (ms)        pulses      p50      p99      max  > ${LATE_MS} ms   CPU (cores)`);
  let run = 0;
  for (const where of ['main thread', 'clock thread'] as const) {
    for (const loaded of [false, true]) {
      for (const bpm of [120, 174]) {
        const r = await realTime(where, bpm, loaded, run++);
        const abs = r.errors.map(Math.abs);
        const late = abs.filter((e) => e > LATE_MS).length;
        const label = `${where}, ${loaded ? 'loaded' : 'idle  '}, ${bpm} BPM`;
        console.log(`${label.padEnd(36)} ${String(r.pulses).padStart(7)} ${fmt(percentile(abs, 50))} ${fmt(percentile(abs, 99))} ${fmt(Math.max(...abs))} ${String(late).padStart(9)}   ${r.cpu.toFixed(2)}${r.load ? `   (${r.load})` : ''}`);
      }
    }
  }
}

function estimatorSection(): void {
  console.log('\n2. estimator beat error after 8 bars, simulated OPUS status (ms; target p95 < 10)        best possible from the packets');
  console.log(`${''.padEnd(56)}      p50      p95      max      p50      p95`);
  const sets: [string, (seed: number) => number, number][] = [
    ['80–180 BPM, 300 seeded runs', (seed) => 80 + seededRandom(seed * 104729)() * 100, 300],
    ['120 BPM (5 status phases per 2 beats)', () => 120, 100],
    ['128 BPM', () => 128, 100],
    ['150 BPM (2 status phases per beat)', () => 150, 100],
    ['174 BPM', () => 174, 100],
  ];
  for (const [label, bpmOf, runs] of sets) {
    const { errors: e, bestPossible: b } = estimatorErrors(bpmOf, runs);
    console.log(`${label.padEnd(56)} ${fmt(percentile(e, 50))} ${fmt(percentile(e, 95))} ${fmt(Math.max(...e))} ${fmt(percentile(b, 50))} ${fmt(percentile(b, 95))}`);
  }
  console.log('(best possible: every packet\'s generation time known exactly, the middle of the phases they all allow)');

  convergenceSection();
}

function convergenceSection(): void {
  const line = (label: string, values: number[]): void => {
    const known = values.filter((v) => !Number.isNaN(v));
    console.log(`${label.padEnd(56)} ${fmt(percentile(known, 50))} ${fmt(percentile(known, 95))} ${fmt(Math.max(...known))}${known.length < values.length ? `  (${values.length - known.length} never)` : ''}`);
  };
  const all = tempoSteps(40);
  for (const [label, to] of [['+8 % step (125 -> 135 BPM)', STEP_FROM_BPM * 1.08], ['−8 % step (125 -> 115 BPM)', STEP_FROM_BPM * 0.92]] as const) {
    const settle = all.runs.slice(to > STEP_FROM_BPM ? 0 : 40, to > STEP_FROM_BPM ? 40 : 80);
    console.log(`\n${`after a ${label}, ms, 40 seeded runs`.padEnd(56)}      p50      p95      max`);
    line('until the estimator reports the new tempo', settle.map((s) => s.estimatorTempo));
    line('until clock tempo (one-beat span) is within 0.5 %', settle.map((s) => s.clockTempo));
    line(`until the estimate is within ${REGAINED_MS} ms of true beats (floor)`, settle.map((s) => s.estimatePhase));
    line(`until clock beats are within ${REGAINED_MS} ms of the true beats`, settle.map((s) => s.clockPhase));
    line('clock beat error 2–10 s after the step', settle.flatMap((s) => s.after));
    const shortest = Math.min(...settle.map((s) => s.shortest));
    const longest = Math.max(...settle.map((s) => s.longest));
    const fast = settle.reduce((n, s) => n + s.fastCorrections, 0);
    console.log(`pulse intervals from 10 s before the step: ${shortest.toFixed(3)}–${longest.toFixed(3)} × nominal at the true tempo; ${fast} fast corrections`);
  }
  console.log(`both: clock p95 ${(all.clockP95 / 1000).toFixed(2)} s (${all.clockNever} never), estimate p95 ${(all.estimateP95 / 1000).toFixed(2)} s (${all.estimateNever} never)`);
  console.log(`the clock after its estimate (clock's own part), p95: ${(all.clockLagP95 / 1000).toFixed(2)} s`);
  console.log(`\n${'±8 % steps by what the bridge hears, 80 runs'.padEnd(56)} clock p95  never  estimate p95  never  clock after estimate p95`);
  for (const [label, source] of [
    ['status only (OPUS lighting mode)', 'status'],
    ['precise positions, no grid (OPUS CDJ mode)', 'precise'],
    ["precise positions and the track's grid (library)", 'grid'],
    ['CDJ beat packets', 'packets'],
  ] as const) {
    const s = source === 'status' ? all : tempoSteps(40, source);
    console.log(
      `${label.padEnd(56)} ${fmt(s.clockP95 / 1000)} s ${String(s.clockNever).padStart(5)}  ${fmt(s.estimateP95 / 1000)} s ${String(s.estimateNever).padStart(5)}  ${fmt(s.clockLagP95 / 1000)} s`,
    );
  }
  const ramp = tempoSteps(40, 'status', 1000);
  console.log(
    `${'status only, the ±8 % over a 1 s ramp (a fader move)'.padEnd(56)} ${fmt(ramp.clockP95 / 1000)} s ${String(ramp.clockNever).padStart(5)}  ${fmt(ramp.estimateP95 / 1000)} s ${String(ramp.estimateNever).padStart(5)}  ${fmt(ramp.clockLagP95 / 1000)} s`,
  );
  const precise = tempoSteps(40, 'precise');
  const offBefore = precise.runs.filter((r) => Number.isNaN(r.clockPhase) && Math.min(...r.before) >= REGAINED_MS).length;
  console.log(`(precise, no grid: ${offBefore} of the runs never regaining were ${REGAINED_MS} ms off before the step already)`);

  console.log('\nphase step: exact 128 BPM grid, then one the same tempo N ms ahead (−: behind)   settled (ms)  shortest  longest  transport msgs');
  for (const offset of [-110, -80, -40, -20, 20, 40, 80, 110]) {
    const r = phaseStep(offset);
    console.log(`${`  ${offset > 0 ? '+' : ''}${offset} ms`.padEnd(80)} ${fmt(r.settledMs)}  ${r.shortest.toFixed(3).padStart(8)} ${r.longest.toFixed(3).padStart(8)} ${String(r.transport).padStart(8)}`);
  }
  console.log('(settled: every later pulse within 1 ms of the new grid; intervals over nominal)');
}

async function lookAheadSection(): Promise<void> {
  console.log(`\n4. look-ahead firing (lead ${LOOK_AHEAD_LEAD_MS} ms, main thread: timer + 1 ms spin), fired − due (ms)   firings      p50      p99      max`);
  for (const loaded of [false, true]) {
    for (const bpm of [120, 174]) {
      const stopLoad = loaded ? await startLoad() : null;
      const abs = (await lookAheadErrors(bpm, SECONDS)).map(Math.abs);
      await stopLoad?.();
      console.log(`${`main thread ${loaded ? 'loaded' : 'idle'}, ${bpm} BPM`.padEnd(67)} ${String(abs.length).padStart(7)} ${fmt(percentile(abs, 50))} ${fmt(percentile(abs, 99))} ${fmt(Math.max(...abs))}`);
    }
  }
}

async function main(): Promise<void> {
  const began = hrtimeClock.now();
  console.log(`MIDI clock benchmark: Node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (PARTS.has('1')) await pulseSection();
  if (PARTS.has('2')) estimatorSection();
  if (PARTS.has('3')) await printSimulatorPhase();
  if (PARTS.has('4')) await lookAheadSection();
  console.log(`\ntotal ${((hrtimeClock.now() - began) / 1000).toFixed(1)} s`);
}

/**
 * The port the clock thread opens (it loads this file by path): records every
 * message with a process.hrtime stamp and, on close, broadcasts the recording.
 */
export function openBenchPort(channel: string): MidiPort {
  const recording = new RecordingMidiPort('bench', () => hrtimeClock.now());
  return {
    name: recording.name,
    send: (message) => recording.send(message),
    close: () => {
      const out = new BroadcastChannel(channel);
      out.postMessage(recording.messages);
      out.close();
      recording.close();
    },
  };
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
