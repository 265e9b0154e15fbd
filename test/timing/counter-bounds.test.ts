/**
 * What a status counter proves. The OPUS-QUAD's beat counter (§3.1 0xa0) is 0
 * only while the deck is parked at the start of a track; once it moves it
 * shows 1 until beat 2, also in the moment before beat 1 when the track
 * starts a little before its first beat. A status in that moment must not
 * pin the phase to "beat 1 had happened".
 */
import { BeatGridEstimator, type BeatObservation } from '../../src/timing/beat-grid-estimator';
import { counterBound, shownFrom } from '../../src/timing/counter-bounds';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/timing/estimator-options';
import { seededRandom, uniform } from '../../src/timing/sim/prng';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { TempoTrack } from '../../src/timing/tempo-track';

const BPM = 126;
const PERIOD = 60_000 / BPM;
const PLAY_AT = 1000;
/** The track starts 40 ms before beat 1 (a rekordbox grid's first beat a little after the start). */
const PRE_ROLL_MS = 40;

/** A deck parked at the start of its track, playing from PLAY_AT: beat 1 at PLAY_AT + 40 ms. */
function deckFromStart(): SimDeck {
  return new SimDeck({ at: 0, position: 1 - PRE_ROLL_MS / PERIOD, bpm: BPM, playing: false, barOffset: 1 }, [{ at: PLAY_AT, kind: 'play' }]);
}

/** The counter an OPUS status shows: 0 parked at the start, else the last beat reached, at least 1 (§3.1). */
function counterAt(deck: SimDeck, t: number): number {
  if (!deck.playingAt(t) && t < PLAY_AT) return 0;
  return Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
}

/** Statuses at `firstAt`, 200 ms later, then about every 200 ms (± 15 ms, seeded), arriving as generated. */
function statuses(deck: SimDeck, firstAt: number, to: number, seed: number): BeatObservation[] {
  const random = seededRandom(seed);
  const out: BeatObservation[] = [];
  for (let t = firstAt, k = 0; t < to; t += 200 + (k++ === 0 ? 0 : uniform(random, -15, 15))) {
    const beat = counterAt(deck, t);
    out.push({ at: t, beat, beatInBar: beat === 0 ? 0 : ((beat - 1) % 4) + 1, effectiveBpm: BPM, playing: deck.playingAt(t) });
  }
  return out;
}

describe('counter bounds', () => {
  it('takes counter n ≥ 2 as "beat n had happened", and counter 1 only as "the deck had left the start"', () => {
    expect(shownFrom(7)).toBe(7);
    expect(shownFrom(2)).toBe(2);
    expect(shownFrom(1)).toBe(0);
    const tempo = new TempoTrack();
    tempo.update(0, BPM, null);
    const options = { ...DEFAULT_ESTIMATOR_OPTIONS, latencyMinMs: 0, latencyMaxMs: 0 };
    // At 1000 ms P = 2.1 beats: counter 5 means c ∈ [5 − 2.1, 6 − 2.1).
    expect(counterBound(tempo, options, 1000, 5, false)).toMatchObject({ lo: expect.closeTo(2.9, 9), hi: expect.closeTo(3.9, 9) });
    // Counter 1 leaves a beat more room below: the playhead may still be before beat 1.
    expect(counterBound(tempo, options, 1000, 1, false)).toMatchObject({ lo: expect.closeTo(-2.1, 9), hi: expect.closeTo(-0.1, 9) });
    // A beat packet marks the beat itself, whatever its number.
    expect(counterBound(tempo, options, 1000, 1, true)).toMatchObject({ lo: expect.closeTo(-1.1, 9), hi: expect.closeTo(-1.1, 9) });
  });

  it('keeps the estimate on the beat when a status shows counter 1 before beat 1 was reached', () => {
    // The status 12 ms after play shows 1, 28 ms before beat 1. Read as "beat 1 by then", it pins
    // the estimate 28 ms early for as long as that bound is kept (tens of seconds).
    const deck = deckFromStart();
    for (const seed of [1, 2, 3, 4, 5]) {
      const obs = statuses(deck, PLAY_AT - 188, PLAY_AT + 30_000, seed);
      expect(obs.some((o) => o.beat === 1 && o.at < PLAY_AT + PRE_ROLL_MS && o.playing)).toBe(true);
      const est = new BeatGridEstimator();
      const errors: number[] = [];
      let i = 0;
      // Every beat from 8 bars after play to 25 s in, predicted from what had arrived before it.
      for (let beat = deck.nextBeatAfter(PLAY_AT + 32 * PERIOD); beat !== null && beat.at < PLAY_AT + 25_000; beat = deck.nextBeatAfter(beat.at)) {
        while (i < obs.length && (obs[i] as BeatObservation).at < beat.at) est.observe(obs[i++] as BeatObservation);
        const predicted = est.predictBeat(beat.beat);
        if (predicted === null) throw new Error(`no prediction for beat ${beat.beat}`);
        errors.push(Math.abs(predicted.at - beat.at));
        expect(Math.abs(predicted.at - beat.at)).toBeLessThanOrEqual(predicted.uncertaintyMs + 1e-9);
      }
      expect(errors.length).toBeGreaterThan(15);
      expect(Math.max(...errors)).toBeLessThan(15);
    }
  });
});
