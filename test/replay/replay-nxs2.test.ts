import { VirtualTimeScheduler } from 'rxjs';
import { proDjLinkDatagrams, replayDatagrams } from '../../src/replay/replay-capture';
import { createBridgeStreams } from '../../src/streams/bridge-streams';
import type { BeatEvent, BridgeEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import { CAPTURES, readFixture } from '../support/fixtures';
import { lostBeatPackets } from '../support/lost-beat-packets';

/**
 * The 33-minute CDJ-2000NXS2 capture (PROVENANCE §2) replayed through the
 * whole stream layer in virtual time.
 */
describe('replaying the 33-minute NXS2 capture', () => {
  const { datagrams, problems } = proDjLinkDatagrams(readFixture(...CAPTURES.nxs2));
  const virtual = new VirtualTimeScheduler(undefined, 3_000_000);
  const streams = createBridgeStreams(replayDatagrams(datagrams, { scheduler: virtual, speed: 1 }), { scheduler: virtual });
  const beats: BeatEvent[] = [];
  const decks: DeckState[] = [];
  const events: BridgeEvent[] = [];
  let malformed = 0;
  streams.beats$.subscribe((b) => beats.push(b));
  streams.decks$.subscribe((d) => decks.push(d));
  streams.events$.subscribe((e) => events.push(e));
  streams.malformed$.subscribe(() => malformed++);
  const started = Date.now();
  virtual.flush();
  const tookMs = Date.now() - started;

  it('reads every Pro DJ Link datagram of the capture', () => {
    expect(problems).toEqual([]);
    expect(datagrams).toHaveLength(2202 + 5198 + 4272);
    expect(malformed).toBe(0);
    expect(virtual.now()).toBeGreaterThan(33 * 60_000);
    expect(tookMs).toBeLessThan(60_000);
  });

  it('turns every player beat packet into a beat event, numbered from the status counter: 5194 packets, of which 14 arrived twice over Wi-Fi', () => {
    // 5194 player beat packets (tshark, PROVENANCE §2); 14 of them are byte-identical copies of the one before,
    // within 100 ms (counted independently in test/streams/plausibility/real-captures.test.ts): one beat each.
    const fromPackets = beats.filter((b) => !b.estimated);
    expect(fromPackets).toHaveLength(5194 - 14);
    const byDeck = new Map<number, number>();
    for (const b of beats) byDeck.set(b.deck, (byDeck.get(b.deck) ?? 0) + 1);
    expect([...byDeck.keys()].sort()).toEqual([2, 3]);
  });

  it('fires each beat whose packet Wi-Fi lost, late, in its place, and counts every beat once while a player plays on', () => {
    // Lost packets counted from the raw bytes (test/support/lost-beat-packets.ts): 85 on player 2, 12 on player 3.
    const lost = lostBeatPackets(datagrams);
    expect(Object.fromEntries(lost)).toEqual({ 2: 85, 3: 12 });
    const filled = beats.filter((b) => b.estimated);
    expect(filled.every((b) => b.late && !b.coasting)).toBe(true);
    for (const deck of [2, 3]) expect({ deck, filled: filled.filter((b) => b.deck === deck).length }).toEqual({ deck, filled: lost.get(deck) });
    for (const deck of [2, 3]) {
      const numbered = beats.filter((b) => b.deck === deck && b.beat !== null);
      const steps = numbered.slice(1).map((b, i) => (b.beat ?? 0) - (numbered[i]?.beat ?? 0));
      // One at a time, but where the status shows the player moved: 7 on and 433 back on player 3, 20 back on player 2.
      expect({ deck, other: steps.filter((s) => s !== 1).sort((a, b) => a - b) }).toEqual({ deck, other: deck === 3 ? [-433, 7] : [-20] });
      // A filled beat sits between its neighbours, a beat period from each.
      for (let i = 1; i + 1 < numbered.length; i++) {
        const b = numbered[i] as BeatEvent;
        if (!b.estimated) continue;
        const period = 60_000 / (b.effectiveBpm ?? 120);
        expect(b.at - (numbered[i - 1] as BeatEvent).at).toBeGreaterThan(0.3 * period);
        expect((numbered[i + 1] as BeatEvent).at - b.at).toBeGreaterThan(0.3 * period);
      }
    }
  });

  it('reproduces the per-track tempos of PROVENANCE', () => {
    const playing = (device: number, trackId: number): Set<string> =>
      new Set(decks.filter((d) => d.deck === device && d.trackId === trackId && d.playState === 'playing').map((d) => d.bpm?.toFixed(2) ?? 'null'));
    expect(playing(3, 112)).toEqual(new Set(['124.00']));
    expect(playing(2, 32)).toEqual(new Set(['127.00']));
    const count = (device: number, trackId: number, state: string, bpm: number): number =>
      decks.filter((d) => d.deck === device && d.trackId === trackId && d.playState === state && d.bpm === bpm).length;
    expect(count(3, 112, 'playing', 124)).toBe(672);
    expect(count(3, 112, 'cued', 124)).toBe(115);
    expect(count(2, 32, 'playing', 127)).toBe(523);
    expect(count(2, 32, 'cued', 127)).toBe(181);
    expect(count(3, 35, 'cued', 127)).toBe(90);
  });

  it('derives track loads, play/stop and tempo events from the real status', () => {
    const loads = events.filter((e) => e.type === 'track.load').map((e) => e.type === 'track.load' && `${e.deck}:${e.trackId}`);
    expect(loads).toEqual(expect.arrayContaining(['3:112', '2:32', '3:35']));
    expect(events.some((e) => e.type === 'play' && e.deck === 3)).toBe(true);
    expect(events.some((e) => e.type === 'device.appeared')).toBe(true);
  });
});
