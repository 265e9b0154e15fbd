/**
 * What one status or beat packet proves about the grid constant `c` (the deck
 * is at beat position `c + P(t)`, tempo-track.ts), and what a jump lets the
 * phase estimator assume (beat-grid-estimator.ts).
 *
 * A status generated at `g` showing counter `n` (§3.1 0xa0) says the playhead
 * was in [n, n + 1) at `g`: beat n had happened and beat n + 1 had not. Not
 * for counter 1: the counter counts beats from 1 and shows 0 only while the
 * deck is parked at the start (§3.1), so from the moment the deck leaves the
 * start until beat 2 it shows 1, also before beat 1 when the track starts a
 * little before its first beat (a rekordbox grid puts beat 1 less than a beat
 * after the start). Counter 1 proves only a position in [0, 2).
 *
 * Latency: a packet seen at `at` was generated in [at − latencyMaxMs,
 * at − latencyMinMs].
 */
import { MS_PER_MINUTE } from './beat-grid';
import type { EstimatorOptions } from './estimator-options';
import type { MutableConstraint, PhaseConstraint } from './phase-constraints';
import { midpoint, type Interval } from './phase-intervals';
import type { TempoTrack } from './tempo-track';

type Latency = Pick<EstimatorOptions, 'latencyMinMs' | 'latencyMaxMs'>;

/** The lowest position a status counter proves the playhead had reached. */
export function shownFrom(counter: number): number {
  return counter >= 2 ? counter : counter - 1;
}

/** P (tempo-track.ts) at the instants a packet seen at `at` is judged by. */
export interface PacketPositions {
  /** P(at − latencyMaxMs): the earliest the packet can have been generated. */
  earliest: number;
  /** P(at − latencyMinMs): the latest. */
  latest: number;
  /** P(at). */
  arrival: number;
}

/** Positions for packetPositionsInto, none taken yet (NaN: the fields hold doubles from the start). */
export function emptyPacketPositions(): PacketPositions {
  return { earliest: NaN, latest: NaN, arrival: NaN };
}

/** packetPositionsInto's positions on their way into its `out` (one thread: read at once). */
const scratch = new Float64Array(3);

/**
 * The positions of a packet seen at `at`, written into `out`. The estimator
 * takes them once per packet, for the bound, the jump check and the aging of
 * the bounds alike: it asked for each several times, and a number that
 * `position` returns is boxed each time the optimiser leaves the call in place
 * (so they come through `positionInto`).
 */
export function packetPositionsInto(out: PacketPositions, tempo: TempoTrack, options: Latency, at: number): PacketPositions {
  const p = scratch;
  tempo.positionInto(at - options.latencyMaxMs, p, 0);
  tempo.positionInto(at - options.latencyMinMs, p, 1);
  tempo.positionInto(at, p, 2);
  out.earliest = p[0] as number;
  out.latest = p[1] as number;
  out.arrival = p[2] as number;
  return out;
}

/**
 * The bounds on `c` from counter `beat` seen at `at`. A beat packet (`packet`)
 * marks the beat itself, so its interval is only the latency wide.
 */
export function counterBound(tempo: TempoTrack, options: Latency, at: number, beat: number, packet: boolean): PhaseConstraint {
  const positions = packetPositionsInto(emptyPacketPositions(), tempo, options, at);
  return counterBoundInto({ lo: 0, hi: 0, at: 0, slackAt: 0, positionAt: 0, prior: false }, tempo, positions, at, beat, packet);
}

/**
 * counterBound, written into `out`, from the packet's `positions` (taken at
 * `at` with the tempo as it is): the estimator reuses one for every packet
 * (its ConstraintSet copies the numbers).
 */
export function counterBoundInto(out: MutableConstraint, tempo: TempoTrack, positions: PacketPositions, at: number, beat: number, packet: boolean): PhaseConstraint {
  out.lo = (packet ? beat : shownFrom(beat)) - positions.latest;
  out.hi = packet ? beat - positions.earliest : beat + 1 - positions.earliest;
  out.at = at;
  out.slackAt = tempo.slackBeats;
  out.positionAt = positions.arrival;
  out.prior = false;
  return out;
}

/**
 * The hypothesis that a jump seen at `c.at` landed on a beat at the instant it
 * happened (cue points and loop starts sit on beats; a quantized jump also
 * happens on a beat). That instant lies after the previous status, generated
 * before the jump, and the beat the counter shows is the one landed on or
 * one played since: either way beat `beat` happened in (previousAt −
 * latencyMaxMs, c.at − latencyMinMs]. `c`'s upper end comes down to
 * `beat − P(previousAt − latencyMaxMs)`, where that is lower.
 */
export function landingBound(tempo: TempoTrack, options: Latency, c: PhaseConstraint, beat: number, previousAt: number): PhaseConstraint {
  const hi = Math.min(c.hi, beat - tempo.position(previousAt - options.latencyMaxMs));
  return { ...c, hi: Math.max(c.lo, hi), prior: true };
}

/**
 * Whether counter `beat` is impossible for the phase `region` (agreed by the
 * observations alone, hypotheses aside). A counter one behind is lateness,
 * not a jump, when a packet up to lateToleranceMs late explains it.
 * `positions`: the packet's (packetPositionsInto), taken at `at` with the tempo as it is.
 */
export function isJump(
  tempo: TempoTrack,
  options: Pick<EstimatorOptions, 'latencyMaxMs' | 'lateToleranceMs' | 'jumpMarginMs'>,
  positions: PacketPositions,
  at: number,
  beat: number,
  packet: boolean,
  region: Interval,
): boolean {
  const { latencyMaxMs, lateToleranceMs, jumpMarginMs } = options;
  const margin = (jumpMarginMs * (tempo.bpm ?? 0)) / MS_PER_MINUTE;
  const lo = toCounter(region.lo + positions.earliest - margin, packet);
  const hi = toCounter(region.hi + positions.latest + margin, packet);
  if (beat >= lo && beat <= hi) return false;
  if (beat !== lo - 1) return true;
  return beat < toCounter(region.lo + tempo.position(at - latencyMaxMs - lateToleranceMs), packet);
}

/**
 * The counter a position shows: a beat packet names the nearest beat, a
 * status the one the playhead is in. (A call, not `Math.round` or
 * `Math.floor` held in a variable: a builtin called through a variable gets
 * its number boxed, and isJump runs for every packet.)
 */
function toCounter(position: number, packet: boolean): number {
  return packet ? Math.round(position) : Math.floor(position);
}

/**
 * The whole number of beats a jump moved the phase by, on the hypothesis that
 * it kept the phase: of the shifts that put the old region on `c`, one that
 * also puts it on `landing` (the other hypothesis, inside `c`) if any does,
 * else the one that fits `c` best.
 */
export function jumpShift(c: Interval, region: Interval, landing: Interval | null = null): number {
  const overlap = (a: Interval, j: number): number => Math.min(a.hi, region.hi + j) - Math.max(a.lo, region.lo + j);
  let k = Math.round(midpoint(c) - midpoint(region));
  let best = -Infinity;
  for (let j = Math.ceil(c.lo - region.hi); j <= Math.floor(c.hi - region.lo); j++) {
    const onLanding = landing === null ? -1 : overlap(landing, j);
    // Fitting the landing outranks any fit of `c` alone (overlaps are below one beat).
    const score = onLanding >= 0 ? 2 + onLanding : overlap(c, j);
    if (score > best) {
      best = score;
      k = j;
    }
  }
  return k;
}
