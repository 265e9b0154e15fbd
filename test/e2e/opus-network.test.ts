import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectJsonLines as collect, createLan, type ChildLine as Line, type Lan, simulatorThenBridge } from '../support/netns';
import { simulatorProgram as simProgram } from '../support/sim-program';
import { fixturePath } from '../support/fixtures';

/**
 * The whole bridge against the simulated OPUS-QUAD, as two processes on two
 * hosts of a private link-local LAN (network namespaces), over real UDP on the
 * fixed ports 50000–50002 with broadcast. The simulator drops 10 % of its 0x56
 * chunks, hands master from deck 1 to deck 2 and restarts the OPUS mid-run.
 * Both processes report times on the system-wide monotonic clock, so the bridge's
 * estimated beats are compared with the simulator's true beat instants.
 */
const DIST = path.resolve(__dirname, '../../dist');
const RUN_MS = 44_000;
const anlz = (dir: string): string => fixturePath('dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ', dir, 'ANLZ0000.EXT');

const SCENARIO = {
  name: 'e2e',
  rig: 'opus',
  tracks: [
    { id: 184, bpm: 128, beats: 368, firstBeatMs: 25, anlz: anlz(path.join('P016', '0000875E')) },
    { id: 185, bpm: 120, beats: 257, firstBeatMs: 25, anlz: anlz(path.join('P053', '0001D21F')) },
    { id: 186, bpm: 126, beats: 400 },
    { id: 187, bpm: 122, beats: 300 },
  ],
  steps: [
    { at: 1, do: 'load', deck: 1, track: 184 },
    { at: 1, do: 'load', deck: 2, track: 185 },
    { at: 1, do: 'load', deck: 3, track: 186 },
    { at: 1, do: 'load', deck: 4, track: 187 },
    { at: 500, do: 'master', deck: 1 },
    { at: 500, do: 'play', deck: 1 },
    { at: 2000, do: 'play', deck: 2 },
    { at: 16_000, do: 'master', deck: 2 },
    { at: 24_000, do: 'opusRestart', ms: 11_000 },
  ],
  options: { zeroFlagProbability: 0.02 },
};

const simulatorProgram = simProgram({
  scenario: SCENARIO,
  name: 'e2e',
  seed: 7,
  tuning: { chunkLossProbability: 0.1 },
  simEvents: true,
  then: `
  setTimeout(async () => {
    const end = performance.now();
    for (const deck of [1, 2]) for (const b of running.truth.beats(deck, start, end)) out({ kind: 'true-beat', deck, beat: b.beat, at: epoch(b.at) });
    await running.stop();
    out({ kind: 'done' });
    process.exit(0);
  }, ${RUN_MS + 1500});`,
});

function bridgeProgram(mapping: string): string {
  return `
const os = require('os');
const { startBridge } = require(${JSON.stringify(path.join(DIST, 'app/bridge.js'))});
const { openUdpLink } = require(${JSON.stringify(path.join(DIST, 'app/link.js'))});
const { createLogger } = require(${JSON.stringify(path.join(DIST, 'log/logger.js'))});
// The bridge's clock is already CLOCK_MONOTONIC (process.hrtime), shared by every process.
const epoch = (t) => t;
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
(async () => {
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const link = await openUdpLink({ address: eth.address, mac: eth.mac, broadcast: '169.254.255.255', hostName: 'e2e' }, { reuseAddr: false, onError: (e) => out({ kind: 'error', message: e.message }) });
  if (!('send' in link)) { out({ kind: 'error', message: link.message }); process.exit(1); }
  const logger = createLogger({ level: 'warn', pretty: false });
  const started = await startBridge({ link, mode: 'auto', mappingPaths: [${JSON.stringify(mapping)}], watchMappings: false, logger,
    openMidi: () => ({ ok: false, error: { code: 'midi-unavailable', message: 'not used' } }) });
  if (!started.ok) { out({ kind: 'error', message: started.message }); process.exit(1); }
  const b = started.bridge;
  const decks = new Set();
  b.streams.decks$.subscribe((d) => { if (!decks.has(d.deck)) { decks.add(d.deck); out({ kind: 'deck', deck: d.deck, device: d.device, at: epoch(d.updatedAt) }); } });
  b.streams.beats$.subscribe((e) => out({ kind: 'beat', deck: e.deck, beat: e.beat, estimated: e.estimated, at: epoch(e.at) }));
  b.streams.phrases$.subscribe((e) => out({ kind: e.type, deck: e.deck, index: e.phrase.index, startBeat: e.phrase.startBeat, at: epoch(e.at) }));
  b.streams.metadata$.subscribe((m) => out({ kind: 'meta-' + m.kind, deck: m.deck, trackId: m.trackId, attempt: m.attempt ?? null, phrases: m.structure ? m.structure.phrases.length : null }));
  b.streams.events$.subscribe((e) => { if (e.type === 'master.change') out({ kind: 'master', deck: e.deck, previous: e.previousDeck, at: epoch(e.at) }); });
  b.activity.subscribe((a) => { if (a.kind === 'notice') out({ kind: 'notice', message: a.message }); });
  out({ kind: 'ready' });
  setTimeout(async () => { out({ kind: 'stats', ...b.stats }); await b.stop(); process.exit(0); }, ${RUN_MS});
})();`;
}


function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

describe('bridge and simulated OPUS-QUAD over real UDP in network namespaces', () => {
  let lan: Lan;
  let sim: Line[];
  let bridge: Line[];
  let mappingDir: string;

  beforeAll(async () => {
    mappingDir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-mapping-'));
    const mapping = path.join(mappingDir, 'empty.yaml');
    fs.writeFileSync(mapping, 'rules: []\n');
    lan = createLan(2);
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) throw new Error('no hosts');
    const { simChild, bridgeChild } = await simulatorThenBridge(lan, simHost, simulatorProgram, bridgeHost, bridgeProgram(mapping));
    [sim, bridge] = await Promise.all([collect(simChild), collect(bridgeChild)]);
  }, RUN_MS + 30_000);

  afterAll(() => {
    lan?.destroy();
    fs.rmSync(mappingDir, { recursive: true, force: true });
  });

  it('completes the lighting handshake and sees the status of all four decks (OPUS 9–12 as 1–4)', () => {
    expect(bridge.filter((l) => l.kind === 'error')).toEqual([]);
    expect(bridge.some((l) => l.kind === 'notice' && String(l.message).includes('joining in lighting mode'))).toBe(true);
    expect(bridge.some((l) => l.kind === 'notice' && String(l.message).includes('is sending deck status'))).toBe(true);
    const decks = bridge.filter((l) => l.kind === 'deck').map((l) => [l.deck, l.device]);
    expect(decks.sort()).toEqual([[1, 9], [2, 10], [3, 11], [4, 12]]);
  });

  it('gets the phrase data of the real ANLZ tracks despite 10 % chunk loss', () => {
    const structures = bridge.filter((l) => l.kind === 'meta-structure');
    const byTrack = new Map(structures.map((l) => [l.trackId, l.phrases]));
    expect(byTrack.get(184)).toBe(19); // Demo Track 1
    expect(byTrack.get(185)).toBe(11); // Demo Track 2
    expect(bridge.filter((l) => l.kind === 'meta-failed')).toEqual([]);
  });

  it('estimates the OPUS beats to within 12 ms (p50) and 20 ms (p95) of the true beat after 8 bars, over real UDP', () => {
    const ready = (sim.find((l) => l.kind === 'ready')?.at as number) ?? 0;
    const restart = ready + 24_000;
    const truth = new Map(sim.filter((l) => l.kind === 'true-beat').map((l) => [`${l.deck}:${l.beat}`, l.at as number]));
    const settled: Record<number, number> = { 1: ready + 500 + 32 * 468.75, 2: ready + 2000 + 32 * 500 };
    const errors: number[] = [];
    for (const beat of bridge.filter((l) => l.kind === 'beat' && l.estimated === true)) {
      const deck = beat.deck as number;
      const at = beat.at as number;
      if (settled[deck] === undefined || at < (settled[deck] as number) || at > restart - 500) continue;
      const trueAt = truth.get(`${deck}:${beat.beat}`);
      if (trueAt !== undefined) errors.push(Math.abs(at - trueAt));
    }
    errors.sort((a, b) => a - b);
    const p50 = percentile(errors, 0.5);
    const p95 = percentile(errors, 0.95);
    process.stdout.write(`estimated beat phase error over real UDP: n=${errors.length} p50=${p50.toFixed(2)} ms p95=${p95.toFixed(2)} ms max=${(errors.at(-1) ?? NaN).toFixed(2)} ms\n`);
    expect(errors.length).toBeGreaterThan(15);
    // About 29 beats between 8 bars in and the restart: p95 is nearly the largest, and a run on a
    // busy machine (two cores, three processes) now and then shifts them all by some ms (p50 0.1–7.1 ms
    // in seven runs alone, 10.3 ms in one beside the rest of the suite, every beat off by 10.3–10.8).
    // The estimate's accuracy itself is held in virtual time by test/show (p95 <= 9 ms over 1,000+ beats).
    expect(p50).toBeLessThan(12);
    expect(p95).toBeLessThan(20);
  });

  it('starts phrases on the beat the PSSI names', () => {
    const ready = (sim.find((l) => l.kind === 'ready')?.at as number) ?? 0;
    const truth = new Map(sim.filter((l) => l.kind === 'true-beat').map((l) => [`${l.deck}:${l.beat}`, l.at as number]));
    // Demo Track 1 (deck 1): phrase 2 starts at beat 37; Demo Track 2 (deck 2): phrase 2 at beat 33.
    for (const [deck, startBeat] of [[1, 37], [2, 33]] as const) {
      const start = bridge.find((l) => l.kind === 'phrase.start' && l.deck === deck && l.startBeat === startBeat);
      expect(start).toBeDefined();
      const trueAt = truth.get(`${deck}:${startBeat}`) as number;
      expect(Math.abs((start?.at as number) - trueAt)).toBeLessThan(25);
      expect(trueAt - ready).toBeLessThan(24_000);
    }
  });

  it('follows the master hand-off from deck 1 to deck 2', () => {
    const masters = bridge.filter((l) => l.kind === 'master').map((l) => [l.previous, l.deck]);
    expect(masters.slice(0, 2)).toEqual([[null, 1], [1, 2]]);
  });

  it('recovers from an OPUS-QUAD restart: greets it again and status and beats resume', () => {
    const notices = bridge.filter((l) => l.kind === 'notice').map((l) => String(l.message));
    expect(notices.some((m) => m.includes('went silent'))).toBe(true);
    expect(notices.some((m) => m.includes('is back'))).toBe(true);
    expect(notices.filter((m) => m.includes('is sending deck status')).length).toBeGreaterThanOrEqual(2);
    const ready = (sim.find((l) => l.kind === 'ready')?.at as number) ?? 0;
    const after = bridge.filter((l) => l.kind === 'beat' && (l.at as number) > ready + 36_000);
    expect(after.length).toBeGreaterThan(5);
  });
});
