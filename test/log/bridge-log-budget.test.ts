/**
 * The running bridge under a flood of malformed packets, in virtual time:
 * the log gets one health line per 10 s window that had any, with the right
 * totals, and nothing in a quiet window.
 */
import { VirtualTimeScheduler } from 'rxjs';
import { advanceTo, startVirtualBridge, type VirtualBridge } from '../support/virtual-bridge';

/** The protocol's magic header, for packets that pass the first check and fail a later one. */
const MAGIC = Buffer.from('5173707431576d4a4f4c', 'hex');

describe('the bridge log under a flood of malformed packets', () => {
  let running: VirtualBridge | null = null;
  afterEach(async () => {
    await running?.stop();
    running = null;
  });

  it('summarises each 10 s window that had any in one info line, and is silent in a quiet one', async () => {
    const scheduler = new VirtualTimeScheduler();
    running = await startVirtualBridge(scheduler);
    const { bridge, datagrams, lines } = running;
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
