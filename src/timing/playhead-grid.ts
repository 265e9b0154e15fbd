/**
 * A deck's beat grid tied to its playhead, for decks that send precise
 * position packets (§5: CDJ-3000s, the OPUS-QUAD in CDJ mode).
 *
 * rekordbox grids of constant-tempo tracks are a straight line in track time:
 * beat position = b0 + k · m, with m the playhead in track ms, k = track BPM /
 * 60 000 (the BPM status packets carry, §3.4, before pitch) and b0 a constant
 * of the track. The playhead m(t) comes from the precise positions
 * (playhead-track.ts), measured by the player itself. What remains unknown is
 * b0, and unlike the phase of a deck (beat-grid-estimator.ts) it does not
 * change when the deck jumps, loops, pauses or changes pitch: everything
 * learned about it holds for as long as the track stays loaded.
 *
 * Each status packet says "counter n at playhead m", so n ≤ b0 + k · m < n + 1,
 * a one-beat-wide interval for b0; packets land at all phases of the beat and
 * their agreed region narrows with every one, over the whole time the track
 * plays, whatever the deck does. A real beat packet (CDJ-3000) says b0 + k · m
 * is a whole number, pinning b0 down to the network delay at once. The region
 * is kept as in the phase estimator (phase-constraints.ts): lower ends are
 * trusted, upper ends only while they are not below a proven lower end, and
 * three contradicting upper ends drop what was learned before them.
 *
 * The playhead the packet refers to is read off the playhead model at the
 * packet's arrival, so the network delay cancels out (status and position
 * packets take the same way); a packet is used once a later position packet
 * showed that the playhead did not jump meanwhile.
 *
 * Where the track's own beat grid is known (a library track matched to the
 * deck, `TrackGridSource`), none of this has to be learned: the beat at any
 * playhead position is read off that grid (grid-lookup.ts), tempo changes
 * included, from the first position packet on. The learned constant is still
 * kept, and takes over when the deck shows a track the grid is not for.
 *
 * Assumptions of the learned constant: the track's grid has one tempo (a
 * status BPM that changes while the same track stays loaded starts the grid
 * afresh); the counter of status packets is not used below beat 2 (players
 * show 1 before the first beat is reached).
 *
 * No clock, no timers: all time comes in with the observations and queries.
 */
import type { GridBeat } from '../library/library-track';
import { beatInBarOfBeat, positionAtTime, tempoAtTime, timeAtPosition } from '../library/anlz/grid-lookup';
import { MS_PER_MINUTE, isUsableBpm } from './beat-grid';
import type { EstimatorOptions } from './estimator-options';
import { ConstraintSet, type Aging, type PhaseConstraint } from './phase-constraints';
import { midpoint, type Interval } from './phase-intervals';
import { PlayheadTrack, type PlayheadObservation, type PlayheadOutcome } from './playhead-track';

/** A playhead older than this is not followed any more (ms). */
export const PLAYHEAD_FRESH_MS = 250;
/** A packet waiting this long for a position packet after it is dropped (ms). */
const PENDING_MAX_MS = 1000;
/**
 * How much sooner or later than a position packet a status or beat packet may
 * reach the receiver, for the same instant on the player (ms): both take the
 * same way, so only the jitter between them counts, and it counts both ways.
 */
const RELATIVE_DELAY_MS = 1;
/** Bounds kept; beyond it the least informative old ones go (they do not age: the grid is the track's). */
const MAX_CONSTRAINTS = 400;
const LATE_CONFLICTS_FOR_MOVE = 3;
const NO_AGING: Aging = { position: 0, slack: 0, resolution: 0 };
/**
 * Half-width of where a beat lies when read off the track's own grid (ms): the
 * grid stores whole milliseconds, and the playhead is read within the jitter
 * between packets that took the same way.
 */
const TRACK_GRID_UNCERTAINTY_MS = 0.5 + RELATIVE_DELAY_MS;
/** Position packets this close to a status packet's arrival say how far the playhead model can be off then (ms): one each side. */
const NEAR_POSITIONS_MS = 45;

/**
 * The beat grid of the track a deck shows by its track ID (§3.1 0x2c), e.g.
 * the matched library track's PQTZ grid; null when it is not known.
 */
export type TrackGridSource = (trackId: number) => readonly GridBeat[] | null;

/** What a status packet (counter) or a real beat packet (its number) says about the grid. */
export interface GridEvidence {
  /** Arrival time (ms). */
  readonly at: number;
  /** Status counter (§3.1 0xa0); for a beat packet not used (its number comes from the counters). */
  readonly beat: number | null;
  /** Track BPM before pitch (§3.1 0x92); null when unknown. */
  readonly trackBpm: number | null;
  readonly trackId: number | null;
  /** 'status': counter n means n ≤ position < n + 1; 'packet': the beat packet marks position = n. */
  readonly source: 'status' | 'packet';
}

interface Pending extends GridEvidence {
  readonly segment: number;
}

export class PlayheadGrid {
  readonly playhead = new PlayheadTrack();
  private readonly bounds = new ConstraintSet();
  private trackId: number | null = null;
  private trackBpm: number | null = null;
  private current: Interval | null = null;
  private region: Interval | null = null;
  private pending: Pending[] = [];
  private lateConflicts: PhaseConstraint[] = [];
  private lastStill: { beat: number | null; segment: number } | null = null;
  private moves = 0;
  /** residualsNear's answer, written in place. */
  private readonly residuals = new Float64Array(2);
  /** The track ID of the latest status packet, whatever its BPM: the track a grid from `trackGrid` must be for. */
  private shownTrackId: number | null = null;

  constructor(
    private readonly options: EstimatorOptions,
    private readonly trackGrid: TrackGridSource | null = null,
  ) {}

  observePlayhead(o: PlayheadObservation): PlayheadOutcome {
    const outcome = this.playhead.observe(o);
    this.settle();
    return outcome;
  }

  observe(e: GridEvidence): void {
    if (e.source === 'status') this.shownTrackId = e.trackId;
    if (!isUsableBpm(e.trackBpm)) return;
    if (e.trackId !== this.trackId || e.trackBpm !== this.trackBpm) this.restart(e.trackId, e.trackBpm);
    const segment = this.playhead.current;
    if (segment === null) return;
    if (e.source === 'status' && (e.beat === null || !Number.isInteger(e.beat) || e.beat < 2)) return;
    this.pending.push({ ...e, segment: segment.id });
    this.settle();
  }

  /** Whether the grid can place beats at `at`: a fresh playhead and the track's grid or a known grid constant. */
  ready(at: number): boolean {
    const last = this.playhead.lastFittedAt;
    return (this.region !== null || this.trackBeats() !== null) && last !== null && at - last <= PLAYHEAD_FRESH_MS;
  }

  /** True while beats come from the track's own grid rather than the learned constant. */
  get fromTrackGrid(): boolean {
    return this.trackBeats() !== null;
  }

  /** Beat-in-bar of beat n on the track's own grid; null without one. */
  beatInBarOf(n: number): number | null {
    const grid = this.trackBeats();
    return grid === null ? null : beatInBarOfBeat(grid, n);
  }

  get moving(): boolean {
    return this.playhead.current?.moving ?? false;
  }

  /** Track BPM (the grid's at the playhead, where the track's grid is known) × the playhead's pitch; null when unknown. */
  get bpm(): number | null {
    const pitch = this.playhead.pitch;
    const grid = this.trackBeats();
    const last = this.playhead.lastFittedAt;
    const ms = grid === null || last === null ? null : this.playhead.msAt(last);
    const trackBpm = grid !== null && ms !== null ? tempoAtTime(grid, ms) : this.trackBpm;
    return trackBpm === null || pitch === null ? null : trackBpm * pitch;
  }

  get phaseMoves(): number {
    return this.moves;
  }

  /** Fractional beat position at `t`; null when the grid or the playhead is unknown. */
  positionAt(t: number): number | null {
    const ms = this.playhead.msAt(t);
    const grid = this.trackBeats();
    if (grid !== null) return ms === null ? null : positionAtTime(grid, ms);
    const k = this.beatsPerMs();
    return ms === null || k === null || this.region === null ? null : this.phase(this.region) + k * ms;
  }

  /** When the playhead reaches `position`; null while paused or unknown. */
  timeOf(position: number): number | null {
    const grid = this.trackBeats();
    if (grid !== null) {
      const ms = timeAtPosition(grid, position);
      return ms === null ? null : this.playhead.timeOfMs(ms);
    }
    const k = this.beatsPerMs();
    return k === null || this.region === null ? null : this.playhead.timeOfMs((position - this.phase(this.region)) / k);
  }

  /** Half-width of the interval the true beat instants lie in (ms); Infinity when unknown. */
  get uncertaintyMs(): number {
    const k = this.beatsPerMs();
    const speed = this.playhead.speed;
    if (this.trackBeats() !== null) return TRACK_GRID_UNCERTAINTY_MS / (speed !== null && speed > 0 ? speed : 1);
    if (k === null || this.region === null) return Infinity;
    return (this.region.hi - this.region.lo) / 2 / k / (speed !== null && speed > 0 ? speed : 1);
  }

  /**
   * How far (ms) the latest position packet, held off the playhead's line
   * (PlayheadTrack.heldOffMs), puts the beats from where the line says: the
   * line may be off by that much until the next packet tells.
   */
  get disagreementMs(): number {
    const speed = this.playhead.speed;
    return this.playhead.heldOffMs / (speed !== null && speed > 0 ? speed : 1);
  }

  /** The grid of the track the deck shows, where it is known (and has beats). */
  private trackBeats(): readonly GridBeat[] | null {
    if (this.trackGrid === null || this.shownTrackId === null) return null;
    const grid = this.trackGrid(this.shownTrackId);
    return grid !== null && grid.length > 0 ? grid : null;
  }

  private beatsPerMs(): number | null {
    return this.trackBpm === null ? null : this.trackBpm / MS_PER_MINUTE;
  }

  /**
   * The middle of the agreed region: every packet is compared with position
   * packets that took the same way, so its delay counts as much either way
   * (unlike a beat packet's arrival time, which can only be late).
   */
  private phase(region: Interval): number {
    return midpoint(region);
  }

  private restart(trackId: number | null, trackBpm: number): void {
    this.trackId = trackId;
    this.trackBpm = trackBpm;
    this.bounds.clear();
    this.current = this.region = null;
    // Without precise positions nothing is ever pending, and a deck whose track BPM moves restarts with every status: no new empty arrays then.
    if (this.pending.length > 0) this.pending = [];
    if (this.lateConflicts.length > 0) this.lateConflicts = [];
    this.lastStill = null;
  }

  /** Uses the packets a later position packet has shown to lie on the current segment; drops those a jump made doubtful. */
  private settle(): void {
    if (this.pending.length === 0) return;
    const segment = this.playhead.current;
    const last = this.playhead.lastFittedAt;
    const waiting: Pending[] = [];
    for (const p of this.pending) {
      if (segment === null || p.segment !== segment.id || last === null || last - p.at > PENDING_MAX_MS) continue;
      if (last <= p.at || this.playhead.unsettled) waiting.push(p);
      else this.learn(p, segment.moving);
    }
    this.pending = waiting;
  }

  private learn(p: Pending, moving: boolean): void {
    if (!moving) {
      // A paused deck repeats the same packet five times a second: one is enough.
      if (this.lastStill !== null && this.lastStill.beat === p.beat && this.lastStill.segment === p.segment) return;
      this.lastStill = { beat: p.beat, segment: p.segment };
    }
    const k = this.beatsPerMs();
    const at = this.playhead.msAt(p.at);
    const speed = this.playhead.speed ?? 0;
    if (k === null || at === null) return;
    // The playhead then, within the jitter between packets, and within how far the position packets around
    // that instant lie off the model (the jog wheel bends the playhead away from the pitch the model runs at).
    this.playhead.residualsNear(p.at, NEAR_POSITIONS_MS, this.residuals);
    const latest = at + Math.max(RELATIVE_DELAY_MS * speed, this.residuals[1] as number);
    const earliest = at + Math.min(-RELATIVE_DELAY_MS * speed, this.residuals[0] as number);
    // A beat packet carries no number of its own (§4): it says where a beat falls, the counters say which.
    const beat = p.source === 'packet' ? (this.region === null ? null : Math.round(this.phase(this.region) + k * latest)) : p.beat;
    if (beat === null) return;
    const c: PhaseConstraint = {
      lo: beat - k * latest,
      hi: (p.source === 'packet' ? beat : beat + 1) - k * earliest,
      at: p.at,
      slackAt: 0,
      positionAt: 0,
      prior: false,
    };
    if (this.current !== null && c.lo > this.current.hi) {
      this.bounds.dropContradicted({ lo: c.lo, hi: Infinity }, NO_AGING);
      this.moves++;
    } else if (this.current !== null && c.hi < this.current.lo) {
      this.noteLateConflict(c);
    }
    this.bounds.add(c);
    this.bounds.keepBest(MAX_CONSTRAINTS);
    const { current, region } = this.bounds.estimate(NO_AGING);
    this.current = current;
    this.region = region;
  }

  /** Three upper ends below the estimate within recentWindowMs: what was learned before the first is dropped. */
  private noteLateConflict(c: PhaseConstraint): void {
    this.lateConflicts = this.lateConflicts.filter((x) => c.at - x.at <= this.options.recentWindowMs);
    this.lateConflicts.push(c);
    if (this.lateConflicts.length < LATE_CONFLICTS_FOR_MOVE) return;
    this.bounds.forgetBefore((this.lateConflicts[0] as PhaseConstraint).at);
    this.lateConflicts = [];
    this.moves++;
  }
}
