import { BUILTIN_SCENARIOS } from '../../../src/prolink/sim/scenario-builtins';
import { LAN_ADDRESSES } from '../../../src/prolink/sim/simulator';
import { songStructureFromTransfer } from '../../../src/prolink/transfer/pssi-transfer';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { SessionPeer } from './session-peer';
import { rig, typeOf } from './sim-rig';

describe('the built-in "club" scenario (npm start)', () => {
  it('plays a whole pass on the OPUS-QUAD that a lighting-mode bridge follows, then starts over', async () => {
    const club = BUILTIN_SCENARIOS.get('club');
    if (club === undefined) throw new Error('no club scenario');
    const { clock, lan, sim, traffic } = await rig(club, { zeroFlagProbability: 0.02 });
    const bridge = new SessionPeer(lan, clock).start();
    // The bridge asks for phrases whenever a deck's track ID changes (§2.7 step 5).
    const lastTrack = new Map<number, number>();
    const watch = (): void => {
      for (const s of bridge.kinds('cdjStatus')) {
        if (s.packet.trackId !== 0 && lastTrack.get(s.packet.device) !== s.packet.trackId) {
          lastTrack.set(s.packet.device, s.packet.trackId);
          bridge.send(bridge.session.requestPhrases(s.packet.device, s.packet.trackId));
        }
      }
      clock.setTimeout(watch, 250);
    };
    watch();
    clock.advance(190_000);

    expect(traffic.filter((t) => t.from === LAN_ADDRESSES.opus).map(typeOf).filter((k) => ['beat', 'precisePosition', 'error'].includes(k))).toEqual([]);
    const status = bridge.kinds('cdjStatus');
    expect(status.length).toBeGreaterThan(3000);
    // Every track the scenario loads arrives as a status track change, its phrases on request.
    expect(new Set(status.map((s) => s.packet.trackId))).toEqual(new Set([0, 501, 502, 503, 504]));
    const phrases = bridge.transfers.filter((t) => t.transfer.dataType === 0x0a);
    expect(new Set(phrases.map((t) => t.transfer.trackId))).toEqual(new Set([501, 502, 503, 504]));
    for (const t of phrases) {
      const s = songStructureFromTransfer(t.data);
      if (s instanceof PhraseError) throw new Error(s.toString());
      expect(s.masked).toBe(true);
      expect(s.phrases.length).toBeGreaterThan(5);
    }
    // Master: deck 1, handed to 2 at 60 s, back to 1 at 130 s.
    const masters = status.filter((s) => s.packet.master && !s.packet.flagsZero);
    const masterAt = (t: number): number | undefined => masters.filter((s) => s.at <= t).pop()?.packet.deck;
    expect([masterAt(50_000), masterAt(100_000), masterAt(170_000)]).toEqual([1, 2, 1]);
    // Deck 1 loops beats 81–88 between 150 s and 165 s.
    const looping = status.filter((s) => s.packet.deck === 1 && s.at > 151_000 && s.at < 165_000);
    expect(looping.every((s) => s.packet.playState === 'looping' && (s.packet.beat ?? 0) >= 81 && (s.packet.beat ?? 0) <= 88)).toBe(true);
    // The status beat counter always equals the truth at the instant it was sent.
    for (const s of status.filter((x) => x.packet.deck <= 2)) {
      expect(s.packet.beat).toBe(sim.truth.deck(s.packet.deck)?.stateAt(s.at).beat);
    }
    expect(sim.runner.pass).toBe(2);
    expect(bridge.noticeCodes()).not.toContain('opus-lost');
    await sim.stop();
  });
});
