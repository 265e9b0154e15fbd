/**
 * Beats from real beat packets (§4): the packet's arrival is the beat. Beat
 * packets carry no beat number, so it is carried forward from the player's
 * status beat counter (0xa0): the next beat after counter c is c + 1.
 * Mixer beat packets (a metronome, §4) are left out.
 *
 * A beat packet lost on the way (one in twenty over the Wi-Fi of a real
 * 33-minute capture of two CDJ-2000NXS2s) shows in the next one: it comes
 * two beats after the last, and its place in the bar is two on. When time
 * and bar place agree on the beats that passed while the deck played on,
 * the packet takes its true number and each beat lost before it fires at
 * once, `late` and `estimated` (no packet marked it), at the instant it
 * had: no number is skipped. Beat 1's own packet, lost as play starts,
 * shows in the first packet being a place on in the bar from the status that
 * showed 1. Through a known loop the count wraps as the
 * player does, so a packet lost at a wrap fires as the loop's start; a status
 * showing the player back at a loop's start a beat or more after the last
 * packet means the wrap's own packet went missing, and the loop is learned
 * with that beat in it.
 *
 * The first beat after a jump (a cue, a hot cue, a loop's first wrap) that
 * no status has shown yet: when its place in the bar is not the next one,
 * the player jumped, but where to only the next status says. The beat fires
 * on time with no number (`beat: null`); a status inside that beat numbers
 * it for the count. When the place in the bar cannot show it (a jump by
 * whole bars), it carries the number the deck would have reached.
 *
 * The packets' count holds against a status a beat either side of it that
 * raced a packet; a status a beat ahead that came well inside the last beat
 * is right, and the count (which fell behind when the first beat after play
 * was lost) takes its number.
 */
import { filter, merge, type Observable } from 'rxjs';
import type { Beat } from '../prolink/packets/beat';
import type { CdjStatus } from '../prolink/packets/cdj-status';
import type { BeatEvent } from '../events/bridge-event';
import type { Received } from './received';
import { withState } from './with-state';

/** A status generated just before a beat packet can arrive just after it; within this window it is not a correction. */
const STATUS_RACE_MS = 150;

/** How recent the player's last status must be for its play state to count (ms): five status periods. */
const STATUS_FRESH_MS = 1000;

/** Most beat packets in a row taken for lost: a longer silence is a pause or a jump, not loss. */
const MAX_LOST_BEATS = 3;
/**
 * How far the time since the last beat packet may be from the beats its bar
 * place says passed (beats). Wide: over Wi-Fi, broadcasts wait for the
 * access point's DTIM beacon and arrive in bursts (every 307 ms in the real
 * capture), a third of a beat or more off their instant.
 */
const BAR_PLACE_TIME_TOLERANCE = 0.7;

/**
 * A status showing the deck back in a loop this many beats or more after the
 * last beat packet comes after the wrap's own packet should have: that packet
 * was lost (or is late). Below a beat, for the beat packets' jitter; above the
 * share of a beat a status period spans even at 170 BPM (0.57).
 */
const WRAP_MISSED_BEATS = 0.8;

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

/** Per device; private to one subscription, updated in place. */
interface DeviceCount {
  lastBeat: number | null;
  lastBeatAt: number;
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
  /** The number and bar place of the last beat event a packet made (at lastBeatAt): lost packets after it show as a gap. */
  packetBeat: number | null;
  packetInBar: number | null;
  /** A status showed the player not playing since that beat: a gap is a pause, not loss. */
  stopped: boolean;
  /** The latest status showed the player playing (players send beat packets while cued too). */
  playing: boolean;
  /** When the latest status arrived, and the place in the bar it showed. */
  statusAt: number;
  statusInBar: number | null;
}

/** How many places on in the bar (0–3) place `to` is from place `from`. */
function placesOn(from: number, to: number): number {
  return (((to - from) % 4) + 4) % 4;
}

/** Beat periods since the last beat packet. */
function beatsSince(known: DeviceCount, at: number, bpm: number): number {
  return ((at - known.lastBeatAt) * bpm) / 60_000;
}

/**
 * How many beats passed since the last beat packet while the player played
 * on (1 … MAX_LOST_BEATS + 1): as many as its place in the bar moved on, when
 * the time since it agrees. Null when they disagree (a jump), when the place
 * did not move (four beats, or a one-beat loop), or when the player stopped.
 */
function beatsSinceLastPacket(known: DeviceCount, at: number, inBar: number | null, bpm: number): number | null {
  if (known.packetBeat === null || known.packetInBar === null || inBar === null || !known.playing || known.stopped || bpm <= 0) return null;
  const k = placesOn(known.packetInBar, inBar);
  if (k === 0 || k > MAX_LOST_BEATS + 1) return null;
  return Math.abs(beatsSince(known, at, bpm) - k) <= BAR_PLACE_TIME_TOLERANCE ? k : null;
}

/**
 * After the status showed counter `now` where the beats had reached `last`:
 * the loop that explains it, if any. A loop wraps on a beat: when the status
 * came a beat or more after the last beat packet (`missedWrap`), the wrap's
 * own packet was lost or is still on its way, and the loop ends one beat
 * after `last`; otherwise that packet was counted on past the loop's end, and
 * the loop ends at `last`.
 */
function learnLoop(known: Loop | null, last: number | null, now: number | null, wrapped: boolean, missedWrap: boolean): Loop | null {
  if (last === null || now === null || now < 1 || now >= last) return known !== null && now !== null && now >= known.end ? null : known;
  if (wrapped) return known;
  const end = missedWrap ? last + 1 : last;
  const length = end - now;
  if (length < 2 || length > MAX_LOOP_BEATS) return null;
  const again = known !== null && known.start === now && known.end === end;
  return { start: now, end, wraps: again ? known.wraps + 1 : 1 };
}

/**
 * The latest status came after the last beat packet and shows the player in
 * that packet's beat: the same place in the bar (a status from the next beat,
 * overtaking its packet, shows the next place).
 */
function statusInBeatOfPacket(known: DeviceCount): boolean {
  return known.statusAt > known.lastBeatAt && known.statusInBar !== null && known.statusInBar === known.packetInBar;
}

/** The loop whose wraps are numbered in advance: the status says the player loops, or the same wrap was seen twice. */
function activeLoop(known: DeviceCount): Loop | null {
  const loop = known.loop;
  return loop !== null && (known.looping || loop.wraps >= 2) ? loop : null;
}

/**
 * The beat `steps` beats after beat `from`, wrapping at the loop's end. A
 * `from` at the loop's end is its first wrap, numbered on before the loop
 * was known: the loop's start.
 */
function beatAfter(loop: Loop | null, from: number, steps: number): number {
  let n = loop !== null && from === loop.end ? loop.start : from;
  for (let k = 0; k < steps; k++) n = loop !== null && n + 1 === loop.end ? loop.start : n + 1;
  return n;
}

/** Whether `beat` is one of the beats from `from` up to `steps` on (through the loop's wrap). */
function countReaches(loop: Loop | null, from: number, steps: number, beat: number): boolean {
  for (let k = 0; k <= steps; k++) if (beatAfter(loop, from, k) === beat) return true;
  return false;
}

/**
 * Played on for about the `counted` beats the count says passed since the
 * last beat packet (one, or two when a status since showed the beat whose
 * packet was lost), yet this one is not that many places on in the bar. Only
 * while the player's statuses are arriving: the next one numbers the beats
 * again.
 */
function jumpedUnseen(known: DeviceCount, at: number, inBar: number | null, bpm: number, counted: number): boolean {
  if (known.packetInBar === null || inBar === null || !known.playing || known.stopped || at - known.statusAt >= STATUS_FRESH_MS || bpm <= 0) return false;
  return beatsSince(known, at, bpm) < counted + BAR_PLACE_TIME_TOLERANCE && placesOn(known.packetInBar, inBar) !== counted % 4;
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
          known = { lastBeat: null, lastBeatAt: -Infinity, leftStart: false, lastPacket: null, loop: null, looping: false, wrapped: false, packetBeat: null, packetInBar: null, stopped: false, playing: false, statusAt: -Infinity, statusInBar: null };
          counts.set(packet.device, known);
        }
        if (isStatus(input)) {
          const raced = known.lastBeat !== null && input.packet.beat === known.lastBeat - 1 && at - known.lastBeatAt < STATUS_RACE_MS;
          const wasLooping = known.looping;
          known.looping = input.packet.playState === 'looping';
          known.playing = input.packet.playing;
          known.statusAt = at;
          known.statusInBar = input.packet.beatInBar >= 1 && input.packet.beatInBar <= 4 ? input.packet.beatInBar : null;
          if (!input.packet.playing) known.stopped = true;
          if (!input.packet.playing || (wasLooping && !known.looping)) known.loop = null;
          else if (!raced) {
            const bpm = input.packet.effectiveBpm ?? 0;
            const missedWrap = bpm > 0 && beatsSince(known, at, bpm) >= WRAP_MISSED_BEATS;
            known.loop = learnLoop(known.loop, known.lastBeat, input.packet.beat, known.wrapped, missedWrap);
          }
          // The beat a jump's first packet fired without a number: a status inside that beat gives it, so a
          // packet lost after it can be counted from there.
          if (known.packetBeat === null && input.packet.playing && input.packet.beat !== null && statusInBeatOfPacket(known)) {
            known.packetBeat = input.packet.beat;
          }
          if (!raced) {
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
        const fromStart = known.leftStart && known.lastBeat === 1;
        // Beat 1's own packet lost: this one is a place on in the bar from the status that showed 1. Beat 1 fires
        // late, a beat before it, and this one is beat 2.
        const firstLost = fromStart && bpm > 0 && inBar !== null && known.statusInBar !== null && placesOn(known.statusInBar, inBar) === 1;
        if (firstLost) {
          emit({ type: 'beat', at: at - 60_000 / bpm, deck: packet.device, beat: 1, beatInBar: known.statusInBar, effectiveBpm: input.packet.effectiveBpm, estimated: true, late: true, coasting: false });
        }
        const step = fromStart && !firstLost ? 0 : 1;
        known.leftStart = false;
        const last = known.lastBeat;
        let beat = last === null ? null : last + step;
        const active = activeLoop(known);
        known.wrapped = false;
        if (beat !== null && active !== null && beat === active.end) {
          beat = active.start;
          known.wrapped = true;
        }
        const passed = beat === null ? null : beatsSinceLastPacket(known, at, inBar, bpm);
        const from = known.packetBeat;
        if (passed !== null && beat !== null && from !== null) {
          // The packets in between were lost. A status since that shows the player from the last packet's beat
          // up to this one's, or a beat either side (statuses and beat packets race over a bursty link), agrees:
          // the packets' count holds (through the loop's wrap, when it is known), and no number comes twice.
          // A beat more than the count, from a status in the last packet's beat (same place in the bar): the
          // count fell behind (the first beat after play lost with its packet), and the status holds.
          const behind = beat === beatAfter(active, from, passed + 1) && statusInBeatOfPacket(known) ? 1 : 0;
          if (countReaches(active, from, passed + 1, beat)) {
            beat = beatAfter(active, from, passed + behind);
            known.wrapped = active !== null && beat === active.start && passed >= 1;
            // Each lost beat, late, at its instant; none when a status showed the deck somewhere else.
            const period = 60_000 / bpm;
            for (let k = 1; k < passed; k++) {
              const lostInBar = known.packetInBar === null ? null : placesOn(1, known.packetInBar + k) + 1;
              emit({ type: 'beat', at: known.lastBeatAt + k * period, deck: packet.device, beat: beatAfter(active, from, k + behind), beatInBar: lostInBar, effectiveBpm: input.packet.effectiveBpm, estimated: true, late: true, coasting: false });
            }
          }
        }
        // About a beat on, but not one place on in the bar: a jump (a cue, a loop's first wrap) no status has
        // shown yet. Where to is not known: the beat fires on time without a number, and the next status gives it.
        if (passed === null && beat !== null && from !== null && (beat === from + 1 || beat === from + 2) && !known.wrapped && jumpedUnseen(known, at, inBar, bpm, beat - from)) beat = null;
        known.lastBeat = beat;
        known.lastBeatAt = at;
        known.packetBeat = beat;
        known.packetInBar = inBar;
        known.stopped = false;
        emit({ type: 'beat', at, deck: packet.device, beat, beatInBar: inBar, effectiveBpm: input.packet.effectiveBpm, estimated: false, late: false, coasting: false });
      },
    ),
  );
}
