/**
 * Cue truth: the instants a simulated deck's playhead reaches the cues a
 * scenario puts on its track (deck model and show truth), in virtual time.
 */
import { VirtualClock } from '../../../src/prolink/sim/clock';
import { SimDeck } from '../../../src/prolink/sim/deck/deck';
import type { SimTrack } from '../../../src/prolink/sim/deck/track';
import type { Scenario } from '../../../src/prolink/sim/scenario';
import { showTruth, type TruthCue, type TruthEvent } from '../../../src/prolink/sim/show-truth';
import { startSimulator } from '../../../src/prolink/sim/simulator';
import { VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';

/** 120 BPM, beat 1 at 0 ms: beat n is reached (n − 1) × 500 ms after play from the start. */
const TRACK: SimTrack = {
  id: 42,
  title: 'cues',
  bpm: 120,
  beats: 200,
  firstBeatMs: 0,
  firstBeatInBar: 1,
  pssi: null,
  art: null,
  cues: [
    { beat: 9, name: 'A', hotCue: 1 },
    { beat: 12.5, name: 'HALF', hotCue: null },
    { beat: 33, name: 'OVER', hotCue: null },
    { beat: 41, name: 'ONTO', hotCue: null },
    { beat: 50, name: 'LOOPSTART', hotCue: null },
    { beat: 51, name: 'INLOOP', hotCue: null },
  ],
};

const crossings = (deck: SimDeck, to: number): [string, number, boolean][] => deck.cuesBetween(-1, to).map((c) => [c.cue.name, Math.round(c.at * 1000) / 1000, c.landed]);

describe('the deck model knows when its playhead reaches each cue', () => {
  it('crosses cues on and between beats in forward play, at the grid instants', () => {
    const deck = new SimDeck(1, 0);
    deck.load(TRACK, 0);
    deck.play(1000);
    expect(crossings(deck, 7000)).toEqual([
      ['A', 5000, false],
      ['HALF', 6750, false],
    ]);
  });

  it('skips a cue a jump passes over, and reaches one a jump lands on at the jump', () => {
    const deck = new SimDeck(1, 0);
    deck.load(TRACK, 0);
    deck.play(0);
    deck.jump(41, 14_000); // near beat 29: over OVER (33) onto ONTO (41)
    expect(crossings(deck, 15_000).map(([n, at, landed]) => [n, at, landed])).toEqual([
      ['A', 4000, false],
      ['HALF', 5750, false],
      ['ONTO', 14_000, true],
    ]);
  });

  it('reaches a cue inside a loop on every pass, and the loop start on each wrap', () => {
    const deck = new SimDeck(1, 0);
    deck.load(TRACK, 0);
    deck.play(0);
    deck.jump(49, 1000);
    deck.setLoop(50, 2, 1200); // 50–52, one pass a second
    const seen = crossings(deck, 4600).filter(([, at]) => at > 1000);
    expect(seen).toEqual([
      ['LOOPSTART', 1500, false],
      ['INLOOP', 2000, false],
      ['LOOPSTART', 2500, true],
      ['INLOOP', 3000, false],
      ['LOOPSTART', 3500, true],
      ['INLOOP', 4000, false],
      ['LOOPSTART', 4500, true],
    ]);
  });

  it('a pause and play before a cue reaches it once; a pitch change on it does not repeat it', () => {
    const deck = new SimDeck(1, 0);
    deck.load(TRACK, 0);
    deck.play(0);
    deck.stop(3000); // beat 7
    deck.play(5000);
    deck.setPitch(10, 6000); // exactly on A (beat 9)
    expect(crossings(deck, 7500).filter(([n]) => n === 'A')).toEqual([['A', 6000, false]]);
  });

  it('reaches nothing while stopped, and a cue it is parked on when play starts', () => {
    const deck = new SimDeck(1, 0);
    deck.load(TRACK, 0);
    deck.jump(41, 100);
    expect(deck.cuesBetween(-1, 5000)).toEqual([]);
    deck.play(5000);
    expect(crossings(deck, 5100)).toEqual([['ONTO', 5000, true]]);
  });
});

describe('the show truth has a cue event for every cue reached', () => {
  it('writes cue events with the deck, track, name and beat, cause action for a jump onto one', async () => {
    const scenario: Scenario = {
      name: 'cue-truth',
      rig: 'opus',
      tracks: [{ id: 7, title: 'Synthetic', bpm: 120, beats: 200, firstBeatMs: 0, cues: [{ beat: 9, name: 'A', hotCue: 1 }, { beat: 33, name: 'OVER' }, { beat: 41, name: 'ONTO' }] }],
      steps: [
        { at: 0, do: 'load', deck: 2, track: 7 },
        { at: 1000, do: 'play', deck: 2 },
        { at: 15_000, do: 'jump', deck: 2, beat: 41 },
      ],
    };
    const clock = new VirtualClock();
    const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan: new VirtualLan({ clock }) }, clock, tuning: { zeroFlagProbability: 0 } });
    if (!('truth' in sim)) throw new Error(sim.message);
    clock.runUntil(20_000);
    const truth: TruthEvent[] = showTruth({ scenario: sim.scenario, decks: sim.rig.decks, log: sim.truth.events, from: -1, to: 20_000 });
    await sim.stop();
    const cues = truth.filter((t): t is TruthCue => t.type === 'cue');
    expect(cues).toEqual([
      { type: 'cue', at: 5000, deck: 2, trackId: 7, beat: 9, name: 'A', hotCue: 1, cause: 'flow' },
      { type: 'cue', at: 15_000, deck: 2, trackId: 7, beat: 41, name: 'ONTO', hotCue: null, cause: 'action' },
    ]);
  });
});
