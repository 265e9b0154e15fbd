/**
 * Loops: a deck that plays beats S … E − 1 over and over wraps back to S
 * where beat E would have begun. The first wrap cannot be foreseen (the OPUS
 * does not say where a loop ends), so it comes out late; once the bridge has
 * seen a wrap and the status says the deck loops (or, when the device does
 * not say, once it has seen the same wrap twice), the next wraps are
 * predicted: beat S on its instant, never beat E. Virtual time throughout.
 */
import { map, merge, takeWhile, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { Beat } from '../../src/prolink/packets/beat';
import type { CdjStatus } from '../../src/prolink/packets/cdj-status';
import { estimatedBeats, type OpusInput } from '../../src/streams/estimated-beats';
import type { PrecisePosition } from '../../src/prolink/packets/precise-position';
import { realBeats } from '../../src/streams/real-beats';
import type { Received } from '../../src/streams/received';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { received } from './status-bytes';
import { receivedPosition } from './position-bytes';
import { seededRandom, uniform } from '../../src/timing/sim/prng';
import { receivedBeat } from './beat-bytes';

const PERIOD = 500; // 120 BPM: beat n at (n − 1) × 500 ms from position 1 at 0
const LOOP_START = 57;
const LOOP_END = 61; // a 4-beat loop: 57 58 59 60, 57 58 59 60, …
const P1_PLAYING = 0x03;
const P1_LOOPING = 0x04;

/** Plays from 50.5 at 0 (beat 51 at 250 ms); the loop is set at 3 s and wraps `wraps` times, then play runs on. */
function loopingDeck(wraps: number): { deck: SimDeck; wrapTimes: number[]; loopFrom: number; loopUntil: number } {
  const firstWrap = (LOOP_END - 50.5) * PERIOD; // 5 250
  const wrapTimes = Array.from({ length: wraps }, (_, i) => firstWrap + i * (LOOP_END - LOOP_START) * PERIOD);
  const events: DeckEvent[] = wrapTimes.map((at) => ({ at, kind: 'jump', position: LOOP_START }));
  return { deck: new SimDeck({ at: 0, position: 50.5, bpm: 120, playing: true, barOffset: 1 }, events), wrapTimes, loopFrom: 3_000, loopUntil: (wrapTimes[wraps - 1] ?? 0) + 1_000 };
}

function opusStatus(deck: SimDeck, t: number, looping: boolean): Received<CdjStatus> {
  const beat = Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
  return received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 120, playing: true, playState: looping ? P1_LOOPING : P1_PLAYING, beat, beatInBar: ((beat - 1) % 4) + 1 }, t);
}

/** The precise position packet (§5) the deck sends at `t` in CDJ mode (beat 1 at 21 ms of track time). */
function opusPosition(deck: SimDeck, t: number): Received<PrecisePosition> {
  return receivedPosition(21 + (deck.positionAt(t) - 1) * PERIOD, 120, t);
}

/** Player 3, a CDJ-3000 (a 0x200-byte status), in the same place as opusStatus's deck; `loop` in its loop fields (§3.1). */
function cdj3000Status(deck: SimDeck, t: number, looping: boolean, loop: { startMs: number; endMs: number; beats: number } | null): Received<CdjStatus> {
  const beat = Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
  return received({ name: 'CDJ-3000', device: 3, trackId: 5, bpm: 120, playing: true, playState: looping ? P1_LOOPING : P1_PLAYING, beat, beatInBar: ((beat - 1) % 4) + 1, loop }, t);
}

type Fired = BeatEvent & { readonly firedAt: number };

/** Estimated beats for statuses every 187 ms until `until` (at every phase of the beat, so it is soon known to a few ms); `saysLooping` whether the status fills in play state 04. */
function estimated(wraps: number, until: number, saysLooping: boolean): { beats: Fired[]; wrapTimes: number[] } {
  const { deck, wrapTimes, loopFrom, loopUntil } = loopingDeck(wraps);
  const out: Fired[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const times = Array.from({ length: Math.floor(until / 187) }, (_, k) => 30 + 187 * k);
    const statuses = merge(...times.map((t) => timer(t).pipe(map(() => opusStatus(deck, t, saysLooping && t >= loopFrom && t < loopUntil)))));
    estimatedBeats(statuses, scheduler)
      .pipe(takeWhile((b) => b.at < until))
      .subscribe((b) => out.push({ ...b, firedAt: scheduler.now() }));
    flush();
  });
  return { beats: out, wrapTimes };
}

const loopStarts = (beats: readonly Fired[]): Fired[] => beats.filter((b) => b.beat === LOOP_START);

describe('estimated beats through a loop', () => {
  it('predicts every wrap after the first when the status says the deck loops: beat 57 on its instant, never 61', () => {
    const { beats, wrapTimes } = estimated(5, 16_000, true);
    const numbers = beats.map((b) => b.beat);
    // 61 once, at the first wrap (then the status shows 57, which comes out late); after the loop, 61 on.
    const loop = [57, 58, 59, 60];
    expect(numbers).toEqual([51, 52, 53, 54, 55, 56, ...loop, 61, ...loop, ...loop, ...loop, ...loop, ...loop, 61, 62]);
    const starts = loopStarts(beats).slice(1); // the loop's start after each wrap
    expect(starts).toHaveLength(5);
    // The first wrap is heard after the fact: late. The next four were predicted: on time, within a few ms.
    expect(starts[0]?.late).toBe(true);
    starts.slice(1).forEach((b, i) => {
      expect(b.late).toBe(false);
      expect(Math.abs(b.firedAt - (wrapTimes[i + 1] as number))).toBeLessThan(25); // statuses alone place beats to ~10–20 ms here
    });
  });

  it('without play state 04, predicts from the third wrap (the same wrap seen twice is a loop); leaving the loop then costs one wrong beat', () => {
    const { beats } = estimated(5, 16_000, false);
    const loop = [57, 58, 59, 60];
    // 61 at the first two wraps (nobody could know yet); predicted from the third. After the fifth the DJ
    // plays on: the bridge predicts 57 where 61 sounds, then the status shows 61 and numbering follows the deck.
    expect(beats.map((b) => b.beat)).toEqual([51, 52, 53, 54, 55, 56, ...loop, 61, ...loop, 61, ...loop, ...loop, ...loop, ...loop, 57, 62]);
    const starts = loopStarts(beats).slice(1, 6);
    expect(starts.map((b) => b.late)).toEqual([true, true, false, false, false]);
  });

  it('forgets the loop when the deck plays past its end: no wrap predicted once the loop is exited', () => {
    // Two wraps, then the deck plays on through 61 (the DJ left the loop): with play state 04 gone, nothing wraps.
    const { beats } = estimated(2, 12_000, true);
    const after = beats.filter((b) => b.at > 8_000).map((b) => b.beat);
    expect(after).toEqual([59, 60, 61, 62, 63, 64, 65, 66]);
  });
});

describe('real beat packets through a loop', () => {
  const beatPacket = (beatInBar: number, at: number): Received<Beat> => receivedBeat({ device: 3, beatInBar, nextBeatMs: 500, bpm100: 12000 }, at);

  function run(saysLooping: boolean): (number | null)[] {
    return runEvents(saysLooping, []).map((b) => b.beat);
  }

  /**
   * How a CDJ-3000 tells the loop (§3.1, §5): its status carries the loop's
   * start and end (track ms, beat 1 at 21 ms) and whole beats while it
   * loops (`loop`, or what `loop` says instead), and it sends a precise
   * position every 30 ms (`positions`).
   */
  interface Cdj3000 {
    readonly loop?: { startMs: number; endMs: number; beats: number };
    readonly positions: boolean;
  }

  const LOOP_FIELDS = { startMs: 21 + (LOOP_START - 1) * PERIOD, endMs: 21 + (LOOP_END - 1) * PERIOD, beats: LOOP_END - LOOP_START };

  /** The beats of a player looping as above; the beat packets of the beats beginning at `lostAt` never arrive. */
  function runEvents(saysLooping: boolean, lostAt: readonly number[], cdj3000?: Cdj3000): BeatEvent[] {
    const { deck, loopFrom, loopUntil } = loopingDeck(4);
    const until = 13_000;
    const out: BeatEvent[] = [];
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      // A beat packet where each beat begins (the deck's true beats), a status every 200 ms.
      const beatTimes: { at: number; inBar: number }[] = [];
      for (let t = 0; t < until; t += 1) {
        const before = Math.floor(deck.positionAt(t - 1) + 1e-9);
        const now = Math.floor(deck.positionAt(t) + 1e-9);
        if (t > 0 && now !== before) beatTimes.push({ at: t, inBar: ((now - 1) % 4) + 1 });
      }
      const beats = merge(...beatTimes.filter((b) => !lostAt.includes(b.at)).map((b) => timer(b.at).pipe(map(() => beatPacket(b.inBar, b.at)))));
      const statusTimes = Array.from({ length: until / 200 }, (_, k) => 30 + 200 * k);
      const playerStatus = (t: number): Received<CdjStatus> => {
        const looping = saysLooping && t >= loopFrom && t < loopUntil;
        if (cdj3000 !== undefined) return cdj3000Status(deck, t, looping, looping ? (cdj3000.loop ?? LOOP_FIELDS) : null);
        const opus = opusStatus(deck, t, looping);
        return { ...opus, packet: { ...opus.packet, name: 'CDJ-2000NXS2', isOpus: false, device: 3, deck: 3 } };
      };
      const status = merge(...statusTimes.map((t) => timer(t).pipe(map(() => playerStatus(t)))));
      const positionTimes = cdj3000?.positions === true ? Array.from({ length: Math.floor(until / 30) }, (_, k) => 7 + 30 * k) : [];
      const positions = merge(...positionTimes.map((t) => timer(t).pipe(map(() => receivedPosition(21 + (deck.positionAt(t) - 1) * PERIOD, 120, t, { name: 'CDJ-3000', device: 3 })))));
      realBeats(beats, status, positions).subscribe((b) => out.push(b));
      flush();
    });
    return out;
  }

  it('numbers the loop start right from the second wrap when the status says the player loops', () => {
    const numbers = run(true);
    const loopPart = numbers.slice(numbers.indexOf(60) + 1, numbers.indexOf(60) + 1 + 4 * 4);
    // First wrap: numbered 61 (nobody could know), then the status corrects it; every later wrap says 57.
    expect(loopPart.slice(0, 4)).toEqual([61, 58, 59, 60]);
    expect(loopPart.slice(4)).toEqual([57, 58, 59, 60, 57, 58, 59, 60, 57, 58, 59, 60]);
  });

  const shown = (b: BeatEvent): string => `${String(b.beat)}${b.late ? ' late' : ''}`;

  it('fills in the packet lost at a known loop\'s wrap with the loop\'s start, late, and numbers on from there', () => {
    const { wrapTimes } = loopingDeck(4);
    const beats = runEvents(true, [wrapTimes[1] ?? NaN]);
    const second = beats.findIndex((b) => b.at === wrapTimes[1]);
    expect(beats.slice(second - 1, second + 6).map(shown)).toEqual(['60', '57 late', '58', '59', '60', '57', '58']);
    expect(beats[second]?.estimated).toBe(true);
  });

  it('learns the whole loop when its first wrap\'s packet is lost, fills that beat in late, and numbers every later wrap right', () => {
    const { wrapTimes } = loopingDeck(4);
    const beats = runEvents(true, [wrapTimes[0] ?? NaN]);
    const first = beats.findIndex((b) => b.at === wrapTimes[0]);
    // The status shows 57 a beat after packet 60: the wrap's own packet was lost, so the loop is 57 … 60, not 57 … 59.
    expect(beats.slice(first - 1, first + 13).map(shown)).toEqual(['60', '57 late', '58', '59', '60', '57', '58', '59', '60', '57', '58', '59', '60', '57']);
  });

  it('numbers even the first wrap as the loop\'s start when a CDJ-3000 says which loop it plays', () => {
    const numbers = runEvents(true, [], { positions: true }).map((b) => b.beat);
    const loopPart = numbers.slice(numbers.indexOf(60) + 1, numbers.indexOf(60) + 1 + 4 * 4);
    expect(loopPart).toEqual([57, 58, 59, 60, 57, 58, 59, 60, 57, 58, 59, 60, 57, 58, 59, 60]);
    // Every beat numbered, none of them unnumbered or past the loop's end.
    expect(numbers.every((n) => n !== null && n <= 60)).toBe(true);
  });

  it('without a precise position the reported loop cannot be placed on the count: the first wrap is learned as before', () => {
    const numbers = runEvents(true, [], { positions: false }).map((b) => b.beat);
    const loopPart = numbers.slice(numbers.indexOf(60) + 1, numbers.indexOf(60) + 1 + 4 * 4);
    expect(loopPart.slice(0, 4)).toEqual([61, 58, 59, 60]);
    expect(loopPart.slice(4)).toEqual([57, 58, 59, 60, 57, 58, 59, 60, 57, 58, 59, 60]);
  });

  it('ignores loop fields that do not agree with the tempo (a device that fills them some other way)', () => {
    // Four beats said, but the start and end span six beats at 120 BPM.
    const wrong = { startMs: LOOP_FIELDS.startMs, endMs: LOOP_FIELDS.startMs + 6 * PERIOD, beats: 4 };
    const numbers = runEvents(true, [], { positions: true, loop: wrong }).map((b) => b.beat);
    const loopPart = numbers.slice(numbers.indexOf(60) + 1, numbers.indexOf(60) + 1 + 4);
    expect(loopPart).toEqual([61, 58, 59, 60]);
  });

  it('needs two wraps to be sure when the player does not say it loops', () => {
    const numbers = run(false);
    const loopPart = numbers.slice(numbers.indexOf(60) + 1, numbers.indexOf(60) + 1 + 4 * 4);
    expect(loopPart).toEqual([61, 58, 59, 60, 61, 58, 59, 60, 57, 58, 59, 60, 57, 58, 59, 60]);
  });
});

describe('real beat packets through a roll on a CDJ-3000 (its status says it loops less than a beat)', () => {
  /**
   * Player 3 at 120 BPM: beat 41's packet at 100 ms, then a quarter-beat roll
   * on it (a wrap every 125 ms, each sending beat 41's packet again) that the
   * status names from 250 ms; a switch's copy 3 ms after the wrap at 350; a
   * slip roll let go at 2 100 ms, a whole bar after beat 41 (the deck back on
   * beat 45, the same place in the bar: the very same packet), then beat 46.
   */
  function run(withLoopFields: boolean): string[] {
    const out: string[] = [];
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const packetTimes = [100, 225, 350, 353, ...Array.from({ length: 14 }, (_, k) => 475 + 125 * k), 2100];
      const beatPacket = (inBar: number, at: number): Received<Beat> => receivedBeat({ device: 3, beatInBar: inBar, nextBeatMs: 500, bpm100: 12000 }, at);
      const beats = merge(...packetTimes.map((t) => timer(t).pipe(map(() => beatPacket(1, t)))), timer(2600).pipe(map(() => beatPacket(2, 2600))));
      const roll = { startMs: 20_021, endMs: 20_021 + 125, beats: 0 };
      const player = { name: 'CDJ-3000', device: 3, trackId: 5, bpm: 120, playing: true };
      const statusAt = (t: number): Received<CdjStatus> => {
        if (t < 100) return received({ ...player, playState: P1_PLAYING, beat: 40, beatInBar: 4, loop: null }, t);
        if (t < 2100) return received({ ...player, playState: t > 200 ? P1_LOOPING : P1_PLAYING, beat: 41, beatInBar: 1, loop: t > 200 && withLoopFields ? roll : null }, t);
        return received({ ...player, playState: P1_PLAYING, beat: t < 2600 ? 45 : 46, beatInBar: t < 2600 ? 1 : 2, loop: null }, t);
      };
      const status = merge(...[0, 130, ...Array.from({ length: 13 }, (_, k) => 250 + 200 * k)].map((t) => timer(t).pipe(map(() => statusAt(t)))));
      realBeats(beats, status).subscribe((b) => out.push(`${String(b.beat)}@${b.at}`));
      flush();
    });
    return out;
  }

  it('fires the rolled beat at every wrap the status shows, drops the copy, and does not take a slip roll let go on a bar for a wrap', () => {
    const wraps = [350, ...Array.from({ length: 13 }, (_, k) => 475 + 125 * k)];
    // The wrap at 225 comes before any status names the roll: it looks like a copy.
    expect(run(true)).toEqual(['41@100', ...wraps.map((t) => `41@${t}`), 'null@2100', '46@2600']);
  });

  it('without the loop fields (an NXS2) no wrap fires as the rolled beat', () => {
    const beats = run(false);
    expect(beats[0]).toBe('41@100');
    expect(beats.slice(1).filter((b) => b.startsWith('41@'))).toEqual([]);
    expect(beats[beats.length - 1]).toBe('46@2600');
  });
});

describe('estimated beats through a roll (a loop shorter than a beat)', () => {
  /**
   * Plays from 50.5 at 0; a half-beat roll on beat 56 (reached at 2 750) wraps every 250 ms until 4 500, then
   * play runs on: 57 comes at 5 000. With slip, the deck goes back at 4 500 to where it would have been (59.5).
   */
  function rolling(saysLooping: boolean, slip = false): Fired[] {
    const wraps = Array.from({ length: 7 }, (_, i) => 3_000 + i * 250);
    const events: DeckEvent[] = wraps.map((at) => ({ at, kind: 'jump', position: 56 }));
    if (slip) events.push({ at: 4_500, kind: 'jump', position: 59.5 });
    const deck = new SimDeck({ at: 0, position: 50.5, bpm: 120, playing: true, barOffset: 1 }, events);
    const out: Fired[] = [];
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const times = Array.from({ length: Math.floor(8_000 / 187) }, (_, k) => 30 + 187 * k);
      const statuses = merge(...times.map((t) => timer(t).pipe(map(() => opusStatus(deck, t, saysLooping && t >= 2_600 && t < 4_500)))));
      estimatedBeats(statuses, scheduler)
        .pipe(takeWhile((b) => b.at < 8_000))
        .subscribe((b) => out.push({ ...b, firedAt: scheduler.now() }));
      flush();
    });
    return out;
  }

  it('holds the beats while the status shows the deck looping inside a beat, and fires the next one again when the deck gets there', () => {
    const beats = rolling(true);
    // Beat 57 was predicted for 3 250 and fired then: nothing could show the roll before it. After that, nothing
    // fires while the deck rolls: no 58, 59… for beats it never played.
    const during = beats.filter((b) => b.firedAt > 3_300 && b.firedAt < 4_500);
    expect(during.filter((b) => b.beat !== 56)).toEqual([]);
    // 57 comes again when the deck really reaches it (5 000), late by at most a status period, and says so if late.
    const again = beats.filter((b) => b.beat === 57 && b.firedAt >= 4_500);
    expect(again).toHaveLength(1);
    const real = again[0] as Fired;
    expect(real.firedAt - 5_000).toBeGreaterThanOrEqual(-5);
    expect(real.firedAt - 5_000).toBeLessThan(250);
    if (real.firedAt - 5_000 > 50) expect(real.late).toBe(true);
    // Then on, once each, in order.
    const after = beats.filter((b) => b.firedAt > real.firedAt).map((b) => b.beat);
    expect(after.slice(0, 4)).toEqual([58, 59, 60, 61]);
  });

  it('after a slip roll goes on from where the deck went back to: the beats the roll skipped are not fired', () => {
    const beats = rolling(true, true).filter((b) => b.firedAt >= 4_500);
    // Back at 59.5 at 4 500: 59 (the beat it landed in) at once, late, when a status shows it; then 60 at 4 750, on.
    expect(beats.map((b) => b.beat).slice(0, 3)).toEqual([59, 60, 61]);
    expect((beats[0] as Fired).late).toBe(true);
  });
});

/**
 * A roll at 126 BPM on `beat`, reached at 2 750: a loop of `length` beats wrapping back to it until `letGo`, then
 * play runs on from inside it (no slip). OPUS statuses about every 200 ms at seeded jitter (their instants, and the
 * beats estimated from them with the virtual instant each fired), saying the deck loops from `loopingFrom` until it
 * is let go.
 */
function letGoRoll(seed: number, beat: number, length: number, letGo: number, loopingFrom: number, until: number): { times: number[]; beats: Fired[] } {
  const bpm = 126;
  const beatMs = 60_000 / bpm;
  const reached = 2_750;
  const wraps: DeckEvent[] = [];
  for (let at = reached + length * beatMs; at < letGo; at += length * beatMs) wraps.push({ at, kind: 'jump', position: beat });
  const deck = new SimDeck({ at: 0, position: beat - reached / beatMs, bpm, playing: true, barOffset: 1 }, wraps);
  const random = seededRandom(seed);
  const times: number[] = [];
  for (let t = random() * 200; t < until; t += 200 + uniform(random, -15, 15)) times.push(Math.round(t));
  const beats: Fired[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const statuses = merge(
      ...times.map((t) =>
        timer(t).pipe(
          map(() => {
            const n = Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
            return received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm, playing: true, playState: t >= loopingFrom && t < letGo ? P1_LOOPING : P1_PLAYING, beat: n, beatInBar: ((n - 1) % 4) + 1 }, t);
          }),
        ),
      ),
    );
    estimatedBeats(statuses, scheduler)
      .pipe(takeWhile((b) => b.at < until))
      .subscribe((b) => beats.push({ ...b, firedAt: scheduler.now() }));
    flush();
  });
  return { times, beats };
}

describe('estimated beats after a roll let go without slip', () => {
  it('says late while the estimate finds where in the beat the deck went on from, and skips nothing', () => {
    // 126 BPM, beat 56 reached at 2 750: an eighth-beat roll on it for 2.3 beats, let go 0.05 into the loop, so the
    // deck goes on a quarter of a beat off the grid it had. Statuses about every 200 ms, at seeded jitter.
    const bpm = 126;
    const beatMs = 60_000 / bpm;
    const reached = 2_750;
    const letGo = reached + 2.3 * beatMs;
    const from = 56 + (2.3 % 0.125);
    for (let seed = 1; seed <= 12; seed++) {
      const out = letGoRoll(seed, 56, 1 / 8, letGo, reached - 150, 10_000).beats;
      const after = out.filter((b) => b.firedAt > letGo && b.beat !== null && b.beat >= 57);
      expect(after.map((b) => b.beat)).toEqual(Array.from({ length: after.length }, (_, i) => 57 + i));
      for (const b of after) {
        const late = b.firedAt - (letGo + ((b.beat as number) - from) * beatMs);
        if (late > 50) expect({ seed, beat: b.beat, late: b.late }).toEqual({ seed, beat: b.beat, late: true });
      }
    }
  });
});

describe('estimated beats after a roll let go just after the beat it overtook', () => {
  it('fires that beat again when the deck gets there, once, though no status showed the deck looping after it', () => {
    // 126 BPM, beat 21 reached at 2 750: a half-beat roll on it, held 1.1 beats and let go without slip 48 ms after
    // beat 22 was due, sooner than any status can show the deck still looping then. The deck goes on from 21.1, so
    // 22 comes at letGo + 0.9 beat; the 22 predicted for its old instant was overtaken by the roll.
    const bpm = 126;
    const beatMs = 60_000 / bpm;
    const reached = 2_750;
    const letGo = reached + 1.1 * beatMs;
    const real22 = letGo + 0.9 * beatMs;
    let judged = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const { times, beats: out } = letGoRoll(seed, 21, 1 / 2, letGo, reached, 8_000);
      // Only the statuses that came late enough show the deck still in 21 well after 22 was due.
      const shown = times.some((t) => t >= letGo && t < real22 && t - (reached + beatMs) >= 150);
      if (!shown) continue;
      judged++;
      const again = out.filter((b) => b.beat === 22 && b.firedAt > letGo);
      expect({ seed, fired: again.length }).toEqual({ seed, fired: 1 });
      const real = again[0] as Fired;
      expect(real.firedAt - real22).toBeGreaterThanOrEqual(-20);
      expect(real.firedAt - real22).toBeLessThan(250);
      if (real.firedAt - real22 > 50) expect(real.late).toBe(true);
      const after = out.filter((b) => b.firedAt > real.firedAt).map((b) => b.beat);
      expect(after.slice(0, 3)).toEqual([23, 24, 25]);
    }
    expect(judged).toBeGreaterThanOrEqual(6);
  });
});

describe('estimated beats through a loop made shorter while it plays (a build-up)', () => {
  /**
   * The 4-beat loop of `loopingDeck` wraps twice (5 250, 7 250); 10 ms after the second wrap the DJ halves it:
   * 57 58, 57 58, … wrapping at 8 250, 9 250, 10 250 and 11 250 (where 59 would have begun); 50 ms after the last
   * wrap the DJ leaves it, and the deck plays on from there: 58 at 11 750, 59 at 12 250.
   */
  const halvedWraps = [8_250, 9_250, 10_250, 11_250];
  function halvedDeck(): SimDeck {
    const events: DeckEvent[] = [5_250, 7_250, ...halvedWraps].map((at) => ({ at, kind: 'jump', position: LOOP_START }));
    return new SimDeck({ at: 0, position: 50.5, bpm: 120, playing: true, barOffset: 1 }, events);
  }

  /** `leftAt`: when the status stops saying the deck loops; `extraStatus`: one more status, at that instant. */
  function halvedBeats(withPositions: boolean, leftAt = 11_300, extraStatus: number | null = null): Fired[] {
    const deck = halvedDeck();
    const out: Fired[] = [];
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const times = Array.from({ length: Math.floor(14_000 / 187) }, (_, k) => 30 + 187 * k);
      if (extraStatus !== null) times.push(extraStatus);
      const statuses = times.map((t) => timer(t).pipe(map(() => opusStatus(deck, t, t >= 3_000 && t < leftAt))));
      const positions = withPositions ? Array.from({ length: Math.floor(14_000 / 30) }, (_, k) => 7 + 30 * k).map((t) => timer(t).pipe(map(() => opusPosition(deck, t)))) : [];
      estimatedBeats(merge<OpusInput[]>(...statuses, ...positions), scheduler)
        .pipe(takeWhile((b) => b.at < 14_000))
        .subscribe((b) => out.push({ ...b, firedAt: scheduler.now() }));
      flush();
    });
    return out;
  }

  it.each([
    ['from status packets alone', false],
    ['with precise positions (CDJ mode)', true],
  ])('%s: one 57 for each wrap of the shorter loop, never a burst of beats at once, and the beats after it in order', (_, withPositions) => {
    const beats = halvedBeats(withPositions).filter((b) => b.firedAt > 7_900);
    // The first wrap of the shorter loop comes where the longer one had 59: that fires (a prediction the DJ overtook),
    // then 57 as soon as a packet shows the wrap. From then on never two beats at once: a status in the loop's last
    // beat is of the pass before the wrap predicted next, not of the one after it.
    expect(beats.slice(0, 2).map((b) => b.beat)).toEqual([59, LOOP_START]);
    for (let i = 2; i < beats.length; i++) expect((beats[i] as Fired).firedAt - (beats[i - 1] as Fired).firedAt).toBeGreaterThan(300);
    // Each wrap of the halved loop fires 57 once, within a status period.
    for (const wrap of halvedWraps) {
      expect(beats.filter((b) => b.beat === LOOP_START && b.at > wrap - 20 && b.firedAt < wrap + 450)).toHaveLength(1);
    }
    // Out of the loop, the deck plays on from 57: 58, 59, 60, 61, 62, each once.
    expect(beats.filter((b) => b.at > 11_500).map((b) => b.beat)).toEqual([58, 59, 60, 61, 62]);
  });

  it('with precise positions, a loop left just after a wrap, heard before the position packets show that wrap: its first beat once', () => {
    // The last wrap at 11 250; the status saying the deck no longer loops comes at 11 262, before the packets after the
    // wrap have shown the jump back. The deck plays on from 57: 58 at 11 750.
    const beats = halvedBeats(true, 11_260, 11_262).filter((b) => b.firedAt > 10_900);
    expect(beats.map((b) => b.beat)).toEqual([57, 58, 59, 60, 61, 62]);
    // (On the grid these 14 s of statuses have taught: within 15 ms here, without the track's own grid.)
    expect(Math.abs((beats[1] as Fired).at - 11_750)).toBeLessThan(20);
  });
});
