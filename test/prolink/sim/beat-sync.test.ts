import { LAN_ADDRESSES } from '../../../src/prolink/sim/simulator';
import { PORT_STATUS } from '../../../src/prolink/packets/header';
import { rig, scenarioOf } from './sim-rig';
import { SessionPeer } from './session-peer';

/** §3.1/§3.3, read from the bytes: the device number (0x21), the flag byte F (0x89) and its sync bit. */
const DEVICE = 0x21;
const FLAGS = 0x89;
const SYNC_BIT = 0x10;
/** F bit 1: BPM sync only (synced tempo, beat alignment abandoned after a nudge). */
const BPM_SYNC_ONLY_BIT = 0x02;
/** §3.3 F bit 5, and M_h (0x9f): the device the master hands over to (0xff none). */
const MASTER_BIT = 0x20;
const HANDOFF = 0x9f;

/** Deck 1 (128 BPM) master and playing from 500 ms, deck 2 (120 BPM) playing from 1 s, and then what `steps` do. */
function twoDecks(name: string, steps: readonly object[]): ReturnType<typeof scenarioOf> {
  return scenarioOf({
    name,
    rig: 'opus',
    tracks: [
      { id: 301, title: 'A', bpm: 128, beats: 400, firstBeatMs: 25 },
      { id: 302, title: 'B', bpm: 120, beats: 300, firstBeatMs: 70 },
    ],
    steps: [
      { at: 0, do: 'load', deck: 1, track: 301 },
      { at: 0, do: 'load', deck: 2, track: 302 },
      { at: 500, do: 'master', deck: 1 },
      { at: 500, do: 'play', deck: 1 },
      { at: 1000, do: 'play', deck: 2 },
      ...steps,
    ],
  });
}

describe('simulated Beat Sync on the OPUS-QUAD', () => {
  it('shows sync on in the flag byte, keeps a synced deck on the master through a ramp, BPM sync only once nudged, and a synced deck’s own fader takes it out of sync', async () => {
    const scenario = twoDecks('sync', [
      { at: 3000, do: 'sync', deck: 2, overMs: 150 },
      { at: 6000, do: 'pitch', deck: 1, percent: 4, overMs: 2000 },
      { at: 10_500, do: 'nudge', deck: 2, ms: 30, overMs: 300 },
      { at: 12_000, do: 'pitch', deck: 2, percent: 0 },
    ]);
    const { clock, lan, sim, traffic } = await rig(scenario, { zeroFlagProbability: 0 });
    // The OPUS-QUAD sends its status packets to the lighting hosts that joined (§2.7).
    new SessionPeer(lan, clock).start();
    clock.advance(14_000);
    const [one, two] = [sim.rig.decks.get(1), sim.rig.decks.get(2)];
    if (one === undefined || two === undefined) throw new Error('no decks 1 and 2');
    const frac = (x: number): number => x - Math.floor(x);
    const phaseGap = (t: number): number => {
      const d = Math.abs(frac(two.positionAt(t)) - frac(one.positionAt(t)));
      return Math.min(d, 1 - d);
    };
    expect(phaseGap(2900)).toBeGreaterThan(0.05);
    // In step from the end of the pull (150 ms, or twice its size: under 500 ms), through the master's ramp, until deck 2's own fader moves.
    for (const t of [3600, 6500, 7000, 7999, 9000, 10_499]) {
      expect(phaseGap(t)).toBeLessThan(1e-4);
      expect(two.stateAt(t).effectiveBpm).toBeCloseTo(one.stateAt(t).effectiveBpm ?? NaN, 3);
    }
    // Nudged: still at the master's tempo, 30 ms off its beat, BPM sync only.
    expect(phaseGap(11_500)).toBeCloseTo((30 * 128 * 1.04) / 60_000, 3);
    expect(two.stateAt(11_500)).toMatchObject({ synced: true, bpmSyncOnly: true });
    expect(two.stateAt(13_000)).toMatchObject({ synced: false, bpmSyncOnly: false, effectiveBpm: expect.closeTo(120, 3) as number });

    // What deck 2 (OPUS device 10) said in its status packets.
    const deck2 = traffic.filter((t) => t.from === LAN_ADDRESSES.opus && t.toPort === PORT_STATUS && t.data.length > FLAGS && t.data[DEVICE] === 10 && t.data[0x0a] === 0x0a);
    const flagsAt = (from: number, to: number): string[] =>
      deck2.filter((t) => t.at > from && t.at < to).map((t) => `sync ${((t.data[FLAGS] as number) & SYNC_BIT) !== 0}, bpm only ${((t.data[FLAGS] as number) & BPM_SYNC_ONLY_BIT) !== 0}`);
    expect(flagsAt(0, 3000).length).toBeGreaterThan(5);
    expect(new Set(flagsAt(0, 3000))).toEqual(new Set(['sync false, bpm only false']));
    expect(flagsAt(3001, 10_500).length).toBeGreaterThan(30);
    expect(new Set(flagsAt(3001, 10_500))).toEqual(new Set(['sync true, bpm only false']));
    expect(new Set(flagsAt(10_501, 12_000))).toEqual(new Set(['sync true, bpm only true']));
    expect(new Set(flagsAt(12_001, 14_000))).toEqual(new Set(['sync false, bpm only false']));
    await sim.stop();
  });

  it('hands master, unasked, from a master that stops to a synced deck that plays (§6.3)', async () => {
    const scenario = twoDecks('stopped master', [
      { at: 3000, do: 'sync', deck: 2 },
      { at: 6000, do: 'stop', deck: 1 },
    ]);
    const { clock, lan, sim, traffic } = await rig(scenario, { zeroFlagProbability: 0 });
    new SessionPeer(lan, clock).start();
    clock.advance(9000);
    const statuses = (device: number): { at: number; master: boolean; handoff: number }[] =>
      traffic
        .filter((t) => t.from === LAN_ADDRESSES.opus && t.toPort === PORT_STATUS && t.data.length > FLAGS && t.data[DEVICE] === device && t.data[0x0a] === 0x0a)
        .map((t) => ({ at: t.at, master: ((t.data[FLAGS] as number) & MASTER_BIT) !== 0, handoff: t.data[HANDOFF] as number }));
    // Deck 1 (device 9) is master until it stops, then names deck 2 (device 10) in M_h; deck 2 takes over.
    expect(statuses(9).length).toBeGreaterThan(40);
    expect(statuses(10).length).toBeGreaterThan(40);
    expect(statuses(9).filter((s) => s.at > 600 && s.at < 6000).every((s) => s.master && s.handoff === 0xff)).toBe(true);
    expect(statuses(9).some((s) => s.at > 6000 && s.handoff === 10)).toBe(true);
    expect(statuses(9).filter((s) => s.at > 8000).every((s) => !s.master && s.handoff === 0xff)).toBe(true);
    expect(statuses(10).filter((s) => s.at < 6000).every((s) => !s.master)).toBe(true);
    expect(statuses(10).filter((s) => s.at > 8000).every((s) => s.master)).toBe(true);
    expect(sim.rig.master.masterAt(9000)).toBe(2);
    await sim.stop();
  });
});
