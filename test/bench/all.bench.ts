/**
 * The product's performance figures in one table, each beside a floor
 * measured in the same run and its target:
 *
 * - decode: ns and heap bytes per Pro DJ Link datagram of the NXS2 capture
 *   (decode.bench.ts; no target, for reference);
 * - heap allocated per OPUS status packet, stream layer alone and with the
 *   500-rule engine (mapping-alloc.ts);
 * - 500 status packets/s over loopback into the bridge with the 500-rule
 *   mapping (mapping-loopback.ts): the status-to-OSC latency on the wire
 *   (kernel timestamps on lo, as root on Linux) against the bare loopback
 *   hop, both in one process; the wire latency, GCs per 10 s and the
 *   longest GC pause of the bridge in a process of its own with the command
 *   line's heap settings, as a user runs it (beside the latency, a process of
 *   its own that only echoes, on the wire: echo-floor.ts; beside the GCs, a
 *   process with the same heap settings that does only the bridge's datagram
 *   input and output, io-floor.ts, and the first run's, the bridge sharing the
 *   harness's process and V8's growing young generation);
 * - MIDI clock: p95 time to regain 5 ms phase after ±8 % tempo steps (the
 *   floor: the estimate it follows, clock-convergence.ts), runs that never
 *   do, and pulses more than 0.25 ms off on the clock thread against how
 *   often a spinning loop loses the CPU (clock.bench.ts);
 * - CPU and RSS of the bridge with four OPUS decks playing, against an idle
 *   Node.js process (idle-usage.ts): `run --interface` with the simulator in
 *   its own process on a LAN of network namespaces (as root with iproute2),
 *   over the first seconds of play, a minute on and three minutes on (the
 *   judged CPU figure: at a few dozen packets a second V8 takes minutes to
 *   optimise the hot path, and through a show it runs optimised; the judged
 *   RSS is the peak since start), and `run --simulate`, whose figure
 *   includes the simulator.
 *
 *   npm run bench:all     (BENCH_SECONDS=n real-time clock run and idle windows, default 10;
 *                          BENCH_STEADY_AFTER=n seconds of play before the judged idle window, default 180
 *                          (another window a minute in is shown when that is later);
 *                          BENCH_PACKETS=n measured status packets, default 5000; BENCH_WIRE=0 skips the wire capture)
 */
import * as os from 'node:os';
import { hrtimeClock } from '../../src/timing/clock';
import { tempoSteps } from './clock-convergence';
import { percentile } from './clock-measure';
import { noiseFloor, realTime } from './clock.bench';
import { bytesPerPacket, captureInputs, gcFunction, nsPerPacket } from './decode.bench';
import { measureIdleUsage, measureNetnsIdleUsage } from './idle-usage';
import { measureAllocation, type AllocationResult } from './mapping-alloc';
import { measureEchoWire } from './echo-floor';
import { measureIoFloor } from './io-floor';
import { compileBenchMapping } from './mapping.bench';
import { measureLoopback, measureUdpFloor, type LoopbackResult } from './mapping-loopback';
import { BENCH_OSC_TARGETS, benchMappingYaml } from './mapping-rules';
import { OpusStatusBuilder } from './mapping-status';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '10');
/** When the judged idle window starts, from the first deck status (s): three minutes, for V8 to have optimised the hot path (measured: the bridge's CPU still falls from one minute to two, and no more after three). */
const STEADY_AFTER_SECONDS = Number(process.env['BENCH_STEADY_AFTER'] ?? '180');
/** An idle window shown (not judged) a minute into play, when the judged one is later: how far V8 has got by then. */
const WARMING_AFTER_SECONDS = 60;
const PACKETS = Number(process.env['BENCH_PACKETS'] ?? '5000');
const WIRE = process.env['BENCH_WIRE'] !== '0';
const RATE = 500;
const RULES = 500;
const WARMUP_PACKETS = 1000;
const LATE_MS = 0.25;
/** Bytes of a datagram the I/O floor sends (an OSC message of the benchmark mapping is some 40–70). */
const OSC_BYTES = 56;
const MIN_EVENTS_PER_PACKET = 0.5;

interface Figure {
  readonly name: string;
  readonly value: string;
  readonly floor: string;
  readonly target: string;
  /** null: no target. */
  readonly met: boolean | null;
}

const figures: Figure[] = [];
const add = (name: string, value: string, floor: string, target: string, met: boolean | null): void => {
  figures.push({ name, value, floor, target, met });
  console.error(`  ${name}: ${value}`);
};
const fixed = (n: number, digits: number): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (ns: number): string => `${fixed(ns / 1e6, 3)} ms`;
const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

function decodeFigures(gc: () => void): void {
  const { inputs } = captureInputs();
  nsPerPacket(inputs, 1); // warm-up
  const { ns } = nsPerPacket(inputs, 2);
  add('decode, ns per datagram (NXS2 capture)', fixed(ns, 0), '—', '—', null);
  add('decode, heap bytes per datagram', fixed(bytesPerPacket(inputs, gc), 0), '—', '—', null);
}

async function allocationFigures(gc: () => void): Promise<void> {
  const { mapping } = compileBenchMapping();
  await measureAllocation(gc, { kind: 'streams', mapping }, 1); // the first run in a process only warms up
  const row = (name: string, r: AllocationResult, limit: number): void => {
    // Every packet changes its deck's tempo, so fewer than one event per packet means packets were refused, not processed.
    const refused = r.eventsPerPacket < MIN_EVENTS_PER_PACKET;
    const value = `${fixed(r.bytesPerPacket, 0)} B, ${fixed(r.eventsPerPacket, 2)} events/packet${refused ? ' (packets refused: not the working path)' : ''}`;
    add(name, value, '—', `≤ ${limit} B`, refused ? null : r.bytesPerPacket <= limit);
  };
  row('heap per status packet, stream layer', await measureAllocation(gc, { kind: 'streams', mapping: null }), 1024);
  row(`heap per status packet, + ${RULES}-rule engine`, await measureAllocation(gc, { kind: 'streams', mapping }), 2048);
}

async function loopbackFigures(gc: () => void): Promise<void> {
  gc();
  const floor = sorted(await measureUdpFloor(WARMUP_PACKETS / 2, PACKETS / 2, RATE, new OpusStatusBuilder().templateLength));
  const floorP50 = percentile(floor, 50);
  const floorP99 = percentile(floor, 99);
  gc();
  const r = await measureLoopback({ mappingYaml: (t) => benchMappingYaml(t, RULES), warmup: WARMUP_PACKETS, measured: PACKETS, rate: RATE, wire: WIRE });
  if (r.rules !== RULES || r.latenciesNs.length < PACKETS * 0.95) {
    const why = `not measured: ${r.rules} rules ran and ${r.latenciesNs.length} of ${PACKETS} status packets got a probe back (${int(r.bridgeEvents)} events)`;
    add('wire latency p50 (status in -> OSC out, lo)', why, `${ms(floorP50)} (loopback hop p50)`, '≤ 0.12 ms', null);
    add('wire latency p99', 'not measured', `${ms(floorP99)} (loopback hop p99)`, `≤ ${ms(2 * floorP99)}`, null);
    await gcFigures(gc, r);
    return;
  }
  await gcFigures(gc, r);
  if (r.wire === null || typeof r.wire === 'string') {
    const why = r.wire ?? 'BENCH_WIRE=0';
    add('wire latency p50 (status in -> OSC out, lo)', `not measured: ${why}`, ms(floorP50), '≤ 0.12 ms', null);
    add('wire latency p99', 'not measured', ms(floorP99), '≤ 2 × floor p99', null);
  } else {
    const wire = sorted(r.wire.latenciesNs);
    const p50 = percentile(wire, 50);
    const p99 = percentile(wire, 99);
    add('wire latency p50 (status in -> OSC out, lo)', ms(p50), `${ms(floorP50)} (loopback hop p50)`, '≤ 0.12 ms', p50 <= 0.12e6);
    add('wire latency p99', ms(p99), `${ms(floorP99)} (loopback hop p99)`, `≤ ${ms(2 * floorP99)}`, p99 <= 2 * floorP99);
  }
  const e2e = sorted(r.latenciesNs);
  add('end-to-end latency p99 (send call -> receive callback)', ms(percentile(e2e, 99)), `${ms(floorP99)} (loopback hop p99)`, '—', null);
}

/**
 * The wire latency of the bridge in a process of its own, as a user runs it,
 * beside its floor: a process of its own that only echoes each datagram
 * (echo-floor.ts), timed on the wire the same way. The loopback hop beside
 * the in-process figures never sleeps between datagrams; a process of its own
 * is woken for each, and pays that before any of its code runs.
 */
async function ownProcessWireFigures(r: LoopbackResult): Promise<void> {
  const p50Row = 'wire latency p50, the bridge in its own process';
  const p99Row = 'wire latency p99, the bridge in its own process';
  const echo = WIRE ? await measureEchoWire(WARMUP_PACKETS, PACKETS, RATE, new OpusStatusBuilder().templateLength) : 'BENCH_WIRE=0';
  if (typeof echo === 'string' || echo.length < PACKETS * 0.95 || r.wire === null || typeof r.wire === 'string') {
    const why = typeof echo === 'string' ? echo : r.wire === null || typeof r.wire === 'string' ? (r.wire ?? 'BENCH_WIRE=0') : `${echo.length} of ${PACKETS} echoes captured`;
    add(p50Row, `not measured: ${why}`, '—', '—', null);
    add(p99Row, 'not measured', '—', '≤ 2 × echo p99', null);
    return;
  }
  const floor = sorted(echo);
  const wire = sorted(r.wire.latenciesNs);
  const floorP99 = percentile(floor, 99);
  const p99 = percentile(wire, 99);
  add(p50Row, ms(percentile(wire, 50)), `${ms(percentile(floor, 50))} (a process that only echoes, p50)`, '—', null);
  add(p99Row, ms(p99), `${ms(floorP99)} (a process that only echoes, p99)`, `≤ ${ms(2 * floorP99)}`, p99 <= 2 * floorP99);
}

/**
 * GCs and the longest pause of the bridge in a process of its own, with the
 * command line's heap settings (a young generation kept at its starting
 * size), as a user runs it; beside them, the same run's figures with the
 * bridge in the harness's process, where V8 grows the young generation.
 */
async function gcFigures(gc: () => void, shared: LoopbackResult): Promise<void> {
  gc();
  const r = await measureLoopback({ mappingYaml: (t) => benchMappingYaml(t, RULES), warmup: WARMUP_PACKETS, measured: PACKETS, rate: RATE, ownProcess: true, wire: WIRE });
  await ownProcessWireFigures(r);
  const sharedPerTen = (shared.gcCount * 10) / shared.seconds;
  const beside = (value: string): string => `${value} (the bridge beside the harness, V8's growing young generation)`;
  if (r.rules !== RULES || r.latenciesNs.length < PACKETS * 0.95) {
    const why = `not measured: ${r.rules} rules ran and ${r.latenciesNs.length} of ${PACKETS} status packets got a probe back (${int(r.bridgeEvents)} events)`;
    add(`GCs per 10 s at ${RATE} status packets/s (${RULES} rules), the bridge's own process`, why, beside(fixed(sharedPerTen, 1)), '≤ 1', null);
    add('longest GC pause, the bridge\'s own process', 'not measured', beside(`${fixed(shared.gcMaxMs, 2)} ms`), '≤ 1 ms', null);
    return;
  }
  const perTen = (r.gcCount * 10) / r.seconds;
  const io = await ioFloor(r);
  add(`GCs per 10 s at ${RATE} status packets/s (${RULES} rules), the bridge's own process`, fixed(perTen, 1), `${io}; ${beside(fixed(sharedPerTen, 1))}`, '≤ 1', perTen <= 1);
  add('longest GC pause, the bridge\'s own process', `${fixed(r.gcMaxMs, 2)} ms`, beside(`${fixed(shared.gcMaxMs, 2)} ms`), '≤ 1 ms', r.gcMaxMs <= 1);
}

/**
 * The GCs per 10 s of a process that does only the bridge's datagram input
 * and output, with the same heap settings (io-floor.ts): the status datagrams
 * in, and as many datagrams out per status as the bridge sent OSC messages.
 */
async function ioFloor(bridge: LoopbackResult): Promise<string> {
  const perDatagram = bridge.oscDatagrams / (WARMUP_PACKETS + PACKETS);
  const floor = await measureIoFloor({ warmup: WARMUP_PACKETS, count: PACKETS, rate: RATE, bytes: new OpusStatusBuilder().templateLength, perDatagram, sockets: BENCH_OSC_TARGETS, sentBytes: OSC_BYTES });
  if (typeof floor === 'string') return `floor not measured: ${floor}`;
  return `${fixed((floor.gcCount * 10) / floor.seconds, 1)} (a process that only takes the datagrams in and sends ${fixed(perDatagram, 1)} out per status, as the bridge did)`;
}

async function clockFigures(): Promise<void> {
  const steps = tempoSteps(40);
  add('clock: p95 time to regain 5 ms phase after ±8 % steps (status only)', `${fixed(steps.clockP95 / 1000, 2)} s`, `${fixed(steps.estimateP95 / 1000, 2)} s (the estimate it follows)`, '≤ 2 s', steps.clockP95 <= 2000);
  add(`clock: runs never regaining (of ${steps.runs.length})`, String(steps.clockNever), `${steps.estimateNever} (the estimate)`, '0', steps.clockNever === 0);
  add('clock: p95 of regaining after its estimate did (the clock\'s own part)', `${fixed(steps.clockLagP95 / 1000, 2)} s`, '0 s (a clock on the estimate)', '≤ 2 s', steps.clockLagP95 <= 2000);
  for (const [label, source] of [
    ['precise positions (CDJ mode)', 'precise'],
    ["precise positions + the track's grid", 'grid'],
    ['CDJ beat packets', 'packets'],
  ] as const) {
    const s = tempoSteps(40, source);
    add(`clock: the same, with ${label}`, `${fixed(s.clockP95 / 1000, 2)} s, ${s.clockNever} never`, `${fixed(s.estimateP95 / 1000, 2)} s, ${s.estimateNever} never (the estimate)`, '≤ 2 s, 0 never', s.clockP95 <= 2000 && s.clockNever === 0);
  }
  const pulses = await realTime('clock thread', 120, false, 0);
  const noise = noiseFloor(Math.min(SECONDS, 5) * 1000);
  const latePerSecond = pulses.errors.filter((e) => Math.abs(e) > LATE_MS).length / SECONDS;
  const stallsPerSecond = noise.over025 / Math.min(SECONDS, 5);
  add(`clock thread: pulses > ${LATE_MS} ms off per s (120 BPM, idle)`, fixed(latePerSecond, 1), `${fixed(stallsPerSecond, 1)} (spin-loop stalls > ${LATE_MS} ms per s)`, '≤ floor', latePerSecond <= stallsPerSecond);
  add('clock thread: pulse error p99', `${fixed(percentile(pulses.errors.map(Math.abs), 99), 3)} ms`, `${fixed(noise.max, 2)} ms (longest stall)`, '—', null);
}

async function idleFigures(): Promise<void> {
  const mb = (bytes: number): string => `${fixed(bytes / 1e6, 1)} MB`;
  // The bridge as a user runs it: the simulated OPUS-QUAD in its own process on another host of a namespace LAN.
  // Two windows of one run: the first seconds of play, while V8 still compiles and optimises the hot path (shown),
  // and a minute on, as through a show (judged).
  const windows = STEADY_AFTER_SECONDS > WARMING_AFTER_SECONDS ? [WARMING_AFTER_SECONDS, STEADY_AFTER_SECONDS] : [STEADY_AFTER_SECONDS];
  const lan = await measureNetnsIdleUsage(SECONDS, 5, windows);
  const lanMeasured = typeof lan !== 'string';
  if (lanMeasured) {
    const sim = `simulator process ${fixed(lan.simulator.cpu * 100, 2)} %, not counted`;
    add(`run --interface (4 OPUS decks on the LAN): CPU, 5–${5 + SECONDS} s into play`, `${fixed(lan.bridge.cpu * 100, 2)} % of a core (${sim})`, `${fixed(lan.floor.cpu * 100, 2)} % (idle node)`, '— (judged below)', null);
    lan.later.forEach((w, i) => {
      const judged = i === lan.later.length - 1;
      const window = `${w.afterSeconds}–${w.afterSeconds + SECONDS} s into play`;
      const floors = `${fixed(w.floor.cpu * 100, 2)} % (idle node); ${fixed(w.wakeFloor.cpu * 100, 2)} % (a node that only wakes ${fixed(w.wakeFloor.wakeups, 0)} times a second)`;
      add(`run --interface (4 OPUS decks on the LAN): CPU, ${window}`, `${fixed(w.bridge.cpu * 100, 2)} % of a core`, floors, judged ? '≤ 1 %' : '— (judged below)', judged ? w.bridge.cpu <= 0.01 : null);
    });
    const last = lan.later[lan.later.length - 1] ?? lan;
    add('run --interface (4 OPUS decks on the LAN): main-thread wake-ups', `${fixed(last.bridge.wakeups, 0)} /s`, `${fixed(last.floor.wakeups, 1)} /s (idle node)`, '—', null);
    const own = `${mb(last.bridge.anonRss)} of it the process's own (anonymous), the rest mapped files, mostly Node.js's code`;
    add('run --interface (4 OPUS decks on the LAN): RSS, and its peak since start', `${mb(last.bridge.rss)} (peak ${mb(last.bridge.peakRss)}; ${own})`, `${mb(last.floor.rss)} (idle node; ${mb(last.floor.anonRss)} anonymous)`, '≤ 70 MB', last.bridge.peakRss <= 70e6);
  } else {
    console.error(`  run --interface on a namespace LAN not measured (${lan}); falling back to run --simulate`);
  }
  // The simulator inside the bridge process: the judged figure only when the LAN one could not be measured.
  const label = 'run --simulate, 4 decks playing (includes the simulator)';
  const idle = await measureIdleUsage(SECONDS);
  if (typeof idle === 'string') {
    add(`${label}: CPU`, `not measured: ${idle}`, '—', '≤ 1 % of a core', null);
    add(`${label}: RSS`, 'not measured', '—', '≤ 70 MB', null);
    return;
  }
  add(`${label}: CPU`, `${fixed(idle.bridge.cpu * 100, 2)} % of a core`, `${fixed(idle.floor.cpu * 100, 2)} % (idle node)`, lanMeasured ? '— (row above)' : '≤ 1 %', lanMeasured ? null : idle.bridge.cpu <= 0.01);
  add(`${label}: RSS`, `${mb(idle.bridge.rss)} (peak ${mb(idle.bridge.peakRss)})`, `${mb(idle.floor.rss)} (idle node)`, lanMeasured ? '— (row above)' : '≤ 70 MB', lanMeasured ? null : idle.bridge.rss <= 70e6);
}

function printTable(): void {
  const header: Figure = { name: 'figure', value: 'value', floor: 'floor in same run', target: 'target', met: null };
  const cells = (f: Figure, isHeader = false): string[] => [f.name, f.value, f.floor, f.target, isHeader ? 'met?' : f.met === null ? '—' : f.met ? 'yes' : 'NO'];
  const rows = [cells(header, true), ...figures.map((f) => cells(f))];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: readonly string[]): string => `| ${r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(line(rows[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

async function main(): Promise<void> {
  const began = hrtimeClock.now();
  const cpus = os.cpus();
  console.log(`All benchmarks: Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const gc = gcFunction();
  decodeFigures(gc);
  await allocationFigures(gc);
  await loopbackFigures(gc);
  await clockFigures();
  await idleFigures();
  console.log('');
  printTable();
  console.log(`\ntotal ${((hrtimeClock.now() - began) / 1000).toFixed(1)} s, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
