/**
 * Top allocation sites of the per-packet workload of mapping-alloc.ts, from
 * V8's sampling heap profiler (objects collected by minor and major GCs
 * included, so short-lived per-packet garbage counts). Only the measured
 * packets of the measured run are sampled, not its warm-up (code the
 * optimiser has not, or no longer, optimised boxes numbers that optimised
 * code does not) nor the harness's own run. Run:
 *   npx tsc -p tsconfig.bench.json && node --expose-gc build/bench/test/bench/alloc-profile.js [streams|engine] [top]
 */
import { Session } from 'node:inspector';
import { measureAllocation } from './mapping-alloc';
import { compileBenchMapping } from './mapping.bench';

interface Node {
  readonly callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  readonly selfSize: number;
  readonly children: Node[];
}

function post<T>(session: Session, method: string, params?: object): Promise<T> {
  return new Promise((resolve, reject) => session.post(method, params ?? {}, (err, res) => (err ? reject(err) : resolve(res as T))));
}

const short = (url: string): string => url.replace(/^.*\/build\/bench\//, '').replace(/^file:\/\//, '').replace(/^.*node_modules\//, 'nm/');

/** Chunks of 50 packets measured (and sampled) after the warm-up. */
const CHUNKS = 120;

async function main(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  const which = process.argv[2] ?? 'streams';
  const top = Number(process.argv[3] ?? 25);
  const mapping = which === 'engine' ? compileBenchMapping().mapping : null;
  // warm the code up unprofiled
  await measureAllocation(gc, { kind: 'streams', mapping }, 1, 10, 3000);
  const session = new Session();
  session.connect();
  await post(session, 'HeapProfiler.enable');
  // The in-process inspector answers synchronously: sampling starts and stops exactly at the measured packets' bounds.
  let profile: { head: Node } | null = null;
  const sample = { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true };
  const span = {
    start: () => session.post('HeapProfiler.startSampling', sample),
    end: () => session.post('HeapProfiler.stopSampling', (err, res) => (profile = err ? null : (res as { profile: { head: Node } }).profile)),
  };
  await measureAllocation(gc, { kind: 'streams', mapping }, 1, CHUNKS, 6000, span);
  session.disconnect();
  if (profile === null) throw new Error('no profile: the measured span did not run');
  // self size by site (function + position), and the caller chain of each site (3 frames)
  const sites = new Map<string, number>();
  let total = 0;
  const walk = (n: Node, stack: string[]): void => {
    const f = n.callFrame;
    const here = `${f.functionName || '(anon)'} ${short(f.url)}:${f.lineNumber + 1}`;
    const s = [here, ...stack];
    if (n.selfSize > 0) {
      const key = s.slice(0, 3).join(' <- ');
      sites.set(key, (sites.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
    }
    for (const c of n.children) walk(c, s);
  };
  walk((profile as { head: Node }).head, []);
  const sorted = [...sites].sort((a, b) => b[1] - a[1]).slice(0, top);
  // The measured span: CHUNKS × 50 packets (with the harness's own delivery of them, which the bench subtracts).
  const packets = CHUNKS * 50;
  console.log(`total sampled ${(total / 1e6).toFixed(1)} MB, ${Math.round(total / packets)} bytes/packet with the harness's delivery (${which})`);
  for (const [k, v] of sorted) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}% ${String(Math.round(v / packets)).padStart(6)} B/pkt  ${k}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
