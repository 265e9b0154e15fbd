/**
 * `run --simulate` without `--library`: the bridge is given the simulated
 * DJ's USB (what run-command does), in-process against the in-process
 * simulator. The decks' tracks reach the bridge through the normal matcher:
 * the OPUS-QUAD's by the phrase data it sends, the CDJs' by their IDs; and
 * the example scenario's by the fixture export's phrase data.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import { openSimLink, simulatedLibrary, type SimLink } from '../../src/app/sim-link';
import type { TrackEvent } from '../../src/events/bridge-event';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { SIMULATOR_ARTIST, simulatedUsbRoot } from '../../src/prolink/sim/tracks/simulated-usb';
import { REPO } from '../support/cli';

const MAPPING = `targets:
  show: { osc: { host: 127.0.0.1, port: 9 } }
rules:
  - { name: loads, on: track.load, send: [{ osc: { to: show, address: /load, args: ["{{ event.track.title }}"] } }] }
`;

describe('the simulated DJ’s USB as the bridge’s library', () => {
  let dir = '';
  let bridge: RunningBridge | null = null;
  let sim: SimLink | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sim-library-'));
    fs.writeFileSync(path.join(dir, 'show.yaml'), MAPPING);
  });
  afterEach(async () => {
    await bridge?.stop();
    await sim?.link.close();
    bridge = null;
    sim = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Runs the scenario until `count` track.load events came (or the time is up); returns them. */
  async function loads(scenario: string, count: number, withinMs: number): Promise<TrackEvent[]> {
    const opened = await openSimLink(scenario);
    if (typeof opened === 'string') throw new Error(opened);
    sim = opened;
    const library = simulatedLibrary(opened.scenario);
    if (typeof library === 'string') throw new Error(library);
    const started = await startBridge({
      link: opened.link,
      mode: 'auto',
      mappingPaths: [path.join(dir, 'show.yaml')],
      watchMappings: false,
      logger: createLogger({ level: 'warn', destination: fs.createWriteStream('/dev/null') }),
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
      library,
    });
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    const seen: TrackEvent[] = [];
    bridge.activity.subscribe((a) => {
      if (a.kind === 'fired' && a.event.type === 'track.load') seen.push(a.event);
    });
    const deadline = Date.now() + withinMs;
    while (seen.length < count && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    return seen;
  }

  it('names the OPUS-QUAD’s synthetic tracks by their phrase data (club)', async () => {
    const seen = await loads('club', 3, 8000);
    expect(seen.map((e) => [e.deck, e.trackId, e.track?.title]).sort()).toEqual([
      [1, 501, 'Warehouse Opener'],
      [2, 502, 'Night Drive'],
      [4, 504, 'Closing Loop'],
    ]);
    for (const e of seen) expect(e.track).toMatchObject({ artist: SIMULATOR_ARTIST, match: 'phrase-fingerprint', source: simulatedUsbRoot('club') });
    expect(bridge?.streams.tracks?.trackOn(1)).toMatchObject({ trackId: 501, method: 'phrase-fingerprint', track: { title: 'Warehouse Opener', bpm: 124 } });
  }, 15_000);

  it('names the CDJs’ synthetic tracks by their IDs (cdj-pair)', async () => {
    const seen = await loads('cdj-pair', 2, 12_000);
    expect(seen.map((e) => [e.deck, e.trackId, e.track?.title]).sort()).toEqual([
      [2, 601, 'Deep Cut'],
      [3, 602, 'Roller'],
    ]);
    for (const e of seen) expect(e.track).toMatchObject({ artist: SIMULATOR_ARTIST, match: 'rekordbox-id', source: simulatedUsbRoot('cdj-pair') });
  }, 20_000);

  it('names the fixture export’s tracks in the example scenario by their phrase data', async () => {
    const seen = await loads(path.join(REPO, 'examples', 'scenarios', 'usb-demo.yaml'), 2, 8000);
    expect(seen.map((e) => [e.deck, e.trackId, e.track?.title, e.track?.artist, e.track?.match]).sort()).toEqual([
      [1, 50_001, 'Demo Track 1', 'Loopmasters', 'phrase-fingerprint'],
      [2, 50_002, 'Demo Track 2', 'Loopmasters', 'phrase-fingerprint'],
    ]);
  }, 15_000);
});
