/**
 * A CDJ-3000's precise positions show where a jump landed. When the deck
 * lands on a beat's very start (a hot cue, a cue point) and that beat's
 * packet is lost, nothing else shows it was played: the positions place the
 * landing, the next packet where that beat began. It fires late, at the
 * instant the deck landed. So does a beat the deck reached just before it
 * jumped, whose packet was lost too: the positions show it got there. A landing inside a beat (a beat jump) played no
 * beat start, and fires nothing; without positions (NXS2 players) the lost
 * landing packet is not filled in.
 */
import { map, merge, timer } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { Beat } from '../../src/prolink/packets/beat';
import type { CdjStatus } from '../../src/prolink/packets/cdj-status';
import type { PrecisePosition } from '../../src/prolink/packets/precise-position';
import { realBeats } from '../../src/streams/real-beats';
import type { Received } from '../../src/streams/received';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { receivedBeat } from './beat-bytes';
import { receivedPosition } from './position-bytes';
import { received } from './status-bytes';

const PERIOD = 500; // 120 BPM: beat n begins at track time 21 + (n − 1) × 500 ms
const JUMP_AT = 3_100;

interface Run {
  readonly beats: BeatEvent[];
  /** Instants the deck's beats began (the truth). */
  readonly truth: { readonly at: number; readonly beat: number }[];
}

/**
 * Player 3 plays from 70.5 at 0 (beat 71 at 250 ms) and at JUMP_AT jumps to
 * `landing` (65: onto beat 65's start; 65.48: inside it). The packets of the
 * beats beginning at `lostAt` never arrive; statuses every 200 ms; a precise
 * position every 30 ms when `positions`.
 */
function play(landing: number | readonly DeckEvent[], lostAt: (truth: Run['truth']) => number[], positions: boolean): Run {
  const events: readonly DeckEvent[] = typeof landing === 'number' ? [{ at: JUMP_AT, kind: 'jump', position: landing }] : landing;
  const deck = new SimDeck({ at: 0, position: 70.5, bpm: 120, playing: true, barOffset: 1 }, events);
  const jumps = new Set(events.filter((e) => e.kind === 'jump').map((e) => e.at));
  const until = 6_000;
  const truth: { at: number; beat: number }[] = [];
  for (let t = 1; t < until; t++) {
    const now = Math.floor(deck.positionAt(t) + 1e-9);
    const onBeat = Math.abs(deck.positionAt(t) - now) < 1e-9;
    if (deck.playingAt(t) && now !== Math.floor(deck.positionAt(t - 1) + 1e-9) && (!jumps.has(t) || onBeat)) truth.push({ at: t, beat: now });
    else if (deck.playingAt(t) && !deck.playingAt(t - 1) && onBeat) truth.push({ at: t, beat: now });
  }
  const lost = lostAt(truth);
  const beats: BeatEvent[] = [];
  const scheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  scheduler.run(({ flush }) => {
    const beatPacket = (b: { at: number; beat: number }): Received<Beat> => receivedBeat({ device: 3, beatInBar: ((b.beat - 1) % 4) + 1, nextBeatMs: PERIOD, bpm100: 12000 }, b.at);
    const beatInputs = merge(...truth.filter((b) => !lost.includes(b.at)).map((b) => timer(b.at).pipe(map(() => beatPacket(b)))));
    const status = (t: number): Received<CdjStatus> => {
      const beat = Math.floor(deck.positionAt(t) + 1e-9);
      return received({ name: positions ? 'CDJ-3000' : 'CDJ-2000NXS2', device: 3, trackId: 5, bpm: 120, playing: deck.playingAt(t), beat, beatInBar: ((beat - 1) % 4) + 1 }, t);
    };
    const statusInputs = merge(...Array.from({ length: until / 200 }, (_, k) => 30 + 200 * k).map((t) => timer(t).pipe(map(() => status(t)))));
    const position = (t: number): Received<PrecisePosition> => receivedPosition(21 + (deck.positionAt(t) - 1) * PERIOD, 120, t, { name: 'CDJ-3000', device: 3 });
    const positionInputs = positions ? merge(...Array.from({ length: Math.floor(until / 30) }, (_, k) => 7 + 30 * k).map((t) => timer(t).pipe(map(() => position(t))))) : merge();
    realBeats(beatInputs, statusInputs, positionInputs).subscribe((b) => beats.push(b));
    flush();
  });
  return { beats, truth };
}

const landingPacket = (truth: Run['truth']): number[] => truth.filter((b) => b.at === JUMP_AT).map((b) => b.at);

describe('real beat packets: the lost packet of the beat a jump landed on (CDJ-3000 positions)', () => {
  it('fires that beat late, at the instant the deck landed, with its number; the next beats on their packets', () => {
    const { beats, truth } = play(65, landingPacket, true);
    expect(truth.find((b) => b.at === JUMP_AT)?.beat).toBe(65);
    const after = beats.filter((b) => b.at >= JUMP_AT - 1);
    expect(after.map((b) => b.beat).slice(0, 4)).toEqual([65, 66, 67, 68]);
    const landed = after[0] as BeatEvent;
    expect(Math.abs(landed.at - JUMP_AT)).toBeLessThan(1);
    expect(landed).toMatchObject({ late: true, estimated: true, confirmed: true });
    // Nothing before the jump fired twice, nothing after it is late.
    expect(after.slice(1).every((b) => !b.late)).toBe(true);
    expect(new Set(beats.map((b) => `${b.beat}@${Math.round(b.at)}`)).size).toBe(beats.length);
  });

  it('fills in the packet lost just before the jump too: the positions show the deck reached that beat before it jumped', () => {
    // Beat 76 begins at 2 750, inside it the deck jumps at 3 100: the packets of 76 and of 65, where it lands, are lost.
    const { beats } = play(65, (truth) => truth.filter((b) => b.at === 2_750 || b.at === JUMP_AT).map((b) => b.at), true);
    const around = beats.filter((b) => b.at > 2_000 && b.at < 4_200);
    expect(around.map((b) => `${String(b.beat)}@${Math.round(b.at)}${b.late ? ' late' : ''}`)).toEqual(['75@2250', '76@2750 late', '65@3100 late', '66@3600', '67@4100']);
  });

  it('takes nothing from a jump while the deck stood (a needle search while stopped): play goes on from where it is counted', () => {
    // Stopped at 2 900 inside beat 76, whose packet was lost (filled in when a status shows the deck stopped in it);
    // moved to the middle of beat 40 at 3 500, and played from there at 4 000.
    const events: DeckEvent[] = [
      { at: 2_900, kind: 'pause' },
      { at: 3_500, kind: 'jump', position: 40.5 },
      { at: 4_000, kind: 'play' },
    ];
    const { beats, truth } = play(events, () => [2_750], true);
    expect(truth.filter((b) => b.at > 2_000 && b.at < 4_800).map((b) => b.beat)).toEqual([75, 76, 41, 42]);
    const around = beats.filter((b) => b.at > 2_000 && b.at < 4_800);
    expect(around.map((b) => `${String(b.beat)}@${Math.round(b.at)}${b.late ? ' late' : ''}`)).toEqual(['75@2250', '76@2750 late', '41@4250', '42@4750']);
  });

  it('fires nothing for a landing inside a beat (a beat jump): that beat’s start was never played', () => {
    const { beats } = play(65.48, () => [], true);
    expect(beats.filter((b) => b.at >= JUMP_AT - 1 && b.beat === 65)).toEqual([]);
  });

  it('does not fill it in without positions (an NXS2): nothing shows the deck landed on that beat', () => {
    const { beats } = play(65, landingPacket, false);
    expect(beats.filter((b) => b.at >= JUMP_AT - 1 && b.beat === 65)).toEqual([]);
  });

  it('fills nothing in when the landing’s own packet came: one beat at the landing, on its packet', () => {
    const { beats } = play(65, () => [], true);
    // (Its number is the one a jump by whole bars would give: beat 65 has the place in the bar 77 would have had.)
    expect(beats.filter((b) => Math.abs(b.at - JUMP_AT) < 50).map((b) => [Math.round(b.at), b.late])).toEqual([[JUMP_AT, false]]);
    expect(beats.filter((b) => b.at > JUMP_AT + 50 && b.at < JUMP_AT + 1_200).map((b) => b.beat)).toEqual([66, 67]);
  });
});
