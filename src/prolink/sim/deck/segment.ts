/**
 * One stretch of a deck's timeline during which nothing changes except by
 * formula: the playhead moves at a rate set by the pitch, and the pitch itself
 * may ramp linearly. Positions are in beats (beat n of the grid at n), times in
 * ms of the simulator clock. Pure functions only.
 *
 * A bend (the DJ nudging the jog wheel to line the beats up by ear) speeds the
 * playhead up or slows it down for a moment on top of the pitch, without
 * moving the pitch fader: the pitch the status packets carry stays the
 * fader's (§3.1, Pitch1 shows what the BPM display does). A hold (the DJ's
 * hand on the platter in vinyl mode) stops the playhead while the deck still
 * plays, until the hand lets go (§3.2: P1 still says playing, P2 stopped).
 */
import { MS_PER_MINUTE, type SimTrack } from './track';

export interface DeckLoop {
  /** Position the loop jumps back to. */
  readonly start: number;
  /** Position at which it jumps (exclusive). */
  readonly end: number;
}

export interface Segment {
  readonly t0: number;
  readonly track: SimTrack | null;
  /** Playhead at t0. */
  readonly p0: number;
  /** Pitch in percent at t0. */
  readonly pitch0: number;
  /** Percent per ms while a ramp runs; 0 otherwise. */
  readonly pitchSlope: number;
  /** When the ramp ends (Infinity without one) and the pitch it ends on. */
  readonly rampEnd: number;
  readonly rampTarget: number;
  /** Jog bend: percent added to the pitch while the playhead moves, until `bendEnd` (0 and Infinity without one); never in the pitch reported. */
  readonly bend: number;
  readonly bendEnd: number;
  /** The jog held: the playhead stands (at p0) until `holdEnd` while the deck plays; −Infinity without one. */
  readonly holdEnd: number;
  readonly playing: boolean;
  /** Stopped at the end of the track. */
  readonly ended: boolean;
  /** Stopped on a cue point: after a load, or a jump while stopped. */
  readonly cued: boolean;
  /** Loaded and not moved since: the beat counter says 0 (§3.1). */
  readonly parked: boolean;
  /** Until when the deck shows P1 'loading' after a load, unless it plays (-Infinity: not loading). */
  readonly loadingUntil: number;
  readonly loop: DeckLoop | null;
  /** Beat Sync on (§3.3 F bit 4): shown in the status; the rig keeps the deck's tempo on the master's (DeckCommands). */
  readonly synced: boolean;
  /** Synced, but nudged since (§3.3 F bit 1, BPM sync only): the tempo still follows the master, the beat no longer. */
  readonly bpmSyncOnly: boolean;
}

/** Beats per ms at 0 % pitch. */
function baseRate(s: Segment): number {
  return s.track === null ? 0 : s.track.bpm / MS_PER_MINUTE;
}

export function pitchIn(s: Segment, t: number): number {
  return s.pitchSlope === 0 ? s.pitch0 : s.pitch0 + s.pitchSlope * (Math.min(t, s.rampEnd) - s.t0);
}

/** Playhead at time t (t inside the segment). */
/** Whether the playhead moves in segment s: playing, and no hand on the jog. */
export function moves(s: Segment): boolean {
  return s.playing && !(s.holdEnd > s.t0);
}

export function positionIn(s: Segment, t: number): number {
  if (!moves(s)) return s.p0;
  const dt = t - s.t0;
  const base = baseRate(s);
  return s.p0 + base * ((1 + (s.pitch0 + s.bend) / 100) * dt + 0.5 * (s.pitchSlope / 100) * dt * dt);
}

/**
 * Milliseconds after t0 at which the playhead reaches `target` (≥ p0), or
 * Infinity when it never does (stopped, or a −100 % pitch). Uses the
 * cancellation-free form of the quadratic's root.
 */
export function timeToReach(s: Segment, target: number): number {
  if (!moves(s)) return Infinity;
  const distance = target - s.p0;
  if (distance <= 0) return 0;
  const base = baseRate(s);
  const r0 = base * (1 + (s.pitch0 + s.bend) / 100);
  const a = (base * s.pitchSlope) / 100;
  const discriminant = r0 * r0 + 2 * a * distance;
  if (discriminant < 0) return Infinity;
  const denominator = r0 + Math.sqrt(discriminant);
  return denominator > 0 ? (2 * distance) / denominator : Infinity;
}

/** Where the segment's formula stops holding by itself (ramp end, bend end, loop wrap, track end), or null. */
export function successor(s: Segment): Segment | null {
  const rampAt = s.pitchSlope !== 0 && s.rampEnd > s.t0 ? s.rampEnd : Infinity;
  const bendAt = s.bend !== 0 && s.bendEnd > s.t0 ? s.bendEnd : Infinity;
  const holdAt = s.holdEnd > s.t0 && s.holdEnd !== Infinity ? s.holdEnd : Infinity;
  let boundaryAt = Infinity;
  let boundary: 'loop' | 'end' | null = null;
  if (moves(s) && s.track !== null) {
    const end = s.track.beats + 1;
    if (s.loop !== null && s.loop.end <= end) {
      boundaryAt = s.t0 + timeToReach(s, s.loop.end);
      boundary = 'loop';
    } else {
      boundaryAt = s.t0 + timeToReach(s, end);
      boundary = 'end';
    }
  }
  if (rampAt === Infinity && bendAt === Infinity && holdAt === Infinity && boundaryAt === Infinity) return null;
  if (holdAt <= rampAt && holdAt <= bendAt && holdAt <= boundaryAt) {
    return { ...s, t0: holdAt, pitch0: pitchIn(s, holdAt), holdEnd: -Infinity };
  }
  if (bendAt <= rampAt && bendAt <= boundaryAt) {
    return { ...s, t0: bendAt, p0: positionIn(s, bendAt), pitch0: pitchIn(s, bendAt), bend: 0, bendEnd: Infinity };
  }
  if (rampAt <= boundaryAt) {
    return { ...s, t0: rampAt, p0: positionIn(s, rampAt), pitch0: s.rampTarget, pitchSlope: 0, rampEnd: Infinity };
  }
  const at = boundaryAt;
  const carried = { ...s, t0: at, pitch0: pitchIn(s, at), rampEnd: s.rampEnd };
  if (boundary === 'loop' && s.loop !== null) return { ...carried, p0: s.loop.start };
  return { ...carried, p0: (s.track as SimTrack).beats + 1, playing: false, ended: true, loop: null };
}
