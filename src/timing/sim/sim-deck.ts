/**
 * The ground truth of a simulated deck: where its playhead is, in beats, at
 * every instant, following a script of tempo steps, ramps, jumps and
 * pause/play. Status and beat-packet generators sample it; tests compare the
 * estimator's predictions with it. It is also an exact BeatGridSource, for
 * driving the MIDI clock without estimation error.
 */
import { BeatGrid, BeatGridSource, MS_PER_MINUTE } from '../beat-grid';

export type DeckEvent =
  /** Tempo step, or a linear ramp to `bpm` when `overMs` > 0. */
  | { readonly at: number; readonly kind: 'tempo'; readonly bpm: number; readonly overMs?: number }
  /** The playhead jumps to `position` (cue, loop, beat jump). */
  | { readonly at: number; readonly kind: 'jump'; readonly position: number }
  | { readonly at: number; readonly kind: 'pause' }
  | { readonly at: number; readonly kind: 'play' };

export interface DeckStart {
  readonly at: number;
  /** Beat position at `at` (beat n at position n). */
  readonly position: number;
  readonly bpm: number;
  readonly playing: boolean;
  /** Beats n ≡ barOffset (mod 4) are downbeats. */
  readonly barOffset: number;
}

interface Segment {
  readonly t0: number;
  readonly p0: number;
  readonly bpm0: number;
  /** Tempo change per ms. */
  readonly slope: number;
  readonly playing: boolean;
}

type Pending = DeckEvent | { readonly at: number; readonly kind: 'ramp-end'; readonly bpm: number; readonly ramp: number };

export class SimDeck implements BeatGridSource {
  private readonly segments: Segment[];
  readonly barOffset: number;

  constructor(start: DeckStart, events: readonly DeckEvent[] = []) {
    this.barOffset = start.barOffset;
    this.segments = build(start, events);
  }

  positionAt(t: number): number {
    const s = this.segmentAt(t);
    return positionIn(s, t);
  }

  bpmAt(t: number): number {
    const s = this.segmentAt(t);
    return s.bpm0 + s.slope * (t - s.t0);
  }

  playingAt(t: number): boolean {
    return this.segmentAt(t).playing;
  }

  /** The first beat the playhead crosses strictly after `t`, or null if it never does. */
  nextBeatAfter(t: number): { readonly beat: number; readonly at: number } | null {
    const first = this.segments.indexOf(this.segmentAt(t));
    for (let i = first; i < this.segments.length; i++) {
      const s = this.segments[i] as Segment;
      const end = this.segments[i + 1]?.t0 ?? Infinity;
      const from = Math.max(t, s.t0);
      if (!s.playing || from >= end) continue;
      let beat = Math.floor(positionIn(s, from)) + 1;
      let at = crossing(s, beat);
      if (at !== null && at <= t) at = crossing(s, ++beat); // rounding put `from` just before a beat already passed
      if (at !== null && at > t && at < end) return { beat, at };
    }
    return null;
  }

  grid(at: number): BeatGrid {
    return {
      at,
      playing: this.playingAt(at),
      position: this.positionAt(at),
      bpm: this.bpmAt(at),
      barOffset: this.barOffset,
      uncertaintyMs: 0,
    };
  }

  private segmentAt(t: number): Segment {
    let found = this.segments[0] as Segment;
    for (const s of this.segments) {
      if (s.t0 <= t) found = s;
      else break;
    }
    return found;
  }
}

function positionIn(s: Segment, t: number): number {
  if (!s.playing) return s.p0;
  const dt = t - s.t0;
  return s.p0 + (s.bpm0 * dt + (s.slope * dt * dt) / 2) / MS_PER_MINUTE;
}

/** When segment `s` reaches position `p`, or null if it never does. */
function crossing(s: Segment, p: number): number | null {
  const a = s.slope / 2 / MS_PER_MINUTE;
  const b = s.bpm0 / MS_PER_MINUTE;
  const distance = p - s.p0;
  const disc = b * b + 4 * a * distance;
  if (disc < 0 || b <= 0) return null;
  return s.t0 + (2 * distance) / (b + Math.sqrt(disc));
}

function build(start: DeckStart, events: readonly DeckEvent[]): Segment[] {
  const segments: Segment[] = [{ t0: start.at, p0: start.position, bpm0: start.bpm, slope: 0, playing: start.playing }];
  const queue: Pending[] = [...events].sort((a, b) => a.at - b.at);
  let ramp = 0;
  let activeRamp = -1;
  while (queue.length > 0) {
    const e = queue.shift() as Pending;
    const s = segments[segments.length - 1] as Segment;
    const t = Math.max(e.at, s.t0);
    const p = positionIn(s, t);
    const bpm = s.bpm0 + s.slope * (t - s.t0);
    let next: Segment;
    switch (e.kind) {
      case 'tempo':
        if (e.overMs !== undefined && e.overMs > 0) {
          activeRamp = ++ramp;
          next = { t0: t, p0: p, bpm0: bpm, slope: (e.bpm - bpm) / e.overMs, playing: s.playing };
          insertSorted(queue, { at: t + e.overMs, kind: 'ramp-end', bpm: e.bpm, ramp: activeRamp });
        } else {
          activeRamp = -1;
          next = { t0: t, p0: p, bpm0: e.bpm, slope: 0, playing: s.playing };
        }
        break;
      case 'ramp-end':
        if (e.ramp !== activeRamp) continue;
        activeRamp = -1;
        next = { t0: t, p0: p, bpm0: e.bpm, slope: 0, playing: s.playing };
        break;
      case 'jump':
        next = { ...s, t0: t, p0: e.position, bpm0: bpm };
        break;
      case 'pause':
        next = { ...s, t0: t, p0: p, bpm0: bpm, playing: false };
        break;
      case 'play':
        next = { ...s, t0: t, p0: p, bpm0: bpm, playing: true };
        break;
    }
    segments.push(next);
  }
  return segments;
}

function insertSorted(queue: Pending[], item: Pending): void {
  const i = queue.findIndex((q) => q.at > item.at);
  if (i < 0) queue.push(item);
  else queue.splice(i, 0, item);
}
