/**
 * A simulated deck: the truth about where its playhead is at every instant.
 * Commands (load, play, stop, pitch, nudge, hold, sync, jump, loop) take the time they happen at
 * from the caller and must come in time order; queries can ask about any time
 * still held in the history, past or future (the future being what happens if
 * nobody touches the deck). Players and the OPUS-QUAD build their status and
 * beat packets from it; tests compare the bridge's view with it.
 *
 * Beat counter (§3.1): 0 while parked at the start after a load, otherwise the
 * number of the last grid beat the playhead has reached (at least 1).
 */
import { pitchPercentOfRaw, pitchRaw } from '../encode/shape-b';
import { type DeckLoop, type Segment, moves, pitchIn, positionIn, successor, timeToReach } from './segment';
import { continuesPlaying, cueCrossingsIn, type CueCrossing } from './cue-crossings';
import { MS_PER_MINUTE, beatInBarOf, endPosition, pitchPercentFor, startPosition, type SimTrack } from './track';
import { P1_CUED, P1_EMPTY, P1_ENDED, P1_LOADING, P1_LOOPING, P1_PAUSED, P1_PLAYING } from '../../packets/status-names';

/** One beat the playhead reached while playing: the ground truth for beat tests. */
export interface TrueBeat {
  readonly at: number;
  readonly beat: number;
  readonly beatInBar: number;
  readonly trackId: number;
  /** Effective BPM at that instant. */
  readonly bpm: number;
  /** Reached again by a wrap of a loop shorter than a beat (a roll), present only then. */
  readonly rollWrap?: true;
}

export interface DeckState {
  readonly track: SimTrack | null;
  readonly position: number;
  readonly playing: boolean;
  /** §3.1 beat counter; null without a track. */
  readonly beat: number | null;
  /** 1–4; 0 without a track. */
  readonly beatInBar: number;
  readonly pitchPercent: number;
  /** Track BPM × pitch; null without a track. */
  readonly effectiveBpm: number | null;
  /** §3.2 P1 value. */
  readonly playState: number;
  /** §3.1 P2: the playhead moves (playing, and no hand holding the platter). */
  readonly moving: boolean;
  readonly looping: boolean;
  /** The loop set (positions in beats), null for none. */
  readonly loop: DeckLoop | null;
  /** Beat Sync on (§3.3). */
  readonly synced: boolean;
  /** Synced, and nudged since: BPM sync only (§3.3). */
  readonly bpmSyncOnly: boolean;
}

/** Floating-point slack when reading a beat number off a position. */
const EPSILON = 1e-9;
/** The smallest whole number not below x − EPSILON. */
function wholeAtOrAbove(x: number): number {
  return Math.ceil(x - EPSILON);
}

/**
 * How long a deck shows P1 'loading' (§3.2) after a load. Real players do,
 * with the new track's ID, for 60 ms to over 2 s (dysentery's LinkInfo
 * captures: a reload of the track already on the deck looks just like this).
 */
export const LOADING_MS = 400;

/** Segment s with the playhead bent to end `ms` ms of its music ahead (behind, when negative) over `overMs`, the pitch unmoved. */
function bent(s: Segment, ms: number, overMs: number): Segment {
  return { ...s, bend: (100 * ms * (1 + s.pitch0 / 100)) / overMs, bendEnd: s.t0 + overMs };
}

/** A Beat Sync pull of `ms` takes at least this many times `ms`: the playhead never stands or runs backwards. */
const SYNC_PULL_SPAN = 2;

/** History older than this (behind the newest command) is dropped. */
const DEFAULT_HISTORY_MS = 15 * 60_000;

export class SimDeck {
  private segments: Segment[];
  private lastCommandAt: number;

  constructor(
    /** The deck number the bridge sees: 1–4 on the OPUS-QUAD, the player number on CDJs. */
    readonly number: number,
    now: number,
    private readonly historyMs: number = DEFAULT_HISTORY_MS,
  ) {
    this.lastCommandAt = now;
    this.segments = [
      { t0: now, track: null, p0: 0, pitch0: 0, pitchSlope: 0, rampEnd: Infinity, rampTarget: 0, bend: 0, bendEnd: Infinity, holdEnd: -Infinity, playing: false, ended: false, cued: false, parked: false, loadingUntil: -Infinity, loop: null, synced: false, bpmSyncOnly: false },
    ];
  }

  load(track: SimTrack, now: number): void {
    this.change(now, (s) => ({ ...s, track, p0: startPosition(track), playing: false, ended: false, cued: true, parked: true, loadingUntil: now + LOADING_MS, loop: null, synced: false, bpmSyncOnly: false }));
  }

  /**
   * Instant doubles: the track, place and pitch of `source` at `now`, and its
   * playing or not, with no loading state shown (the track is already in the
   * unit). A loop, a ramp, a nudge or a hand on the source's platter is not
   * copied. Returns whether the deck plays; nothing changes when the source
   * has no track.
   */
  double(source: SimDeck, now: number): boolean {
    const from = source.stateAt(now);
    const track = from.track;
    if (track === null) return this.segmentAt(this.clamp(now)).playing;
    const pitch = from.pitchPercent;
    this.change(now, (s) => ({
      ...s,
      track,
      p0: from.position,
      pitch0: pitch,
      pitchSlope: 0,
      rampEnd: Infinity,
      rampTarget: pitch,
      bend: 0,
      bendEnd: Infinity,
      holdEnd: -Infinity,
      playing: from.playing,
      ended: false,
      cued: false,
      parked: from.beat === 0,
      loadingUntil: -Infinity,
      loop: null,
      synced: false,
      bpmSyncOnly: false,
    }));
    return from.playing;
  }

  /** Starts playback; false (and nothing changes) without a track or at its end. */
  play(now: number): boolean {
    const s = this.segmentAt(this.clamp(now));
    if (s.track === null || s.ended) return false;
    if (s.playing) return true;
    this.change(now, (c) => ({ ...c, playing: true, cued: false, parked: false }));
    return true;
  }

  stop(now: number): void {
    this.change(now, (s) => ({ ...s, playing: false, cued: false, bend: 0, bendEnd: Infinity, holdEnd: -Infinity }));
  }

  /**
   * The DJ's hand on the platter (vinyl mode) for `ms`: the playhead stands
   * where it is, and goes on from there when the hand lets go. The deck still
   * plays: its play state says so, its motion byte says it stands (§3.2).
   */
  hold(ms: number, now: number): void {
    if (!(ms > 0)) return;
    this.change(now, (s) => (s.playing ? { ...s, holdEnd: s.t0 + ms, bend: 0, bendEnd: Infinity } : s));
  }

  /**
   * A nudge of the jog wheel while playing: over `overMs` the playhead runs
   * faster (or, for a negative `ms`, slower) until it is `ms` ms of the
   * music ahead of where it would have been. The pitch fader does not move,
   * and the pitch the deck reports stays the fader's. A synced deck keeps its
   * tempo on the master's but leaves its beat: BPM sync only (§3.3).
   */
  nudge(ms: number, overMs: number, now: number): void {
    if (!(overMs > 0) || ms === 0) return;
    this.change(now, (s) => (s.playing ? { ...bent(s, ms, overMs), bpmSyncOnly: s.synced } : s));
  }

  /**
   * Sets the pitch fader (−100 … +100 %), at once or as a linear ramp over
   * `overMs`. A step is rounded to the wire's resolution, so the pitch the
   * status packets carry is exactly the one the playhead moves at.
   */
  setPitch(percent: number, now: number, overMs = 0): void {
    const target = pitchPercentOfRaw(pitchRaw(percent));
    if (overMs <= 0) {
      this.change(now, (s) => ({ ...s, pitch0: target, pitchSlope: 0, rampEnd: Infinity, rampTarget: target }));
      return;
    }
    this.change(now, (s) => ({ ...s, pitchSlope: (target - s.pitch0) / overMs, rampEnd: s.t0 + overMs, rampTarget: target }));
  }

  /**
   * Beat Sync pressed: the deck takes the effective tempo of `master` at once
   * (its pitch fader no longer counts: the pitch reported is the synced one)
   * and shows sync on. When both play, the deck is then pulled onto the
   * master's place in the beat, the nearer way round (half a beat at most),
   * over `overMs` as a nudge would pull it, or longer for a larger pull: the
   * playhead runs at no less than half and no more than one and a half times
   * the tempo while it is pulled (SYNC_PULL_SPAN). A deck that does not play only
   * takes the tempo. Nothing happens without a track.
   */
  sync(master: SimDeck, overMs: number, now: number): void {
    const own = this.segmentAt(this.clamp(now));
    const track = own.track;
    if (track === null) return;
    const m = master.stateAt(now);
    if (m.effectiveBpm !== null) this.setPitch(pitchPercentFor(track, m.effectiveBpm), now);
    this.change(now, (s) => ({ ...s, synced: true, bpmSyncOnly: false }));
    if (!m.playing || !moves(own) || m.effectiveBpm === null) return;
    const mine = this.positionAt(now);
    let shift = m.position - Math.floor(m.position) - (mine - Math.floor(mine));
    if (shift >= 0.5) shift -= 1;
    else if (shift < -0.5) shift += 1;
    const ms = (shift * MS_PER_MINUTE) / m.effectiveBpm;
    // Pulled as a nudge pulls, but onto the master's beat: the deck stays in step with it.
    if (Math.abs(shift) > EPSILON && overMs > 0) this.change(now, (s) => bent(s, ms, Math.max(overMs, SYNC_PULL_SPAN * Math.abs(ms))));
  }

  /** Sync off: the deck keeps the tempo it has. */
  unsync(now: number): void {
    this.change(now, (s) => ({ ...s, synced: false, bpmSyncOnly: false }));
  }

  /** Puts the playhead on grid beat `beat` (a cue, a loop back, a beat jump). */
  jump(beat: number, now: number): void {
    this.change(now, (s) => {
      if (s.track === null) return s;
      const p0 = Math.min(Math.max(beat, startPosition(s.track)), s.track.beats);
      const loop = s.loop !== null && p0 >= s.loop.start && p0 < s.loop.end ? s.loop : null;
      return { ...s, p0, ended: false, cued: !s.playing, parked: false, loop };
    });
  }

  /** The player's BEAT JUMP (or an unquantized move): the playhead moves `beats` beats, back when negative, keeping its place in the beat. */
  beatJump(beats: number, now: number): void {
    this.change(now, (s) => {
      if (s.track === null) return s;
      const p0 = Math.min(Math.max(s.p0 + beats, startPosition(s.track)), s.track.beats);
      const loop = s.loop !== null && p0 >= s.loop.start && p0 < s.loop.end ? s.loop : null;
      return { ...s, p0, ended: false, cued: !s.playing, parked: false, loop };
    });
  }

  /** Loops `lengthBeats` beats from `startBeat`; a playhead already past the loop jumps back into it. */
  setLoop(startBeat: number, lengthBeats: number, now: number): void {
    this.change(now, (s) => {
      if (s.track === null || !(lengthBeats > 0)) return s;
      const loop: DeckLoop = { start: startBeat, end: Math.min(startBeat + lengthBeats, endPosition(s.track)) };
      const p0 = s.p0 >= loop.end ? loop.start : s.p0;
      return { ...s, loop, p0, parked: s.parked && p0 === s.p0 };
    });
  }

  exitLoop(now: number): void {
    this.change(now, (s) => ({ ...s, loop: null }));
  }

  trackAt(t: number): SimTrack | null {
    return this.segmentAt(t).track;
  }

  positionAt(t: number): number {
    return positionIn(this.segmentAt(t), t);
  }

  playingAt(t: number): boolean {
    return this.segmentAt(t).playing;
  }

  stateAt(t: number): DeckState {
    const s = this.segmentAt(t);
    const position = positionIn(s, t);
    const pitchPercent = pitchIn(s, t);
    const track = s.track;
    if (track === null) {
      return { track, position, playing: false, beat: null, beatInBar: 0, pitchPercent, effectiveBpm: null, playState: P1_EMPTY, moving: false, looping: false, loop: null, synced: s.synced, bpmSyncOnly: s.bpmSyncOnly };
    }
    const beat = s.parked ? 0 : Math.min(Math.max(Math.floor(position + EPSILON), 1), track.beats);
    let playState = s.cued ? P1_CUED : P1_PAUSED;
    if (!s.playing && t < s.loadingUntil) playState = P1_LOADING;
    else if (s.ended) playState = P1_ENDED;
    else if (s.playing) playState = s.loop !== null ? P1_LOOPING : P1_PLAYING;
    return {
      track,
      position,
      playing: s.playing,
      beat,
      beatInBar: beatInBarOf(track, Math.max(beat, 1)),
      pitchPercent,
      effectiveBpm: track.bpm * (1 + pitchPercent / 100),
      playState,
      moving: moves(s),
      looping: s.loop !== null,
      loop: s.loop,
      synced: s.synced,
      bpmSyncOnly: s.bpmSyncOnly,
    };
  }

  /** Every beat the playhead reaches with from < time ≤ to, in time order (`to` must be finite). */
  beatsBetween(from: number, to: number): TrueBeat[] {
    this.extendTo(to);
    const beats: TrueBeat[] = [];
    for (let i = this.indexAt(from); i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      if (s.t0 > to) break;
      for (const beat of this.beatsIn(s, this.segments[i + 1]?.t0 ?? Infinity, from)) {
        if (beat.at > to) break;
        beats.push(beat);
      }
    }
    return beats;
  }

  /** Every cue of its tracks the playhead reaches with from < time ≤ to, in time order (`to` must be finite). */
  cuesBetween(from: number, to: number): CueCrossing[] {
    this.extendTo(to);
    const out: CueCrossing[] = [];
    for (let i = this.indexAt(from); i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      if (s.t0 > to) break;
      const continues = continuesPlaying(this.segments[i - 1], s);
      out.push(...cueCrossingsIn(s, this.segments[i + 1]?.t0 ?? Infinity, from, continues).filter((c) => c.at <= to));
    }
    return out;
  }

  /** The instants with from < time ≤ to at which the playing deck reached the end of its track and stopped there (`to` must be finite). */
  endsBetween(from: number, to: number): number[] {
    this.extendTo(to);
    const ends: number[] = [];
    for (let i = Math.max(1, this.indexAt(from)); i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      if (s.t0 > to) break;
      if (s.ended && s.t0 > from && (this.segments[i - 1] as Segment).playing) ends.push(s.t0);
    }
    return ends;
  }

  /** The first beat after time t, if the deck keeps doing what it does now; null when none comes. */
  nextBeatAfter(t: number): TrueBeat | null {
    for (let i = this.indexAt(t), guard = 0; guard < 10_000; i++, guard++) {
      const s = this.segments[i] as Segment;
      const next = this.segments[i + 1] ?? this.materializeAfter(i);
      const first = this.beatsIn(s, next?.t0 ?? Infinity, t).next();
      if (first.done !== true) return first.value;
      if (next === null) return null;
    }
    return null;
  }

  /**
   * The beats segment s reaches before `end`, after time `after`. Beat n
   * belongs to the segment whose position range [p0, end position) holds it;
   * both ends are snapped to whole beats within EPSILON, so a beat on a
   * boundary is counted exactly once and a loop's end beat never sounds.
   */
  private *beatsIn(s: Segment, end: number, after: number): Generator<TrueBeat> {
    if (!moves(s) || s.track === null) return;
    const from = Math.max(s.t0, after);
    const endPosition = end === Infinity ? Infinity : positionIn(s, end);
    const firstBeat = Math.max(wholeAtOrAbove(s.p0), Math.floor(positionIn(s, from)));
    const stopBefore = Math.min(wholeAtOrAbove(endPosition), s.track.beats + 1);
    for (let n = firstBeat; n < stopBefore; n++) {
      const at = Math.min(s.t0 + timeToReach(s, n), end);
      if (at === Infinity) return;
      if (at > after) yield this.trueBeat(s, n, at);
    }
  }

  private trueBeat(s: Segment, beat: number, at: number): TrueBeat {
    const track = s.track as SimTrack;
    const b = { at, beat, beatInBar: beatInBarOf(track, beat), trackId: track.id, bpm: track.bpm * (1 + pitchIn(s, at) / 100) };
    // A wrap starts a segment at the loop's start; the first time the deck got there was inside the segment before.
    const rollWrap = s.loop !== null && s.loop.end - s.loop.start < 1 && at === s.t0 && s.p0 === s.loop.start;
    return rollWrap ? { ...b, rollWrap: true } : b;
  }

  private clamp(now: number): number {
    return Math.max(now, this.lastCommandAt);
  }

  /** Replaces the timeline from `now` on with the changed state, then drops old history. */
  private change(now: number, edit: (s: Segment) => Segment): void {
    const at = this.clamp(now);
    this.lastCommandAt = at;
    const index = this.indexAt(at);
    const s = this.segments[index] as Segment;
    const current: Segment = {
      ...s,
      t0: at,
      p0: positionIn(s, at),
      pitch0: pitchIn(s, at),
      pitchSlope: at >= s.rampEnd ? 0 : s.pitchSlope,
      ...(at >= s.bendEnd ? { bend: 0, bendEnd: Infinity } : {}),
      ...(at >= s.holdEnd ? { holdEnd: -Infinity } : {}),
    };
    this.segments.length = s.t0 === at ? index : index + 1;
    this.segments.push(edit(current));
    const keepFrom = this.segments.findIndex((seg, i) => (this.segments[i + 1]?.t0 ?? Infinity) >= at - this.historyMs);
    if (keepFrom > 0) this.segments = this.segments.slice(keepFrom);
  }

  private segmentAt(t: number): Segment {
    return this.segments[this.indexAt(t)] as Segment;
  }

  /** Index of the segment holding time t, materialising the future up to t. */
  private indexAt(t: number): number {
    this.extendTo(t);
    for (let i = this.segments.length - 1; i > 0; i--) {
      if ((this.segments[i] as Segment).t0 <= t) return i;
    }
    return 0;
  }

  private extendTo(t: number): void {
    for (let guard = 0; guard < 100_000; guard++) {
      const last = this.segments.length - 1;
      const next = this.materializeAfter(last);
      if (next === null || next.t0 > t) {
        if (next !== null) this.segments.pop();
        return;
      }
    }
  }

  /** Appends the natural successor of segment `index` (the last one) and returns it, or null. */
  private materializeAfter(index: number): Segment | null {
    if (index !== this.segments.length - 1) return this.segments[index + 1] ?? null;
    const next = successor(this.segments[index] as Segment);
    if (next !== null) this.segments.push(next);
    return next;
  }
}
