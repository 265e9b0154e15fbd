/**
 * The running bridge under a flood of malformed packets, in virtual time:
 * the log gets one health line per 10 s window that had any, with the right
 * totals, and nothing in a quiet window.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualTimeScheduler } from 'rxjs';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import type { TimedDatagram } from '../../src/streams/received';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { recordingLogger } from './recording-logger';

const MAPPING = 'targets:\n  show: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: show, address: /beat } }]\n';
/** The protocol's magic header, for packets that pass the first check and fail a later one. */
const MAGIC = Buffer.from('5173707431576d4a4f4c', 'hex');

function advanceTo(scheduler: VirtualTimeScheduler, to: number): void {
  scheduler.maxFrames = to;
  scheduler.flush();
}

describe('the bridge log under a flood of malformed packets', () => {
  let dir = '';
  let bridge: RunningBridge | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-budget-'));
    fs.writeFileSync(path.join(dir, 'show.yaml'), MAPPING);
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('summarises each 10 s window that had any in one info line, and is silent in a quiet one', async () => {
    const scheduler = new VirtualTimeScheduler();
    const datagrams = new Subject<TimedDatagram>();
    const link: Link = { description: 'virtual', datagrams, identity: null, send: () => undefined, close: async () => datagrams.complete() };
    const { logger, lines } = recordingLogger('info');
    const started = await startBridge({
      link,
      mode: 'passive',
      mappingPaths: [path.join(dir, 'show.yaml')],
      watchMappings: false,
      logger,
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
      scheduler,
    });
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    const startLines = lines.length;

    // 0–10 s: 12,000 malformed datagrams (3 in 4 too short, the rest with a bad header); 10–20 s: nothing; 20–30 s: 50 more.
    const garbage = Buffer.alloc(0x60, 0xa5);
    const badMagic = Buffer.concat([Buffer.from('XXXXXXXXXX'), Buffer.alloc(0x50, 1)]);
    const send = (at: number, data: Buffer): void => {
      scheduler.schedule(() => datagrams.next({ port: 50001, address: '169.254.9.9', data, at: scheduler.now() }), at);
    };
    for (let i = 0; i < 12_000; i++) send(Math.floor(i / 1.2), i % 4 === 3 ? badMagic : garbage.subarray(0, 5));
    for (let i = 0; i < 50; i++) send(25_000 + i, Buffer.concat([MAGIC, Buffer.from([0x28])]));
    advanceTo(scheduler, 35_000);

    const after = lines.slice(startLines);
    expect(bridge.stats.malformed).toBe(12_050);
    expect(after.map((l) => [l.level, l.msg])).toEqual([
      [30, 'skipped 12,000 malformed packets in the last 10 s (top reasons: too-short 9,000, bad-magic 3,000)'],
      [30, 'skipped 50 malformed packets in the last 10 s (top reasons: too-short 50)'],
    ]);
    expect(bridge.health.total('malformed')).toBe(12_050);
  });
});
