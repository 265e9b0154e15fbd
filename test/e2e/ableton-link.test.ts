import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { collectJsonLines as collect, createLan, type ChildLine as Line, type Lan, simulatorThenBridge } from '../support/netns';

/**
 * The bridge's Ableton Link session against the simulator's true beats, over
 * real UDP and real Link: the simulated CDJ pair (real beat packets) on one
 * host of a private LAN of network namespaces, the bridge with `link: {}` and
 * a second Link peer (test/support/link-peer.js, another process using the
 * same native module) together on another. Link's discovery multicast stays
 * on that LAN and the namespace's loopback. All three processes stamp times
 * on CLOCK_MONOTONIC, so the peer's view of the session is compared with the
 * instants the simulated deck reached its beats.
 *
 * Skipped, and said so, only when the optional module "abletonlink" is not
 * installed.
 */
const DIST = path.resolve(__dirname, '../../dist');
const PEER = path.resolve(__dirname, '../support/link-peer.js');
const RUN_MS = 30_000;
const PLAY_AT = 500;
const JUMP_AT = 14_000;
/** When the peer sets its own tempo, after it starts (ms). */
const PEER_SET_AT = 21_000;
const PEER_TEMPO = 140;
const BPM = 122;

function linkModuleMissing(): string | null {
  try {
    require.resolve('abletonlink');
    return null;
  } catch {
    return 'the optional module "abletonlink" is not installed (npm install abletonlink builds it with node-gyp); the Ableton Link end-to-end test is skipped';
  }
}

const SCENARIO = {
  name: 'link-e2e',
  rig: 'cdj-pair',
  tracks: [{ id: 601, bpm: BPM, beats: 600, firstBeatMs: 35 }],
  steps: [
    { at: 1, do: 'load', deck: 2, track: 601 },
    { at: 300, do: 'master', deck: 2 },
    { at: PLAY_AT, do: 'play', deck: 2 },
    { at: JUMP_AT, do: 'jump', deck: 2, beat: 37 },
  ],
  options: { mixerBeats: true },
};

const simulatorProgram = `
const sim = require(${JSON.stringify(path.join(DIST, 'prolink/sim/index.js'))});
const os = require('os');
const shift = Number(process.hrtime.bigint()) / 1e6 - performance.now();
const epoch = (t) => t + shift;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
(async () => {
  const scenario = sim.parseScenario(${JSON.stringify(SCENARIO)}, 'link-e2e');
  if (!('steps' in scenario)) { out({ kind: 'error', message: scenario.message }); process.exit(1); }
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const running = await sim.startSimulator({ scenario, seed: 3,
    transport: { kind: 'udp', host: { address: eth.address, mac: eth.mac, broadcast: '169.254.255.255' } } });
  if (!('truth' in running)) { out({ kind: 'error', message: running.message }); process.exit(1); }
  const start = performance.now();
  out({ kind: 'ready', at: epoch(start) });
  setTimeout(async () => {
    for (const b of running.truth.beats(2, start, performance.now())) out({ kind: 'true-beat', beat: b.beat, beatInBar: b.beatInBar, bpm: b.bpm, at: epoch(b.at) });
    await running.stop();
    process.exit(0);
  }, ${RUN_MS + 1500});
})();`;

function bridgeProgram(mapping: string): string {
  return `
const os = require('os');
const { startBridge } = require(${JSON.stringify(path.join(DIST, 'app/bridge.js'))});
const { openUdpLink } = require(${JSON.stringify(path.join(DIST, 'app/link.js'))});
const { createLogger } = require(${JSON.stringify(path.join(DIST, 'log/logger.js'))});
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
(async () => {
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const link = await openUdpLink({ address: eth.address, mac: eth.mac, broadcast: '169.254.255.255', hostName: 'e2e' }, { reuseAddr: false, onError: (e) => out({ kind: 'error', message: e.message }) });
  if (!('send' in link)) { out({ kind: 'error', message: link.message }); process.exit(1); }
  const logger = createLogger({ level: 'error', pretty: false });
  const started = await startBridge({ link, mode: 'auto', mappingPaths: [${JSON.stringify(mapping)}], watchMappings: false, logger,
    openMidi: () => ({ ok: false, error: { code: 'midi-unavailable', message: 'not used' } }) });
  if (!started.ok) { out({ kind: 'error', message: started.message }); process.exit(1); }
  const b = started.bridge;
  b.activity.subscribe((a) => { if (a.kind === 'report') out({ kind: 'report', code: a.report.code, message: a.report.message, at: Number(process.hrtime.bigint()) / 1e6 }); });
  out({ kind: 'ready' });
  setTimeout(async () => { await b.stop(); out({ kind: 'stopped' }); process.exit(0); }, ${RUN_MS});
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

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

const missing = linkModuleMissing();
if (missing !== null) process.stdout.write(`skipped: ${missing}\n`);
const describeWithLink = missing === null ? describe : describe.skip;

describeWithLink('Ableton Link following the simulated CDJ over real UDP, against a second Link peer (network namespaces)', () => {
  let lan: Lan;
  let sim: Line[];
  let bridge: Line[];
  let peer: Line[];
  let mappingDir: string;

  beforeAll(async () => {
    mappingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'link-e2e-'));
    const mapping = path.join(mappingDir, 'link.yaml');
    fs.writeFileSync(mapping, 'link: {}\nrules: []\n');
    lan = createLan(2);
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) throw new Error('no hosts');
    const { simChild, bridgeChild } = await simulatorThenBridge(lan, simHost, simulatorProgram, bridgeHost, bridgeProgram(mapping));
    const peerChild = lan.spawn(bridgeHost, process.execPath, [PEER, `--duration=${RUN_MS - 1000}`, `--set-at=${PEER_SET_AT}`, `--set-tempo=${PEER_TEMPO}`], {
      NODE_PATH: path.resolve(__dirname, '../../node_modules'),
    });
    [sim, bridge, peer] = await Promise.all([collect(simChild), collect(bridgeChild), collectPeer(peerChild)]);
  }, RUN_MS + 30_000);

  afterAll(() => {
    lan?.destroy();
    if (mappingDir !== undefined) fs.rmSync(mappingDir, { recursive: true, force: true });
  });

  const samples = (): Line[] => peer.filter((l) => l.kind === 's');
  const simReady = (): number => sim.find((l) => l.kind === 'ready')?.at as number;
  /** The session's phase minus the deck's at a true beat, as the peer saw it (ms), or null without a peer sample near it. */
  const phaseErrorAt = (beat: Line): number | null => {
    const at = beat.at as number;
    let nearest: Line | undefined;
    for (const s of samples()) if (nearest === undefined || Math.abs((s.at as number) - at) < Math.abs((nearest.at as number) - at)) nearest = s;
    if (nearest === undefined || Math.abs((nearest.at as number) - at) > 20) return null;
    const linkBeat = (nearest.beat as number) + ((at - (nearest.at as number)) * (nearest.tempo as number)) / 60_000;
    const wanted = (beat.beatInBar as number) - 1;
    const error = ((((linkBeat - wanted + 2) % 4) + 4) % 4) - 2;
    return (error * 60_000) / (beat.bpm as number);
  };
  /** When the simulated deck jumped: the first true beat that does not follow the one before. */
  const trueJump = (): number => {
    const beats = sim.filter((l) => l.kind === 'true-beat');
    const i = beats.findIndex((b, k) => k > 0 && (b.beat as number) !== ((beats[k - 1] as Line).beat as number) + 1);
    return (beats[i] as Line).at as number;
  };

  it('joins the session: the bridge and the peer see each other', () => {
    expect(bridge.filter((l) => l.kind === 'error')).toEqual([]);
    const reports = bridge.filter((l) => l.kind === 'report').map((l) => String(l.message));
    expect(reports).toContain('Ableton Link: joined, following the master deck (quantum 4)');
    expect(reports).toContain('Ableton Link: 1 peer in the session');
    expect(samples().some((s) => s.peers === 1)).toBe(true);
  });

  it("holds the deck's beat phase, bar 1 on Link's downbeat, to within 5 ms (p95), and its tempo to within 0.01 BPM", () => {
    const ready = simReady();
    const jump = trueJump();
    const peerSet = peer.find((l) => l.kind === 'peer-set')?.at as number;
    // Steady play: from 10 s after play (the bridge needs some seconds to see the CDJ's status), but not
    // within 3 s of the jump, nor from the peer's tempo change until 3 s after the peer saw it set back.
    const restored = samples().find((s) => (s.at as number) > peerSet && Math.abs((s.tempo as number) - BPM) < 0.01)?.at as number;
    const steady = (t: number): boolean => (t > ready + PLAY_AT + 10_000 && t < jump) || (t > jump + 3000 && t < peerSet) || t > restored + 3000;
    const all = samples();
    const errors: number[] = [];
    for (const beat of sim.filter((l) => l.kind === 'true-beat')) {
      if (!steady(beat.at as number)) continue;
      const error = phaseErrorAt(beat);
      if (error !== null) errors.push(Math.abs(error));
    }
    const tempoErrors = all.filter((s) => steady(s.at as number)).map((s) => Math.abs((s.tempo as number) - BPM));
    errors.sort((a, b) => a - b);
    tempoErrors.sort((a, b) => a - b);
    const p50 = percentile(errors, 0.5);
    const p95 = percentile(errors, 0.95);
    process.stdout.write(
      `Link phase error against the true beats: n=${errors.length} p50=${p50.toFixed(2)} ms p95=${p95.toFixed(2)} ms max=${(errors.at(-1) ?? NaN).toFixed(2)} ms; ` +
        `tempo error: p50=${percentile(tempoErrors, 0.5).toFixed(4)} p95=${percentile(tempoErrors, 0.95).toFixed(4)} max=${(tempoErrors.at(-1) ?? NaN).toFixed(4)} BPM over ${tempoErrors.length} samples\n`,
    );
    expect(errors.length).toBeGreaterThan(15);
    // The product target is p95 <= 5 ms; the bound leaves room for a loaded two-core machine running three processes.
    expect(p95).toBeLessThan(8);
    // The deck's tempo exactly, but while a phase error is nudged out (bounded to 0.5 %).
    expect(percentile(tempoErrors, 0.5)).toBeLessThan(0.01);
    expect(tempoErrors.at(-1)).toBeLessThan(BPM * 0.005 + 0.01);
  });

  it('re-aligns after the jump: the beats right after it are in phase', () => {
    const jump = trueJump();
    const after = sim.filter((l) => l.kind === 'true-beat' && (l.at as number) > jump + 500 && (l.at as number) < jump + 3000);
    const errors = after.flatMap((b) => {
      const e = phaseErrorAt(b);
      return e === null ? [] : [Math.abs(e)];
    });
    process.stdout.write(`after the jump (0.5–3 s): phase errors ${errors.map((e) => e.toFixed(1)).join(', ')} ms\n`);
    expect(errors.length).toBeGreaterThan(2);
    expect(Math.max(...errors)).toBeLessThan(10);
  });

  it("sets the tempo back when the peer changes it: the DJ leads", () => {
    const set = peer.find((l) => l.kind === 'peer-set');
    expect(set).toBeDefined();
    const after = samples().filter((s) => (s.at as number) > (set?.at as number));
    expect(after.some((s) => Math.abs((s.tempo as number) - PEER_TEMPO) < 0.01)).toBe(true);
    const back = after.find((s) => Math.abs((s.tempo as number) - BPM) < 0.01);
    expect(back).toBeDefined();
    const delay = (back?.at as number) - (set?.at as number);
    process.stdout.write(`the peer's ${PEER_TEMPO} BPM was set back to ${BPM} BPM after ${delay.toFixed(1)} ms\n`);
    // The bridge sets it back at its next update (20 ms); the peer hears of it through Link's own
    // messages, which measured 0.05–1.5 s here.
    expect(delay).toBeLessThan(3000);
    expect(bridge.some((l) => l.kind === 'report' && l.code === 'link-tempo-restored')).toBe(true);
  });
});
