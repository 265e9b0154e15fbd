import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { collectJsonLines as collect, createLan, type ChildLine as Line, simulatorThenBridge } from '../support/netns';
import { simulatorProgram as simProgram } from '../support/sim-program';

/**
 * Art-Net timecode end to end: the simulated OPUS-QUAD and the bridge as two
 * processes on a private link-local LAN (network namespaces), the bridge
 * sending ArtTimeCode to a receiver that runs beside the simulator, so each
 * packet's label is compared with the simulator's true playhead at the
 * instant it arrives. Twice: with the bridge as a CDJ peer (precise position
 * packets every 30 ms; a jump goes out with the first one that shows it) and
 * in lighting mode (status every 200 ms, beats estimated). A third output sends to 2.255.255.255, which has no route in
 * the namespace: one sentence is reported and the rest keeps running.
 */
const DIST = path.resolve(__dirname, '../../dist');
const RUN_MS = 30_000;
const PLAY_AT = 500;
const JUMP_AT = 24_000;
const STOP_AT = 28_000;
const BPM = 125;
const BEAT_MS = 60_000 / BPM;
const JUMP_BEAT = 200;
/** Offset of the 25 fps output: the track starts at 01:00:00:00. */
const OFFSET_MS = 3_600_000;
const HOLD_PORT = 6454;
const STOP_PORT = 6455;

const SCENARIO = {
  name: 'artnet-e2e',
  rig: 'opus',
  tracks: [{ id: 301, bpm: BPM, beats: 600, firstBeatMs: 0 }],
  steps: [
    { at: 1, do: 'load', deck: 1, track: 301 },
    { at: PLAY_AT, do: 'master', deck: 1 },
    { at: PLAY_AT, do: 'play', deck: 1 },
    { at: JUMP_AT, do: 'jump', deck: 1, beat: JUMP_BEAT },
    { at: STOP_AT, do: 'stop', deck: 1 },
  ],
  options: { zeroFlagProbability: 0.02 },
};

/** The simulator, and beside it an Art-Net receiver that decodes by the specification and reads the true playhead on arrival. */
const simulatorProgram = simProgram({
  scenario: SCENARIO,
  name: 'artnet-e2e',
  seed: 11,
  simEvents: true,
  clock: 'performance',
  head: `const dgram = require('dgram');
function decode(b) {
  if (b.length < 19 || b.toString('latin1', 0, 8) !== 'Art-Net\\u0000' || (b[8] | (b[9] << 8)) !== 0x9700) return null;
  const type = b[18], nominal = [24, 25, 30, 30][type], minutes = b[17] * 60 + b[16];
  let frames = (minutes * 60 + b[15]) * nominal + b[14];
  if (type === 2) frames -= 2 * (minutes - Math.floor(minutes / 10));
  return { protVer: (b[10] << 8) | b[11], type, frames, label: [b[17], b[16], b[15], b[14]].join(':') };
}`,
  then: `
  for (const port of [${HOLD_PORT}, ${STOP_PORT}]) {
    const socket = dgram.createSocket('udp4');
    socket.on('message', (m) => {
      const at = performance.now();
      const d = decode(m);
      if (d === null) { out({ kind: 'not-artnet', port }); return; }
      const deck = running.truth.deck(1);
      const track = deck.trackAt(at);
      const trueMs = track === null ? null : (deck.positionAt(at) - 1) * ${BEAT_MS};
      out({ kind: 'artnet', port, at: at - start, hr: Number(process.hrtime.bigint()) / 1e6, ...d, trueMs, playing: deck.playingAt(at) });
    });
    socket.bind(port);
  }
  setTimeout(async () => { await running.stop(); out({ kind: 'done' }); process.exit(0); }, ${RUN_MS + 1500});`,
});

function bridgeProgram(mapping: string, mode: string): string {
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
  const started = await startBridge({ link, mode: ${JSON.stringify(mode)}, mappingPaths: [${JSON.stringify(mapping)}], watchMappings: false, logger,
    openMidi: () => ({ ok: false, error: { code: 'midi-unavailable', message: 'not used' } }) });
  if (!started.ok) { out({ kind: 'error', message: started.message }); process.exit(1); }
  const b = started.bridge;
  b.activity.subscribe((a) => { if (a.kind === 'report') out({ kind: 'report', ...a.report }); });
  // When the bridge read the first precise position that showed a jump of deck 1 (CLOCK_MONOTONIC, as the receiver's hr).
  let previous = null;
  b.streams.positions$.subscribe((p) => {
    if (p.source !== 'precise' || p.deck !== 1 || p.ms === null) return;
    const expected = previous === null ? p.ms : previous.ms + (p.at - previous.at) * (p.pitch ?? 1);
    if (previous !== null && Math.abs(p.ms - expected) > 1000) out({ kind: 'position-jump', hr: Number(process.hrtime.bigint()) / 1e6, ms: p.ms });
    previous = p;
  });
  out({ kind: 'ready' });
  setTimeout(async () => { out({ kind: 'status', outputs: b.artnetTimecode.status() }); await b.stop(); process.exit(0); }, ${RUN_MS});
})();`;
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;
}

interface Packet {
  readonly port: number;
  readonly at: number;
  readonly type: number;
  readonly protVer: number;
  readonly frames: number;
  readonly label: string;
  readonly trueMs: number | null;
  readonly playing: boolean;
  /** Arrival on CLOCK_MONOTONIC (ms), to compare with the bridge's own times. */
  readonly hr: number;
}

interface Run {
  readonly sim: Line[];
  readonly bridge: Line[];
  readonly packets: Packet[];
}

async function runShow(mode: 'cdj' | 'lighting'): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-artnet-'));
  const lan = createLan(2);
  try {
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) throw new Error('no hosts');
    const mapping = path.join(dir, 'artnet.yaml');
    fs.writeFileSync(
      mapping,
      [
        'rules: []',
        'artnet-timecode:',
        `  - { to: ${simHost.address}, follow: 1, rate: 25, defaultOffset: "01:00:00:00" }`,
        `  - { to: ${simHost.address}, port: ${STOP_PORT}, follow: master, rate: 29.97, onStop: stop }`,
        '  - { to: broadcast, follow: 1 }',
        '',
      ].join('\n'),
    );
    const { simChild, bridgeChild } = await simulatorThenBridge(lan, simHost, simulatorProgram, bridgeHost, bridgeProgram(mapping, mode));
    const [sim, bridge] = await Promise.all([collect(simChild), collect(bridgeChild)]);
    return { sim, bridge, packets: sim.filter((l) => l.kind === 'artnet') as unknown as Packet[] };
  } finally {
    lan.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const FRAME_25 = 40;

/** Frame error of each packet (decoded label − true frame at arrival) on the 25 fps output within [from, to) ms of the run. */
function frameErrors(run: Run, from: number, to: number): number[] {
  return run.packets
    .filter((p) => p.port === HOLD_PORT && p.at >= from && p.at < to && p.trueMs !== null && p.playing)
    .map((p) => Math.abs(p.frames - Math.floor(((OFFSET_MS + (p.trueMs as number)) * 25) / 1000)))
    .sort((a, b) => a - b);
}

function summary(name: string, errors: readonly number[]): { p50: number; p95: number } {
  const p50 = percentile(errors, 0.5);
  const p95 = percentile(errors, 0.95);
  process.stdout.write(`${name}: n=${errors.length} frame error p50=${p50} p95=${p95} max=${errors.at(-1) ?? NaN} frames\n`);
  return { p50, p95 };
}

/** The first packet on the 25 fps output that showed the jump (within `frames` frames of truth, 2 by default). */
function firstAfterJump(run: Run, frames = 2): Packet | undefined {
  const after = run.packets.filter((p) => p.port === HOLD_PORT && p.at >= JUMP_AT - 300);
  const jumpedMs = (JUMP_BEAT - 1) * BEAT_MS;
  return after.find((p) => p.trueMs !== null && p.trueMs >= jumpedMs && Math.abs(p.frames - Math.floor(((OFFSET_MS + p.trueMs) * 25) / 1000)) <= frames);
}

/** How long after the true jump the first packet showed the new position (within `frames` frames). */
function jumpLatency(run: Run, frames = 2): number {
  const first = firstAfterJump(run, frames);
  const jumpAt = run.sim.find((l) => l.kind === 'sim' && l.code === 'jump')?.at as number;
  const ready = run.sim.find((l) => l.kind === 'ready')?.at as number;
  return first === undefined ? Infinity : first.at - (jumpAt - ready);
}

/** From the bridge reading the first precise position that showed the jump to that packet's arrival (ms). */
function jumpReaction(run: Run): number {
  const seen = run.bridge.find((l) => l.kind === 'position-jump')?.hr as number | undefined;
  const first = firstAfterJump(run);
  return seen === undefined || first === undefined ? Infinity : first.hr - seen;
}

/** |interval − 40 ms| between consecutive packets of the 25 fps output, at the receiver. */
function jitter(run: Run, from: number, to: number): { p50: number; p95: number; p99: number; max: number } {
  const steady = run.packets.filter((p) => p.port === HOLD_PORT && p.at >= from && p.at < to);
  const deviations = steady.slice(1).map((p, i) => Math.abs(p.at - (steady[i] as Packet).at - FRAME_25)).sort((a, b) => a - b);
  return { p50: percentile(deviations, 0.5), p95: percentile(deviations, 0.95), p99: percentile(deviations, 0.99), max: deviations.at(-1) ?? NaN };
}

function checkCommon(run: Run): void {
  expect(run.bridge.filter((l) => l.kind === 'error')).toEqual([]);
  expect(run.sim.filter((l) => l.kind === 'not-artnet')).toEqual([]);
  expect(run.packets.length).toBeGreaterThan(500);
  expect(run.packets.every((p) => p.protVer === 14)).toBe(true);
  expect(new Set(run.packets.filter((p) => p.port === HOLD_PORT).map((p) => p.type))).toEqual(new Set([1]));
  expect(new Set(run.packets.filter((p) => p.port === STOP_PORT).map((p) => p.type))).toEqual(new Set([2]));
}

describe('Art-Net timecode from the simulated OPUS-QUAD over real UDP in network namespaces', () => {
  let cdj: Run;
  let lighting: Run;

  beforeAll(async () => {
    cdj = await runShow('cdj');
    lighting = await runShow('lighting');
  }, 2 * RUN_MS + 60_000);

  it('with precise positions (CDJ mode): labels within a frame of the true playhead', () => {
    checkCommon(cdj);
    const errors = [...frameErrors(cdj, PLAY_AT + 2_000, JUMP_AT - 300), ...frameErrors(cdj, JUMP_AT + 1_000, STOP_AT - 300)].sort((a, b) => a - b);
    const { p50, p95 } = summary('Art-Net timecode vs truth, precise positions', errors);
    expect(errors.length).toBeGreaterThan(400);
    expect(p50).toBeLessThanOrEqual(1);
    expect(p95).toBeLessThanOrEqual(2);
  });

  it('with OPUS estimates (lighting mode), 8 bars after play: labels within a frame or two of the true playhead', () => {
    checkCommon(lighting);
    const settled = PLAY_AT + 32 * BEAT_MS;
    const { p50, p95 } = summary('Art-Net timecode vs truth, OPUS estimates after 8 bars', frameErrors(lighting, settled, JUMP_AT - 300));
    expect(frameErrors(lighting, settled, JUMP_AT - 300).length).toBeGreaterThan(150);
    expect(p50).toBeLessThanOrEqual(1);
    expect(p95).toBeLessThanOrEqual(2);
  });

  it('sends evenly, one packet per frame (inter-packet jitter)', () => {
    for (const [name, run] of [['precise', cdj], ['estimates', lighting]] as const) {
      const j = jitter(run, PLAY_AT + 2_000, JUMP_AT - 300);
      const count = run.packets.filter((p) => p.port === HOLD_PORT && p.at >= 10_000 && p.at < 20_000).length;
      const ms = (v: number): string => v.toFixed(2);
      process.stdout.write(`Art-Net inter-packet jitter (${name}): p50=${ms(j.p50)} p95=${ms(j.p95)} p99=${ms(j.p99)} max=${ms(j.max)} ms; packets in 10 s at 25 fps: ${count}\n`);
      // The median shows the cadence; the tail is the loaded 2-core machine (a load average of 10 gave p99 ≈ 37 ms, max ≈ 260 ms).
      expect(j.p50).toBeLessThan(5);
      expect(j.p95).toBeLessThan(FRAME_25);
      expect(j.p99).toBeLessThan(3 * FRAME_25);
      // A late timer sends the frame the deck is in by then, skipping the ones it missed: never more than 250, rarely far fewer.
      expect(count).toBeGreaterThanOrEqual(230);
      expect(count).toBeLessThanOrEqual(251);
    }
  });

  it('reflects a jump within one position or status period', () => {
    const precise = jumpLatency(cdj);
    // From status packets the place in the beat after a jump is one of two readings until a later status decides
    // (README, Jumps the bridge cannot place yet): the first status's counter puts the timecode inside the beat the
    // deck landed in (a beat of frames off at most, and the 2 frames a packet's way and a frame's rounding can add),
    // and within 2 frames once a later status decides. Seen on this machine: 20–140 ms and 55–530 ms.
    const beatFrames = Math.ceil((BEAT_MS * 25) / 1000) + 2;
    const estimated = jumpLatency(lighting, beatFrames);
    const estimatedExact = jumpLatency(lighting);
    const reaction = jumpReaction(cdj);
    process.stdout.write(
      `Art-Net jump latency: precise ${precise.toFixed(1)} ms (of which ${reaction.toFixed(1)} ms from the bridge reading the first position that showed it), estimates ${estimated.toFixed(1)} ms (within ${beatFrames} frames), ${estimatedExact.toFixed(1)} ms (within 2)\n`,
    );
    expect(estimatedExact).toBeLessThan(3 * 200 + FRAME_25 + 100);
    // The packet right after the position that shows the jump has it, without waiting for the next frame
    // (the bridge reads positions after the Art-Net output, so this can be a little below 0).
    expect(reaction).toBeGreaterThan(-5);
    expect(reaction).toBeLessThan(FRAME_25 / 2);
    // Position packets every 30 ms (CDJ mode), status every 200 ms (lighting mode), and a loaded machine's slack.
    expect(precise).toBeLessThan(30 + 100);
    expect(estimated).toBeLessThan(200 + FRAME_25 + 100);
  });

  it('holds the stopped frame (hold) and goes silent (stop) once the deck stops', () => {
    for (const run of [cdj, lighting]) {
      const afterStop = (port: number): Packet[] => run.packets.filter((p) => p.port === port && p.at > STOP_AT + 500);
      const held = afterStop(HOLD_PORT);
      expect(held.length).toBeGreaterThanOrEqual(4);
      expect(new Set(held.map((p) => p.frames)).size).toBe(1);
      expect(afterStop(STOP_PORT)).toEqual([]);
    }
  });

  it('reports the unreachable broadcast output in one sentence while the others keep running', () => {
    for (const run of [cdj, lighting]) {
      const reports = run.bridge.filter((l) => l.kind === 'report');
      expect(new Set(reports.map((r) => `${String(r.target)}: ${String(r.message)}`))).toEqual(
        new Set([
          'artnet 2.255.255.255:6454: Art-Net timecode cannot reach 2.255.255.255:6454: this computer has no network route to it (ENETUNREACH); connect the lighting network, or set to: to an address on it',
        ]),
      );
      expect(reports.length).toBeLessThanOrEqual(RUN_MS / 5000 + 1);
      const status = run.bridge.find((l) => l.kind === 'status')?.outputs as { label: string; sent: number; failed: number; last: string | null }[];
      process.stdout.write(`Art-Net outputs at the end: ${JSON.stringify(status)}\n`);
      expect(status.map((s) => s.label)).toEqual([`artnet ${String(status[0]?.label.split(' ')[1])}`, expect.stringMatching(/:6455$/), 'artnet 2.255.255.255:6454']);
      expect(status[2]?.failed).toBe(status[2]?.sent);
      expect(status[0]?.failed).toBe(0);
    }
  });
});
