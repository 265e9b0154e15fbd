/**
 * Beats from real beat packets (§4): the packet's arrival is the beat. Beat
 * packets carry no beat number, so it is carried forward from the player's
 * status beat counter (0xa0): the next beat after counter c is c + 1.
 * Mixer beat packets (a metronome, §4) are left out.
 *
 * Between two status packets, the beats carry the count on themselves: a
 * packet a whole number n of beat periods after the last one, whose place in
 * the bar is n on from the last one's, is n beats on (a lost packet is
 * counted). One that is not (it comes off the beat period, or its place in
 * the bar does not follow) is the first beat after a jump (a cue, a hot cue,
 * a loop started elsewhere) that no status has shown yet: its instant is
 * right but its number cannot be known, so it goes out with `beat: null`, and
 * the next status gives the count again.
 */
import { filter, merge, type Observable } from 'rxjs';
import type { Beat } from '../prolink/packets/beat';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';
import { withState } from './with-state';

/** A status generated just before a beat packet can arrive just after it; within this window it is not a correction. */
const STATUS_RACE_MS = 150;

/** Longest loop learned (beats); a jump back farther than this is a cue or a jump. */
const MAX_LOOP_BEATS = 64;

/**
 * A loop the player was seen to wrap: it plays `start` … `end − 1`, and the
 * beat packet where `end` would be is `start` again. Learned when a status
 * shows the player back at `start` right after the beat numbered `end`; used
 * from the next wrap on while the status says it loops, or from the third
 * when the same wrap was seen twice.
 */
interface Loop {
  readonly start: number;
  readonly end: number;
  readonly wraps: number;
}

/**
 * A beat packet with the same content as the device's last one, within this
 * share of a beat, is a copy (a switch or Wi-Fi delivering it twice), not a
 * beat: even a one-beat loop repeats only a whole beat later.
 */
const COPY_WITHIN_BEATS = 0.5;

/** Whether `b` says what `a` said (a copy of the same beat packet). */
function sameBeat(a: Beat, b: Beat): boolean {
  return a.beatInBar === b.beatInBar && a.nextBeat === b.nextBeat && a.nextBar === b.nextBar && a.bpm === b.bpm && a.pitch === b.pitch;
}

/** A beat packet this far (share of a beat period) from a whole number of periods after the last one is off the beat: a jump. */
const OFF_BEAT_SHARE = 0.25;
/** Beats are counted from the last packet only while it is this recent (beat periods); past that, the status count rules. */
const COUNT_FROM_PACKET_BEATS = 2.5;

/** Per device; private to one subscription, updated in place. */
interface DeviceCount {
  lastBeat: number | null;
  lastBeatAt: number;
  /** The last beat packet's place in the bar (1–4), or null. */
  lastInBar: number | null;
  /** lastBeat is the number given to the last beat packet (no status has set it since). */
  countedByPacket: boolean;
  /** The number the last beat packet would have had if it had not come off the beat (null when it did not). */
  unnumberedGuess: number | null;
  /**
   * The status counter went from 0 (parked at the start) to 1: the player
   * shows 1 from the moment it leaves the start, before beat 1 (§3.1), so the
   * next beat packet is beat 1 itself.
   */
  leftStart: boolean;
  /** The last beat packet counted, to tell a copy of it from the next beat. */
  lastPacket: Beat | null;
  loop: Loop | null;
  looping: boolean;
  /** The last beat was numbered by a loop's wrap (so a status showing the start confirms it). */
  wrapped: boolean;
}

/** After the status showed counter `now` where the beats had reached `last`: the loop that explains it, if any. */
function learnLoop(known: Loop | null, last: number | null, now: number | null, wrapped: boolean): Loop | null {
  if (last === null || now === null || now < 1 || now >= last) return known !== null && now !== null && now >= known.end ? null : known;
  if (wrapped) return known;
  const length = last - now;
  if (length < 2 || length > MAX_LOOP_BEATS) return null;
  const again = known !== null && known.start === now && known.end === last;
  return { start: now, end: last, wraps: again ? known.wraps + 1 : 1 };
}

/**
 * How many beat periods on from the last counted beat packet this one is: 1
 * unless the last packet's own count is recent enough to check against, then
 * the whole number of periods between them, or null when the packet is off
 * the beat (a jump no status has shown yet).
 */
function periodsSince(known: DeviceCount, at: number, bpm: number): number | null {
  if (!known.countedByPacket || !(bpm > 0)) return 1;
  const periods = ((at - known.lastBeatAt) * bpm) / 60_000;
  if (periods > COUNT_FROM_PACKET_BEATS) return 1;
  const n = Math.round(periods);
  return n < 1 || Math.abs(periods - n) > OFF_BEAT_SHARE ? null : n;
}

/** Whether beat `beat` sits at `inBar` in its bar, as the last counted packet's place in the bar says (true when either is unknown). */
function inStep(known: DeviceCount, beat: number, inBar: number | null): boolean {
  if (!known.countedByPacket || inBar === null || known.lastInBar === null || known.lastBeat === null) return true;
  return ((((known.lastInBar - 1 + beat - known.lastBeat) % 4) + 4) % 4) + 1 === inBar;
}

function isStatus(r: Received<Beat> | Received<CdjStatus>): r is Received<CdjStatus> {
  return r.packet.kind === 'cdjStatus';
}

export function realBeats(beats: Observable<Received<Beat>>, status: Observable<Received<CdjStatus>>): Observable<BeatEvent> {
  const inputs = merge(
    beats.pipe(filter((b) => !b.packet.fromMixer)),
    status.pipe(filter((s) => !s.packet.isOpus)),
  );
  return inputs.pipe(
    withState<Received<Beat> | Received<CdjStatus>, BeatEvent, Map<number, DeviceCount>>(
      () => new Map(),
      (counts, input, emit) => {
        const { packet, at } = input;
        let known = counts.get(packet.device);
        if (known === undefined) {
          known = { lastBeat: null, lastBeatAt: -Infinity, lastInBar: null, countedByPacket: false, unnumberedGuess: null, leftStart: false, lastPacket: null, loop: null, looping: false, wrapped: false };
          counts.set(packet.device, known);
        }
        if (isStatus(input)) {
          const recent = at - known.lastBeatAt < STATUS_RACE_MS;
          const raced =
            recent &&
            ((known.lastBeat !== null && input.packet.beat === known.lastBeat - 1) ||
              (known.lastBeat === null && known.unnumberedGuess !== null && input.packet.beat === known.unnumberedGuess - 1));
          const wasLooping = known.looping;
          known.looping = input.packet.playState === 'looping';
          if (!input.packet.playing || (wasLooping && !known.looping)) known.loop = null;
          else if (!raced) known.loop = learnLoop(known.loop, known.lastBeat, input.packet.beat, known.wrapped);
          if (!raced) {
            if (input.packet.beat !== known.lastBeat) known.countedByPacket = false;
            known.leftStart = input.packet.beat === 1 && (known.lastBeat === 0 || (known.leftStart && known.lastBeat === 1));
            known.lastBeat = input.packet.beat;
          }
          known.wrapped = false;
          return;
        }
        const bpm = input.packet.effectiveBpm ?? 0;
        const copyWindowMs = bpm > 0 ? (COPY_WITHIN_BEATS * 60_000) / bpm : 0;
        if (known.lastPacket !== null && at - known.lastBeatAt < copyWindowMs && sameBeat(known.lastPacket, input.packet)) return;
        known.lastPacket = input.packet;
        const inBar = input.packet.beatInBar >= 1 && input.packet.beatInBar <= 4 ? input.packet.beatInBar : null;
        const step = known.leftStart && known.lastBeat === 1 ? 0 : periodsSince(known, at, bpm);
        known.leftStart = false;
        const last = known.lastBeat;
        let beat = last === null || step === null ? null : last + step;
        const loop = known.loop;
        known.wrapped = false;
        if (beat !== null && last !== null && loop !== null && beat >= loop.end && last < loop.end && (known.looping || loop.wraps >= 2)) {
          beat = loop.start + (beat - loop.end);
          known.wrapped = true;
        }
        if (beat !== null && !inStep(known, beat, inBar)) beat = null;
        known.unnumberedGuess = beat === null && last !== null ? last + 1 : null;
        known.lastBeat = beat;
        known.lastBeatAt = at;
        known.lastInBar = inBar;
        known.countedByPacket = beat !== null;
        emit({ type: 'beat', at, deck: packet.device, beat, beatInBar: inBar, effectiveBpm: input.packet.effectiveBpm, estimated: false, late: false, coasting: false });
      },
    ),
  );
}
