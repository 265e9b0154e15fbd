import { VirtualClock } from '../../../src/prolink/sim/clock';
import type { Scenario } from '../../../src/prolink/sim/scenario';
import { showTruth, truthStructureOf, type TruthEvent, type TruthPhrase } from '../../../src/prolink/sim/show-truth';
import { startSimulator, type RunningSimulator } from '../../../src/prolink/sim/simulator';
import { VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';
import { syntheticSongStructure } from '../../../src/prolink/sim/tracks/synthetic-phrases';

const TRACK = { id: 900, title: 'Truth', bpm: 120, beats: 400, firstBeatMs: 0 };
const PHRASE_STARTS = syntheticSongStructure(TRACK.id, TRACK.beats).phrases.map((p) => p.beat);

async function play(steps: Scenario['steps'], untilMs: number, tracks: Scenario['tracks'] = [TRACK]): Promise<{ sim: RunningSimulator; truth: TruthEvent[]; scenario: Scenario }> {
  const scenario: Scenario = { name: 'truth', rig: 'opus', tracks, steps };
  const clock = new VirtualClock();
  const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan: new VirtualLan({ clock }) }, clock, tuning: { zeroFlagProbability: 0 } });
  if (!('truth' in sim)) throw new Error(sim.message);
  clock.runUntil(untilMs);
  const truth = showTruth({ scenario, decks: sim.rig.decks, log: sim.truth.events, from: -1, to: untilMs });
  await sim.stop();
  return { sim, truth, scenario };
}

const ofType = <T extends TruthEvent['type']>(events: readonly TruthEvent[], type: T): (TruthEvent & { readonly type: T })[] =>
  events.filter((e): e is TruthEvent & { readonly type: T } => e.type === type);

describe('the simulator writes the truth of a show', () => {
  it('has every beat a playing deck reaches, at the deck model’s instants, and nothing while stopped', async () => {
    const { sim, truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'master', deck: 1 },
        { at: 1000, do: 'play', deck: 1 },
        { at: 21_000, do: 'stop', deck: 1 },
      ],
      30_000,
    );
    const beats = ofType(truth, 'beat');
    const model = sim.rig.decks.get(1)?.beatsBetween(-1, 30_000) ?? [];
    expect(beats.map((b) => [b.beat, b.at])).toEqual(model.map((b) => [b.beat, b.at]));
    // 120 BPM from beat 1 at the instant of play, for 20 s: beats 1–40 (beat 41 would fall on the stop).
    expect(beats.map((b) => b.beat)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(beats[0]).toMatchObject({ at: 1000, cause: 'action', flowBeats: 0 });
    expect(beats[39]).toMatchObject({ cause: 'flow', flowBeats: 39 });
    expect(ofType(truth, 'play').map((e) => e.at)).toEqual([1000]);
    expect(ofType(truth, 'stop').map((e) => e.at)).toEqual([21_000]);
    expect(ofType(truth, 'track.load')).toEqual([{ type: 'track.load', at: 0, deck: 1, trackId: 900 }]);
    expect(ofType(truth, 'master.change')).toEqual([{ type: 'master.change', at: 1000, deck: 1, previousDeck: null }]);
  });

  it('starts a phrase when a playing deck reaches its first beat, and ends the one before at the same instant', async () => {
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'play', deck: 1 },
      ],
      40_000,
    );
    const starts = ofType(truth, 'phrase.start');
    const beatAt = new Map(ofType(truth, 'beat').map((b) => [b.beat, b.at]));
    // Nothing while the deck sat loaded; then the first phrase with the first beat played.
    expect(starts[0]).toMatchObject({ startBeat: 1, at: 1000, cause: 'action' });
    const reached = PHRASE_STARTS.filter((b) => beatAt.has(b));
    expect(starts.map((s) => s.startBeat)).toEqual(reached);
    for (const s of starts) expect(s.at).toBe(beatAt.get(s.startBeat));
    const ends = ofType(truth, 'phrase.end');
    expect(ends.map((e) => e.at)).toEqual(starts.slice(1).map((s) => s.at));
    expect(ends.map((e) => e.startBeat)).toEqual(reached.slice(0, -1));
  });

  it('enters a phrase on a jump onto its first beat and again on each loop back to it', async () => {
    const target = PHRASE_STARTS[3] as number;
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'play', deck: 1 },
        { at: 5_100, do: 'jump', deck: 1, beat: target },
        { at: 6_000, do: 'loop', deck: 1, beat: target, beats: 4 },
      ],
      13_000,
    );
    const starts = ofType(truth, 'phrase.start').filter((s) => s.startBeat === target);
    // The jump lands on it at 5.1 s; the 4-beat loop (2 s at 120 BPM) brings it back at 7.1, 9.1, 11.1 s.
    expect(starts.map((s) => Math.round(s.at * 1000) / 1000)).toEqual([5_100, 7_100, 9_100, 11_100]);
    expect(starts.every((s: TruthPhrase) => s.cause === 'action')).toBe(true);
    const ends = ofType(truth, 'phrase.end');
    expect(ends.filter((e) => e.startBeat === target).map((e) => Math.round(e.at * 1000) / 1000)).toEqual([7_100, 9_100, 11_100]);
  });

  it('ends the phrase a stopped deck is cued out of, or back to the first beat of, then; the phrase it stands in starts when it plays', async () => {
    const other = PHRASE_STARTS[3] as number;
    // 120 BPM, beat 1 at 1 s. CUE at 5 s: back to the first phrase's start (beat 1), paused; played at 6 s. CUE at
    // 8 s onto another phrase; played at 9 s. Stopped at 11 s and cued within the same phrase: nothing ends.
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'play', deck: 1 },
        { at: 5000, do: 'stop', deck: 1 },
        { at: 5000, do: 'jump', deck: 1, beat: 1 },
        { at: 6000, do: 'play', deck: 1 },
        { at: 8000, do: 'stop', deck: 1 },
        { at: 8000, do: 'jump', deck: 1, beat: other },
        { at: 9000, do: 'play', deck: 1 },
        { at: 11_000, do: 'stop', deck: 1 },
        { at: 11_000, do: 'jump', deck: 1, beat: other + 1 },
        { at: 12_000, do: 'play', deck: 1 },
      ],
      14_000,
    );
    const phrases = truth.filter((e): e is TruthPhrase => e.type === 'phrase.start' || e.type === 'phrase.end').map((e) => `${e.type} ${e.startBeat} @${Math.round(e.at)}`);
    expect(phrases).toEqual([
      'phrase.start 1 @1000',
      'phrase.end 1 @5000', // CUE: back on the first beat of the phrase it played
      'phrase.start 1 @6000',
      'phrase.end 1 @8000', // cued onto another phrase
      `phrase.start ${other} @9000`,
    ]);
  });

  it("marks the beats and phrase changes of a roll's wraps (a loop shorter than a beat): no status packet can show them", async () => {
    const target = PHRASE_STARTS[2] as number;
    // 120 BPM, beat 1 at 1 s: the target's first beat at 1 000 + (target − 1) × 500. A half-beat roll on it for a beat.
    const reached = 1000 + (target - 1) * 500;
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'play', deck: 1 },
        { at: reached - 100, do: 'loop', deck: 1, beat: target, beats: 0.5 },
        { at: reached + 600, do: 'exitLoop', deck: 1 },
      ],
      reached + 3000,
    );
    const onTarget = ofType(truth, 'beat').filter((b) => b.beat === target);
    // Reached by play (not a wrap), then at each wrap: 250 and 500 ms on.
    expect(onTarget.map((b) => [Math.round(b.at - reached) + 0, b.rollWrap === true])).toEqual([
      [0, false],
      [250, true],
      [500, true],
    ]);
    const starts = ofType(truth, 'phrase.start').filter((s) => s.startBeat === target);
    expect(starts.map((s) => s.rollWrap === true)).toEqual([false, true, true]);
    // Play runs on from the roll: the next beat half a beat after the exit, not a wrap.
    const next = ofType(truth, 'beat').find((b) => b.beat === target + 1);
    expect(next?.at).toBeCloseTo(reached + 600 + 400, 6);
    expect(next?.rollWrap).toBeUndefined();
  });

  it('enters a phrase at the instant a beat jump lands inside one of its beats, keeping the place in the beat', async () => {
    const target = PHRASE_STARTS[2] as number;
    // 120 BPM, beat 1 at 1 s: at 5 100 the deck is 0.2 into beat 9; 4 beats before the target phrase, plus 4 more.
    const jump = target + 3 - 9;
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 900 },
        { at: 1000, do: 'play', deck: 1 },
        { at: 5_100, do: 'beatJump', deck: 1, beats: jump },
      ],
      7_000,
    );
    const beats = ofType(truth, 'beat').filter((b) => b.at > 4_900 && b.at < 6_900);
    // Beat 9 at 5 000; the jump puts the deck 0.2 into beat target + 3; the next beat comes where beat 10 would have.
    expect(beats.map((b) => [b.beat, Math.round(b.at * 1e6) / 1e6])).toEqual([
      [9, 5_000],
      [target + 4, 5_500],
      [target + 5, 6_000],
      [target + 6, 6_500],
    ]);
    expect(beats[1]).toMatchObject({ cause: 'action', flowBeats: 0 });
    const [landed] = ofType(truth, 'jump');
    expect(landed).toMatchObject({ at: 5_100, deck: 1, trackId: 900 });
    expect(landed?.position).toBeCloseTo(target + 3.2, 6);
    const changes = truth.filter((e) => (e.type === 'phrase.start' || e.type === 'phrase.end') && e.at > 1000);
    expect(changes.map((e) => [e.type, (e as TruthPhrase).startBeat, Math.round(e.at * 1e6) / 1e6, (e as TruthPhrase).cause])).toEqual([
      ['phrase.end', PHRASE_STARTS[0], 5_100, 'action'],
      ['phrase.start', target, 5_100, 'action'],
    ]);
  });

  it('stops a deck that plays to the end of its track, there', async () => {
    // 16 beats at 120 BPM from 1 s: beat 16 at 8 500, the end where beat 17 would be, at 9 000.
    const { truth } = await play(
      [
        { at: 0, do: 'load', deck: 1, track: 901 },
        { at: 1000, do: 'play', deck: 1 },
      ],
      12_000,
      [{ id: 901, title: 'Short', bpm: 120, beats: 16, firstBeatMs: 0 }],
    );
    expect(ofType(truth, 'beat').map((b) => b.beat)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    expect(ofType(truth, 'stop').map((e) => Math.round(e.at * 1e6) / 1e6)).toEqual([9_000]);
  });

  it('knows the structure of generated tracks only', () => {
    expect(truthStructureOf({ ...TRACK, anlz: 'x.EXT' })).toBeNull();
    expect(truthStructureOf(TRACK)?.phrases.map((p) => p.startBeat)).toEqual(PHRASE_STARTS);
  });
});
