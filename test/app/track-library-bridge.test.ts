/**
 * The running bridge with a library, on the in-process simulator in virtual
 * time: an OPUS-QUAD whose tracks send the real PSSI tags of Demo Tracks 1
 * and 2 (the USB's masked copy and rekordbox 6's unmasked local copy). The
 * OPUS reports its own track IDs (not export.pdb's); the bridge finds the
 * tracks by their phrase data. A rule with `title:` fires exactly once per
 * load of Demo Track 1, and {{ deck.track.* }} reaches a real UDP socket on
 * 127.0.0.1 as OSC, decoded with the osc library. On a CDJ pair the
 * tracks are found by their rekordbox IDs, checked against the tempo.
 */
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler, type Subscription } from 'rxjs';
import * as osc from 'osc';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import type { BridgeEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import { readTrackAnalysis } from '../../src/library/anlz';
import { Catalogue, scanExports } from '../../src/library/catalogue';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import type { SimClock } from '../../src/prolink/sim/clock';
import type { Scenario } from '../../src/prolink/sim/scenario';
import type { SessionMode } from '../../src/prolink/network/session-types';
import { startSimulator } from '../../src/prolink/sim/simulator';
import { LAN_BROADCAST, VirtualLan } from '../../src/prolink/sim/transport/virtual-lan';
import type { TimedDatagram } from '../../src/streams/received';
import { fixturePath } from '../support/fixtures';
import { ANLZ } from '../prolink/phrases/anlz-fixtures';

const START_MS = 1000;
const EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');

/** Device Library Plus IDs: nothing like the export's IDs 1 and 2. */
const DEMO1 = 5001;
const DEMO2 = 5002;
const SCENARIO: Scenario = {
  name: 'library',
  rig: 'opus',
  tracks: [
    { id: DEMO1, title: 'Demo Track 1', bpm: 128, beats: 368, firstBeatMs: 25, anlz: fixturePath(...ANLZ.demo1Export) },
    { id: DEMO2, title: 'Demo Track 2', bpm: 120, beats: 257, firstBeatMs: 25, anlz: fixturePath(...ANLZ.demo2Local) },
  ],
  steps: [
    { at: 0, do: 'load', deck: 1, track: DEMO1 },
    { at: 1000, do: 'play', deck: 1 },
    { at: 1000, do: 'master', deck: 1 },
    { at: 3000, do: 'load', deck: 2, track: DEMO2 },
    { at: 8000, do: 'load', deck: 1, track: DEMO2 },
    { at: 14000, do: 'load', deck: 1, track: DEMO1 },
  ],
};

const MAPPING = (port: number): string => `targets:
  show: { osc: { host: 127.0.0.1, port: ${port} } }
rules:
  - name: demo1
    on: track.load
    when: { title: "Demo Track 1" }
    send: [{ osc: { to: show, address: "/deck/{{ deck.number }}/title", args: ["{{ deck.track.title }}", "{{ event.track.artist }}", "{{ deck.track.match }}"] } }]
  - name: loads
    on: track.load
    send: [{ osc: { to: show, address: /load, args: [{ int: "{{ deck.number }}" }] } }]
`;

function clockOn(scheduler: VirtualTimeScheduler): SimClock {
  return {
    now: () => scheduler.now(),
    setTimeout: (callback, ms) => scheduler.schedule(() => callback(), Math.max(0, ms)),
    clearTimeout: (handle) => (handle as Subscription).unsubscribe(),
  };
}

interface OscIn {
  readonly address: string;
  readonly args: readonly unknown[];
}

interface Played {
  readonly bridge: RunningBridge;
  readonly sim: { stop(): Promise<void> };
  readonly fired: readonly { readonly rule: string; readonly event: BridgeEvent; readonly firedAt: number }[];
  readonly states: readonly DeckState[];
}

/** Plays the scenario on the simulator and the bridge (with the pyrekordbox export as its library) in virtual time. */
async function play(scenario: Scenario, mode: SessionMode, socket: dgram.Socket, dir: string): Promise<Played> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, START_MS);
  scheduler.schedule(() => undefined, START_MS);
  scheduler.flush();
  const clock = clockOn(scheduler);
  const lan = new VirtualLan({ clock });
  const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock, seed: 7 });
  if (!('truth' in sim)) throw new Error(sim.message);
  const datagrams = new Subject<TimedDatagram>();
  const member = lan.join({ address: '169.254.1.2', onDatagram: (d) => datagrams.next({ port: d.port, address: d.address, data: d.data, at: clock.now() }) });
  const link: Link = {
    description: 'the simulator in virtual time',
    datagrams,
    identity: { address: member.address, mac: member.mac, broadcast: member.broadcast ?? LAN_BROADCAST, hostName: 'prolink-bridge' },
    send: (out) => member.send(out.port, out.address, out.port, out.data),
    close: async () => {
      await member.close();
      datagrams.complete();
    },
  };
  const mappingFile = path.join(dir, 'show.yaml');
  const port = (socket.address() as { port: number }).port;
  fs.writeFileSync(mappingFile, MAPPING(port));
  const library = new Catalogue(scanExports([EXPORT], { readAnalysis: readTrackAnalysis, now: () => new Date('2026-12-03T12:00:00Z') }));
  const started = await startBridge({
    link,
    mode,
    mappingPaths: [mappingFile],
    watchMappings: false,
    logger: createLogger({ level: 'silent', destination: fs.createWriteStream('/dev/null') }),
    openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    scheduler,
    library,
  });
  if (!started.ok) throw new Error(started.message);
  const bridge = started.bridge;
  const fired: { rule: string; event: BridgeEvent; firedAt: number }[] = [];
  bridge.activity.subscribe((a) => {
    if (a.kind === 'fired') fired.push({ rule: a.rule, event: a.event, firedAt: scheduler.now() });
  });
  const states: DeckState[] = [];
  bridge.streams.decks$.subscribe((d) => states.push(d));

  scheduler.maxFrames = START_MS + 20_000;
  scheduler.flush();
  return { bridge, sim, fired, states };
}

describe('a bridge with a library, on the simulator', () => {
  let dir = '';
  let socket: dgram.Socket;
  const received: OscIn[] = [];
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'library-bridge-'));
    socket = dgram.createSocket('udp4');
    socket.on('message', (data) => {
      const packet = osc.readPacket(new Uint8Array(data), { metadata: false }) as { address: string; args: unknown[] };
      received.push({ address: packet.address, args: packet.args });
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
  });
  afterAll(() => {
    socket.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    received.length = 0;
  });

  it('names the loaded tracks from their phrase data, fires a title rule once per load, and sends the title as OSC', async () => {
    const { bridge, sim, fired, states } = await play(SCENARIO, 'lighting', socket, dir);

    const loads = fired.filter((f) => f.rule === 'loads').map((f) => [f.event.deck, (f.event as { trackId: number }).trackId]);
    expect(loads).toEqual([
      [1, DEMO1],
      [2, DEMO2],
      [1, DEMO2],
      [1, DEMO1],
    ]);
    const demo1 = fired.filter((f) => f.rule === 'demo1');
    expect(demo1.map((f) => [f.event.deck, f.event.type === 'track.load' ? f.event.track?.title : null])).toEqual([
      [1, 'Demo Track 1'],
      [1, 'Demo Track 1'],
    ]);
    for (const f of demo1) {
      // The load waited for the phrase data, and kept the load's instant.
      expect(f.firedAt).toBeGreaterThanOrEqual(f.event.at);
      expect(f.firedAt - f.event.at).toBeLessThan(1500);
    }
    // Deck states carry the track, one object per match (not one per packet).
    const deck2 = states.filter((s) => s.deck === 2 && s.track !== null);
    expect(deck2.length).toBeGreaterThan(10);
    expect(new Set(deck2.map((s) => s.track)).size).toBe(1);
    expect(deck2[0]?.track).toMatchObject({ id: 2, title: 'Demo Track 2', artist: 'Loopmasters', match: 'phrase-fingerprint', source: EXPORT });
    expect(bridge.streams.tracks?.trackOn(1)).toMatchObject({ trackId: DEMO1, method: 'phrase-fingerprint', track: { id: 1 } });

    const deadline = Date.now() + 5000;
    while (received.length < 6 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await bridge.stop();
    await sim.stop();
    expect(received.filter((m) => m.address !== '/load')).toEqual([
      { address: '/deck/1/title', args: ['Demo Track 1', 'Loopmasters', 'phrase-fingerprint'] },
      { address: '/deck/1/title', args: ['Demo Track 1', 'Loopmasters', 'phrase-fingerprint'] },
    ]);
    expect(received.filter((m) => m.address === '/load').map((m) => m.args)).toEqual([[1], [2], [1], [1]]);
  });
  it('on CDJs, finds tracks by their rekordbox ID when the tempo fits, and not at another tempo', async () => {
    const scenario: Scenario = {
      name: 'library-cdj',
      rig: 'cdj-pair',
      // No analysis file: CDJs send no phrase data to the bridge; the export's IDs 1 and 2 are what they report.
      tracks: [
        { id: 1, title: 'Demo Track 1', bpm: 128, beats: 368, firstBeatMs: 25 },
        { id: 2, title: 'Demo Track 2, wrong tempo', bpm: 140, beats: 257, firstBeatMs: 25 },
      ],
      steps: [
        { at: 6000, do: 'load', deck: 2, track: 1 },
        { at: 6000, do: 'load', deck: 3, track: 2 },
        { at: 7000, do: 'play', deck: 2 },
      ],
    };
    const { bridge, sim, fired, states } = await play(scenario, 'cdj', socket, dir);
    expect(fired.filter((f) => f.rule === 'loads').map((f) => f.event.deck).sort()).toEqual([2, 3]);
    const demo1 = fired.filter((f) => f.rule === 'demo1');
    expect(demo1.map((f) => [f.event.deck, f.firedAt - f.event.at])).toEqual([[2, 0]]);
    expect(states.filter((s) => s.deck === 3).every((s) => s.track === null)).toBe(true);
    expect(bridge.streams.tracks?.trackOn(3)).toBeNull();
    expect(bridge.streams.tracks?.trackOn(2)).toMatchObject({ trackId: 1, method: 'rekordbox-id', track: { title: 'Demo Track 1' } });

    const deadline = Date.now() + 5000;
    while (received.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await bridge.stop();
    await sim.stop();
    expect(received.filter((m) => m.address !== '/load')).toEqual([{ address: '/deck/2/title', args: ['Demo Track 1', 'Loopmasters', 'rekordbox-id'] }]);
  });
});
