import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { DEFAULT_LINK_FOLLOWER } from '../../src/outputs/ableton-link/link-follower';
import { FIXTURE_EXPORT } from '../show/scenarios';
import { collectJsonLines as collect, createLan, type ChildLine as Line, simulatorThenBridge } from '../support/netns';
import { simulatorProgram as simProgram } from '../support/sim-program';

/**
 * The bridge's Ableton Link session against the simulator's true beats, over
 * real UDP and real Link: the simulated gear on one host of a private LAN of
 * network namespaces, the bridge with `link: {}` and a second Link peer
 * (test/support/link-peer.js, another process using the same native module)
 * together on another. Link's discovery multicast stays on that LAN and the
 * namespace's loopback. All three processes stamp times on CLOCK_MONOTONIC,
 * so the peer's view of the session is compared with the instants the
 * simulated deck reached its beats.
 *
 * Two cases, one run each: the CDJ pair's real beat packets (the bridge in
 * auto mode; the peer also sets its own tempo once), and the OPUS-QUAD's
 * precise position packets (§5, every 30 ms, sent because the bridge joins
 * as a CDJ: `--mode cdj`).
 *
 * Skipped, and said so, only when the optional module "abletonlink" is not
 * installed.
 */
const DIST = path.resolve(__dirname, '../../dist');
const PEER = path.resolve(__dirname, '../support/link-peer.js');
const PLAY_AT = 500;
const PEER_TEMPO = 140;
const BPM = 122;
/** The export's Demo Track 1: 128 BPM, its first beat at 25 ms (its PQTZ grid). */
const LIBRARY_TRACK = 'Demo Track 1';
const LIBRARY_BPM = 128;

/** One run: the rig, the bridge's mode, and when the scenario jumps (and the peer sets its tempo). */
interface LinkCase {
  readonly name: string;
  readonly rig: 'cdj-pair' | 'opus';
  readonly mode: 'auto' | 'cdj';
  readonly deck: number;
  readonly runMs: number;
  readonly jumpAt: number;
  /** When the peer sets its own tempo, after it starts (ms), or null when it never does. */
  readonly peerSetAt: number | null;
  /** The deck plays the fixture export's Demo Track 1 and the bridge runs with that export as its library (its beat grid known). */
  readonly library: boolean;
  readonly bpm: number;
}

const BEAT_PACKETS: LinkCase = { name: 'CDJ beat packets', rig: 'cdj-pair', mode: 'auto', deck: 2, runMs: 30_000, jumpAt: 14_000, peerSetAt: 21_000, library: false, bpm: BPM };
const PRECISE: LinkCase = { name: 'OPUS-QUAD precise positions (CDJ mode)', rig: 'opus', mode: 'cdj', deck: 1, runMs: 40_000, jumpAt: 14_000, peerSetAt: null, library: false, bpm: BPM };
const PRECISE_LIBRARY: LinkCase = {
  name: 'OPUS-QUAD precise positions (CDJ mode), track in the library',
  rig: 'opus',
  mode: 'cdj',
  deck: 1,
  runMs: 26_000,
  jumpAt: 14_000,
  peerSetAt: null,
  library: true,
  bpm: LIBRARY_BPM,
};
const CASES = [BEAT_PACKETS, PRECISE, PRECISE_LIBRARY];

function linkModuleMissing(): string | null {
  try {
    require.resolve('abletonlink');
    return null;
  } catch {
    return 'the optional module "abletonlink" is not installed (npm install abletonlink builds it with node-gyp); the Ableton Link end-to-end test is skipped';
  }
}

function scenarioOf(c: LinkCase): object {
  if (c.library) {
    return {
      name: 'link-e2e',
      rig: c.rig,
      library: FIXTURE_EXPORT,
      tracks: [],
      libraryTracks: [{ title: LIBRARY_TRACK }],
      steps: [
        { at: 1, do: 'load', deck: c.deck, title: LIBRARY_TRACK },
        { at: 300, do: 'master', deck: c.deck },
        { at: PLAY_AT, do: 'play', deck: c.deck },
        { at: c.jumpAt, do: 'jump', deck: c.deck, beat: 37 },
      ],
    };
  }
  return {
    name: 'link-e2e',
    rig: c.rig,
    tracks: [{ id: 601, bpm: BPM, beats: 600, firstBeatMs: 35 }],
    steps: [
      { at: 1, do: 'load', deck: c.deck, track: 601 },
      { at: 300, do: 'master', deck: c.deck },
      { at: PLAY_AT, do: 'play', deck: c.deck },
      { at: c.jumpAt, do: 'jump', deck: c.deck, beat: 37 },
    ],
    options: c.rig === 'cdj-pair' ? { mixerBeats: true } : {},
  };
}

function simulatorProgram(c: LinkCase): string {
  return simProgram({
    scenario: scenarioOf(c),
    name: 'link-e2e',
    seed: 3,
    then: `
  setTimeout(async () => {
    for (const b of running.truth.beats(${c.deck}, start, performance.now())) out({ kind: 'true-beat', beat: b.beat, beatInBar: b.beatInBar, bpm: b.bpm, at: epoch(b.at) });
    await running.stop();
    process.exit(0);
  }, ${c.runMs + 1500});`,
  });
}

function bridgeProgram(c: LinkCase, mapping: string): string {
  return `
const os = require('os');
const { startBridge } = require(${JSON.stringify(path.join(DIST, 'app/bridge.js'))});
const { openUdpLink } = require(${JSON.stringify(path.join(DIST, 'app/link.js'))});
const { createLogger } = require(${JSON.stringify(path.join(DIST, 'log/logger.js'))});
const { readLibrary } = require(${JSON.stringify(path.join(DIST, 'cli/library-command.js'))});
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
(async () => {
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const link = await openUdpLink({ address: eth.address, mac: eth.mac, broadcast: '169.254.255.255', hostName: 'e2e' }, { reuseAddr: false, onError: (e) => out({ kind: 'error', message: e.message }) });
  if (!('send' in link)) { out({ kind: 'error', message: link.message }); process.exit(1); }
  const logger = createLogger({ level: 'error', pretty: false });
  const library = ${c.library ? `readLibrary([${JSON.stringify(FIXTURE_EXPORT)}])` : 'undefined'};
  if (typeof library === 'string') { out({ kind: 'error', message: library }); process.exit(1); }
  const started = await startBridge({ link, mode: ${JSON.stringify(c.mode)}, mappingPaths: [${JSON.stringify(mapping)}], watchMappings: false, logger, library,
    openMidi: () => ({ ok: false, error: { code: 'midi-unavailable', message: 'not used' } }) });
  if (!started.ok) { out({ kind: 'error', message: started.message }); process.exit(1); }
  const b = started.bridge;
  b.activity.subscribe((a) => { if (a.kind === 'report') out({ kind: 'report', code: a.report.code, message: a.report.message, at: Number(process.hrtime.bigint()) / 1e6 }); });
  let precise = 0;
  // The bridge's own beat grid of the deck, which the session follows: position and the half-width it claims.
  setInterval(() => {
    const at = Number(process.hrtime.bigint()) / 1e6;
    const g = b.grids.grid(${c.deck}, at);
    if (g !== null && g.position !== null) out({ kind: 'grid', at, position: g.position, u: g.uncertaintyMs });
  }, 50);
  b.streams.positions$.subscribe((p) => { if (p.source === 'precise') precise++; });
  out({ kind: 'ready' });
  setTimeout(async () => { out({ kind: 'positions', precise }); await b.stop(); out({ kind: 'stopped' }); process.exit(0); }, ${c.runMs});
})();`;
}

/** The peer's lines: it ends itself with SIGKILL, after printing 'done'. */
function collectPeer(child: ChildProcessWithoutNullStreams): Promise<Line[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (text += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('exit', () => {
      const lines = text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Line);
      if (lines.some((l) => l.kind === 'done')) resolve(lines);
      else reject(new Error(`the Link peer did not finish: ${err.slice(-2000)}`));
    });
  });
}


interface Run {
  readonly sim: Line[];
  readonly bridge: Line[];
  readonly peer: Line[];
}

async function runCase(c: LinkCase): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-e2e-'));
  const lan = createLan(2);
  try {
    const mapping = path.join(dir, 'link.yaml');
    fs.writeFileSync(mapping, 'link: {}\nrules: []\n');
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) throw new Error('no hosts');
    const { simChild, bridgeChild } = await simulatorThenBridge(lan, simHost, simulatorProgram(c), bridgeHost, bridgeProgram(c, mapping));
    const peerArgs = [PEER, `--duration=${c.runMs - 1000}`, ...(c.peerSetAt === null ? [] : [`--set-at=${c.peerSetAt}`, `--set-tempo=${PEER_TEMPO}`])];
    const peerChild = lan.spawn(bridgeHost, process.execPath, peerArgs, { NODE_PATH: path.resolve(__dirname, '../../node_modules') });
    const [sim, bridge, peer] = await Promise.all([collect(simChild), collect(bridgeChild), collectPeer(peerChild)]);
    const dump = process.env['LINK_E2E_DUMP'];
    if (dump !== undefined) fs.writeFileSync(`${dump}-${c.rig}.json`, JSON.stringify({ sim, bridge, peer }));
    return { sim, bridge, peer };
  } finally {
    lan.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const samples = (run: Run): Line[] => run.peer.filter((l) => l.kind === 's');
/** The peer's reads that took at most 1 ms: the instant of a read the peer's process was paused in is off by up to half the pause. */
const exactSamples = (run: Run): Line[] => samples(run).filter((l) => (l.span as number) <= 1);
const simReady = (run: Run): number => run.sim.find((l) => l.kind === 'ready')?.at as number;

/** The session's phase minus the deck's at a true beat, as the peer saw it (ms), or null without a peer sample near it. */
function phaseErrorAt(run: Run, beat: Line): number | null {
  const at = beat.at as number;
  let nearest: Line | undefined;
  for (const s of exactSamples(run)) if (nearest === undefined || Math.abs((s.at as number) - at) < Math.abs((nearest.at as number) - at)) nearest = s;
  if (nearest === undefined || Math.abs((nearest.at as number) - at) > 20) return null;
  const linkBeat = (nearest.beat as number) + ((at - (nearest.at as number)) * (nearest.tempo as number)) / 60_000;
  const wanted = (beat.beatInBar as number) - 1;
  const error = ((((linkBeat - wanted + 2) % 4) + 4) % 4) - 2;
  return (error * 60_000) / (beat.bpm as number);
}

/** When the simulated deck jumped: the first true beat that does not follow the one before. */
function trueJump(run: Run): number {
  const beats = run.sim.filter((l) => l.kind === 'true-beat');
  const i = beats.findIndex((b, k) => k > 0 && (b.beat as number) !== ((beats[k - 1] as Line).beat as number) + 1);
  return (beats[i] as Line).at as number;
}

/**
 * Steady play: from 10 s after play (the bridge needs some seconds to see the deck's status), but not
 * within 3 s of the jump, nor from the peer's tempo change until 3 s after the peer saw it set back.
 */
function steadyOf(run: Run): (t: number) => boolean {
  const ready = simReady(run);
  const jump = trueJump(run);
  const peerSet = run.peer.find((l) => l.kind === 'peer-set')?.at as number | undefined;
  if (peerSet === undefined) return (t) => (t > ready + PLAY_AT + 10_000 && t < jump) || t > jump + 3000;
  const restored = samples(run).find((s) => (s.at as number) > peerSet && Math.abs((s.tempo as number) - BPM) < 0.01)?.at as number;
  return (t) => (t > ready + PLAY_AT + 10_000 && t < jump) || (t > jump + 3000 && t < peerSet) || t > restored + 3000;
}

/** The bridge's grid against the true beats: its position error (ms) and the half-width it claimed (ms), at each of its samples. */
function gridErrors(run: Run, bpm: number): { readonly at: number; readonly errorMs: number; readonly u: number }[] {
  const beats = run.sim.filter((l) => l.kind === 'true-beat');
  const out: { at: number; errorMs: number; u: number }[] = [];
  let i = 1;
  for (const g of run.bridge.filter((l) => l.kind === 'grid')) {
    const at = g.at as number;
    while (i < beats.length && ((beats[i] as Line).at as number) <= at) i++;
    const a = beats[i - 1];
    const b = beats[i];
    if (a === undefined || b === undefined || (a.at as number) > at || (b.beat as number) !== (a.beat as number) + 1) continue;
    const truth = (a.beat as number) + (at - (a.at as number)) / ((b.at as number) - (a.at as number));
    out.push({ at, errorMs: (((g.position as number) - truth) * 60_000) / bpm, u: g.u as number });
  }
  return out;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

/** Phase error at every true beat and tempo error of every peer sample in steady play, sorted, with the numbers printed. */
function steadyErrors(c: LinkCase, run: Run, steady: (t: number) => boolean = steadyOf(run)): { readonly phase: number[]; readonly tempo: number[] } {
  const phase: number[] = [];
  for (const beat of run.sim.filter((l) => l.kind === 'true-beat')) {
    if (!steady(beat.at as number)) continue;
    const error = phaseErrorAt(run, beat);
    if (error !== null) phase.push(Math.abs(error));
  }
  const tempo = samples(run).filter((s) => steady(s.at as number)).map((s) => Math.abs((s.tempo as number) - c.bpm));
  phase.sort((a, b) => a - b);
  tempo.sort((a, b) => a - b);
  process.stdout.write(
    `Link phase error against the true beats (${c.name}): n=${phase.length} p50=${percentile(phase, 0.5).toFixed(2)} ms p95=${percentile(phase, 0.95).toFixed(2)} ms max=${(phase.at(-1) ?? NaN).toFixed(2)} ms; ` +
      `tempo error: p50=${percentile(tempo, 0.5).toFixed(4)} p95=${percentile(tempo, 0.95).toFixed(4)} max=${(tempo.at(-1) ?? NaN).toFixed(4)} BPM over ${tempo.length} samples\n`,
  );
  return { phase, tempo };
}

const missing = linkModuleMissing();
if (missing !== null) process.stdout.write(`skipped: ${missing}\n`);
const describeWithLink = missing === null ? describe : describe.skip;

describeWithLink('Ableton Link following the simulated deck over real UDP, against a second Link peer (network namespaces)', () => {
  const runs = new Map<LinkCase, Run>();
  const run = (c: LinkCase): Run => runs.get(c) as Run;

  beforeAll(async () => {
    // One after the other: three processes per run already share the two cores.
    for (const c of CASES) runs.set(c, await runCase(c));
  }, CASES.reduce((ms, c) => ms + c.runMs + 20_000, 0));

  it.each(CASES)('joins the session: the bridge and the peer see each other ($name)', (c) => {
    const r = run(c);
    expect(r.bridge.filter((l) => l.kind === 'error')).toEqual([]);
    const reports = r.bridge.filter((l) => l.kind === 'report').map((l) => String(l.message));
    expect(reports).toContain('Ableton Link: joined, following the master deck (quantum 4)');
    expect(reports).toContain('Ableton Link: 1 peer in the session');
    expect(samples(r).some((s) => s.peers === 1)).toBe(true);
  });

  it('the precise case is one: the OPUS-QUAD sent the bridge precise positions, the CDJ pair did not', () => {
    const precise = (c: LinkCase): number => run(c).bridge.find((l) => l.kind === 'positions')?.precise as number;
    process.stdout.write(`precise positions the bridge read: ${precise(PRECISE)} (OPUS-QUAD, CDJ mode), ${precise(BEAT_PACKETS)} (CDJ pair)\n`);
    // Every 30 ms for the loaded deck, from soon after the bridge joins as a CDJ.
    expect(precise(PRECISE)).toBeGreaterThan((PRECISE.runMs - 5000) / 30 / 2);
    expect(precise(PRECISE_LIBRARY)).toBeGreaterThan((PRECISE_LIBRARY.runMs - 5000) / 30 / 2);
    expect(precise(BEAT_PACKETS)).toBe(0);
  });

  it("holds the deck's beat phase, bar 1 on Link's downbeat, to within 5 ms (p95), and its tempo to within 0.01 BPM (CDJ beat packets)", () => {
    const { phase, tempo } = steadyErrors(BEAT_PACKETS, run(BEAT_PACKETS));
    expect(phase.length).toBeGreaterThan(15);
    // The product target is p95 <= 5 ms; the bound leaves room for a loaded two-core machine running three processes.
    expect(percentile(phase, 0.95)).toBeLessThan(8);
    // The deck's tempo exactly, but while a phase error is nudged out (bounded to 2 %).
    expect(percentile(tempo, 0.5)).toBeLessThan(0.01);
    expect(tempo.at(-1)).toBeLessThan(BPM * DEFAULT_LINK_FOLLOWER.maxNudge + 0.01);
  });

  /*
   * The OPUS-QUAD sends no beat packets (§4), and without the track's own grid (no library match in CDJ
   * mode: no PSSI) the bridge learns where the beats lie on the playhead from status counters alone
   * (timing/playhead-grid.ts): five a second, each bounding the grid to one beat. The interval narrows
   * as statuses happen to land near beat boundaries: measured ±250 ms at first, ±10–50 ms 5–7 s after
   * play, ±2–9 ms after 10–20 s, depending on where the statuses fell. The session follows the middle
   * of that interval, and each move of it under 30 ms is nudged in (the error spread over 250 ms, at most
   * 2 % of the tempo: a 15 ms move takes under a second to come within 1.5 ms), so while the interval
   * narrows the session's tempo bends and its phase trails. The target is for steady play, so it is
   * measured once the grid settled: 10 s after its interval last changed. Before that, the grid's claim
   * is checked: the true beats lie within it.
   */
  it("holds the deck's beat phase to within 5 ms (p95) and its tempo to within 0.01 BPM once the bridge's learned grid settled (OPUS-QUAD precise positions (CDJ mode))", () => {
    const r = run(PRECISE);
    const steady = steadyOf(r);
    const play = simReady(r) + PLAY_AT;
    const all = gridErrors(r, PRECISE.bpm);
    const grid = all.filter((g) => steady(g.at));
    const gridAbs = grid.map((g) => Math.abs(g.errorMs)).sort((a, b) => a - b);
    const lastChange = all.reduce((at, g, k) => (k > 0 && g.u !== (all[k - 1] as { u: number }).u ? g.at : at), play);
    const settledFrom = lastChange + 10_000;
    process.stdout.write(
      `bridge grid (${PRECISE.name}) against the true beats in steady play: n=${grid.length} p50=${percentile(gridAbs, 0.5).toFixed(2)} p95=${percentile(gridAbs, 0.95).toFixed(2)} max=${(gridAbs.at(-1) ?? NaN).toFixed(2)} ms; ` +
        `claimed half-width ${Math.max(...grid.map((g) => g.u)).toFixed(2)} → ${(grid.at(-1)?.u ?? NaN).toFixed(2)} ms, last narrowed ${((lastChange - play) / 1000).toFixed(1)} s after play\n`,
    );
    const { phase, tempo } = steadyErrors(PRECISE, r);
    expect(phase.length).toBeGreaterThan(15);
    // The bridge's claim holds: the true beats lie within the interval it gives (and the packets' 1 ms rounding).
    expect(grid.filter((g) => Math.abs(g.errorMs) <= g.u + 1.5).length).toBeGreaterThanOrEqual(grid.length * 0.95);
    // Tempo bends only as nudges do (at most 2 %).
    expect(tempo.at(-1)).toBeLessThan(BPM * DEFAULT_LINK_FOLLOWER.maxNudge + 0.01);
    const settled = steadyErrors({ ...PRECISE, name: `${PRECISE.name}, settled grid` }, r, (t) => steady(t) && t > settledFrom);
    if (settled.phase.length < 8) {
      process.stdout.write(`the learned grid was still narrowing ${((lastChange - play) / 1000).toFixed(1)} s after play: too late in this run to measure steady play (${settled.phase.length} beats)\n`);
      return;
    }
    // The product target is p95 <= 5 ms; the bound leaves room for a loaded two-core machine running three processes.
    expect(percentile(settled.phase, 0.95)).toBeLessThan(8);
    expect(percentile(settled.tempo, 0.5)).toBeLessThan(0.01);
  });

  /*
   * With the track in the library the bridge places the beats on the track's own PQTZ grid from the
   * precise positions (timing/playhead-grid.ts), so there is nothing to learn and nothing to settle.
   */
  it("holds the deck's beat phase to within 5 ms (p95) and its tempo to within 0.01 BPM with precise positions when the track's grid is known (OPUS-QUAD in CDJ mode, library)", () => {
    const r = run(PRECISE_LIBRARY);
    const steady = steadyOf(r);
    const grid = gridErrors(r, PRECISE_LIBRARY.bpm).filter((g) => steady(g.at)).map((g) => Math.abs(g.errorMs)).sort((a, b) => a - b);
    process.stdout.write(`bridge grid (${PRECISE_LIBRARY.name}) against the true beats in steady play: n=${grid.length} p50=${percentile(grid, 0.5).toFixed(2)} p95=${percentile(grid, 0.95).toFixed(2)} max=${(grid.at(-1) ?? NaN).toFixed(2)} ms\n`);
    expect(r.bridge.filter((l) => l.kind === 'error')).toEqual([]);
    const { phase, tempo } = steadyErrors(PRECISE_LIBRARY, r);
    expect(phase.length).toBeGreaterThan(15);
    // The grid itself: the track's (the packets carry whole ms).
    expect(percentile(grid, 0.95)).toBeLessThan(2);
    // The product target is p95 <= 5 ms; the bound leaves room for a loaded two-core machine running three processes.
    expect(percentile(phase, 0.95)).toBeLessThan(8);
    expect(percentile(tempo, 0.5)).toBeLessThan(0.01);
  });

  it.each(CASES)('re-aligns after the jump: the beats right after it are in phase ($name)', (c) => {
    const r = run(c);
    const jump = trueJump(r);
    const after = r.sim.filter((l) => l.kind === 'true-beat' && (l.at as number) > jump + 500 && (l.at as number) < jump + 3000);
    const errors = after.flatMap((b) => {
      const e = phaseErrorAt(r, b);
      return e === null ? [] : [Math.abs(e)];
    });
    // The session re-aligns to the bridge's grid at once; a learned grid (precise case) is only as exact as the interval it claims.
    const claimed = gridErrors(r, c.bpm).filter((g) => g.at > jump + 500 && g.at < jump + 3000).map((g) => g.u);
    const limit = c === PRECISE ? Math.max(10, Math.max(...claimed) + 5) : 10;
    process.stdout.write(`after the jump (0.5–3 s, ${c.name}): phase errors ${errors.map((e) => e.toFixed(1)).join(', ')} ms (limit ${limit.toFixed(1)} ms)\n`);
    expect(errors.length).toBeGreaterThan(2);
    expect(Math.max(...errors)).toBeLessThan(limit);
  });

  it('sets the tempo back when the peer changes it: the DJ leads', () => {
    const r = run(BEAT_PACKETS);
    const set = r.peer.find((l) => l.kind === 'peer-set');
    expect(set).toBeDefined();
    const after = samples(r).filter((s) => (s.at as number) > (set?.at as number));
    expect(after.some((s) => Math.abs((s.tempo as number) - PEER_TEMPO) < 0.01)).toBe(true);
    const back = after.find((s) => Math.abs((s.tempo as number) - BPM) < 0.01);
    expect(back).toBeDefined();
    const delay = (back?.at as number) - (set?.at as number);
    process.stdout.write(`the peer's ${PEER_TEMPO} BPM was set back to ${BPM} BPM after ${delay.toFixed(1)} ms\n`);
    // The bridge sets it back at its next update (20 ms); the peer hears of it through Link's own
    // messages, which measured 0.05–1.5 s here, and up to 2.9 s with the cores busy.
    expect(delay).toBeLessThan(5000);
    expect(r.bridge.some((l) => l.kind === 'report' && l.code === 'link-tempo-restored')).toBe(true);
  });
});
