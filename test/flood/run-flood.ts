/**
 * A show under fire, over real UDP: three hosts of a private LAN (network
 * namespaces). The simulated OPUS-QUAD plays a show on one; the bridge, with
 * a rule for every kind of event, runs on another; a third floods the
 * bridge's ports with mutated real packets and spoofed status as fast as it
 * can while the show plays. The simulator writes its truth, the bridge what
 * its rules fired, its memory and its log; the caller scores them.
 *
 * Every process stamps times on CLOCK_MONOTONIC, so they compare directly.
 * Needs root, iproute2 and the built dist/ (npm run build).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BridgeEvent } from '../../src/events/bridge-event';
import type { TruthEvent } from '../../src/prolink/sim/show-truth';
import { collectJsonLines as collect, createLan, simulatorThenBridge } from '../support/netns';
import { distModule, simulatorProgram as simProgram } from '../support/sim-program';
import { repositoryRoot } from '../support/repository-root';
import type { Observed, Window } from '../show/score';
import { floodDatagrams, writeFloodFile } from './flood-datagrams';

const DIST = path.join(repositoryRoot(), 'dist');

export interface FloodSpec {
  /** Datagrams to send; the flooder goes round its list until it has sent this many. */
  readonly datagrams: number;
  /** Distinct datagrams generated (the flooder repeats them). */
  readonly distinct: number;
  readonly seed: number;
  /** When the flood starts, after the bridge starts (ms). */
  readonly floodAfterMs: number;
  /** How long the whole show runs (ms). */
  readonly runMs: number;
}

export interface FloodRun {
  readonly truth: readonly TruthEvent[];
  readonly observed: readonly Observed[];
  /** When the flood ran, on the shared clock. */
  readonly flood: Window & { readonly sent: number };
  /** Bridge RSS samples (bytes) with their time. */
  readonly rss: readonly { readonly at: number; readonly rss: number }[];
  /** The bridge's log lines (JSON, as written), with their time. */
  readonly log: readonly { readonly at: number; readonly level: number; readonly msg: string }[];
  /** Decks the rules saw events for. */
  readonly decksSeen: ReadonlySet<number>;
  readonly stats: Record<string, unknown>;
}

/** An OPUS-QUAD show of generated tracks: two decks handed back and forth, a load and a jump, starting 3 s in. */
export const FLOOD_SCENARIO = {
  name: 'flood',
  rig: 'opus',
  tracks: [
    { id: 801, bpm: 126, beats: 640, firstBeatMs: 40 },
    { id: 802, bpm: 126, beats: 640, firstBeatMs: 10 },
    { id: 803, bpm: 128, beats: 512, firstBeatMs: 20 },
  ],
  steps: [
    { at: 3000, do: 'load', deck: 1, track: 801 },
    { at: 3000, do: 'load', deck: 2, track: 802 },
    { at: 4000, do: 'master', deck: 1 },
    { at: 4000, do: 'play', deck: 1 },
    { at: 9000, do: 'play', deck: 2 },
    { at: 14_000, do: 'master', deck: 2 },
    { at: 17_000, do: 'load', deck: 3, track: 803 },
    { at: 21_000, do: 'jump', deck: 1, beat: 97 },
    { at: 26_000, do: 'master', deck: 1 },
  ],
} as const;

const simulatorProgram = (runMs: number): string =>
  simProgram({
    scenario: FLOOD_SCENARIO,
    name: 'flood',
    seed: 5,
    tuning: { zeroFlagProbability: 0.02 },
    head: `const { showTruth } = require(${distModule('prolink/sim/show-truth.js')});`,
    then: `
  setTimeout(async () => {
    const end = performance.now();
    const truth = showTruth({ scenario, decks: running.rig.decks, log: running.truth.events, from: start - 1, to: end });
    for (const t of truth) out({ kind: 'truth', event: { ...t, at: t.at + shift } });
    await running.stop();
    out({ kind: 'done' });
    process.exit(0);
  }, ${runMs});`,
  });

const bridgeProgram = (runMs: number, dir: string): string => `
// Memory as \`prolink-bridge run\` sets it up, before the bridge loads.
require(${JSON.stringify(path.join(DIST, 'cli/heap-settings.js'))}).keepHeapSmall();
const os = require('os');
const fs = require('fs');
const path = require('path');
const dgram = require('dgram');
const { startBridge } = require(${JSON.stringify(path.join(DIST, 'app/bridge.js'))});
const { openUdpLink, monotonicMs } = require(${JSON.stringify(path.join(DIST, 'app/link.js'))});
const { createLogger } = require(${JSON.stringify(path.join(DIST, 'log/logger.js'))});
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
(async () => {
  // The rules' OSC goes to a receiver of our own on this host's loopback.
  const receiver = dgram.createSocket('udp4');
  let received = 0;
  receiver.on('message', () => received++);
  await new Promise((r) => receiver.bind(0, '127.0.0.1', r));
  const port = receiver.address().port;
  const types = ['beat', 'phrase.start', 'phrase.end', 'phrase.fill', 'master.change', 'track.load', 'track.unload', 'play', 'stop', 'device.appeared'];
  const mapping = path.join(${JSON.stringify(dir)}, 'flood.yaml');
  fs.writeFileSync(mapping, ['targets:', '  show: { osc: { host: 127.0.0.1, port: ' + port + ' } }', 'rules:',
    ...types.map((t) => '  - { name: "' + t + '", on: ' + t + ', send: [{ osc: { to: show, address: "/' + t + '" } }] }'), ''].join('\\n'));
  const eth = os.networkInterfaces().eth0.find((i) => i.family === 'IPv4');
  const link = await openUdpLink({ address: eth.address, mac: eth.mac, broadcast: '169.254.255.255', hostName: 'flood' }, { reuseAddr: false, onError: (e) => out({ kind: 'error', message: e.message }) });
  if (!('send' in link)) { out({ kind: 'error', message: link.message }); process.exit(1); }
  const logger = createLogger({ level: 'info', pretty: false, destination: fs.createWriteStream(path.join(${JSON.stringify(dir)}, 'bridge.log')) });
  const started = await startBridge({ link, mode: 'lighting', mappingPaths: [mapping], watchMappings: false, logger,
    openMidi: () => ({ ok: false, error: { code: 'midi-unavailable', message: 'not used' } }) });
  if (!started.ok) { out({ kind: 'error', message: started.message }); process.exit(1); }
  const b = started.bridge;
  b.activity.subscribe((a) => {
    if (a.kind !== 'fired') return;
    const e = a.event;
    out({ kind: 'fired', firedAt: monotonicMs(), event: { type: e.type, at: e.at, deck: e.deck, beat: e.beat, late: e.late,
      phrase: e.phrase === undefined ? undefined : { startBeat: e.phrase.startBeat }, trackId: e.trackId, previousDeck: e.previousDeck, device: e.device, name: e.name } });
  });
  const rss = setInterval(() => out({ kind: 'rss', at: monotonicMs(), rss: process.memoryUsage().rss }), 250);
  out({ kind: 'ready', at: monotonicMs() });
  setTimeout(async () => {
    clearInterval(rss);
    out({ kind: 'stats', ...b.stats, oscReceived: received });
    await b.stop();
    receiver.close();
    logger.flush?.();
    setTimeout(() => process.exit(0), 200);
  }, ${runMs});
})();`;

const flooderProgram = (file: string, to: string, count: number, afterMs: number): string => `
const fs = require('fs');
const dgram = require('dgram');
const out = (o) => process.stdout.write(JSON.stringify(o) + '\\n');
const data = fs.readFileSync(${JSON.stringify(file)});
const list = [];
for (let i = 0; i + 4 <= data.length; ) { const port = data.readUInt16BE(i); const len = data.readUInt16BE(i + 2); list.push([port, data.subarray(i + 4, i + 4 + len)]); i += 4 + len; }
const socket = dgram.createSocket('udp4');
socket.on('error', () => undefined);
setTimeout(() => {
  const start = Number(process.hrtime.bigint()) / 1e6;
  let sent = 0, inFlight = 0, i = 0;
  const pump = () => {
    while (sent < ${count} && inFlight < 512) {
      const [port, bytes] = list[i++ % list.length];
      inFlight++; sent++;
      socket.send(bytes, port, ${JSON.stringify(to)}, () => { inFlight--; if (inFlight === 0) setImmediate(pump); });
    }
    if (sent >= ${count} && inFlight === 0) {
      out({ kind: 'flood', sent, from: start, to: Number(process.hrtime.bigint()) / 1e6 });
      socket.close();
    }
  };
  pump();
}, ${afterMs});`;


export async function runFlood(spec: FloodSpec): Promise<FloodRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flood-'));
  const file = path.join(dir, 'flood.bin');
  writeFloodFile(file, floodDatagrams(spec.distinct, spec.seed));
  const lan = createLan(3);
  try {
    const [simHost, bridgeHost, floodHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined || floodHost === undefined) throw new Error('no hosts');
    const { simChild, bridgeChild } = await simulatorThenBridge(lan, simHost, simulatorProgram(spec.runMs + 300), bridgeHost, bridgeProgram(spec.runMs, dir));
    const floodChild = lan.spawn(floodHost, process.execPath, ['-e', flooderProgram(file, bridgeHost.address, spec.datagrams, spec.floodAfterMs)]);
    const [sim, bridge, flooder] = await Promise.all([collect(simChild), collect(bridgeChild), collect(floodChild)]);
    const errors = [...sim, ...bridge].filter((l) => l.kind === 'error');
    if (errors.length > 0) throw new Error(JSON.stringify(errors));
    const flood = flooder.find((l) => l.kind === 'flood');
    if (flood === undefined) throw new Error('the flooder did not finish');
    const log = fs
      .readFileSync(path.join(dir, 'bridge.log'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { time: number; level: number; msg: string })
      .map((l) => ({ at: l.time, level: l.level, msg: l.msg }));
    const observed = bridge.filter((l) => l.kind === 'fired').map((l) => ({ event: l['event'] as BridgeEvent, firedAt: l['firedAt'] as number }));
    return {
      truth: sim.filter((l) => l.kind === 'truth').map((l) => l['event'] as TruthEvent),
      observed,
      flood: { from: flood['from'] as number, to: flood['to'] as number, sent: flood['sent'] as number },
      rss: bridge.filter((l) => l.kind === 'rss').map((l) => ({ at: l['at'] as number, rss: l['rss'] as number })),
      log,
      decksSeen: new Set(observed.map((o) => o.event.deck).filter((d): d is number => d !== null)),
      stats: bridge.find((l) => l.kind === 'stats') ?? {},
    };
  } finally {
    lan.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
