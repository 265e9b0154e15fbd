/**
 * Look-ahead firing: rules with `lead` fire that long before the predicted
 * instant of their beat or phrase change, to make up for a desk's or a
 * projector's own latency.
 *
 * For every lead rule and deck one firing is pending at a time: the next
 * instance `predict-instants.ts` finds on the deck's grid, scheduled at its
 * instant minus the lead. Each grid update (`update(deck)`) predicts again;
 * a prediction that moved (a tempo change) is rescheduled, and one that is
 * gone (the DJ stopped, jumped, or the grid lost its phase) is cancelled.
 * A firing cannot be taken back once it has gone out.
 *
 * The events themselves still arrive (`actual(event)`). One that a look-ahead
 * firing already covered is passed over; one nobody could predict in time
 * (the first beat after play, the beat right after a jump, a deck whose phase
 * is not known yet) fires its lead rules on the spot, late by their lead but
 * not lost, and marked `late`. So every beat and phrase change fires each
 * lead rule once, in order: an event older than one that already went out
 * ahead (a lead longer than a beat, right after play) is passed over rather
 * than sent backwards. A firing ahead says `late` and `coasting` as its event
 * would (predict-instants.ts).
 *
 * Clock and waiting are injected: production waits on a timer and spins the
 * last millisecond on the main thread; tests run on virtual time.
 */
import type { BridgeEvent } from '../events/bridge-event';
import type { CuePoint } from '../library/cue-points';
import { cueMatches } from '../mapping/cue-conditions';
import type { CompiledRule } from '../mapping/compiled-mapping';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { BeatGrid } from '../timing/beat-grid';
import type { MonotonicClock } from '../timing/clock';
import type { Cancel, WaitStrategy } from '../timing/tick-scheduler';
import { nextTarget, sameInstance, type Instance, type LookAheadTarget, type PredictableEvent, type PredictedEvent } from './predict-instants';

export type FiredHow = 'ahead' | 'late';

export interface LookAheadOptions {
  readonly clock: MonotonicClock;
  readonly wait: WaitStrategy;
  readonly gridFor: (deck: number, at: number) => BeatGrid | null;
  /** The song structure of the track now on the deck, or null. */
  readonly structureFor: (deck: number) => SongStructure | null;
  /** The cue points of the track now on the deck, or null (rules on cue). */
  readonly cuesFor?: (deck: number) => readonly CuePoint[] | null;
  /** The tempo master, so master-only rules are predicted for that deck alone. */
  readonly masterDeck: () => number | null;
  /** Runs one rule on one event (conditions, every and throttle still apply). */
  readonly fire: (rule: CompiledRule, event: PredictedEvent, how: FiredHow) => void;
}

export interface LookAheadStats {
  /** Firings that went out ahead of their instant. */
  ahead: number;
  /** Events nobody predicted in time, fired on arrival. */
  late: number;
  /** Events passed over because a later one had already fired ahead. */
  superseded: number;
  /** Pending firings moved because the prediction moved. */
  moved: number;
  /** Pending firings dropped because the prediction went away. */
  cancelled: number;
}

interface Slot {
  readonly rule: CompiledRule;
  readonly deck: number;
  pending: { readonly target: LookAheadTarget; readonly cancel: Cancel } | null;
  /** Recent instances fired, newest last: a long lead fires beats before earlier ones have arrived. */
  fired: Instance[];
}

/** A prediction that moved less than this keeps its pending firing (ms). */
const KEEP_WITHIN_MS = 0.25;
/** Fired instances are remembered this long past their instant (ms), and at most this many. */
const REMEMBER_MS = 2000;
const REMEMBER_MAX = 64;

function firesOn(rule: CompiledRule, event: BridgeEvent): boolean {
  if (rule.on === 'downbeat' || rule.on === 'bar') return event.type === 'beat' && event.beatInBar === 1;
  return rule.on === event.type;
}

function isPredicted(event: BridgeEvent): event is PredictedEvent {
  return event.type === 'beat' || event.type === 'phrase.start' || event.type === 'phrase.end' || event.type === 'phrase.fill' || event.type === 'cue';
}

function instanceOf(event: PredictedEvent, id: string | null): Instance {
  if (event.type === 'beat') return { key: event.beat, at: event.at };
  if (event.type === 'cue') return id === null ? { key: event.cue.beat, at: event.at } : { key: event.cue.beat, at: event.at, id };
  const { phrase } = event;
  const key = event.type === 'phrase.start' ? phrase.startBeat : event.type === 'phrase.end' ? phrase.endBeat : phrase.fillBeat;
  return { key: key === null ? null : event.type === 'phrase.fill' ? Math.max(key, phrase.startBeat) : key, at: event.at };
}

export class LookAhead {
  private rules: readonly CompiledRule[] = [];
  private readonly slots = new Map<string, Slot>();
  private readonly decks = new Set<number>();
  private stopped = false;
  readonly stats: LookAheadStats = { ahead: 0, late: 0, superseded: 0, moved: 0, cancelled: 0 };

  constructor(private readonly options: LookAheadOptions) {}

  /** A (re)loaded mapping's lead rules. Pending firings are dropped; what already fired stays fired for rules of the same name. */
  setRules(rules: readonly CompiledRule[]): void {
    const previous = [...this.slots.values()];
    for (const slot of previous) slot.pending?.cancel();
    this.slots.clear();
    this.rules = rules;
    for (const old of previous) {
      const rule = rules.find((r) => r.name === old.rule.name && r.on === old.rule.on);
      if (rule !== undefined) this.slot(rule, old.deck).fired.push(...old.fired);
    }
    for (const deck of this.decks) this.update(deck);
  }

  /** The deck's grid (or track) changed: predict its lead rules again. */
  update(deck: number): void {
    this.decks.add(deck);
    // Without lead rules (most mappings) there is nothing to plan: not even the clock is read, on every status.
    if (this.stopped || this.rules.length === 0) return;
    const now = this.options.clock.now();
    const master = this.options.masterDeck();
    for (const rule of this.rules) {
      if (this.follows(rule, deck, master)) {
        this.plan(this.slot(rule, deck), now);
        continue;
      }
      const slot = this.slots.get(key(rule, deck));
      if (slot !== undefined && slot.pending !== null) {
        slot.pending.cancel();
        slot.pending = null;
        this.stats.cancelled++;
      }
    }
  }

  /** An event as it happens: fires the lead rules that no look-ahead firing covered. */
  actual(event: BridgeEvent): void {
    if (this.stopped || !isPredicted(event)) return;
    if (this.rules.length === 0) {
      this.decks.add(event.deck);
      return;
    }
    const instance = instanceOf(event, event.type === 'cue' ? this.cueId(event.deck, event.cue.timeMs, event.cue.name, event.cue.kind, event.cue.hotCue) : null);
    const master = this.options.masterDeck();
    const bpm = event.type === 'beat' ? event.effectiveBpm : (this.options.gridFor(event.deck, event.at)?.bpm ?? null);
    // A lead rule that fires on the event itself comes after the instant it promised (the event's minus its lead): it says so.
    let lateEvent: PredictedEvent | null = null;
    for (const rule of this.rules) {
      if (!firesOn(rule, event) || !this.follows(rule, event.deck, master)) continue;
      if (event.type === 'cue' && !cueMatches(rule.when, event.cue)) continue;
      const slot = this.slot(rule, event.deck);
      if (slot.fired.some((f) => sameInstance(f, instance, bpm))) continue;
      // A later instance already went out ahead (a lead longer than a beat, just after play): firing this one now would run backwards.
      if (slot.fired.some((f) => f.at > instance.at)) {
        this.stats.superseded++;
        continue;
      }
      // The event beat its own prediction here: fire once, now.
      if (slot.pending !== null && sameInstance(slot.pending.target.instance, instance, bpm)) {
        slot.pending.cancel();
        slot.pending = null;
      }
      remember(slot, instance);
      this.stats.late++;
      lateEvent ??= event.late ? event : { ...event, late: true };
      this.options.fire(rule, lateEvent, 'late');
    }
    this.update(event.deck);
  }

  /** What is pending, for monitors and tests. */
  pending(): readonly { readonly rule: string; readonly deck: number; readonly fireAt: number; readonly event: PredictedEvent }[] {
    return [...this.slots.values()].flatMap((s) => (s.pending === null ? [] : [{ rule: s.rule.name, deck: s.deck, fireAt: s.pending.target.fireAt, event: s.pending.target.event }]));
  }

  stop(): void {
    this.stopped = true;
    for (const slot of this.slots.values()) {
      slot.pending?.cancel();
      slot.pending = null;
    }
  }

  /** The id the cue points give the cue (look-ahead instances name cues by it). */
  private cueId(deck: number, timeMs: number, name: string, kind: string, hotCue: number | null): string | null {
    const point = this.options.cuesFor?.(deck)?.find((p) => p.cue.timeMs === timeMs && p.cue.name === name && p.cue.kind === kind && p.cue.hotCue === hotCue);
    return point?.id ?? null;
  }

  private follows(rule: CompiledRule, deck: number, master: number | null): boolean {
    const selector = rule.when.deck;
    if (selector.kind === 'decks') return selector.decks.has(deck);
    if (selector.kind === 'master') return deck === master;
    return true;
  }

  private slot(rule: CompiledRule, deck: number): Slot {
    const k = key(rule, deck);
    let slot = this.slots.get(k);
    if (slot === undefined) {
      slot = { rule, deck, pending: null, fired: [] };
      this.slots.set(k, slot);
    }
    return slot;
  }

  private plan(slot: Slot, now: number): void {
    const { rule, deck } = slot;
    const next = nextTarget({
      on: rule.on as PredictableEvent,
      leadMs: rule.leadMs ?? 0,
      deck,
      now,
      grid: this.options.gridFor(deck, now),
      structure: rule.on.startsWith('phrase.') ? this.options.structureFor(deck) : null,
      fired: slot.fired[slot.fired.length - 1] ?? null,
      ...(rule.on === 'cue' ? { cues: (this.options.cuesFor?.(deck) ?? []).filter((p) => cueMatches(rule.when, p.cue)), recent: slot.fired } : {}),
    });
    const pending = slot.pending;
    if (pending !== null) {
      const same = next !== null && next.instance.key === pending.target.instance.key && next.instance.id === pending.target.instance.id && Math.abs(next.fireAt - pending.target.fireAt) < KEEP_WITHIN_MS;
      if (same) return;
      pending.cancel();
      slot.pending = null;
      if (next === null || next.instance.key !== pending.target.instance.key || next.instance.id !== pending.target.instance.id) this.stats.cancelled++;
      else this.stats.moved++;
    }
    if (next === null) return;
    const cancel = this.options.wait.waitUntil(next.fireAt, () => {
      if (slot.pending?.target !== next) return;
      slot.pending = null;
      remember(slot, next.instance);
      this.stats.ahead++;
      this.options.fire(rule, next.event, 'ahead');
      this.plan(slot, this.options.clock.now());
    });
    slot.pending = { target: next, cancel };
  }
}

function remember(slot: Slot, instance: Instance): void {
  const keepFrom = instance.at - REMEMBER_MS;
  slot.fired = slot.fired.filter((f) => f.at >= keepFrom).slice(-(REMEMBER_MAX - 1));
  slot.fired.push(instance);
}

function key(rule: CompiledRule, deck: number): string {
  return `${rule.index}:${deck}`;
}
