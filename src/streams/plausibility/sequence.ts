/**
 * What consecutive packets of one sender (address, name, device number) may
 * do: the status packet counter (§3.1 0xc8) only moves forward, and no
 * further than the elapsed time allows; a status right after another is a
 * corrupted copy unless the counter says it is news; the track does not
 * change under a deck that plays on; a beat packet does not come twice for
 * one beat.
 *
 * Exact copies of the last believed packet are left alone (switch mirrors and
 * Wi-Fi repeat datagrams; they change nothing). A long silence (a reboot, a
 * device that was away) starts the sender afresh, so a counter that restarts
 * low after a gap is believed.
 */
import type { Beat } from '../../prolink/packets/beat';
import { ST_PACKET_COUNTER, type CdjStatus } from '../../prolink/packets/cdj-status';
import { P1_LOOPING, P1_PLAYING } from '../../prolink/packets/status-names';
import type { ImplausibleReason } from './reasons';

/** A sender silent this long starts afresh (a reboot takes far longer; status comes every ~200 ms). */
export const FRESH_AFTER_MS = 2000;
/** Counter increments in a row after which the counter is trusted (CDJ-3000s always send 0, §3.1). */
const TRUSTED_AFTER = 3;
/** Counter steps allowed: one per packet, packets no closer than this (jog bursts included), plus lost ones. */
const COUNTER_MS_PER_STEP = 10;
const COUNTER_SLACK = 2;
/** A rejected counter for this long, with nothing believed meanwhile, is taken as the device's new count. */
const COUNTER_RESYNC_MS = 1000;
/** A status equal to the last one but for its counter, sooner than this, is a corrupted copy (real repeats are ~200 ms apart). */
export const TOO_SOON_MS = 10;
/** Beats a deck may move between two status packets and still be "at the same beat". */
const BEAT_SLACK = 4;
/** A beat packet for the same beat in bar sooner than this after the last is a second copy. */
export const BEAT_REPEAT_MS = 60;
const U32 = 0x1_0000_0000;

export interface SenderSequence {
  lastAt: number;
  lastData: Buffer | null;
  last: CdjStatus | null;
  /** When a status was last refused as too soon: its corrupted copies come right after it. */
  tooSoonAt: number;
  counter: number | null;
  increments: number;
  /** The sender has shown that its counter counts: from then on the counter is checked, and nothing undoes that. */
  counts: boolean;
  rejectedSince: number | null;
  /** A track change refused once: the next status with the same track confirms it. */
  trackJump: number | null;
  beatPacketAt: number;
  beatPacketData: Buffer | null;
  beatInBar: number;
  /** The beat packet before the last one (two can come at once when the DJ jumps). */
  earlierBeatAt: number;
  earlierBeatInBar: number;
}

export function freshSequence(): SenderSequence {
  return {
    lastAt: -Infinity,
    lastData: null,
    last: null,
    tooSoonAt: -Infinity,
    counter: null,
    increments: 0,
    counts: false,
    rejectedSince: null,
    trackJump: null,
    beatPacketAt: -Infinity,
    beatPacketData: null,
    beatInBar: 0,
    earlierBeatAt: -Infinity,
    earlierBeatInBar: 0,
  };
}

/** Whether two statuses differ in anything a deck state (and so an event) is made of. */
function changesState(a: CdjStatus, b: CdjStatus): boolean {
  return (
    a.trackId !== b.trackId ||
    a.trackDevice !== b.trackDevice ||
    a.slotRaw !== b.slotRaw ||
    a.motion !== b.motion ||
    a.flags !== b.flags ||
    a.playStateRaw !== b.playStateRaw ||
    a.bpm !== b.bpm ||
    a.pitch !== b.pitch ||
    a.beat !== b.beat ||
    a.beatInBar !== b.beatInBar ||
    a.masterHandoff !== b.masterHandoff
  );
}

const PLAYING_STATES: ReadonlySet<number> = new Set([P1_PLAYING, P1_LOOPING]);

/** Equal bytes apart from the packet counter (§3.1 0xc8–0xcb). */
function sameButCounter(a: Buffer, b: Buffer): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && (i < ST_PACKET_COUNTER || i >= ST_PACKET_COUNTER + 4)) return false;
  return true;
}

function counterStep(from: number, to: number): number {
  return (to - from + U32) % U32;
}

/**
 * One step per COUNTER_MS_PER_STEP, plus lost packets; right after the last packet (packets that waited in the
 * socket while the process was busy arrive together) only the next one: a corrupted copy of the last packet comes
 * right after it, and a counter one bit off would otherwise push the device's own next packets out.
 */
function stepAllowed(elapsed: number): number {
  return elapsed < TOO_SOON_MS ? 1 : COUNTER_SLACK + elapsed / COUNTER_MS_PER_STEP;
}

/**
 * Another track under a deck that plays on at the same beat: only a corrupted track ID does that. A real load
 * stops the deck or starts the new track from its own beat.
 */
function trackJumped(q: SenderSequence, s: CdjStatus): boolean {
  const last = q.last;
  if (last === null || last.trackId === 0 || s.trackId === 0 || last.trackId === s.trackId) return false;
  if (!PLAYING_STATES.has(last.playStateRaw) || !PLAYING_STATES.has(s.playStateRaw)) return false;
  return last.beat !== null && s.beat !== null && Math.abs(s.beat - last.beat) <= BEAT_SLACK;
}

/** Judges a status against its sender's previous ones; 'copy' for an exact repeat of the last believed one. */
export function checkStatusSequence(q: SenderSequence, s: CdjStatus, data: Buffer | null, at: number): ImplausibleReason | 'copy' | null {
  if (data !== null && q.lastData !== null && data.equals(q.lastData)) {
    // The same packet again (a switch mirror, Wi-Fi): as fresh as the original, so its corrupted copies are as soon.
    q.lastAt = at;
    return 'copy';
  }
  const elapsed = at - q.lastAt;
  if (elapsed >= FRESH_AFTER_MS) return null;
  const c = s.packetCounter;
  // The same state again right after, with another counter: a corrupted copy, unless the counter counts on by one
  // (the device's next packet, delivered in a burst).
  const next = q.counts && c !== null && q.counter !== null && counterStep(q.counter, c) === 1;
  if (!next && elapsed < TOO_SOON_MS && q.lastData !== null && data !== null && sameButCounter(q.lastData, data)) return 'too-soon';
  const soon = elapsed < TOO_SOON_MS || at - q.tooSoonAt < TOO_SOON_MS;
  if (!q.counts && soon && q.last !== null) {
    // Not known to count yet, and right after the last status: only a counter moving by one tells news from a
    // corrupted copy. Without it, news waits for the device's next status (every ~200 ms, each one the whole state).
    const from = q.counter ?? 0;
    const to = c ?? 0;
    const step = counterStep(from, to);
    const counted = from !== 0 && to !== 0;
    if (!(counted && step === 1) && changesState(q.last, s)) return 'too-soon';
    if (counted && (step === 0 || step >= U32 / 2)) return 'counter-stale';
    if (counted && step > stepAllowed(elapsed)) return 'counter-jump';
  }
  if (q.counts && s.packetCounter !== null && s.packetCounter !== 0 && q.counter !== null) {
    const resync = q.rejectedSince !== null && at - q.rejectedSince >= COUNTER_RESYNC_MS;
    const step = counterStep(q.counter, s.packetCounter);
    if (!resync && (step === 0 || step >= U32 / 2)) return 'counter-stale';
    if (!resync && step > stepAllowed(elapsed)) return 'counter-jump';
    return null;
  }
  if (trackJumped(q, s) && q.trackJump !== s.trackId) return 'track-jump';
  return null;
}

/** Records a believed status. */
export function acceptStatus(q: SenderSequence, s: CdjStatus, data: Buffer | null, at: number): void {
  const c = s.packetCounter;
  const elapsed = at - q.lastAt;
  if (c !== null && c !== 0 && q.counter !== null && q.counter !== 0) {
    const step = counterStep(q.counter, c);
    q.increments = step > 0 && step <= stepAllowed(elapsed) ? q.increments + 1 : 0;
    if (q.increments >= TRUSTED_AFTER) q.counts = true;
  } else {
    q.increments = 0;
  }
  q.counter = c;
  q.lastAt = at;
  q.lastData = data;
  q.last = s;
  q.rejectedSince = null;
  q.trackJump = null;
}

/** Records a status that was not believed: a track change waits for confirmation, a counter for resync. */
export function rejectStatus(q: SenderSequence, s: CdjStatus, reason: ImplausibleReason, at: number): void {
  if (reason === 'too-soon') q.tooSoonAt = at;
  if (reason === 'track-jump') q.trackJump = s.trackId;
  if ((reason === 'counter-stale' || reason === 'counter-jump') && q.rejectedSince === null) q.rejectedSince = at;
}

/** Judges a beat packet against the sender's last believed one. */
export function checkBeatSequence(q: SenderSequence, b: Beat, data: Buffer | null, at: number): ImplausibleReason | 'copy' | null {
  if (data !== null && q.beatPacketData !== null && data.equals(q.beatPacketData)) {
    // Players repeat a beat packet unchanged (every ~300 ms while held, and Wi-Fi doubles some): a fresh copy of the same beat.
    q.beatPacketAt = at;
    return 'copy';
  }
  if (at - q.beatPacketAt < BEAT_REPEAT_MS && b.beatInBar === q.beatInBar) return 'beat-repeat';
  if (at - q.earlierBeatAt < BEAT_REPEAT_MS && b.beatInBar === q.earlierBeatInBar) return 'beat-repeat';
  return null;
}

export function acceptBeat(q: SenderSequence, b: Beat, data: Buffer | null, at: number): void {
  q.earlierBeatAt = q.beatPacketAt;
  q.earlierBeatInBar = q.beatInBar;
  q.beatPacketAt = at;
  q.beatPacketData = data;
  q.beatInBar = b.beatInBar;
}
