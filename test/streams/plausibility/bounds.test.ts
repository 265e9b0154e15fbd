import { HeldSenders } from '../../../src/streams/plausibility/held';
import { Identities } from '../../../src/streams/plausibility/identities';
import type { KeepAlive } from '../../../src/prolink/packets/keep-alive';
import type { Received } from '../../../src/streams/received';
import { keepAlive, status } from './packets';

describe('the plausibility stage keeps bounded state under floods', () => {
  it('holds at most maxSenders senders and maxPerSender packets each, and drops (for counting) what it pushes out', () => {
    const held = new HeldSenders({ holdMs: 3000, minSpacingMs: 20, maxPerSender: 4, maxSenders: 8 });
    let dropped = 0;
    for (let i = 0; i < 10_000; i++) {
      const r = status(`169.254.${(i >> 8) & 255}.${i & 255}`, i / 10, { name: 'OPUS-QUAD', device: 9 + (i % 4) });
      const result = held.hold(`${r.address}|OPUS-QUAD|opus`, r, r.at);
      expect(result.released).toBeNull();
      dropped += result.dropped.length;
    }
    expect(held.size).toBe(8);
    expect(dropped).toBe(10_000 - 8);
    // One address flooding one sender: at most maxPerSender kept, never confirmed (too fast).
    const flood = new HeldSenders({ holdMs: 3000, minSpacingMs: 20, maxPerSender: 4, maxSenders: 8 });
    let pushedOut = 0;
    for (let i = 0; i < 1000; i++) {
      const r = status('169.254.66.6', i / 100, { name: 'OPUS-QUAD', device: 9, packetCounter: i + 1 });
      const result = flood.hold('169.254.66.6|OPUS-QUAD|opus', r, r.at);
      expect(result.released).toBeNull();
      pushedOut += result.dropped.length;
    }
    expect(pushedOut).toBe(996);
    expect(flood.expire(10_000)).toHaveLength(4);
    expect(flood.size).toBe(0);
  });

  it('keeps at most maxIdentities identities and maxPending unconfirmed ones', () => {
    const identities = new Identities<Received>({ liveMs: 4000, renumberMs: 1500, forgetMs: 10_000, maxIdentities: 16, confirmAfterMs: 500, confirmWithinMs: 5000, maxPending: 4 });
    // Devices one after another, 5 s apart (so no number is still held by a live device): 1000 of them.
    for (let i = 0; i < 1000; i++) {
      const address = `169.254.${(i >> 8) & 255}.${i & 255}`;
      const k = keepAlive('CDJ-2000NXS2', 1 + (i % 6), address, i * 5000);
      expect(identities.keepAlive(k.packet as KeepAlive, address, i * 5000, k)).toEqual({ believed: [k] });
    }
    expect(identities.size).toBe(16);
    // New names at the last, known address wait for confirmation; at most maxPending of them are kept.
    let dropped = 0;
    const home = '169.254.3.231';
    const start = 999 * 5000 + 1;
    for (let i = 0; i < 100; i++) {
      const k = keepAlive(`TOOL-${i}`, 20, home, start + i);
      const verdict = identities.keepAlive(k.packet as KeepAlive, home, start + i, k);
      expect(verdict).toHaveProperty('pending', true);
      if ('pending' in verdict) dropped += verdict.dropped.length;
    }
    expect(dropped).toBe(96);
  });

  it('forgets an identity silent for forgetMs when asked every second, not before, and looks again after a refresh', () => {
    const identities = new Identities<Received>({ liveMs: 4000, renumberMs: 1500, forgetMs: 10_000, maxIdentities: 16, confirmAfterMs: 500, confirmWithinMs: 5000, maxPending: 4 });
    const cdj = keepAlive('CDJ-2000NXS2', 1, '169.254.1.1', 0);
    const opus = keepAlive('OPUS-QUAD', 9, '169.254.1.2', 0);
    identities.keepAlive(cdj.packet as KeepAlive, '169.254.1.1', 0, cdj);
    identities.keepAlive(opus.packet as KeepAlive, '169.254.1.2', 0, opus);
    // The OPUS-QUAD keeps announcing itself until 6 s; the CDJ falls silent at once.
    for (let at = 1000; at <= 6000; at += 1000) identities.keepAlive(opus.packet as KeepAlive, '169.254.1.2', at, opus);
    const sizes: number[] = [];
    for (let at = 500; at <= 17_500; at += 1000) {
      expect(identities.forget(at)).toEqual([]);
      sizes.push(identities.size);
    }
    // Both known through 9.5 s; the CDJ gone from 10.5 s (silent 10 s), the OPUS-QUAD from 16.5 s.
    expect(sizes).toEqual([2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 0, 0]);
  });
});

