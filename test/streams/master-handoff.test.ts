import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import { collectUdpDatagrams } from '../../src/capture';
import { decodeCdjStatus, type CdjStatus } from '../../src/prolink/packets/cdj-status';
import { isPacketError } from '../../src/prolink/packets/errors';
import { deckStateOf, toDeckStates } from '../../src/streams/deck-states';
import { HANDOFF_WAIT_MS, masterChanges, masterTempo } from '../../src/streams/master';
import { repairOpusFlags } from '../../src/streams/opus-flags';
import type { Received } from '../../src/streams/received';
import { CAPTURES, readFixture } from '../support/fixtures';
import { received, type StatusFields } from './status-bytes';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** master.change as "previous->new", one marble frame per status. */
function changesOf(statuses: readonly Received<CdjStatus>[]): string[] {
  const letters = statuses.map((_, i) => String.fromCharCode(0x100 + i));
  const seen: string[] = [];
  new TestScheduler(() => undefined).run(({ cold }) => {
    cold(letters.join(''), Object.fromEntries(statuses.map((s, i) => [letters[i] as string, s])))
      .pipe(toDeckStates(), masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))
      .subscribe((c) => seen.push(c));
  });
  return seen;
}

/** Every way to interleave two sequences, each kept in its own order. */
function interleavings<T>(a: readonly T[], b: readonly T[]): T[][] {
  if (a.length === 0) return [[...b]];
  if (b.length === 0) return [[...a]];
  const [a0, ...aRest] = a as [T, ...T[]];
  const [b0, ...bRest] = b as [T, ...T[]];
  return [...interleavings(aRest, b).map((r) => [a0, ...r]), ...interleavings(a, bRest).map((r) => [b0, ...r])];
}

describe('master hand-off (§6.3) with both flags raised for a moment', () => {
  it('reports one master.change when the old master, handing over (M_h = new), repeats its flag after the new claim', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 49ms b 49ms c 49ms d 49ms e', {
        a: received({ device: 2, trackId: 1, bpm: 126, playing: true, master: true }, 0),
        b: received({ device: 3, trackId: 2, bpm: 128, playing: true, master: true }, 50), // new master asserts
        c: received({ device: 2, trackId: 1, bpm: 126, playing: true, master: true, masterHandoff: 3 }, 100), // old one still flagged, handing to 3
        d: received({ device: 3, trackId: 2, bpm: 128, playing: true, master: true }, 150),
        e: received({ device: 2, trackId: 1, bpm: 126, playing: true, master: false }, 200), // old one clears
      });
      const states = input.pipe(toDeckStates());
      expectObservable(states.pipe(masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))).toBe('a 49ms b', {
        a: 'null->2',
        b: '2->3',
      });
      expectObservable(states.pipe(masterTempo(), map((t) => `${t.deck}:${t.effectiveBpm ?? '-'}`))).toBe('a 49ms b', { a: '2:126', b: '3:128' });
    });
  });

  it('keeps the newer claimant when the old master repeats its flag without naming anyone (M_h = ff)', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 49ms b 49ms c 49ms d', {
        a: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: true }, 0),
        b: received({ device: 10, name: 'OPUS-QUAD', trackId: 2, bpm: 120, playing: true, master: true }, 50),
        c: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: true }, 100), // a claim held, not a new one
        d: received({ device: 10, name: 'OPUS-QUAD', trackId: 2, bpm: 120, playing: true, master: true }, 150),
      });
      expectObservable(input.pipe(toDeckStates(), masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))).toBe('a 49ms b', { a: 'null->1', b: '1->2' });
    });
  });

  it('keeps a master that named its successor and dropped its flag until the successor claims', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const input = cold('a 199ms b 199ms c 199ms d 199ms e', {
        a: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: true, masterHandoff: 10 }, 0), // OPUS: M_h names device 10, deck 2
        b: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: false }, 200),
        c: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: false }, 400), // would confirm a plain drop
        d: received({ device: 10, name: 'OPUS-QUAD', trackId: 2, bpm: 120, playing: true, master: true }, 600),
        e: received({ device: 9, name: 'OPUS-QUAD', trackId: 1, bpm: 128, playing: true, master: false }, 800),
      });
      expectObservable(input.pipe(toDeckStates(), masterChanges(), map((e) => `${e.previousDeck}->${e.deck}`))).toBe('a 599ms b', { a: 'null->1', b: '1->2' });
    });
  });

  it('gives up on a named successor that never claims, after HANDOFF_WAIT_MS of cleared statuses', () => {
    const at = (ms: number, master: boolean): Received<CdjStatus> => received({ device: 2, trackId: 1, bpm: 126, playing: true, master, ...(master ? { masterHandoff: 3 } : {}) }, ms);
    const statuses = [at(0, true), ...Array.from({ length: 8 }, (_, i) => at(200 * (i + 1), false))];
    const seen: string[] = [];
    new TestScheduler(() => undefined).run(({ cold }) => {
      cold('a 199ms b 199ms c 199ms d 199ms e 199ms f 199ms g 199ms h 199ms i', Object.fromEntries(statuses.map((s, i) => ['abcdefghi'[i] as string, s])))
        .pipe(toDeckStates(), masterChanges())
        .subscribe((e) => seen.push(`${e.at}:${e.previousDeck}->${e.deck}`));
    });
    // Dropped at 200 ms; the first cleared status at least HANDOFF_WAIT_MS later confirms it.
    expect(seen).toEqual(['0:null->2', `${200 + HANDOFF_WAIT_MS}:2->null`]);
  });

  /** An OPUS-QUAD deck's status (device 9–12), playing. */
  const opus = (device: number, at: number, fields: StatusFields): Received<CdjStatus> => received({ device, name: 'OPUS-QUAD', trackId: device, bpm: 126, playing: true, playState: 3, ...fields }, at);

  /** master.change as "at:previous->new" through the bridge's flag repair, one marble frame per status. */
  function repairedChanges(statuses: readonly Received<CdjStatus>[]): string[] {
    const letters = statuses.map((_, i) => String.fromCharCode(0x100 + i));
    const seen: string[] = [];
    new TestScheduler(() => undefined).run(({ cold }) => {
      cold(letters.join(''), Object.fromEntries(statuses.map((s, i) => [letters[i] as string, s])))
        .pipe(repairOpusFlags(), toDeckStates(), masterChanges())
        .subscribe((e) => seen.push(`${e.at}:${e.previousDeck}->${e.deck}`));
    });
    return seen;
  }

  it("takes a zeroed flag byte (OPUS glitch) for no word on master: after an outage the new master's glitched statuses do not let the old master's drop leave no master", () => {
    // Deck 1 was master when the link went down; during it the master moved to deck 2. After it, deck 1 says it is
    // not master, twice, before deck 2 sends a status whose flag byte is not zeroed (its repaired flags are from
    // before the outage, when it was not master).
    const statuses = [
      opus(9, 0, { master: true }),
      opus(10, 5, { master: false }),
      opus(9, 12_000, { master: false }),
      opus(10, 12_004, { flags: 0x00 }),
      opus(10, 12_204, { flags: 0x00 }),
      opus(9, 12_210, { master: false }),
      opus(10, 12_404, { master: true }),
    ];
    expect(repairedChanges(statuses)).toEqual(['0:null->1', '12404:1->2']);
  });

  it('still leaves no master when a deck whose flag byte came zeroed stays silent past HANDOFF_WAIT_MS', () => {
    const statuses = [opus(9, 0, { master: true }), opus(10, 100, { flags: 0x00 }), ...Array.from({ length: 8 }, (_, i) => opus(9, 200 * (i + 1), { master: false }))];
    expect(repairedChanges(statuses)).toEqual(['0:null->1', `${200 + HANDOFF_WAIT_MS}:1->null`]);
  });

  const handoff = (from: number, to: number): { old: Received<CdjStatus>[]; incoming: Received<CdjStatus>[] } => {
    const old = (fields: StatusFields): Received<CdjStatus> => received({ device: from, trackId: 1, bpm: 126, playing: true, ...fields }, 0);
    const incoming = (master: boolean): Received<CdjStatus> => received({ device: to, trackId: 2, bpm: 128, playing: true, master }, 0);
    return {
      old: [old({ master: true }), old({ master: true, masterHandoff: to }), old({ master: true, masterHandoff: to }), old({ master: false }), old({ master: false }), old({ master: false })],
      incoming: [incoming(false), incoming(true), incoming(true), incoming(true)],
    };
  };

  it.each([
    [2, 3],
    [3, 2],
  ])('reports exactly one hand-off %i -> %i in every interleaving of the two decks\' packets', (from, to) => {
    const { old, incoming } = handoff(from, to);
    const orders = interleavings(old, incoming);
    expect(orders).toHaveLength(210);
    const results = new Set<string>();
    for (const order of orders) {
      // The bridge knew the old master before the hand-off began; packets are 50 ms apart.
      const timed = [received({ device: from, trackId: 1, bpm: 126, playing: true, master: true }, 0), ...order].map((r, i) => ({ ...r, at: i * 50 }));
      results.add(changesOf(timed).join(' '));
    }
    expect([...results]).toEqual([`null->${from} ${from}->${to}`]);
  });
});

describe('a real hand-off captured from two CDJ-2000NXS2s (wifi pioneer.pcapng)', () => {
  /** Player 3, master and stopped, hands over to the playing player 2 (frames 6940–6990). */
  function capturedStatuses(): Received<CdjStatus>[] {
    const { datagrams } = collectUdpDatagrams(readFixture(...CAPTURES.nxs2));
    const out: Received<CdjStatus>[] = [];
    for (const d of datagrams) {
      if (d.frame < 6940 || d.frame > 6990 || d.dstPort !== 50002) continue;
      const packet = decodeCdjStatus(d.payload);
      if (isPacketError(packet) || (packet.device !== 2 && packet.device !== 3)) continue;
      out.push({ packet, address: d.srcIp, at: Number(d.timestampNs ?? 0n) / 1e6 });
    }
    return out;
  }

  it('carries M_h into the deck state of the old master while it hands over', () => {
    const naming = capturedStatuses().map(deckStateOf).filter((s) => s.handingTo !== null);
    expect(naming.map((s) => [s.deck, s.master, s.handingTo])).toEqual([[3, true, 2]]);
  });

  it('reports the one hand-off 3 -> 2, in capture order and with the two players\' packets swapped around it', () => {
    const statuses = capturedStatuses();
    expect(changesOf(statuses)).toEqual(['null->3', '3->2']);
    // The incoming master's claim arrives before the old master's last flagged (M_h = 2) status.
    const naming = statuses.findIndex((s) => s.packet.masterHandoff === 2);
    const swapped = [...statuses];
    const [a, b] = [swapped[naming], swapped[naming + 1]] as [Received<CdjStatus>, Received<CdjStatus>];
    expect([a.packet.device, b.packet.device, b.packet.master]).toEqual([3, 2, true]);
    swapped[naming] = b;
    swapped[naming + 1] = a;
    expect(changesOf(swapped)).toEqual(['null->3', '3->2']);
  });
});
