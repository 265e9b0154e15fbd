/**
 * Decode throughput on real traffic: loads the 33-minute CDJ-2000NXS2 capture
 * once, then decodes its Pro DJ Link datagrams in a loop for a few seconds per
 * packet kind. Prints ns/packet, packets/s and bytes allocated per packet.
 *
 *   npm run bench:decode            (BENCH_SECONDS=n to change the time per kind)
 */
import * as fs from 'node:fs';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { collectUdpDatagrams, readUdpDatagrams } from '../../src/capture';
import { decodePacket, PacketError, type PacketKind } from '../../src/prolink/packets';
import { hasMagic } from '../../src/prolink/packets/header';
import { CAPTURES, fixturePath } from '../support/fixtures';

const SECONDS_PER_KIND = Number(process.env['BENCH_SECONDS'] ?? '2');
const MIN_BATCH = 20_000; // decodes between clock reads
const ALLOCATION_BATCH = 4_000; // small enough to fit the young generation between scavenges
const ALLOCATION_RUNS = 7;

export interface Input {
  readonly port: number;
  readonly payload: Buffer;
}

function findCapture(): string {
  const file = fixturePath(...CAPTURES.nxs2);
  if (!fs.existsSync(file)) throw new Error(`${file} not found: the captures live in test/fixtures, or where PROLINK_FIXTURES points`);
  return file;
}

/** global.gc when node runs with --expose-gc, otherwise switched on here. */
export function gcFunction(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

let sink = 0; // keeps results observable so the loop is not optimised away

/** Decodes `inputs` round-robin `count` times. */
function decodeMany(inputs: readonly Input[], count: number): void {
  let i = 0;
  for (let n = 0; n < count; n++) {
    const input = inputs[i] as Input;
    sink += decodePacket(input.port, input.payload).length;
    i = i + 1 === inputs.length ? 0 : i + 1;
  }
}

export function nsPerPacket(inputs: readonly Input[], seconds: number): { readonly ns: number; readonly decoded: number } {
  const batch = Math.max(MIN_BATCH, inputs.length);
  const budget = BigInt(Math.round(seconds * 1e9));
  const start = process.hrtime.bigint();
  let decoded = 0;
  let elapsed = 0n;
  while (elapsed < budget) {
    decodeMany(inputs, batch);
    decoded += batch;
    elapsed = process.hrtime.bigint() - start;
  }
  return { ns: Number(elapsed) / decoded, decoded };
}

/** Heap bytes allocated per decode: the largest heap delta over a few GC-free batches. */
export function bytesPerPacket(inputs: readonly Input[], gc: () => void): number {
  let most = 0;
  for (let run = 0; run < ALLOCATION_RUNS; run++) {
    gc();
    const before = process.memoryUsage().heapUsed;
    decodeMany(inputs, ALLOCATION_BATCH);
    const after = process.memoryUsage().heapUsed;
    most = Math.max(most, (after - before) / ALLOCATION_BATCH);
  }
  return most;
}

function row(cells: readonly (string | number)[], widths: readonly number[]): string {
  return cells.map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0))).join('  ');
}

/** The capture's Pro DJ Link datagrams, in capture order. */
export function captureInputs(): { file: Buffer; inputs: Input[]; frames: number } {
  const file = fs.readFileSync(findCapture());
  const { datagrams, summary } = collectUdpDatagrams(file);
  const inputs: Input[] = datagrams
    .filter((d) => d.dstPort >= 50000 && d.dstPort <= 50002 && hasMagic(d.payload))
    .map((d) => ({ port: d.dstPort, payload: d.payload }));
  return { file, inputs, frames: summary.frames };
}

function main(): void {
  const gc = gcFunction();
  const { file, inputs, frames } = captureInputs();

  const byKind = new Map<PacketKind | 'error', Input[]>();
  for (const input of inputs) {
    const result = decodePacket(input.port, input.payload);
    const kind = result instanceof PacketError ? 'error' : result.kind;
    const list = byKind.get(kind) ?? [];
    list.push(input);
    byKind.set(kind, list);
  }
  decodeMany(inputs, inputs.length * 20); // warm-up: let the optimiser settle

  console.log(`Node ${process.version}, ${file.length} bytes, ${frames} frames, ${inputs.length} Pro DJ Link datagrams`);
  console.log(`${SECONDS_PER_KIND} s per kind; allocation = heap growth per decode between collections\n`);
  const widths = [22, 9, 11, 13, 12];
  console.log(row(['kind', 'in file', 'ns/packet', 'packets/s', 'bytes/pkt'], widths));
  console.log(row(['-'.repeat(22), '-'.repeat(9), '-'.repeat(11), '-'.repeat(13), '-'.repeat(12)], widths));

  const heapStart = (gc(), process.memoryUsage().heapUsed);
  const kinds = [...byKind.entries()].sort((a, b) => b[1].length - a[1].length);
  for (const [kind, list] of [...kinds, ['all (capture order)', inputs] as const]) {
    const { ns } = nsPerPacket(list, SECONDS_PER_KIND);
    const bytes = bytesPerPacket(list, gc);
    console.log(row([kind, list.length, ns.toFixed(1), Math.round(1e9 / ns).toLocaleString('en-US'), bytes.toFixed(0)], widths));
  }
  gc();
  const retained = process.memoryUsage().heapUsed - heapStart;

  // The capture reader on its own: frames through to UDP datagrams.
  const readStart = process.hrtime.bigint();
  let reads = 0;
  while (process.hrtime.bigint() - readStart < BigInt(Math.round(SECONDS_PER_KIND * 1e9))) {
    for (const item of readUdpDatagrams(file)) sink += item.frame === null ? 0 : 1;
    reads++;
  }
  const readNs = Number(process.hrtime.bigint() - readStart) / (reads * frames);
  console.log(row(['capture read (frame)', frames, readNs.toFixed(1), Math.round(1e9 / readNs).toLocaleString('en-US'), '-'], widths));

  console.log(`\nheap retained after all runs (after GC): ${(retained / 1024).toFixed(1)} KiB`);
  if (sink === -1) console.log(''); // never true; reads the sink
}

if (require.main === module) main();
