/**
 * Log lines held back by the bridge's rate limit are printed with their
 * counts at the ticks of its 1 s flush grid once their interval is over;
 * the flush timer runs only while something is held back.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { encodeCdjKeepAlive } from '../../src/prolink/packets/keep-alive';
import { advanceTo, startVirtualBridge, type VirtualBridge } from '../support/virtual-bridge';
import { countVirtualActions } from '../support/virtual-actions';
import { standsFor } from './recording-logger';

describe('the bridge flushing held-back log lines', () => {
  let running: VirtualBridge | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });

  it('prints what it held back at the first tick of the 1 s grid after its interval, and sets no timer while nothing is held', async () => {
    const scheduler = new VirtualTimeScheduler();
    running = await startVirtualBridge(scheduler);
    const { datagrams, lines } = running;
    const startLines = lines.length;
    const deviceLines = (): string[] => lines.slice(startLines).map((l) => l.msg).filter((m) => m.startsWith('device appeared'));

    // Idle: no timer runs, not even the health summary's (set only for a window with something to say).
    // Virtual time moves only with the actions it runs: one that does nothing takes it to 20 s.
    scheduler.schedule(() => undefined, 20_000);
    const actions = countVirtualActions(() => advanceTo(scheduler, 20_000));
    expect(actions).toBe(1);

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
