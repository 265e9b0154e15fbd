/**
 * Cue events: a playing deck's playhead reaches a memory cue or hot cue of
 * its track. Made from the deck's beats (exactly once each, flagged
 * estimated, late, coasting) and its status packets, with the track's cue
 * points on its beat grid (library/cue-points.ts):
 *
 * - a cue on a beat fires with that beat's event, carrying its flags;
 * - a cue between beats is planned when the deck's beat before it arrives,
 *   at the beat's instant plus the fraction of the beat period, and dropped
 *   if the deck jumps, stops or changes track first (a new beat re-plans);
 * - a jump (or a play start) that a status shows, onto a cue, fires it at
 *   once, late, like a phrase reached by a jump; cues the jump passed over
 *   do not fire;
 * - a loop plays its cues on every pass, so they fire on every pass.
 *
 * Each pass over a cue fires it once: a beat or status that shows the deck
 * where it already was, and a pause and play inside one beat, fire nothing
 * again. A cue between beats in the beat a jump lands in fires only when the
 * deck's next beat shows it crossed the cue after the jump (it may have
 * landed past it); then late.
 *
 * Statuses that say nothing new (status-staleness.ts) move nothing: one the
 * last beat event already covered, and one the deck sent just before a loop
 * wrap the beat stream predicted, which would land on the loop's start twice.
 */
import type { OperatorFunction, SchedulerLike, Subscription } from 'rxjs';
import { Observable } from '../rx';
import type { BeatEvent, CueEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { CuePoint } from '../library/cue-points';
import { cuePointsInBeat } from '../library/cue-points';
import type { DeckSignal } from './deck-signals';
import { followBeat, LED_WITHIN_MS, noBeatLead, sentBeforeWrap, type BeatLead } from './status-staleness';

/** The cue points of the track on a deck, or null when unknown (no library, no match, another track). */
export type CuesFor = (deck: number, trackId: number | null) => readonly CuePoint[] | null;

export interface CueEventsOptions {
  readonly scheduler: SchedulerLike;
  readonly cuesFor: CuesFor;
}

/** A beat event for the beat the deck is in, this much of a beat after the one before, is a new pass (a one-beat loop). */
const NEW_PASS_BEATS = 0.5;

interface Flags {
  readonly estimated: boolean;
  readonly late: boolean;
  readonly confirmed: boolean;
  readonly coasting: boolean;
}

const STATUS_FLAGS: Flags = { estimated: false, late: true, confirmed: true, coasting: false };

interface Pending {
  readonly point: CuePoint;
  readonly sub: Subscription;
}

/** One deck; private to one subscription, updated in place. */
interface DeckCues {
  trackId: number | null;
  tracked: boolean;
  playing: boolean;
  /** The beat counter value the deck is in, null when unknown. */
  beat: number | null;
  /** When the deck was last seen in `beat`: a beat event's instant, or a status's time. */
  at: number;
  /** Whether `beat` came from a beat event (its phase known). */
  fromBeat: boolean;
  /** The beat events so far (the last one's instant, a recent wrap). */
  lead: BeatLead;
  /**
   * The deck is in `beat` at an unknown phase (a status showed it there, or
   * it moved there between statuses): the time from which it is known to have
   * been before any cue in the beat it has not fired; null when the phase is known.
   */
  unsureSince: number | null;
  pending: Pending[];
  /** Cues fired while the deck is in `beat`. */
  firedHere: Set<string>;
}

function periodOf(bpm: number | null): number | null {
  return bpm !== null && Number.isFinite(bpm) && bpm > 0 ? 60_000 / bpm : null;
}

function beatFlags(b: BeatEvent, late = b.late): Flags {
  return { estimated: b.estimated, late, confirmed: !b.estimated, coasting: b.coasting };
}

class CueTracker {
  private readonly decks = new Map<number, DeckCues>();

  constructor(
    private readonly options: CueEventsOptions,
    private readonly emit: (event: CueEvent) => void,
  ) {}

  step(input: DeckSignal): void {
    if (input.kind === 'beat') this.beat(input.beat);
    else if (input.kind === 'status') this.status(input.state);
  }

  stop(): void {
    for (const d of this.decks.values()) this.cancel(d);
  }

  private deck(n: number): DeckCues {
    let d = this.decks.get(n);
    if (d === undefined) {
      d = { trackId: null, tracked: false, playing: false, beat: null, at: 0, fromBeat: false, lead: noBeatLead(), unsureSince: null, pending: [], firedHere: new Set() };
      this.decks.set(n, d);
    }
    return d;
  }

  private points(deck: number, d: DeckCues, beat: number): readonly CuePoint[] {
    const all = this.options.cuesFor(deck, d.trackId);
    return all === null ? [] : cuePointsInBeat(all, beat);
  }

  private fire(deck: number, d: DeckCues | null, point: CuePoint, at: number, flags: Flags): void {
    d?.firedHere.add(point.id);
    this.emit({ type: 'cue', at, deck, cue: point.cue, ...flags });
  }

  private cancel(d: DeckCues): void {
    for (const p of d.pending) p.sub.unsubscribe();
    d.pending = [];
  }

  /** The deck left its beat forward: what was planned in it is due now (late if not yet fired). */
  private flush(deck: number, d: DeckCues, flags: Flags): void {
    const due = d.pending;
    d.pending = [];
    for (const p of due) {
      p.sub.unsubscribe();
      this.fire(deck, null, p.point, this.options.scheduler.now(), { ...flags, late: true });
    }
  }

  /** The deck reached beat `next` (forward) at `at`: cues between beats in the beat it left whose phase was unknown fire if it surely crossed them since. */
  private crossedUnsure(deck: number, d: DeckCues, at: number, period: number | null, flags: Flags): void {
    if (d.unsureSince === null || d.beat === null || period === null) return;
    for (const point of this.points(deck, d, d.beat)) {
      if (point.fraction === 0 || d.firedHere.has(point.id)) continue;
      const crossedAt = at - (1 - point.fraction) * period;
      if (crossedAt >= d.unsureSince) this.fire(deck, null, point, crossedAt, { ...flags, late: true });
    }
  }

  /** Moves the deck into `beat`; `keepFired` when it is the beat it was in. */
  private enter(d: DeckCues, beat: number, at: number, keepFired: boolean): void {
    if (!keepFired) d.firedHere = new Set();
    d.beat = beat;
    d.at = at;
  }

  /** The deck is at beat `beat` exactly, at `at` (a beat event): its cues fire or are planned. */
  private plan(deck: number, d: DeckCues, beat: number, at: number, period: number | null, flags: Flags): void {
    const now = this.options.scheduler.now();
    for (const point of this.points(deck, d, beat)) {
      if (d.firedHere.has(point.id)) continue;
      if (point.fraction === 0) {
        this.fire(deck, d, point, at, flags);
        continue;
      }
      if (period === null) continue;
      const due = at + point.fraction * period;
      if (due <= now) {
        this.fire(deck, d, point, due, { ...flags, late: flags.late || due < now });
        continue;
      }
      const pending: Pending = {
        point,
        sub: this.options.scheduler.schedule(() => {
          d.pending = d.pending.filter((p) => p !== pending);
          this.fire(deck, d, point, due, flags);
        }, due - now),
      };
      d.pending.push(pending);
    }
  }

  /** A status shows the deck in `beat` at an unknown phase: cues on the beat fire (late); those between beats wait for the next beat. */
  private land(deck: number, d: DeckCues, at: number, unsureSince: number): void {
    if (d.beat === null) return;
    d.fromBeat = false;
    d.unsureSince = unsureSince;
    for (const point of this.points(deck, d, d.beat)) {
      if (point.fraction === 0 && !d.firedHere.has(point.id)) this.fire(deck, d, point, at, STATUS_FLAGS);
    }
  }

  private beat(b: BeatEvent): void {
    if (b.beat === null) return;
    const d = this.deck(b.deck);
    const period = periodOf(b.effectiveBpm);
    const prev = d.beat;
    d.playing = true;
    followBeat(d.lead, b.beat, b.at);
    if (prev === b.beat) {
      const again = d.fromBeat && (period === null || b.at - d.at < period * NEW_PASS_BEATS);
      if (again) return;
      if (d.fromBeat) {
        // A one-beat loop: a new pass over the same beat.
        this.cancel(d);
        this.enter(d, b.beat, b.at, false);
      }
      // Else a status showed the deck here first: the beat gives the phase; what fired stays fired.
      d.at = b.at;
      d.fromBeat = true;
      d.unsureSince = null;
      this.plan(b.deck, d, b.beat, b.at, period, beatFlags(b));
      return;
    }
    if (prev !== null && b.beat === prev + 1) {
      this.flush(b.deck, d, beatFlags(b));
      this.crossedUnsure(b.deck, d, b.at, period, beatFlags(b));
    } else {
      this.cancel(d);
    }
    this.enter(d, b.beat, b.at, false);
    d.fromBeat = true;
    d.unsureSince = null;
    this.plan(b.deck, d, b.beat, b.at, period, beatFlags(b));
  }

  private status(s: DeckState): void {
    const d = this.deck(s.deck);
    const trackChanged = !d.tracked || d.trackId !== s.trackId;
    const playingChanged = d.playing !== s.playing;
    const fresh = s.updatedAt - d.lead.at < LED_WITHIN_MS && s.beat !== null && d.beat !== null && Math.abs(s.beat - d.beat) <= 1;
    d.trackId = s.trackId;
    d.tracked = true;
    d.playing = s.playing;
    if (trackChanged) {
      this.cancel(d);
      d.beat = null;
      d.firedHere = new Set();
      d.lead = noBeatLead();
    }
    if (!s.playing) {
      if (playingChanged) this.cancel(d);
      // A stopped deck moved (cue button, jog): it is somewhere else, nothing fired there yet.
      if (s.beat !== null && s.beat !== d.beat) {
        this.enter(d, s.beat, s.updatedAt, false);
        d.fromBeat = false;
      }
      return;
    }
    if (s.beat === null || (fresh && !trackChanged && !playingChanged)) return;
    if (!trackChanged && !playingChanged && sentBeforeWrap(d.lead, s)) return;
    const prev = d.beat;
    if (prev === s.beat) {
      // Playing on in the beat it was in (a start, or a status that caught up): the beat's cues that have not fired, fire.
      if (d.fromBeat && !playingChanged) return;
      this.land(s.deck, d, s.updatedAt, d.unsureSince ?? s.updatedAt);
      return;
    }
    if (prev !== null && s.beat === prev + 1 && !playingChanged) {
      // Forward to the next beat with no beat event to lead: the deck was in the beat before when last seen.
      this.flush(s.deck, d, STATUS_FLAGS);
      this.crossedUnsure(s.deck, d, s.updatedAt, periodOf(s.effectiveBpm), STATUS_FLAGS);
      const since = d.at;
      this.enter(d, s.beat, s.updatedAt, false);
      this.land(s.deck, d, s.updatedAt, since);
      return;
    }
    // A jump, a play start elsewhere, or a new track: what was planned will not happen; cues the jump passed are not fired.
    this.cancel(d);
    this.enter(d, s.beat, s.updatedAt, false);
    this.land(s.deck, d, s.updatedAt, s.updatedAt);
  }
}

/** Cue events from a deck signal stream (statuses and beats). */
export function cueEvents(options: CueEventsOptions): OperatorFunction<DeckSignal, CueEvent> {
  return (source) =>
    new Observable<CueEvent>((subscriber) => {
      const tracker = new CueTracker(options, (event) => subscriber.next(event));
      const subscription = source.subscribe({
        next: (input) => {
          try {
            tracker.step(input);
          } catch (error: unknown) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
      return () => {
        subscription.unsubscribe();
        tracker.stop();
      };
    });
}
