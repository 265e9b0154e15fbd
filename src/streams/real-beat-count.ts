/**
 * The count a player's real beat packets are numbered by (real-beats.ts):
 * what is kept per player, and how packets and statuses are read against it
 * (lost packets, loops, jumps no status has shown yet).
 */
import type { Beat } from '../prolink/packets/beat';
import { LOOP_MS_PER_UNIT, type CdjStatus, type StatusLoop } from '../prolink/packets/cdj-status';
import type { BeatEvent } from '../events/bridge-event';
import type { ConfirmedBeat } from './confirm-beats';
import type { Received } from './received';

/** A status generated just before a beat packet can arrive just after it; within this window it is not a correction. */
export const STATUS_RACE_MS = 150;

/** How recent the player's last status must be for its play state to count (ms): five status periods. */
export const STATUS_FRESH_MS = 1000;

/** Most beat packets in a row taken for lost: a longer silence is a pause or a jump, not loss. */
export const MAX_LOST_BEATS = 3;
/**
 * How far the time since the last beat packet may be from the beats its bar
 * place says passed (beats). Wide: over Wi-Fi, broadcasts wait for the
 * access point's DTIM beacon and arrive in bursts (every 307 ms in the real
 * capture), a third of a beat or more off their instant.
 */
export const BAR_PLACE_TIME_TOLERANCE = 0.7;

/**
 * A status showing the deck back in a loop this many beats or more after the
 * last beat packet comes after the wrap's own packet should have: that packet
 * was lost (or is late). Below a beat, for the beat packets' jitter; above the
 * share of a beat a status period spans even at 170 BPM (0.57).
 */
export const WRAP_MISSED_BEATS = 0.8;

/** Longest loop learned (beats); a jump back farther than this is a cue or a jump. */
export const MAX_LOOP_BEATS = 64;

/**
 * A loop the player plays: `start` … `end − 1`, and the beat packet where
 * `end` would be is `start` again. Learned when a status shows the player
 * back at `start` right after the beat numbered `end` (`wraps` counts such
 * wraps), or before any wrap from a status that says where the loop is
 * (CDJ-3000s: `reportedLoop`, wraps 0); used from the next wrap on while the
 * status says the player loops, or from the third when the same wrap was
 * seen twice.
 */
export interface Loop {
  readonly start: number;
  readonly end: number;
  readonly wraps: number;
}

/**
 * A beat packet with the same content as the device's last one, within this
 * share of a beat, is a copy (a switch or Wi-Fi delivering it twice), not a
 * beat: even a one-beat loop repeats only a whole beat later.
 */
export const COPY_WITHIN_BEATS = 0.5;

/**
 * While the player says it rolls (a loop shorter than a beat), the same beat
 * packet again within ROLL_COPY_MS is a copy (a switch's or an access
 * point's, which come within milliseconds of the packet), and from
 * ROLL_WRAP_MIN_MS on, within a beat, the roll's wrap: the shortest roll
 * (1/8 beat) lasts 55 ms even at 170 BPM. A wrap sooner than that (a roll of
 * a sixteenth) is not fired; in between, the packet counts as any other (a
 * jump landing on the same place in the bar just after a wrap). Over Wi-Fi,
 * where copies can come later, a copy during a roll fires as a wrap.
 */
export const ROLL_COPY_MS = 10;
export const ROLL_WRAP_MIN_MS = 40;

/** How near a whole bar after the rolled beat's own packet a packet may come (beats) for it to be the deck reaching that bar, as much as a wrap. */
const WHOLE_BAR_SLACK_BEATS = 0.05;

/**
 * Whether the same beat packet, during a roll, may be the roll's wrap: it
 * comes within a beat of the last, and not on a whole number of bars after
 * the rolled beat's own packet. There a slip roll let go on the beat (the
 * deck back where it would have been, the same place in the bar) sends the
 * very same packet as a wrap: nothing tells them apart, so it is counted as
 * any packet (the jump's first beat), not fired as the rolled beat again.
 */
export function rollWrap(known: DeviceCount, at: number, bpm: number): boolean {
  const sinceLast = at - known.lastBeatAt;
  if (!known.rolling || known.packetBeat === null || bpm <= 0 || sinceLast < ROLL_WRAP_MIN_MS || sinceLast >= 60_000 / bpm) return false;
  const beats = ((at - known.countedAt) * bpm) / 60_000;
  const whole = Math.round(beats);
  return !(whole >= BEATS_PER_BAR && whole % BEATS_PER_BAR === 0 && Math.abs(beats - whole) <= WHOLE_BAR_SLACK_BEATS);
}

/** Whether `b` says what `a` said (a copy of the same beat packet). */
export function sameBeat(a: Beat, b: Beat): boolean {
  return a.beatInBar === b.beatInBar && a.nextBeat === b.nextBeat && a.nextBar === b.nextBar && a.bpm === b.bpm && a.pitch === b.pitch;
}

/** A beat a status showed the player in: its number, its instant, its place in the bar, the tempo it was counted at. */
export interface ShownBeat {
  readonly beat: number;
  readonly at: number;
  readonly inBar: number | null;
  readonly effectiveBpm: number | null;
}

/** Per device; private to one subscription, updated in place. */
export interface DeviceCount {
  lastBeat: number | null;
  lastBeatAt: number;
  /**
   * The status counter went from 0 (parked at the start) to 1: the player
   * shows 1 from the moment it leaves the start, before beat 1 (§3.1), so the
   * next beat packet is beat 1 itself.
   */
  leftStart: boolean;
  /**
   * The player stands on its cue point (play state 'cued', the CUE button
   * put it there), on the first instant of the beat its counter shows: the
   * next beat packet, when it plays, is that beat itself.
   */
  atCue: boolean;
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
  /** The beat at lastBeatAt was filled in when the player stopped in it: its own packet may still come (Wi-Fi), late. */
  filledAtStop: boolean;
  /**
   * The beat after the last packet's, shown by a status of the player playing
   * in it, its packet not come: late (Wi-Fi holds beat packets back up to
   * 300 ms in a real capture) or lost. The next packet counts it either way,
   * unless that one shows a jump: then it fires there.
   */
  shown: ShownBeat | null;
  /** The latest status showed the player playing (players send beat packets while cued too). */
  playing: boolean;
  /** When the latest status arrived, and the place in the bar it showed. */
  statusAt: number;
  statusInBar: number | null;
  /** The latest precise position (§5, CDJ-3000s): the playhead (track ms), when it arrived (-Infinity: none yet), and the pitch it gave (1 = ±0 %). */
  positionMs: number;
  positionAt: number;
  positionPitch: number;
  /** The first precise position after the playhead last jumped (notePosition), and when it came (NaN: none since the last beat packet counted). */
  landingMs: number;
  landingAt: number;
  /** The last precise position before that jump: the deck played up to there. */
  leftMs: number;
  leftAt: number;
  /** Where the playhead was when the packet that numbered packetBeat came (track ms; NaN without a fresh position). */
  packetMs: number;
  /** The latest status said the player plays a loop shorter than a beat (a roll: a CDJ-3000's loop fields with no whole beats). */
  rolling: boolean;
  /** When the packet that numbered packetBeat came (a roll's wraps fire the same number again, and leave this). */
  countedAt: number;
}

/** Places in a bar (§4: beat packets count 1–4). */
const BEATS_PER_BAR = 4;

/** How many places on in the bar (0–3) place `to` is from place `from`. */
export function placesOn(from: number, to: number): number {
  return (((to - from) % BEATS_PER_BAR) + BEATS_PER_BAR) % BEATS_PER_BAR;
}

/** A packet's place in the bar (1–4), or null when it names none. */
export function placeInBar(raw: number): number | null {
  return raw >= 1 && raw <= 4 ? raw : null;
}

/** The place in the bar `k` beats after place `place` (null stays null). */
export function placeAfter(place: number | null, k: number): number | null {
  return place === null ? null : placesOn(1, place + k) + 1;
}

/**
 * A beat no packet marked (lost on the way), fired late at the instant it
 * had. Estimated (no packet marked its instant), yet confirmed: the player's
 * own packets showed it was played (the next beat packet's place in the bar,
 * or a status in it), so rules with `confirm: true` take it at once.
 */
export function lostBeat(deck: number, at: number, beat: number, beatInBar: number | null, effectiveBpm: number | null): ConfirmedBeat {
  return { type: 'beat', at, deck, beat, beatInBar, effectiveBpm, estimated: true, late: true, coasting: false, confirmed: true };
}

/** Beat periods since the last beat packet. */
export function beatsSince(known: DeviceCount, at: number, bpm: number): number {
  return ((at - known.lastBeatAt) * bpm) / 60_000;
}

/**
 * How many beats passed since the last beat packet while the player played
 * on (1 … MAX_LOST_BEATS + 1): as many as its place in the bar moved on, when
 * the time since it agrees. The same place again is a whole bar (three
 * packets lost in a row) only when a status since showed the player in
 * another beat: in a one-beat loop, each wrap's packet has the same place and
 * the statuses the same beat. Null when they disagree (a jump), or when the
 * player stopped.
 */
export function beatsSinceLastPacket(known: DeviceCount, at: number, inBar: number | null, bpm: number): number | null {
  if (known.packetBeat === null || known.packetInBar === null || inBar === null || !known.playing || known.stopped || bpm <= 0) return null;
  const moved = placesOn(known.packetInBar, inBar);
  if (moved === 0 && (known.lastBeat === null || known.lastBeat === known.packetBeat)) return null;
  const k = moved === 0 ? BEATS_PER_BAR : moved;
  if (k > MAX_LOST_BEATS + 1) return null;
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
export function learnLoop(known: Loop | null, last: number | null, now: number | null, wrapped: boolean, missedWrap: boolean): Loop | null {
  if (last === null || now === null || now < 1 || now >= last) return known !== null && now !== null && now >= known.end ? null : known;
  if (wrapped) return known;
  const end = missedWrap ? last + 1 : last;
  const length = end - now;
  if (length < 2 || length > MAX_LOOP_BEATS) return null;
  const again = known !== null && known.start === now && known.end === end;
  return { start: now, end, wraps: again ? known.wraps + 1 : 1 };
}

/** A precise position older than this (ms) does not say where the playhead was at the last beat packet: a CDJ-3000 sends one every 30 ms. */
export const POSITION_FRESH_MS = 250;

/** A playhead this far (ms) from where the one before, run on at its pitch, had it heading jumped: more than a nudge of the jog wheel moves it. */
export const POSITION_JUMP_MS = 40;
/**
 * How far into a beat (ms) the first precise position after a jump may show
 * the playhead for the jump to have landed on that beat: a CDJ-3000 sends one
 * every 30 ms, so the deck has played up to that long since it landed.
 */
export const LANDING_WITHIN_MS = 40;

/** Takes in a precise position: where the playhead left the line the one before put it on, it jumped, and this is where it landed. */
export function notePosition(known: DeviceCount, positionMs: number, pitch: number, at: number): void {
  // (Without a fresh position before it, NaN: no jump can be told.)
  if (Math.abs(positionMs - playheadAt(known, at)) > POSITION_JUMP_MS) {
    known.landingMs = positionMs;
    known.landingAt = at;
    known.leftMs = known.positionMs;
    known.leftAt = known.positionAt;
  }
  known.positionMs = positionMs;
  known.positionAt = at;
  known.positionPitch = pitch;
}

/** Where the playhead is at `at` by the latest precise position, run on at its pitch (track ms); NaN without a fresh one. */
export function playheadAt(known: DeviceCount, at: number): number {
  return at - known.positionAt <= POSITION_FRESH_MS ? known.positionMs + (at - known.positionAt) * known.positionPitch : NaN;
}

/**
 * With precise positions (CDJ-3000s), whether the deck, before the jump the
 * positions showed since the last beat packet, reached the start of the beat
 * after that packet's (a beat's length on from where the playhead was at that
 * packet, at the track's tempo), whose packet then never came: it was lost
 * with the deck about to jump. Returns that beat's instant; NaN when it did
 * not get there (or no jump, or no positions then), or when a status showed
 * the deck stopped since that packet (the playhead then stood still, and a
 * jump while it stood, a cue or a new load, says nothing of a beat).
 */
export function playedBeforeJump(known: DeviceCount, packet: Beat): number {
  const trackBpm = packet.bpm;
  const pitch = known.positionPitch;
  if (known.stopped || Number.isNaN(known.landingAt) || known.landingAt <= known.lastBeatAt || Number.isNaN(known.packetMs) || trackBpm === null || trackBpm <= 0 || !(pitch > 0)) return NaN;
  if (!(known.leftAt > known.lastBeatAt)) return NaN;
  const startMs = known.packetMs + 60_000 / trackBpm;
  if (known.leftMs < startMs) return NaN;
  return known.leftAt - (known.leftMs - startMs) / pitch;
}

/**
 * With precise positions (CDJ-3000s), whether the playhead jumped since the
 * last beat packet onto the very start of the beat before the one `beat`
 * makes now, whose packet then never came (lost): the positions show where
 * the deck landed, and this packet, where that beat began in the track (a
 * beat's length before it, at the track's tempo). Returns the instant it
 * landed, that beat's instant; NaN when it did not (it landed inside the
 * beat, a beat jump: that beat's start was never played), when the beat is
 * the last packet's own (a roll's wraps land on it), when a packet came as
 * it landed (a loop's wrap: its packet comes before the position that shows
 * the jump), after a stop (play from where the deck stood starts as
 * counted elsewhere), or without fresh positions. A landing within a
 * position period of the beat's start counts as on it.
 */
export function landedOnLostBeat(known: DeviceCount, packet: Beat, beat: number, at: number): number {
  const trackBpm = packet.bpm;
  const pitch = known.positionPitch;
  if (known.stopped || Number.isNaN(known.landingAt) || trackBpm === null || trackBpm <= 0 || !(pitch > 0) || beat - 1 === known.packetBeat) return NaN;
  if (known.landingAt <= known.lastBeatAt || known.positionAt < known.landingAt) return NaN;
  // The playhead at this packet, and where the beat before it began (NaN without a fresh position: no landing told).
  const beatStartMs = playheadAt(known, at) - 60_000 / trackBpm;
  const intoMs = known.landingMs - beatStartMs;
  if (!(intoMs >= -LANDING_WITHIN_MS / 8 && intoMs <= LANDING_WITHIN_MS * pitch)) return NaN;
  // A packet at that instant (the landing's own, before the position showed the jump: a loop's wrap) counted it.
  const landedAt = known.landingAt - Math.max(0, intoMs) / pitch;
  return landedAt - known.lastBeatAt > LANDING_WITHIN_MS ? landedAt : NaN;
}

/**
 * How far (beats) the whole beats from a reported loop's start to the last
 * beat packet's playhead may be from a whole number: the loop fields come in
 * steps of 65.536 ms, and packets jitter by a few ms.
 */
export const REPORTED_LOOP_SLACK_BEATS = 0.3;

/** How far a reported loop's length may be from its whole beats at the status's tempo: two steps of the loop fields, and 2 %. */
function loopLengthAgrees(loop: StatusLoop, period: number, beats: number): boolean {
  return Math.abs(loop.endMs - loop.startMs - beats * period) <= 2 * LOOP_MS_PER_UNIT + 0.02 * beats * period;
}

/**
 * The loop a status says the player plays (CDJ-3000s, §3.1), as beat
 * numbers, so its first wrap is numbered as the loop's start like every
 * other. The status gives the loop's start and end in track time and its
 * whole beats; the beat packet's number, with where the playhead was when
 * that packet came (the latest precise position, §5, run on at the pitch),
 * places the start on the count: it lies a whole number of beats before.
 * Null when the status names no loop of whole beats, when the fields do not
 * agree with the tempo (a device that fills them otherwise), when the status
 * is not in the last beat packet's beat, when no fresh position is known, or
 * when the count would put that beat outside the loop (a jump in between).
 */
export function reportedLoop(known: DeviceCount, status: CdjStatus, at: number): Loop | null {
  const { loop, bpm } = status;
  const beats = loop?.beats ?? null;
  if (loop === null || beats === null || bpm === null || bpm <= 0 || !status.playing) return null;
  const period = 60_000 / bpm;
  if (!loopLengthAgrees(loop, period, beats)) return null;
  const packetBeat = known.packetBeat;
  if (packetBeat === null || status.beat !== packetBeat || at - known.positionAt > POSITION_FRESH_MS) return null;
  const playheadAtPacket = known.positionMs + (known.lastBeatAt - known.positionAt) * status.pitch;
  const into = (playheadAtPacket - loop.startMs) / period;
  const whole = Math.round(into);
  if (Math.abs(into - whole) > REPORTED_LOOP_SLACK_BEATS || whole < 0 || whole >= beats) return null;
  const start = packetBeat - whole;
  return start >= 1 ? { start, end: start + beats, wraps: 0 } : null;
}

/**
 * The latest status came after the last beat packet and shows the player in
 * that packet's beat: the same place in the bar (a status from the next beat,
 * overtaking its packet, shows the next place).
 */
export function statusInBeatOfPacket(known: DeviceCount): boolean {
  return known.statusAt > known.lastBeatAt && known.statusInBar !== null && known.statusInBar === known.packetInBar;
}

/** The loop whose wraps are numbered in advance: the status says the player loops, or the same wrap was seen twice. */
export function activeLoop(known: DeviceCount): Loop | null {
  const loop = known.loop;
  return loop !== null && (known.looping || loop.wraps >= 2) ? loop : null;
}

/**
 * The beat `steps` beats after beat `from`, wrapping at the loop's end. A
 * `from` at the loop's end is its first wrap, numbered on before the loop
 * was known: the loop's start.
 */
export function beatAfter(loop: Loop | null, from: number, steps: number): number {
  let n = loop !== null && from === loop.end ? loop.start : from;
  for (let k = 0; k < steps; k++) n = loop !== null && n + 1 === loop.end ? loop.start : n + 1;
  return n;
}

/** Whether `beat` is one of the beats from `from` up to `steps` on (through the loop's wrap). */
export function countReaches(loop: Loop | null, from: number, steps: number, beat: number): boolean {
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
export function jumpedUnseen(known: DeviceCount, at: number, inBar: number | null, bpm: number, counted: number): boolean {
  if (known.packetInBar === null || inBar === null || !known.playing || known.stopped || at - known.statusAt >= STATUS_FRESH_MS || bpm <= 0) return false;
  return beatsSince(known, at, bpm) < counted + BAR_PLACE_TIME_TOLERANCE && placesOn(known.packetInBar, inBar) !== counted % BEATS_PER_BAR;
}

/**
 * The beat after the last packet's, when this status shows the player in it
 * (its place in the bar too, where the status gives one) and its packet has
 * not come: not while that packet may still be on the way (within
 * STATUS_RACE_MS of the beat's instant). Null otherwise.
 */
export function beatShownAfterPacket(known: DeviceCount, input: Received<CdjStatus>): ShownBeat | null {
  const effectiveBpm = known.lastPacket?.effectiveBpm ?? null;
  const beat = input.packet.beat;
  if (known.packetBeat === null || beat !== known.packetBeat + 1 || effectiveBpm === null || effectiveBpm <= 0) return null;
  const at = known.lastBeatAt + 60_000 / effectiveBpm;
  if (input.at - at <= STATUS_RACE_MS) return null;
  const inBar = placeAfter(known.packetInBar, 1);
  const shown = placeInBar(input.packet.beatInBar);
  return inBar !== null && shown !== null && shown !== inBar ? null : { beat, at, inBar, effectiveBpm };
}

/** The beat a status showed, its packet lost, fired late at the instant it had. */
export function shownBeatLost(device: number, shown: ShownBeat): BeatEvent {
  return lostBeat(device, shown.at, shown.beat, shown.inBar, shown.effectiveBpm);
}

/**
 * The player stopped in the beat after the last packet's, and that beat's own
 * packet never came (lost): it was played, so it fires now, late and
 * estimated, at the instant it had.
 */
export function fillBeforeStop(known: DeviceCount, lost: ShownBeat, device: number, emit: (b: BeatEvent) => void): void {
  emit(shownBeatLost(device, lost));
  known.packetBeat = lost.beat;
  known.packetInBar = lost.inBar;
  known.lastBeatAt = lost.at;
  known.packetMs = NaN; // no packet: where the playhead was then is not taken
  known.filledAtStop = true;
}

/**
 * The own packet of the beat filled in at a stop, overtaken by the status
 * that showed the stop (Wi-Fi holds broadcasts back): the same place in the
 * bar, within a beat of that beat's instant. That beat has fired.
 */
export function packetOfFilledBeat(known: DeviceCount, at: number, inBar: number | null, bpm: number): boolean {
  return known.filledAtStop && known.stopped && inBar !== null && inBar === known.packetInBar && bpm > 0 && beatsSince(known, at, bpm) < 1;
}

/** A player heard for the first time: nothing counted yet. */
export function newDeviceCount(): DeviceCount {
  return { lastBeat: null, lastBeatAt: -Infinity, leftStart: false, atCue: false, lastPacket: null, loop: null, looping: false, wrapped: false, packetBeat: null, packetInBar: null, stopped: false, filledAtStop: false, shown: null, playing: false, statusAt: -Infinity, statusInBar: null, positionMs: 0, positionAt: -Infinity, positionPitch: 1, landingMs: NaN, landingAt: NaN, leftMs: NaN, leftAt: NaN, packetMs: NaN, rolling: false, countedAt: -Infinity };
}
