/**
 * Log lines held back by the bridge's rate limit are printed with their
 * counts at the ticks of its 1 s flush grid once their interval is over;
 * the flush timer runs only while something is held back.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import type { TimedDatagram } from '../../src/streams/received';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { encodeCdjKeepAlive } from '../../src/prolink/packets/keep-alive';
import { recordingLogger, standsFor } from './recording-logger';

const MAPPING = 'targets:\n  show: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: show, address: /beat } }]\n';

function advanceTo(scheduler: VirtualTimeScheduler, to: number): void {
  scheduler.maxFrames = to;
  scheduler.flush();
}

describe('the bridge flushing held-back log lines', () => {
  let dir = '';
  let bridge: RunningBridge | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'log-flush-'));
    fs.writeFileSync(path.join(dir, 'show.yaml'), MAPPING);
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('prints what it held back at the first tick of the 1 s grid after its interval, and sets no timer while nothing is held', async () => {
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
    const deviceLines = (): string[] => lines.slice(startLines).map((l) => l.msg).filter((m) => m.startsWith('device appeared'));

    // Idle: the timers that run are the health summary's (every 10 s), none a second.
    let actions = 0;
    const execute = VirtualAction.prototype.execute;
    const spy = jest.spyOn(VirtualAction.prototype, 'execute').mockImplementation(function (this: VirtualAction<unknown>, state: unknown, delay: number) {
      actions++;
      return execute.call(this, state, delay);
    });
    try {
      advanceTo(scheduler, 20_000);
    } finally {
      spy.mockRestore();
    }
    expect(actions).toBeLessThanOrEqual(2);

    // 12 devices appear at 20.1 s, each from its own address: 8 lines pass (a booth at once), 4 are held back.
    for (let d = 1; d <= 12; d++) {
      const data = encodeCdjKeepAlive({ name: 'CDJ-3000', device: d, mac: `02:00:00:00:00:${d.toString(16).padStart(2, '0')}`, ip: `169.254.3.${d}` });
      scheduler.schedule(() => datagrams.next({ port: 50000, address: `169.254.3.${d}`, data, at: scheduler.now() }), 100);
    }
    advanceTo(scheduler, 20_200);
    expect(deviceLines()).toHaveLength(8);
    // The interval began at 20.1 s: it is over at 25.1 s, and the flush grid (1 s from the start) prints at 26 s.
    advanceTo(scheduler, 25_999);
    expect(deviceLines()).toHaveLength(8);
    advanceTo(scheduler, 26_000);
    const all = deviceLines();
    expect(all).toHaveLength(9);
    expect(all.reduce((n, m) => n + standsFor(m), 0)).toBe(12);
  });
});
