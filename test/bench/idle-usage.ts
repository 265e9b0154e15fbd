/**
 * CPU and memory of the built bridge at rest (all.bench.ts): `node
 * dist/cli.js run --simulate` on a scenario with the four OPUS-QUAD decks
 * playing, its default mapping, nothing else to do. CPU is read from
 * /proc/<pid>/stat (utime + stime) over a window after a warm-up, RSS from
 * /proc/<pid>/status. The floor is a Node.js process that only keeps a timer,
 * measured over the same window beside it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface ProcessUsage {
  /** Share of one core over the window (1 = a whole core). */
  readonly cpu: number;
  /** Resident set at the end of the window, and its peak (bytes). */
  readonly rss: number;
  readonly peakRss: number;
}

export interface IdleUsage {
  readonly bridge: ProcessUsage;
  readonly floor: ProcessUsage;
  readonly seconds: number;
}

/** Four decks loaded and playing from the start, long enough to play through any window. */
export function fourDeckScenario(): object {
  const bpms = [124, 126, 128, 122];
  return {
    name: 'four-decks',
    rig: 'opus',
    tracks: bpms.map((bpm, i) => ({ id: 901 + i, title: `Bench ${i + 1}`, bpm, beats: 2000, firstBeatMs: 20 * i })),
    steps: [
      ...bpms.map((_, i) => ({ at: 0, do: 'load', deck: i + 1, track: 901 + i })),
      { at: 500, do: 'master', deck: 1 },
      ...bpms.map((_, i) => ({ at: 1000, do: 'play', deck: i + 1 })),
    ],
  };
}

function clockTicksPerSecond(): number {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** utime + stime (clock ticks) of a process, from /proc/<pid>/stat. */
function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM'): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${key}:`));
  return Number(line?.replace(/[^0-9]/g, '') ?? NaN);
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(timer);
}

/** Runs the bridge on the four-deck scenario and an idle Node.js beside it; measures both over `seconds` after `warmupSeconds`. */
export async function measureIdleUsage(seconds = 10, warmupSeconds = 5): Promise<IdleUsage | string> {
  if (process.platform !== 'linux') return 'needs Linux (/proc)';
  if (!fs.existsSync(CLI)) return `${path.relative(ROOT, CLI)} does not exist: run npm run build first`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prolink-idle-'));
  const scenario = path.join(dir, 'four-decks.json');
  fs.writeFileSync(scenario, JSON.stringify(fourDeckScenario()));
  let stderr = '';
  const bridge = spawn(process.execPath, [CLI, 'run', '--simulate', scenario], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  bridge.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const floor = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
  try {
    await sleep(warmupSeconds * 1000);
    const pids = [bridge.pid, floor.pid];
    if (bridge.exitCode !== null || pids.some((p) => p === undefined)) return `the bridge ended during warm-up (exit ${String(bridge.exitCode)}): ${stderr.trim()}`;
    const [bridgePid, floorPid] = pids as [number, number];
    const ticks = clockTicksPerSecond();
    const t0 = process.hrtime.bigint();
    const start = [cpuTicks(bridgePid), cpuTicks(floorPid)] as const;
    await sleep(seconds * 1000);
    const end = [cpuTicks(bridgePid), cpuTicks(floorPid)] as const;
    const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
    const usage = (pid: number, i: 0 | 1): ProcessUsage => ({
      cpu: (end[i] - start[i]) / ticks / elapsed,
      rss: statusKb(pid, 'VmRSS') * 1024,
      peakRss: statusKb(pid, 'VmHWM') * 1024,
    });
    return { bridge: usage(bridgePid, 0), floor: usage(floorPid, 1), seconds: elapsed };
  } finally {
    await Promise.all([stopChild(bridge), stopChild(floor)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
