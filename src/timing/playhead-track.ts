/**
 * A deck's playhead from its precise position packets (protocol doc §5):
 * CDJ-3000s, and the OPUS-QUAD in CDJ mode, send the playhead in track
 * milliseconds about every 30 ms, measured by the player, while playing and
 * while paused. This turns them into a smooth, continuous model of where the
 * playhead is at any instant, and notices when it stops, starts or jumps.
 *
 * Model: the track runs in segments. Within one the playhead moves at a
 * constant speed (the pitch multiplier while playing, 0 while paused), up to
 * the tempo changes the packets carry, which are placed at each packet's
 * arrival (an error below the pitch change times 30 ms). Each packet says
 * "the playhead was at ms_i when it arrived", which fixes the segment's offset
 * up to the packet's delay and the 1 ms rounding. A delay only ever makes the
 * playhead look behind, and a busy receiver reads many packets a millisecond
 * or more late, so the offset is the upper quartile over the segment's recent
 * packets: the least delayed of them, yet not the single highest, which one
 * jittery value could set.
 *
 * A packet that does not fit the segment (off by more than FIT_MS) is held:
 * when the next one fits the segment too, the held one was an outlier; when
 * the next one fits a line through the held one instead (moving at the pitch,
 * or standing still), a new segment begins with both. So a stop, a start or a
 * jump is known one packet (~30 ms) after the first packet that shows it, and
 * a single stray packet never breaks a segment.
 *
 * When a segment begins, `since` is the earliest instant its motion can have
 * begun: for a start from standstill, the instant the new line leaves the old
 * position (exact up to the packets' rounding); for a jump, the arrival of the
 * last packet on the old line (the jump came after it).
 *
 * No clock, no timers: all time comes in with the observations and queries.
 */

export interface PlayheadObservation {
  /** Arrival time (ms, monotonic). */
  readonly at: number;
  /** Playhead position in the track (ms, §5 0x28). */
  readonly ms: number;
  /** Pitch multiplier (§5 0x2c, 1 = ±0 %): how fast the playhead moves while playing. */
  readonly pitch: number;
}

export type PlayheadOutcome =
  | 'ignored' // out of order or unusable
  | 'continued' // fits the current segment
  | 'held' // does not fit: held until the next packet says whether the playhead moved
  | 'segment'; // a new segment began (start, stop or jump)

export interface PlayheadSegment {
  /** Increases with every new segment. */
  readonly id: number;
  readonly moving: boolean;
  /** Earliest instant the segment's motion can have begun (ms); −Infinity for the first segment seen. */
  readonly since: number;
  /** Whether the segment before it was moving (null for the first segment seen). */
  readonly movedBefore: boolean | null;
  /**
   * Whether its first packet put the playhead earlier in the track than the
   * last packet of the segment before did: a jump back (a cue, a loop's
   * wrap). A change of speed the packets did not follow (a jog bend, a
   * tempo change between two packets) leaves the playhead later in the track,
   * however far off the old line. False for the first segment seen.
   */
  readonly wentBack: boolean;
}

/** A packet this far off the segment's line (ms of track) does not fit it. */
const FIT_MS = 8;
/** The packets' playhead is in whole milliseconds: two in a row may disagree by this much either way. */
const ROUNDING_MS = 1;
/** Recent packets whose offsets are kept for the estimate. */
const WINDOW = 9;
/** Pitches closer than this count as unchanged. */
const PITCH_EPSILON = 1e-6;

interface SpeedKnot {
  /** Arrival time the speed starts at (ms). */
  readonly t: number;
  /** Integrated speed U at `t` (track ms). */
  readonly u: number;
  /** Track ms per ms (0 while paused). */
  readonly speed: number;
}

interface Segment extends PlayheadSegment {
  readonly knots: SpeedKnot[];
  /** ms_i − U(at_i) of the recent packets. */
  readonly offsets: number[];
  /** Their arrival times, in the same order. */
  readonly arrivals: number[];
  /** The segment's offset, from `offsets` (see the top). */
  offset: number;
  lastAt: number;
  /** The latest packet's playhead (track ms). */
  lastMs: number;
  pitch: number;
}

export class PlayheadTrack {
  private segment: Segment | null = null;
  private held: PlayheadObservation | null = null;
  private nextId = 1;
  private lastAt: number | null = null;

  /** The current segment, or null before two packets agreed on one. */
  get current(): PlayheadSegment | null {
    return this.segment;
  }

  /** Arrival of the latest packet that fitted a segment (ms), or null. */
  get lastFittedAt(): number | null {
    return this.segment?.lastAt ?? null;
  }

  /** Whether a packet that did not fit is waiting for the next one. */
  get unsettled(): boolean {
    return this.held !== null;
  }

  get pitch(): number | null {
    return this.segment?.pitch ?? null;
  }

  reset(): void {
    this.segment = null;
    this.held = null;
    this.lastAt = null;
  }

  observe(o: PlayheadObservation): PlayheadOutcome {
    if (!Number.isFinite(o.at) || !Number.isFinite(o.ms) || !(o.pitch >= 0) || (this.lastAt !== null && o.at < this.lastAt)) return 'ignored';
    this.lastAt = o.at;
    const s = this.segment;
    if (s !== null && this.fits(s, o)) {
      this.held = null;
      this.extend(s, o);
      return 'continued';
    }
    const held = this.held;
    if (held === null) {
      this.held = o;
      return 'held';
    }
    const moving = motionBetween(held, o);
    if (moving === null) {
      this.held = o;
      return 'held';
    }
    this.segment = this.begin(held, o, moving, s);
    this.held = null;
    return 'segment';
  }

  /** Playhead (track ms) at `t` on the current segment; null without one. */
  msAt(t: number): number | null {
    const s = this.segment;
    return s === null ? null : s.offset + integrated(s.knots, t);
  }

  /** When the current segment's playhead reaches `ms`; null without a moving segment. */
  timeOfMs(ms: number): number | null {
    const s = this.segment;
    if (s === null || !s.moving) return null;
    return timeOfIntegrated(s.knots, ms - s.offset);
  }

  /**
   * How far the packets that arrived within `spanMs` of `t` lie off the
   * current segment's line (track ms): the lowest into out[0] (0 or below),
   * the highest into out[1] (0 or above). The line stands on the least
   * delayed of the recent packets, so while the jog wheel bends the playhead
   * away from the pitch (a nudge), the packets around an instant show how far
   * the line can be from where the playhead really was then.
   */
  residualsNear(t: number, spanMs: number, out: Float64Array): void {
    out[0] = 0;
    out[1] = 0;
    const s = this.segment;
    if (s === null) return;
    for (let i = 0; i < s.arrivals.length; i++) {
      if (Math.abs((s.arrivals[i] as number) - t) > spanMs) continue;
      const r = (s.offsets[i] as number) - s.offset;
      if (r < (out[0] as number)) out[0] = r;
      if (r > (out[1] as number)) out[1] = r;
    }
  }

  /**
   * How far the packet held off the current segment lies from its line
   * (track ms): while the next packet has not said whether the playhead
   * moved, the line may be off by that much. 0 with none held.
   */
  get heldOffMs(): number {
    const s = this.segment;
    const held = this.held;
    return s === null || held === null ? 0 : Math.abs(held.ms - (s.offset + integrated(s.knots, held.at)));
  }

  /** Track ms per ms on the current segment at its latest packet (0 while paused); null without one. */
  get speed(): number | null {
    const s = this.segment;
    return s === null ? null : (s.knots[s.knots.length - 1] as SpeedKnot).speed;
  }

  private fits(s: Segment, o: PlayheadObservation): boolean {
    const predicted = s.offset + integrated(s.knots, o.at);
    return Math.abs(o.ms - predicted) <= FIT_MS;
  }

  private extend(s: Segment, o: PlayheadObservation): void {
    if (s.moving && Math.abs(o.pitch - s.pitch) > PITCH_EPSILON) {
      const last = s.knots[s.knots.length - 1] as SpeedKnot;
      const t = Math.max(last.t, o.at);
      s.knots.push({ t, u: integrated(s.knots, t), speed: o.pitch });
      if (s.knots.length > WINDOW + 1) s.knots.splice(0, s.knots.length - (WINDOW + 1));
    }
    s.pitch = o.pitch;
    s.offsets.push(o.ms - integrated(s.knots, o.at));
    s.arrivals.push(o.at);
    if (s.offsets.length > WINDOW) {
      s.offsets.shift();
      s.arrivals.shift();
    }
    s.offset = offsetOf(s.offsets);
    s.lastAt = o.at;
    s.lastMs = o.ms;
  }

  private begin(first: PlayheadObservation, second: PlayheadObservation, moving: boolean, before: Segment | null): Segment {
    const speed = moving ? second.pitch : 0;
    const knots: SpeedKnot[] = [{ t: first.at, u: 0, speed }];
    let since = before === null ? -Infinity : before.lastAt;
    if (moving && before !== null && !before.moving) {
      // A start from standstill: the new line leaves the old position at this instant (the last
      // packets of the old segment may already have moved by less than FIT_MS).
      const rate = Math.max(speed, PITCH_EPSILON);
      const start = first.at - (first.ms - before.offset) / rate;
      since = Math.min(first.at, Math.max(before.lastAt - FIT_MS / rate, start));
    }
    const wentBack = before !== null && first.ms + ROUNDING_MS < before.lastMs;
    const segment: Segment = { id: this.nextId++, moving, since, movedBefore: before === null ? null : before.moving, wentBack, knots, offsets: [], arrivals: [], offset: first.ms, lastAt: first.at, lastMs: first.ms, pitch: second.pitch };
    segment.offsets.push(first.ms);
    segment.arrivals.push(first.at);
    this.extend(segment, second);
    return segment;
  }
}

/** Whether two packets lie on one line that moves at the pitch (true) or stands still (false); null for neither. */
function motionBetween(a: PlayheadObservation, b: PlayheadObservation): boolean | null {
  const dt = b.at - a.at;
  const dms = b.ms - a.ms;
  const still = Math.abs(dms) <= FIT_MS;
  const moving = Math.abs(dms - dt * b.pitch) <= FIT_MS;
  return still === moving ? null : moving;
}

/** U(t) over speed knots (extrapolated before the first and after the last). */
function integrated(knots: readonly SpeedKnot[], t: number): number {
  let k = knots[0] as SpeedKnot;
  for (let i = knots.length - 1; i > 0; i--) {
    const knot = knots[i] as SpeedKnot;
    if (knot.t <= t) {
      k = knot;
      break;
    }
  }
  return k.u + (t - k.t) * k.speed;
}

/** The inverse of `integrated` for moving knots. */
function timeOfIntegrated(knots: readonly SpeedKnot[], u: number): number | null {
  let k = knots[0] as SpeedKnot;
  for (let i = knots.length - 1; i > 0; i--) {
    const knot = knots[i] as SpeedKnot;
    if (knot.u <= u) {
      k = knot;
      break;
    }
  }
  return k.speed > 0 ? k.t + (u - k.u) / k.speed : null;
}

/** The upper quartile of the packets' offsets: those of the least delayed packets (see the top). */
function offsetOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((sorted.length - 1) * 0.75)] as number;
}
