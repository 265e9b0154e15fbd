/**
 * Top allocation sites of the per-packet workload of mapping-alloc.ts, from
 * V8's sampling heap profiler (objects collected by minor and major GCs
 * included, so short-lived per-packet garbage counts). Run:
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
  await post(session, 'HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await measureAllocation(gc, { kind: 'streams', mapping }, 1, 60, 6000);
  const { profile } = await post<{ profile: { head: Node } }>(session, 'HeapProfiler.stopSampling');
  session.disconnect();
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
  walk(profile.head, []);
  const sorted = [...sites].sort((a, b) => b[1] - a[1]).slice(0, top);
  // measureAllocation(…, 1, 60, 6000) pushes 6000 + 60 × 50 packets, all of them sampled (the harness's own run too).
  const packets = 9000;
  console.log(`total sampled ${(total / 1e6).toFixed(1)} MB, ${Math.round(total / packets)} bytes/packet with the harness (${which})`);
  for (const [k, v] of sorted) console.log(`${((100 * v) / total).toFixed(1).padStart(5)}% ${String(Math.round(v / packets)).padStart(6)} B/pkt  ${k}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
