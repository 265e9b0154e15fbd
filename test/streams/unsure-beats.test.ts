/**
 * An estimated beat fires at its best estimated instant; when the deck's
 * timing knows that instant only to within more than UNSURE_BEAT_MS, the beat
 * may be that much after the true one, and says `late`. So does a beat that
 * waits for the later of two readings of a jump, where the wait and that
 * uncertainty together pass it. Virtual time.
 */
import { map, merge, takeWhile, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { CdjStatus } from '../../src/prolink/packets/cdj-status';
import { estimatedBeats, UNSURE_BEAT_MS } from '../../src/streams/estimated-beats';
import type { Received } from '../../src/streams/received';
import { seededRandom, uniform } from '../../src/timing/sim/prng';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { received } from './status-bytes';

type Fired = BeatEvent & { readonly firedAt: number; readonly error: number };

function opusStatus(deck: SimDeck, t: number): Received<CdjStatus> {
  const beat = Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
  return received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: deck.bpmAt(t), playing: true, beat, beatInBar: ((beat - 1) % 4) + 1 }, t);
}

/** The beats estimatedBeats fires for statuses at `times`, with when they fired and how far from the true beat. */
function fired(deck: SimDeck, times: readonly number[], until: number): Fired[] {
  const out: Fired[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const statuses = merge(...times.map((t) => timer(t).pipe(map(() => opusStatus(deck, t)))));
    estimatedBeats(statuses, scheduler)
      .pipe(takeWhile((b) => b.at < until))
      .subscribe((b) => {
        const truth = deck.nextBeatAfter(b.at - 300);
        const error = truth !== null && truth.beat === b.beat ? scheduler.now() - truth.at : NaN;
        out.push({ ...b, firedAt: scheduler.now(), error });
      });
    flush();
  });
  return out;
}

describe('estimated beats say late when their instant is that uncertain', () => {
  it('at 150 BPM with statuses on the same two phases of the beat: on their instants, all late (they may be ~100 ms off)', () => {
    // Beat 11 at 280, a beat every 400 ms; statuses at 100, 300, 500, …: 180 ms before and 20 ms after each beat.
    const deck = new SimDeck({ at: 0, position: 10.3, bpm: 150, playing: true, barOffset: 1 });
    const times: number[] = [];
    for (let t = 100; t <= 8_000; t += 200) times.push(t);
    const beats = fired(deck, times, 8_000);
    expect(beats.length).toBeGreaterThan(15);
    const onTime = beats.filter((b) => Math.abs(b.firedAt - b.at) < 1e-6);
    expect(onTime.length).toBeGreaterThan(15);
    expect(onTime.every((b) => b.late)).toBe(true);
    // And they are indeed well off the true beats, which is why they say so.
    expect(Math.max(...onTime.map((b) => Math.abs(b.error)))).toBeGreaterThan(UNSURE_BEAT_MS);
  });

  it('at 126 BPM with statuses at every phase: late while the phase is open, on time and unflagged once it is known', () => {
    const deck = new SimDeck({ at: 0, position: 3.6, bpm: 126, playing: true, barOffset: 1 });
    const random = seededRandom(7);
    const times: number[] = [];
    for (let t = 80; t <= 20_000; t += 200 + uniform(random, -15, 15)) times.push(t);
    const beats = fired(deck, times, 20_000);
    expect(beats.slice(0, 2).every((b) => b.late)).toBe(true);
    const settled = beats.filter((b) => b.at > 8_000);
    expect(settled.length).toBeGreaterThan(20);
    for (const b of settled) {
      expect(b.late).toBe(false);
      expect(Math.abs(b.error)).toBeLessThan(UNSURE_BEAT_MS);
    }
    // No beat fired more than UNSURE_BEAT_MS after its true instant without saying late.
    expect(beats.filter((b) => b.error > UNSURE_BEAT_MS && !b.late)).toEqual([]);
  });

  it('beat jumps that keep the place in the beat: a beat that waits for the later reading of the jump says late where it may have come more than UNSURE_BEAT_MS before it fired', () => {
    const bpm = 126;
    let waited = 0;
    const unflagged: Fired[] = [];
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const start = 3 + random();
      // BEAT JUMP: whole beats either way, the place in the beat kept (the position is the deck's at the jump, moved).
      const events: DeckEvent[] = [];
      let position = start;
      let since = 0;
      [16, -4, 32, -32, 8, 64, -16, 4, -8, 2, 16, -64].forEach((beats, i) => {
        const at = 10_000 + i * 4_140 + uniform(random, 0, 400);
        position += ((at - since) * bpm) / 60_000 + beats;
        since = at;
        events.push({ at, kind: 'jump', position });
      });
      const deck = new SimDeck({ at: 0, position: start, bpm, playing: true, barOffset: 1 }, events);
      const times: number[] = [];
      for (let t = 80 + random() * 200; t <= 60_000; t += 200 + uniform(random, -15, 15)) times.push(t);
      const beats = fired(deck, times, 60_000);
      waited += beats.filter((b) => b.firedAt - b.at > 5 && b.firedAt - b.at < UNSURE_BEAT_MS).length;
      unflagged.push(...beats.filter((b) => b.error > UNSURE_BEAT_MS && !b.late));
    }
    // The case is there: beats fired a little after their estimate, waiting for the later reading of a jump.
    expect(waited).toBeGreaterThan(10);
    expect(unflagged).toEqual([]);
  });
});
