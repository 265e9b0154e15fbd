/**
 * Estimated OPUS beats keep their numbers in order: while a deck plays
 * forward every beat number comes out exactly once. A correction of the
 * estimate never skips or repeats one; a beat whose instant is already past
 * when the bridge learns of it (the first beat after play or a jump, or one a
 * correction moved into the past) comes out at once, flagged late, with `at`
 * its estimated instant. Virtual time (TestScheduler) throughout.
 */
import { map, merge, takeWhile, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { CdjStatus } from '../../src/prolink/packets/cdj-status';
import type { PrecisePosition } from '../../src/prolink/packets/precise-position';
import { estimatedBeats, type EstimatedBeatsOptions, type OpusInput } from '../../src/streams/estimated-beats';
import type { Received } from '../../src/streams/received';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import type { DeckTiming } from '../../src/timing/deck-timing';
import { received } from './status-bytes';
import { receivedPosition } from './position-bytes';

const PERIOD = 500; // 120 BPM

/** A deck at 120 BPM whose beat n falls at (n − 1) × 500 ms, unless events move it. */
function deckFrom(position: number, playing: boolean, events: readonly DeckEvent[] = []): SimDeck {
  return new SimDeck({ at: 0, position, bpm: 120, playing, barOffset: 1 }, events);
}

/** The OPUS status deck 1 (device 9) sends at `t`, as the bridge receives it at `t`; `deckTime` is the deck's own time then. */
function opusStatus(deck: SimDeck, t: number, trackId = 5, deckTime = t): Received<CdjStatus> {
  const beat = Math.max(1, Math.floor(deck.positionAt(deckTime) + 1e-9));
  return received({ name: 'OPUS-QUAD', device: 9, trackId, bpm: deck.bpmAt(deckTime), playing: deck.playingAt(deckTime), beat, beatInBar: ((beat - 1) % 4) + 1 }, t);
}

/** Status times 200 ms apart, alternately 1 ms after and 1 ms before a multiple of 200 ms: some land right beside a beat. */
function tightCadence(from: number, to: number): number[] {
  const times: number[] = [];
  for (let k = Math.ceil(from / 200); 200 * k <= to; k++) times.push(200 * k + (k % 2 === 1 ? 1 : -1));
  return times;
}

function every250(from: number, to: number): number[] {
  const times: number[] = [];
  for (let t = from; t <= to; t += 250) times.push(t);
  return times;
}

function every200(from: number, to: number): number[] {
  const times: number[] = [];
  for (let t = from; t <= to; t += 200) times.push(t);
  return times;
}

/** Track time of beat 1 (ms) for precise positions: beat n sits at FIRST_BEAT_MS + (n − 1) × 500. */
const FIRST_BEAT_MS = 21;

/** The precise position packet (§5) deck 1 sends at `t` in CDJ mode. */
function opusPosition(deck: SimDeck, t: number): Received<PrecisePosition> {
  return receivedPosition(FIRST_BEAT_MS + (deck.positionAt(t) - 1) * PERIOD, deck.bpmAt(t), t);
}

/** A beat and the virtual instant it came out. */
type Fired = BeatEvent & { readonly firedAt: number };

/** Whether a beat came out at its (estimated) instant rather than at once, after it. */
const onItsInstant = (b: Fired): boolean => Math.abs(b.firedAt - b.at) < 1e-6;

/** The beats estimatedBeats emits, up to `until`, for the packets `packetAt` makes at each of `times` (and `more` at theirs). */
function beatsOf(
  times: readonly number[],
  packetAt: (t: number) => OpusInput,
  until: number,
  more: readonly number[] = [],
  moreAt: (t: number) => OpusInput = packetAt,
  options: EstimatedBeatsOptions = {},
): Fired[] {
  const out: Fired[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const inputs = merge<OpusInput[]>(...times.map((t) => timer(t).pipe(map(() => packetAt(t)))), ...more.map((t) => timer(t).pipe(map(() => moreAt(t)))));
    estimatedBeats(inputs, scheduler, options)
      .pipe(takeWhile((b) => b.at < until))
      .subscribe((b) => out.push({ ...b, firedAt: scheduler.now() }));
    flush();
  });
  return out;
}

/** The beats estimatedBeats emits for statuses at `times` (and precise positions at `positions`), up to `until`. */
function beatsFor(deck: SimDeck, times: readonly number[], until: number, positions: readonly number[] = []): Fired[] {
  return beatsOf(times, (t) => opusStatus(deck, t), until, positions, (t) => opusPosition(deck, t));
}

function numbers(beats: readonly BeatEvent[], from = -Infinity): (number | null)[] {
  return beats.filter((b) => b.at >= from).map((b) => b.beat);
}

describe('estimated beats: corrections never skip or repeat a beat number', () => {
  it('emits a beat at once, flagged late, when a correction puts its instant in the past', () => {
    // Steady at 120 BPM, then the deck moves 10 ms ahead at 10 s: beat 22 falls at 10 490 instead of 10 500.
    const deck = deckFrom(1, true, [{ at: 10_000, kind: 'jump', position: 21 + 10 / PERIOD }]);
    const times = [...tightCadence(200, 9_999), ...every200(10_095, 13_000)];
    const beats = beatsFor(deck, times, 13_000);
    expect(numbers(beats, 7_900)).toEqual([17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27]);
    const b22 = beats.find((b) => b.beat === 22) as BeatEvent;
    // The status at 10 495 shows beat 22 reached: it comes out then, with its instant as now estimated.
    expect(b22.late).toBe(true);
    expect(b22.at).toBeGreaterThanOrEqual(10_485);
    expect(b22.at).toBeLessThanOrEqual(10_495);
    // The others come out on their instants (statuses exactly every 200 ms at 120 BPM place a beat no
    // closer than ±51 ms, so those beats also say `late`: they may be that much after the beat), from
    // beat 3 on: counter 1 does not tell whether beat 1 was reached (the deck shows 1 from the start
    // of the track), so beat 2 comes out when a status shows it.
    expect(beats.filter((b) => b.beat !== 22 && (b.beat ?? 0) > 2).every(onItsInstant)).toBe(true);
  });

  it('does not repeat a beat when a correction puts the last one emitted in the future again', () => {
    // The deck falls 15 ms behind at 10 700 (mid-beat): each beat from 23 on is 15 ms later than
    // estimated. Statuses 5 ms after the estimated beats (every 250 ms) show it; the third such
    // conflict moves the estimate, right after beat 25 was emitted at its old instant.
    const deck = deckFrom(1, true, [{ at: 10_700, kind: 'jump', position: 22.4 - 15 / PERIOD }]);
    const times = [...tightCadence(200, 9_999), ...every250(10_505, 16_000)];
    const beats = beatsFor(deck, times, 16_000);
    expect(numbers(beats, 7_900)).toEqual([17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32]);
  });
});

describe('estimated beats: the first beat after play or a jump', () => {
  it('emits the beat a deck starts on, late, when play from a cue on a beat is heard after the fact', () => {
    // Cued exactly on beat 33 (play state 'cued'), play at 5 000; the first status showing play arrives at 5 150.
    const deck = deckFrom(33, false, [{ at: 5_000, kind: 'play' }]);
    const atCue = (t: number): OpusInput => (t < 5_000 ? received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 120, playing: false, playState: 6, beat: 33, beatInBar: 1 }, t) : opusStatus(deck, t));
    const beats = beatsOf(every200(150, 8_900), atCue, 8_900);
    expect(numbers(beats)).toEqual([33, 34, 35, 36, 37, 38, 39, 40]);
    const [first, second] = beats as [Fired, Fired];
    expect(first.late).toBe(true);
    expect(onItsInstant(first)).toBe(false);
    expect(first.at).toBeGreaterThanOrEqual(4_950); // not before the last status that showed the deck stopped
    expect(first.at).toBeLessThanOrEqual(5_150);
    expect(onItsInstant(second)).toBe(true);
  });

  it('emits the beat a jump lands on, late, and goes on from there without a gap', () => {
    // Playing from 80.3; at 2 100 a hot cue puts the playhead on beat 229.
    const deck = deckFrom(80.3, true, [{ at: 2_100, kind: 'jump', position: 229 }]);
    const beats = beatsFor(deck, every200(50, 6_000), 6_000);
    expect(numbers(beats)).toEqual([81, 82, 83, 84, 229, 230, 231, 232, 233, 234, 235, 236]);
    const landed = beats.find((b) => b.beat === 229) as BeatEvent;
    expect(landed.late).toBe(true);
    expect(landed.at).toBeGreaterThanOrEqual(2_050);
    expect(landed.at).toBeLessThanOrEqual(2_250);
  });

  it('makes earlier numbers due again after a jump back (a loop)', () => {
    const deck = deckFrom(60.5, true, [{ at: 2_000, kind: 'jump', position: 57 }]);
    const beats = beatsFor(deck, every200(50, 4_800), 4_800);
    // 64 came at 1 750; at 2 000 the deck is back on 57, which the status at 2 050 shows.
    expect(numbers(beats)).toEqual([61, 62, 63, 64, 57, 58, 59, 60, 61, 62]);
  });

  it('numbers a new track afresh: its first beat late, none of the last track\'s phase carried over', () => {
    // Track 5 plays until 4 000, when track 6 starts from its beat 1 (the same tempo, another phase).
    const first = deckFrom(30, true);
    const second = deckFrom(1, true);
    const out: Fired[] = [];
    const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
    scheduler.run(({ flush }) => {
      const statuses = merge(
        ...every200(0, 6_000).map((t) =>
          timer(t).pipe(map(() => (t < 4_000 ? opusStatus(first, t) : opusStatus(second, t, 6, t - 4_000)))),
        ),
      );
      estimatedBeats(statuses, scheduler)
        .pipe(takeWhile((b) => b.at < 6_000))
        .subscribe((b) => out.push({ ...b, firedAt: scheduler.now() }));
      flush();
    });
    expect(numbers(out, 3_000)).toEqual([37, 38, 1, 2, 3, 4, 5]);
    const one = out.find((b) => b.beat === 1) as BeatEvent;
    expect(one.late).toBe(true);
    expect(one.at).toBeGreaterThanOrEqual(3_800);
    // Beat 2 too comes out when a status shows it (counter 1 does not say whether beat 1 was reached); then on their instants.
    expect(out.filter((b) => b.at > 4_100 && b.beat !== 2).every(onItsInstant)).toBe(true);
  });

  it('resumes after a pause inside a beat without repeating the beat already emitted', () => {
    const deck = deckFrom(40.1, true, [
      { at: 1_000, kind: 'pause' }, // at 42.1
      { at: 3_000, kind: 'play' },
    ]);
    const beats = beatsFor(deck, every200(130, 6_000), 6_000);
    expect(numbers(beats)).toEqual([41, 42, 43, 44, 45, 46, 47, 48]);
    expect(beats.every(onItsInstant)).toBe(true);
  });

  it('plays again the beat the CUE button put the deck back within: play from the cue point begins with it', () => {
    // At 1 000, 0.1 into beat 42, CUE: back to the cue point on beat 42, paused (the statuses say 'cued'). PLAY at 3 000.
    const deck = deckFrom(40.1, true, [
      { at: 1_000, kind: 'pause' },
      { at: 1_000, kind: 'jump', position: 42 },
      { at: 3_000, kind: 'play' },
    ]);
    const out = beatsOf(
      every200(130, 5_800),
      (t) => {
        const s = opusStatus(deck, t);
        return s.packet.playing ? s : received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 120, playing: false, playState: 6, beat: s.packet.beat, beatInBar: s.packet.beatInBar }, t);
      },
      5_800,
    );
    expect(numbers(out)).toEqual([41, 42, 42, 43, 44, 45, 46, 47]);
    // The first status to show play (3 130) shows 42: it comes out then, late.
    const again = out[2] as Fired;
    expect(again.late).toBe(true);
    expect(again.firedAt).toBe(3_130);
    expect(out.slice(3).every(onItsInstant)).toBe(true);
  });

  it('emits again, when the deck reaches it, a beat predicted just before a pause that the deck never reached', () => {
    // Paused at 1 440, 10 ms short of beat 43 (due at 1 450); the status at 1 530 shows it stopped in 42.
    // Play again at 3 000: beat 43 really comes at 3 010, and each one after it 500 ms on.
    const deck = deckFrom(40.1, true, [
      { at: 1_440, kind: 'pause' },
      { at: 3_000, kind: 'play' },
    ]);
    const beats = beatsFor(deck, every200(130, 5_800), 5_800);
    // The 43 at 1 450 was a prediction the pause made wrong (nothing heard before it could tell).
    expect(numbers(beats)).toEqual([41, 42, 43, 43, 44, 45, 46, 47, 48]);
    // The first status to show play (3 130) already shows 43: it comes out then, late, dated no earlier than the last stopped status.
    const again = beats[3] as Fired;
    expect(again.late).toBe(true);
    expect(again.firedAt).toBe(3_130);
    expect(again.at).toBeGreaterThanOrEqual(2_930);
    expect(beats.slice(4).every(onItsInstant)).toBe(true);
  });

  it('takes a hand on the platter for a pause: the beat predicted while it held the deck comes again when the deck gets there', () => {
    // Held from 1 440 to 1 900, 10 ms short of beat 43 (due at 1 450): the player still says it plays (P1 03)
    // and its motion byte says it stands (P2 fe). Beat 43 really comes at 1 910, and each one after it 500 ms on.
    const deck = deckFrom(40.1, true, [
      { at: 1_440, kind: 'pause' },
      { at: 1_900, kind: 'play' },
    ]);
    const held = (t: number): boolean => t >= 1_440 && t < 1_900;
    // What a MIDI clock following the deck reads: its grid, asked as the statuses come in.
    let timing: DeckTiming | null = null;
    const gridPlaying = new Map<number, boolean | undefined>();
    const out = beatsOf(
      every200(130, 4_800),
      (t) => {
        if (timing !== null) gridPlaying.set(t, timing.grid(t)?.playing);
        const beat = Math.max(1, Math.floor(deck.positionAt(t) + 1e-9));
        return received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 120, playing: true, moving: !held(t), beat, beatInBar: ((beat - 1) % 4) + 1 }, t);
      },
      4_800,
      [],
      undefined,
      { onEstimator: (_deck, t) => (timing = t) },
    );
    // Asked just before each status arrives: playing before the hold, standing from the first held status on, playing again after.
    expect([1_330, 1_730, 1_930, 2_330].map((t) => gridPlaying.get(t))).toEqual([true, false, false, true]);
    // The 43 at 1 450 was a prediction the hold made wrong; the status at 1 530 shows the deck standing in 42.
    expect(numbers(out)).toEqual([41, 42, 43, 43, 44, 45, 46, 47, 48]);
    const again = out[3] as Fired;
    expect(again.firedAt).toBeGreaterThanOrEqual(1_910);
    expect(again.firedAt).toBeLessThanOrEqual(1_930); // the first status that shows the deck moving again
    for (const b of out.slice(5)) expect(Math.abs(b.at - (1_910 + ((b.beat as number) - 43) * 500))).toBeLessThan(40);
  });

  it('emits a beat again after a beat jump one beat back, once a status had shown the deck reach it', () => {
    // Beat n at (n − 60) × 500. At 6 120 (0.24 into beat 72, which the status at 6 050 showed) the deck
    // jumps one beat back, keeping its place in the beat: 72 comes again at 6 500, then 73 at 7 000.
    const deck = deckFrom(60, true, [{ at: 6_120, kind: 'jump', position: 71.24 }]);
    const beats = beatsFor(deck, every200(50, 7_900), 7_900);
    const after = beats.filter((b) => b.at > 6_100 || (b as Fired).firedAt > 6_100);
    const again = after.find((b) => b.beat === 72) as Fired | undefined;
    expect(again).toBeDefined();
    // Never early; if as late as the reading that the jump landed on a beat puts it, it says so.
    const error = (again as Fired).firedAt - 6_500;
    expect(error).toBeGreaterThanOrEqual(-5);
    expect(error).toBeLessThan(60);
    if (error > 15) expect((again as Fired).late).toBe(true);
    expect(numbers(after).slice(-3)).toEqual([72, 73, 74]);
  });

  it('starts with the first beat after it first hears a deck already playing, none before', () => {
    // First heard at 100 (position 10.9); beat 11 falls at 150, before the estimate can place it.
    const deck = deckFrom(10.7, true);
    const beats = beatsFor(deck, every200(100, 2_900), 2_900);
    expect(numbers(beats)).toEqual([11, 12, 13, 14, 15, 16]);
  });

  it('starts a deck first heard paused inside a beat (an instant double of a stopped deck) with the next beat; one heard at its cue with the cue\'s', () => {
    // Paused 0.4 into beat 146 (play state 'paused') from before the bridge heard it; plays at 3 000, beat 147 at 3 300.
    const paused = deckFrom(146.4, false, [{ at: 3_000, kind: 'play' }]);
    expect(numbers(beatsFor(paused, every200(50, 5_000), 5_000))).toEqual([147, 148, 149, 150]);
    // At its cue point on beat 146 (play state 'cued'): play begins with 146, at 3 000.
    const cued = deckFrom(146, false, [{ at: 3_000, kind: 'play' }]);
    const atCue = (t: number): OpusInput => (t < 3_000 ? received({ name: 'OPUS-QUAD', device: 9, trackId: 5, bpm: 120, playing: false, playState: 6, beat: 146, beatInBar: 2 }, t) : opusStatus(cued, t));
    expect(numbers(beatsOf(every200(50, 5_000), atCue, 5_000))).toEqual([146, 147, 148, 149, 150]);
  });
});

describe('estimated beats with precise positions (OPUS-QUAD in CDJ mode)', () => {
  function every30(from: number, to: number): number[] {
    const times: number[] = [];
    for (let t = from; t <= to; t += 30) times.push(t);
    return times;
  }

  it('puts the beat a jump lands on at its true instant, within a few packets of the jump, and the next ones on the playhead', () => {
    // 40 s of play teach the grid; at 40 100 a hot cue puts the playhead on beat 229.
    const deck = deckFrom(1, true, [{ at: 40_100, kind: 'jump', position: 229 }]);
    const beats = beatsFor(deck, every200(50, 43_000), 43_000, every30(7, 43_000));
    expect(numbers(beats, 38_000)).toEqual([77, 78, 79, 80, 81, 229, 230, 231, 232, 233, 234]);
    const landed = beats.find((b) => b.beat === 229) as BeatEvent;
    expect(landed.late).toBe(true);
    expect(Math.abs(landed.at - 40_100)).toBeLessThan(3);
    for (const b of beats.filter((x) => x.beat !== null && x.beat > 229)) {
      expect(onItsInstant(b)).toBe(true);
      expect(Math.abs(b.at - (40_100 + ((b.beat as number) - 229) * PERIOD))).toBeLessThan(3);
    }
  });

  it('starts a cued deck on its cue beat, at the instant play began', () => {
    const deck = deckFrom(1, true, [
      { at: 30_010, kind: 'pause' },
      { at: 31_000, kind: 'jump', position: 57 },
      { at: 33_333, kind: 'play' },
    ]);
    const beats = beatsFor(deck, every200(50, 36_000), 36_000, every30(7, 36_000));
    expect(numbers(beats, 29_000)).toEqual([59, 60, 61, 57, 58, 59, 60, 61, 62]);
    const start = beats.find((b) => b.beat === 57 && b.at > 33_000) as BeatEvent;
    expect(start.late).toBe(true);
    expect(Math.abs(start.at - 33_333)).toBeLessThan(3);
  });

  it('skips the beat a beat jump of one beat forward jumped over, as the playhead shows', () => {
    // At 40 130 (0.26 into beat 81) the deck jumps one beat on, keeping its place: 82 is never played, 83 comes at 40 500.
    const deck = deckFrom(1, true, [{ at: 40_130, kind: 'jump', position: 82.26 }]);
    const beats = beatsFor(deck, every200(50, 42_900), 42_900, every30(7, 42_900));
    expect(numbers(beats, 39_000)).toEqual([79, 80, 81, 83, 84, 85, 86, 87]);
    const b83 = beats.find((b) => b.beat === 83) as Fired;
    expect(Math.abs(b83.at - 40_500)).toBeLessThan(3);
  });

  it('takes a nudge of the jog wheel for what it is, not a jump: no beat again after one back, none skipped after one on', () => {
    /** How far (ms) beats 84–86 lie from where beat 81's line had them: the playhead's move, as the bridge follows it. */
    const shiftAfter = (beats: readonly Fired[]): number => {
      const b81 = beats.find((b) => b.beat === 81) as Fired;
      const after = beats.filter((b) => b.beat !== null && b.beat >= 84 && b.beat <= 86);
      expect(after.length).toBe(3);
      return after.reduce((sum, b) => sum + (b.at - (b81.at + ((b.beat as number) - 81) * PERIOD)), 0) / after.length;
    };
    // 40 s of play teach the grid. At 40 490 the DJ holds the deck back 10 ms (a step of the playhead here):
    // beat 82 comes at 40 510, after the bridge fired it on the old line, and no second time.
    const back = deckFrom(1, true, [{ at: 40_490, kind: 'jump', position: 81.96 }]);
    const statuses = Array.from({ length: 231 }, (_, i) => 50 + 190 * i);
    const held = beatsFor(back, statuses, 43_400, every30(7, 43_400));
    expect(numbers(held, 39_100)).toEqual([80, 81, 82, 83, 84, 85, 86, 87]);
    expect(shiftAfter(held)).toBeCloseTo(10, 0); // the line 10 ms later
    // At 40 495 the DJ pushes it 15 ms on, over beat 82 (before a packet can show it): 82 fires once, then 83 on the new line.
    const on = deckFrom(1, true, [{ at: 40_495, kind: 'jump', position: 82.02 }]);
    const pushed = beatsFor(on, statuses, 43_400, every30(7, 43_400));
    expect(numbers(pushed, 39_100)).toEqual([80, 81, 82, 83, 84, 85, 86, 87]);
    expect(shiftAfter(pushed)).toBeCloseTo(-15, 0);
  });

  it('goes on with a track the playhead showed playing before a status named it (an instant double onto an empty deck)', () => {
    // The deck is empty until 5 000, then plays track 5 from 0.5 into beat 13 (instant doubles). Position packets
    // come from then on; the first status to name the track, at 5 080, is already in beat 13.
    const deck = deckFrom(1, true, [{ at: 5_000, kind: 'jump', position: 13.5 }]);
    const empty = (t: number): OpusInput => received({ name: 'OPUS-QUAD', device: 9, trackId: 0, bpm: null, beat: null }, t);
    // Statuses 190 ms apart land on every phase of the beat.
    const statuses = Array.from({ length: 106 }, (_, i) => 50 + 190 * i);
    const beats = beatsOf(statuses, (t) => (t < 5_000 ? empty(t) : opusStatus(deck, t)), 20_000, every30(5_001, 20_000), (t) => opusPosition(deck, t));
    // Beat 13 began before the deck had the track: the first beat it plays is 14, at 5 250, and every one after it once.
    expect(numbers(beats)).toEqual(Array.from({ length: 30 }, (_, i) => 14 + i));
    const error = (b: BeatEvent): number => Math.abs(b.at - (5_250 + ((b.beat as number) - 14) * PERIOD));
    // The new track's grid is learned from its statuses (no library here): the first beats within a status period,
    // said late, then within what a beat not said late may be off by, then to a few ms (these statuses' phases
    // repeat, so they narrow it down only so far).
    for (const b of beats) expect(error(b)).toBeLessThan(b.late ? 200 : 50);
    expect(beats.slice(0, 2).every((b) => b.late)).toBe(true);
    for (const b of beats.filter((x) => x.at > 10_000)) expect(error(b)).toBeLessThan(10);
  });

  it('emits again, at its true instant, a beat the playhead put just after a pause (heard a packet late)', () => {
    // 40 s of play teach the grid. Paused at 40 498, 2 ms short of beat 82; the next position packet
    // (40 507) shows it. Play again at 42 000: beat 82 comes at 42 002, the packet at 42 007 shows it.
    const deck = deckFrom(1, true, [
      { at: 40_498, kind: 'pause' },
      { at: 42_000, kind: 'play' },
    ]);
    // Statuses 190 ms apart land on every phase of the beat, so the grid is known to a few ms by 40 s.
    const statuses = Array.from({ length: 231 }, (_, i) => 50 + 190 * i);
    const beats = beatsFor(deck, statuses, 43_900, every30(7, 43_900));
    expect(numbers(beats, 39_100)).toEqual([80, 81, 82, 82, 83, 84, 85]);
    const again = beats.filter((b) => b.beat === 82)[1] as Fired;
    expect(again.late).toBe(true);
    expect(Math.abs(again.at - 42_002)).toBeLessThan(3);
    for (const b of beats.filter((x) => x.at > 42_100)) {
      expect(onItsInstant(b)).toBe(true);
      expect(Math.abs(b.at - (42_002 + ((b.beat as number) - 82) * PERIOD))).toBeLessThan(3);
    }
  });
});
