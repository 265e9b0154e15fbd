/**
 * CPU and memory of the built bridge at rest (all.bench.ts), with the four
 * OPUS-QUAD decks of a scenario playing, its default mapping, nothing else to
 * do. Two ways:
 *
 * - as a user runs it (measureNetnsIdleUsage): the simulated OPUS-QUAD in its
 *   own process on one host of a private LAN of network namespaces, `node
 *   dist/cli.js run --interface eth0 --mode lighting --no-monitor` on another;
 *   the figures are the bridge process's alone;
 * - `node dist/cli.js run --simulate` (measureIdleUsage): the simulator runs
 *   inside the bridge process, so its figures include the simulator's work.
 *
 * CPU is read from /proc/<pid>/stat (utime + stime) over a window after a
 * warm-up, RSS from /proc/<pid>/status. The floor is a Node.js process that
 * only keeps a timer, measured over the same window beside it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createLan, netnsUnavailableReason, type Lan } from '../support/netns';
import { simulatorProgram as simProgram } from '../support/sim-program';

const ROOT = path.join(__dirname, '..', '..', '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface ProcessUsage {
  /** Share of one core over the window (1 = a whole core). */
  readonly cpu: number;
  /** Resident set at the end of the window, and its peak (bytes). */
  readonly rss: number;
  readonly peakRss: number;
  /** The anonymous part of `rss` at the end of the window (bytes): the process's own memory; the rest maps files, mostly Node.js's own code, shared with every Node.js process. */
  readonly anonRss: number;
  /** Times a second the main thread went to sleep and was woken (voluntary context switches): timers, packets… */
  readonly wakeups: number;
}

export interface IdleUsage {
  readonly bridge: ProcessUsage;
  readonly floor: ProcessUsage;
  readonly seconds: number;
}

export interface NetnsIdleUsage extends IdleUsage {
  /** The simulator's own process over the same window (for reference). */
  readonly simulator: ProcessUsage;
  /**
   * The same processes over later windows of the same length, one for each
   * of `laterAfterSeconds` (seconds after the OPUS began streaming), in that
   * order. V8 compiles and optimises the bridge's code as it runs, and at a
   * few dozen packets a second that takes minutes: the later the window, the
   * nearer the bridge is to how it runs through a show.
   */
  readonly later: readonly LaterWindow[];
}

export interface LaterWindow {
  readonly bridge: ProcessUsage;
  readonly floor: ProcessUsage;
  /** A Node.js process doing nothing but wake on a timer as often as the bridge woke in the first window (each wake-up has a price of its own on a virtual machine). */
  readonly wakeFloor: ProcessUsage;
  readonly afterSeconds: number;
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

/** CPU ticks of the process and voluntary context switches of its main thread. */
interface Sample {
  readonly ticks: number;
  readonly switches: number;
}

function sample(pid: number): Sample {
  const status = fs.readFileSync(`/proc/${pid}/task/${pid}/status`, 'utf8');
  const switches = Number(/^voluntary_ctxt_switches:\s*(\d+)/m.exec(status)?.[1] ?? NaN);
  return { ticks: cpuTicks(pid), switches };
}

function statusKb(pid: number, key: 'VmRSS' | 'VmHWM' | 'RssAnon'): number {
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

/** CPU and wake-ups of each process over the next `seconds`, with its RSS and peak at the end; and the window's true length (s). */
async function measureWindow(pids: readonly number[], seconds: number): Promise<{ readonly usages: ProcessUsage[]; readonly seconds: number }> {
  const ticks = clockTicksPerSecond();
  const t0 = process.hrtime.bigint();
  const start = pids.map(sample);
  await sleep(seconds * 1000);
  const end = pids.map(sample);
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  const usages = pids.map((pid, i): ProcessUsage => {
    const [a, b] = [start[i] as Sample, end[i] as Sample];
    return {
      cpu: (b.ticks - a.ticks) / ticks / elapsed,
      wakeups: (b.switches - a.switches) / elapsed,
      rss: statusKb(pid, 'VmRSS') * 1024,
      peakRss: statusKb(pid, 'VmHWM') * 1024,
      anonRss: statusKb(pid, 'RssAnon') * 1024,
    };
  });
  return { usages, seconds: elapsed };
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
    const window = await measureWindow(pids as number[], seconds);
    const [bridgeUsage, floorUsage] = window.usages as [ProcessUsage, ProcessUsage];
    return { bridge: bridgeUsage, floor: floorUsage, seconds: window.seconds };
  } finally {
    await Promise.all([stopChild(bridge), stopChild(floor)]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const DIST = path.join(ROOT, 'dist');

/** The simulated OPUS-QUAD on its host's eth0, playing `scenario` until SIGTERM. */
const simulatorProgram = (scenario: object): string =>
  simProgram({
    scenario,
    name: 'four-decks',
    seed: 1,
    then: `
  process.once('SIGTERM', async () => { await running.stop(); process.exit(0); });`,
  });

/** Resolves when `child` has printed a line matching `pattern` (stdout or stderr); rejects on exit or timeout. */
function lineFrom(child: ChildProcess, pattern: RegExp, timeoutMs: number, tail: () => string): Promise<void> {
  return new Promise((resolve, reject) => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer = (buffer + chunk.toString()).slice(-4000);
      if (pattern.test(buffer)) done(null);
    };
    const onExit = (): void => done(new Error(`exited (${String(child.exitCode ?? child.signalCode)}) before printing ${pattern}: ${tail()}`));
    const timer = setTimeout(() => done(new Error(`no ${pattern} within ${timeoutMs} ms: ${tail()}`)), timeoutMs);
    const done = (error: Error | null): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      if (error === null) resolve();
      else reject(error);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/** Keeps the last output of a child (draining its pipes so it never blocks on a full one). */
function drain(child: ChildProcess): () => string {
  let text = '';
  const keep = (chunk: Buffer): void => {
    text = (text + chunk.toString()).slice(-2000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => text.trim();
}

/**
 * The bridge as a user runs it: the simulated OPUS-QUAD (four decks playing)
 * in its own process on one host of a private LAN of network namespaces, the
 * bridge (`run --interface eth0 --mode lighting --no-monitor`, default
 * mapping) on another, an idle Node.js beside them; CPU and RSS of the bridge
 * process alone over `seconds`, after `warmupSeconds` counted from the OPUS
 * streaming status to it, and again over the windows `laterAfterSeconds`
 * (ascending) after that start. A string says why it could not be measured.
 */
export async function measureNetnsIdleUsage(seconds = 10, warmupSeconds = 5, laterAfterSeconds: readonly number[] = []): Promise<NetnsIdleUsage | string> {
  if (process.platform !== 'linux') return 'needs Linux (/proc)';
  if (!fs.existsSync(CLI)) return `${path.relative(ROOT, CLI)} does not exist: run npm run build first`;
  const unavailable = netnsUnavailableReason();
  if (unavailable !== null) return unavailable;
  let lan: Lan;
  try {
    lan = createLan(2);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const children: ChildProcess[] = [];
  try {
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) return 'the LAN has no hosts';
    const simulator = lan.spawn(simHost, process.execPath, ['-e', simulatorProgram(fourDeckScenario())]);
    children.push(simulator);
    const simTail = drain(simulator);
    await lineFrom(simulator, /"kind":"ready"/, 10_000, simTail);
    // `ip netns exec` execs the command, so the child's pid is the bridge's own; cd for the default mapping as run --simulate has it.
    const bridge = lan.spawn(bridgeHost, 'sh', ['-c', 'cd "$0" && exec "$1" "$2" run --interface eth0 --mode lighting --no-monitor', ROOT, process.execPath, CLI]);
    children.push(bridge);
    const bridgeTail = drain(bridge);
    const floor = spawn(process.execPath, ['-e', 'setInterval(() => undefined, 1000)'], { stdio: 'ignore' });
    children.push(floor);
    await lineFrom(bridge, /is sending deck status/, 15_000, bridgeTail);
    const streamingFrom = Date.now();
    await sleep(warmupSeconds * 1000);
    const pids = [bridge.pid, floor.pid, simulator.pid];
    if (bridge.exitCode !== null || pids.some((p) => p === undefined)) return `the bridge ended during warm-up (exit ${String(bridge.exitCode)}): ${bridgeTail()}`;
    const [bridgePid, floorPid, simPid] = pids as [number, number, number];
    if (!fs.readFileSync(`/proc/${bridgePid}/cmdline`, 'utf8').includes(CLI)) return `pid ${bridgePid} is not the bridge (ip netns exec forked?)`;
    const window = await measureWindow([bridgePid, floorPid, simPid], seconds);
    const [bridgeUsage, floorUsage, simUsage] = window.usages as [ProcessUsage, ProcessUsage, ProcessUsage];
    const first = { bridge: bridgeUsage, floor: floorUsage, simulator: simUsage, seconds: window.seconds };
    if (laterAfterSeconds.length === 0) return { ...first, later: [] };
    const wakeMs = Math.max(1, Math.round(1000 / Math.max(1, first.bridge.wakeups)));
    const waking = spawn(process.execPath, ['-e', `setInterval(() => undefined, ${wakeMs})`], { stdio: 'ignore' });
    children.push(waking);
    // The wake-up floor has two seconds to start before its first window.
    const wakingFrom = Date.now() + 2000;
    const later: LaterWindow[] = [];
    for (const afterSeconds of laterAfterSeconds) {
      await sleep(Math.max(wakingFrom, streamingFrom + afterSeconds * 1000) - Date.now());
      if (bridge.exitCode !== null) return `the bridge ended before its window ${afterSeconds} s into play (exit ${String(bridge.exitCode)}): ${bridgeTail()}`;
      if (waking.pid === undefined) return 'the wake-up floor did not start';
      const measured = await measureWindow([bridgePid, floorPid, waking.pid], seconds);
      const [laterBridge, laterFloor, wakeFloor] = measured.usages as [ProcessUsage, ProcessUsage, ProcessUsage];
      later.push({ bridge: laterBridge, floor: laterFloor, wakeFloor, afterSeconds });
    }
    return { ...first, later };
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await Promise.all(children.map(stopChild));
    lan.destroy();
  }
}
