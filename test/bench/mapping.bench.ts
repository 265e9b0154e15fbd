/**
 * The mapping engine under a large show mapping, measured.
 *
 * 1. Engine throughput: a 500-rule mapping (beat/downbeat/bar rules with deck,
 *    beatInBar, bpm and phrase conditions, expr conditions, OSC with
 *    templated typed arguments, MIDI, throttles) compiled from YAML; a live
 *    set of four decks (beats, tempo rides, phrase starts/fills/ends, on/off
 *    air, master changes, track loads) through runEvent.
 * 2. End-to-end latency over loopback UDP: OPUS-QUAD status datagrams into the
 *    bridge (startBridge: streams, mapping runtime, OSC UDP targets), OSC out
 *    to a receiver; from just before the status send to the OSC arrival, on
 *    process.hrtime in one process. Once with only the probe rule, once with
 *    the 500-rule mapping; and the bare loopback hop as the floor. On Linux
 *    as root, the same datagrams are also timed on the wire (mapping-wire.ts:
 *    kernel timestamps on lo), from the status datagram reaching the bridge
 *    to the OSC datagram leaving it. The 500-rule run once more with the
 *    bridge in a process of its own, as a user runs it; its floor is a
 *    process of its own that only echoes (echo-floor.ts), timed the same way:
 *    the loopback hop never sleeps between datagrams, a process of its own
 *    is woken for each.
 * 3. Heap allocated per status packet (mapping-alloc.ts): deterministic, on
 *    virtual time; the stream layer alone, then with the engine behind it.
 *
 *   npm run bench:mapping   (BENCH_SECONDS=n engine seconds per part, default 3; BENCH_PACKETS=n measured packets, default 4000;
 *                            BENCH_PARTS=1,2,3 the parts to run, default all; BENCH_WIRE=0 skips the wire capture)
 */
import { measureSocketSendAllocation } from './socket-send-alloc';
import * as os from 'node:os';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { compileMapping } from '../../src/mapping/compile-mapping';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import { EngineBench } from './mapping-engine';
import { measureAllocation } from './mapping-alloc';
import { measureLoopback, measureUdpFloor, type LoopbackResult } from './mapping-loopback';
import { measureEchoWire } from './echo-floor';
import { OpusStatusBuilder } from './mapping-status';
import { benchMappingYaml, probeOnlyYaml, type BenchTargets } from './mapping-rules';

const SECONDS = Number(process.env['BENCH_SECONDS'] ?? '3');
const PACKETS = Number(process.env['BENCH_PACKETS'] ?? '4000');
const RATE = 500; // status datagrams per second
const WARMUP_PACKETS = 1000;
const RULES = 500;
const TARGET_P99_MS = 1;
const WIRE = process.env['BENCH_WIRE'] !== '0';
const PARTS = new Set((process.env['BENCH_PARTS'] ?? '1,2,3').split(',').map((p) => p.trim()));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

const sortedCopy = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (ns: number): string => (ns / 1e6).toFixed(3);

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');
}

/** global.gc when node runs with --expose-gc, otherwise switched on here. */
function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Spins for `ms` reading the clock; counts the pauses the OS or hypervisor imposed on this thread. */
function noiseFloor(ms: number): { over025: number; over1: number; maxMs: number } {
  const end = process.hrtime.bigint() + BigInt(ms * 1e6);
  let last = process.hrtime.bigint();
  let over025 = 0;
  let over1 = 0;
  let max = 0n;
  for (;;) {
    const t = process.hrtime.bigint();
    const gap = t - last;
    last = t;
    if (gap > 250_000n) over025++;
    if (gap > 1_000_000n) over1++;
    if (gap > max) max = gap;
    if (t > end) break;
  }
  return { over025, over1, maxMs: Number(max) / 1e6 };
}

export function compileBenchMapping(): { mapping: CompiledMapping; ms: number; bytes: number } {
  const text = benchMappingYaml({ oscPort: 9000, midiPort: 'bench' }, RULES);
  const start = process.hrtime.bigint();
  const loaded = parseMappingSources([{ file: 'bench-show.yaml', text }]);
  if (!loaded.ok) throw new Error(`benchmark mapping invalid:\n${loaded.errors.join('\n')}`);
  const compiled = compileMapping(loaded.mapping);
  if (!compiled.ok) throw new Error(`benchmark mapping does not compile:\n${compiled.errors.join('\n')}`);
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (compiled.mapping.rules.length !== RULES) throw new Error(`expected ${RULES} rules, compiled ${compiled.mapping.rules.length}`);
  return { mapping: compiled.mapping, ms: elapsed, bytes: Buffer.byteLength(text) };
}

function engineSection(): void {
  const { mapping, ms: compileMs, bytes } = compileBenchMapping();
  const byEvent = [...mapping.rulesByEvent].map(([type, rules]) => `${type} ${rules.length}`).join(', ');
  console.log(`\n1. Engine: ${mapping.rules.length} rules (${(bytes / 1024).toFixed(0)} KiB YAML, load + compile ${compileMs.toFixed(0)} ms); rules per event type: ${byEvent}`);

  const bench = new EngineBench(mapping);
  bench.warmUp(50_000);
  const t = bench.throughput(SECONDS);
  if (t.problems.length > 0) throw new Error(`the benchmark mapping failed at run time:\n${t.problems.join('\n')}`);
  if (t.commands === 0) throw new Error('the engine produced no command: the benchmark measured nothing');
  const perSecond = (n: number): string => int((n * 1e9) / t.ns);
  const widths = [34, 16];
  console.log(`   batches of 4,096 events, ${(t.ns / 1e9).toFixed(1)} s of engine time, ${int(t.events)} events`);
  console.log(row(['   events/s', perSecond(t.events)], widths));
  console.log(row(['   rules evaluated/s', perSecond(t.rulesEvaluated)], widths) + '   (rules registered for the event type; runEvent looks at each)');
  console.log(row(['   rules fired/s', perSecond(t.rulesFired)], widths));
  console.log(row(['   commands produced/s', perSecond(t.commands)], widths));
  console.log(row(['   ns per event (mean)', (t.ns / t.events).toFixed(0)], widths));

  const s = bench.sampled(Math.min(SECONDS, 2));
  const all = sortedCopy(s.all);
  console.log(`\n   per-event samples (process.hrtime.bigint around each runEvent; a clock read pair alone costs ~${s.clockOverheadNs} ns)`);
  const w = [17, 9, 9, 11, 10, 10, 10, 10];
  console.log(row(['   event', 'events', 'share', 'rules/evt', 'cmds/evt', 'p50 ns', 'p99 ns', 'max ns'], w));
  console.log(row(['   ' + '-'.repeat(14), '-'.repeat(9), '-'.repeat(9), '-'.repeat(11), '-'.repeat(10), '-'.repeat(10), '-'.repeat(10), '-'.repeat(10)], w));
  const types = [...s.byType.values()].sort((a, b) => b.ns.length - a.ns.length);
  for (const ty of types) {
    const sorted = sortedCopy(ty.ns);
    const n = sorted.length;
    console.log(row([`   ${ty.type}`, int(n), `${((100 * n) / all.length).toFixed(2)} %`, (ty.rules / n).toFixed(0), (ty.commands / n).toFixed(2), int(percentile(sorted, 50)), int(percentile(sorted, 99)), int(sorted[n - 1] ?? NaN)], w));
  }
  const totalCommands = types.reduce((sum, ty) => sum + ty.commands, 0);
  const totalRules = types.reduce((sum, ty) => sum + ty.rules, 0);
  console.log(row(['   all', int(all.length), '100 %', (totalRules / all.length).toFixed(0), (totalCommands / all.length).toFixed(2), int(percentile(all, 50)), int(percentile(all, 99)), int(all[all.length - 1] ?? NaN)], w));
}

function latencyRow(label: string, latencies: readonly number[], extra: string): string {
  const sorted = sortedCopy(latencies);
  return row([label, int(sorted.length), ms(percentile(sorted, 50)), ms(percentile(sorted, 99)), ms(percentile(sorted, 99.9)), ms(sorted[sorted.length - 1] ?? NaN), extra], [40, 8, 8, 8, 8, 8, 0]);
}

function checkLoopback(label: string, r: LoopbackResult): void {
  if (r.oscDatagrams === 0) throw new Error(`${label}: no OSC datagram arrived: the benchmark measured nothing`);
  if (r.latenciesNs.length === 0) throw new Error(`${label}: no probe answered a measured status packet`);
  const lost = r.sent - r.latenciesNs.length;
  if (lost > r.sent * 0.05) throw new Error(`${label}: ${lost} of ${r.sent} status packets got no probe back; percentiles would hide the slowest`);
}

async function loopbackSection(): Promise<void> {
  const gc = gcFunction();
  console.log(`\n2. End-to-end over loopback UDP: ${RATE} OPUS status datagrams/s (4 decks, each packet a tempo change), ${WARMUP_PACKETS} warm-up + ${PACKETS} measured`);
  console.log('   status send -> bridge socket -> streams -> engine -> OSC UDP target -> receiver socket (one process, process.hrtime both ends)');
  const noise = noiseFloor(1000);
  console.log(`   noise floor: a spinning loop lost the CPU ${noise.over025}× for > 0.25 ms and ${noise.over1}× for > 1 ms in 1 s (longest ${noise.maxMs.toFixed(2)} ms)\n`);
  console.log(row(['   ms', 'probes', 'p50', 'p99', 'p99.9', 'max', ''], [40, 8, 8, 8, 8, 8, 0]));

  gc();
  const floor = await measureUdpFloor(WARMUP_PACKETS / 2, PACKETS / 2, RATE, new OpusStatusBuilder().templateLength);
  if (floor.length === 0) throw new Error('loopback floor: no datagram arrived');
  console.log(latencyRow('   loopback hop only (floor)', floor, ''));
  if (WIRE) {
    const echo = await measureEchoWire(WARMUP_PACKETS, PACKETS, RATE, new OpusStatusBuilder().templateLength);
    if (typeof echo === 'string') console.log(`   a process that only echoes, on the wire: not measured (${echo})`);
    else console.log(latencyRow('   a process that only echoes, on the wire', echo, '  (floor of a process of its own: woken for each datagram)'));
  }

  const full = (t: BenchTargets): string => benchMappingYaml(t, RULES);
  const runs: readonly (readonly [string, (t: BenchTargets) => string, number, number])[] = [
    [`   bridge, ${RULES} rules, first ${int(PACKETS / 2)} (cold)`, full, 0, PACKETS / 2],
    ['   bridge, probe rule only', probeOnlyYaml, WARMUP_PACKETS, PACKETS / 2],
    [`   bridge, ${RULES}-rule mapping`, full, WARMUP_PACKETS, PACKETS],
    [`   bridge, ${RULES}-rule mapping, its own process`, full, WARMUP_PACKETS, PACKETS],
  ];
  const results: [string, LoopbackResult][] = [];
  for (const [label, yaml, warmup, packets] of runs) {
    gc();
    const ownProcess = label.endsWith('its own process');
    const r = await measureLoopback({ mappingYaml: yaml, warmup, measured: packets, rate: RATE, wire: WIRE, ownProcess });
    checkLoopback(label.trim(), r);
    const expectedRules = yaml === full ? RULES : 1;
    if (r.rules !== expectedRules) throw new Error(`${label.trim()}: the bridge ran ${r.rules} rules, expected ${expectedRules}`);
    const extra = `  lost ${r.sent - r.latenciesNs.length}; > 1 ms: ${r.slow} (${r.slowDuringGc} during GC); GC ${r.gcCount}× (max ${r.gcMaxMs.toFixed(2)} ms); CPU ${r.cpuCores.toFixed(2)} cores`;
    console.log(latencyRow(label, r.latenciesNs, extra));
    if (typeof r.wire === 'string') console.log(`     on the wire: not measured (${r.wire})`);
    else if (r.wire !== null) console.log(latencyRow('     on the wire (kernel timestamps on lo)', r.wire.latenciesNs, `  ${int(r.wire.statusSeen)} status and ${int(r.wire.probesSeen)} probe datagrams captured`));
    results.push([label, r]);
  }
  console.log('');
  for (const [label, r] of results) {
    console.log(
      `   ${label.trim()}: ${r.rules} rules, ${int(r.bridgeReceived)} packets decoded, ${int(r.bridgeEvents)} events, ${int(r.oscDatagrams)} OSC datagrams received, ${r.unmatched} unmatched, ${r.malformed} malformed, ${r.undeliverable} undeliverable`,
    );
  }
  const main = results.find(([label]) => label.trim() === `bridge, ${RULES}-rule mapping`)?.[1];
  if (main !== undefined) {
    const verdict = (latencies: readonly number[]): string => {
      const p99 = percentile(sortedCopy(latencies), 99) / 1e6;
      return `${p99 < TARGET_P99_MS ? 'met' : 'NOT met'} (p99 ${p99.toFixed(3)} ms)`;
    };
    console.log(`\n   target p99 < ${TARGET_P99_MS} ms with ${RULES} rules (warm), status packet arriving to OSC datagram leaving:`);
    if (main.wire !== null && typeof main.wire !== 'string') console.log(`     on the wire (kernel timestamps on lo): ${verdict(main.wire.latenciesNs)}`);
    console.log(`     end to end (send call to receive callback, both event loops included): ${verdict(main.latenciesNs)}`);
  }
}

async function allocationSection(): Promise<void> {
  const gc = gcFunction();
  console.log(`\n3. Heap allocated per status packet (four OPUS decks, each a status every 200 ms of virtual time; a full GC before each chunk of 50, heapUsed growth after it)`);
  const { mapping } = compileBenchMapping();
  const subjects = [
    ['stream layer', { kind: 'streams', mapping: null }],
    [`stream layer + engine (${RULES} rules) + OSC bytes`, { kind: 'streams', mapping }],
    ['of which OPUS beat-grid estimators', { kind: 'estimator' }],
  ] as const;
  // The first measurement in a process runs less optimised code; it only warms up.
  await measureAllocation(gc, subjects[1][1], 1);
  for (const [label, subject] of subjects) {
    const r = await measureAllocation(gc, subject);
    const events = subject.kind === 'streams' ? `   ${r.eventsPerPacket.toFixed(2)} events/packet` : '';
    const skipped = r.discarded === 0 ? '' : `; ${r.discarded} chunks with a GC inside left out`;
    console.log(`   ${label.padEnd(37)}${int(r.bytesPerPacket).padStart(8)} bytes/packet (best of 3 runs; worst ${int(r.maxBytes)})${events}${skipped}`);
  }
  const plain = await measureSocketSendAllocation(gc, false);
  const called = await measureSocketSendAllocation(gc, true);
  console.log(`   for scale, not in the figures above: Node's dgram send, per UDP datagram: ${int(plain.median)} bytes (quartiles ${int(plain.low)}–${int(plain.high)});`);
  console.log(`     with a completion callback (one send per 100 ms per target): ${int(called.median)} bytes (quartiles ${int(called.low)}–${int(called.high)})`);
}

async function main(): Promise<void> {
  const began = process.hrtime.bigint();
  const cpus = os.cpus();
  console.log(`Mapping benchmark: Node ${process.version}, ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  if (PARTS.has('1')) engineSection();
  if (PARTS.has('2')) await loopbackSection();
  if (PARTS.has('3')) await allocationSection();
  console.log(`\ntotal ${(Number(process.hrtime.bigint() - began) / 1e9).toFixed(1)} s`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
