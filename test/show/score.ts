/**
 * The show scorer: the simulator's truth against what reached the bridge's
 * rules. Each truth event must be matched by exactly one event of the same
 * kind, deck and identity (beat number, phrase, track, new master), fired
 * within a window around its instant; whatever is left over on either side is
 * a miss or an extra. Timing is judged by when the rule fired.
 *
 * Pure: it takes two lists and returns numbers, so it can be run against a
 * deliberately broken stream to show that it notices.
 */
import type { BridgeEvent } from '../../src/events/bridge-event';
import type { TruthEvent, TruthEventType, TruthJump } from '../../src/prolink/sim/show-truth';

/** An event as a rule received it, with the time the rule fired. */
export interface Observed {
  readonly event: BridgeEvent;
  readonly firedAt: number;
}

export interface Window {
  readonly from: number;
  readonly to: number;
}

export interface ScoreOptions {
  /** Stretches with no network between the bridge and the gear (outages, reboots). */
  readonly outages?: readonly Window[];
  /** How early a firing may be and still count for its truth event. */
  readonly earlyMs?: number;
  /** How late; for events inside an outage, counted from the outage's end. */
  readonly lateMs?: number;
  /** A firing this much after its instant must say so (`late`). */
  readonly lateFlagMs?: number;
  /** Beats count as settled this many beats after a DJ action or tempo change. */
  readonly settledBeats?: number;
  /** Rules that wait for the deck (`confirm: true`) fire late by design: `confirmed` says so. */
  readonly acceptConfirmed?: boolean;
  /**
   * The end of what is judged: truth after it is not expected (its events may
   * still be on their way when the run stops), and a firing after it that
   * matches nothing is not counted as extra.
   */
  readonly until?: number;
}

/** How long after a DJ action a prediction made before it may still fire: a status period, and the way (ms). */
export const OVERTAKEN_MS = 300;
/**
 * How long after a jump the beat it landed inside may come (ms): the first
 * status that shows the jump, and for `confirm: true` rules the one after.
 */
export const LANDED_INSIDE_MS = 700;
/** A predicted event this much before the action is not its doing (the estimate's own error, ms). */
const OVERTAKEN_EARLY_MS = 50;

export const SCORED_TYPES: readonly TruthEventType[] = ['beat', 'phrase.start', 'phrase.end', 'phrase.fill', 'cue', 'master.change', 'track.load', 'play', 'stop'];

/** A cue is told from the others of its deck by its place on the grid (to 1/100 beat, as the bridge rounds) and name. */
function cueKey(deck: number, beat: number, name: string): string {
  return `${deck}:${beat.toFixed(2)}:${name}`;
}

export interface TypeScore {
  readonly type: TruthEventType;
  truth: number;
  matched: number;
  /** Truth events nothing matched. */
  missing: number;
  /** Firings that match no truth event. */
  extra: number;
  /** Of the extras, those that repeat an event already matched. */
  duplicates: number;
  /**
   * Of the extras, predicted ones (`estimated`) a DJ action overtook: fired
   * for where the deck was heading within OVERTAKEN_MS after it stopped,
   * jumped or looped, before any packet could tell, and the `phrase.end`
   * that takes back such a `phrase.start` once a packet shows the action.
   * Rules that must never fire for these say `confirm: true`.
   */
  overtaken: number;
  /**
   * Of the extras, the beat a jump landed inside (a beat jump keeps the place
   * in the beat), fired late as the jump's first beat: status packets cannot
   * tell such a jump from a cue that landed on that beat.
   */
  landedInside: number;
  /**
   * Of the missing, those a roll's wrap made (a loop shorter than a beat):
   * they come faster than status packets, so nothing can show them.
   */
  rollWraps: number;
  /**
   * Matched firings more than lateFlagMs after their instant that do not say
   * `late`; not the predicted end of a phrase a jump or stop cut short, fired
   * at its predicted instant before anything could show the action.
   */
  unflaggedLate: number;
  /** Matched firings outside outages that say `late` but came within lateFlagMs of their instant: the caution was not needed this time. */
  lateOnTime: number;
  /** firedAt − truth instant (ms), of every match. */
  readonly errors: number[];
}

export interface ShowScore {
  readonly types: ReadonlyMap<TruthEventType, TypeScore>;
  /** Beats missing while the deck played forward (not the first after an action). */
  readonly skippedBeats: number;
  /** Beats fired twice for the same truth beat. */
  readonly repeatedBeats: number;
  /** Fire error of beats settled (settledBeats into steady play) that fired as on time: how close the beat estimate is. */
  readonly settledBeatErrors: readonly number[];
  /** Settled beats that fired saying `late` (a lost beat packet), left out of settledBeatErrors: they claim no timing. */
  readonly settledLate: number;
  /**
   * Truth events inside an outage: how many were matched once, and how many of
   * those said how (late, or coasting); `unseen`, those nothing the deck sent
   * afterwards can show (unseenInOutages), owed nothing and not in `truth`.
   */
  readonly outage: { truth: number; matched: number; flagged: number; unseen: number };
  /** After each outage: ms from its end to the first event matched after it (null if none). */
  readonly recoveryMs: readonly (number | null)[];
  /** A few of the problems, for reading. */
  readonly problems: readonly string[];
}

function key(e: TruthEvent | BridgeEvent): string | null {
  switch (e.type) {
    case 'beat':
      return `${e.deck}:${e.beat}`;
    case 'phrase.start':
    case 'phrase.end':
    case 'phrase.fill':
      return `${e.deck}:${'phrase' in e ? e.phrase.startBeat : e.startBeat}`;
    case 'master.change':
      return `${e.deck ?? 'none'}`;
    case 'track.load':
      return `${e.deck}:${e.trackId}`;
    case 'play':
    case 'stop':
      return `${e.deck}`;
    case 'cue':
      return 'cue' in e ? cueKey(e.deck, e.cue.beat, e.cue.name) : cueKey(e.deck, e.beat, e.name);
    default:
      return null;
  }
}

function saysCoasting(e: BridgeEvent): boolean {
  return (e as { readonly coasting?: boolean }).coasting === true;
}

function saysLate(e: BridgeEvent, acceptConfirmed: boolean): boolean {
  const flags = e as { readonly late?: boolean; readonly confirmed?: boolean };
  return flags.late === true || (acceptConfirmed && flags.confirmed === true);
}

function outageHolding(outages: readonly Window[], at: number): Window | null {
  return outages.find((w) => at >= w.from && at <= w.to) ?? null;
}

/** How long a deck's beats coast on its last grid without packets (README, Network outages). */
const COAST_MS = 20_000;

/**
 * What a deck did inside an outage that nothing it sends afterwards can show:
 * once it stopped, jumped or took another track there, its beats (until the
 * bridge fires an event of it that is not coasting, the first from its
 * packets: the deck heard again), and a stop followed by a play inside the
 * same outage (it plays before and after). The rest of what it did (a stop it
 * is still in, a load, where it now is in its phrases, the master) shows in
 * its packets once they arrive, and is owed late. What is unseen is owed
 * nothing, but an event that stands for it all the same (the beat the deck
 * is in when heard, fired late) is matched to it.
 */
function unseenInOutages(truth: readonly TruthEvent[], observed: readonly Observed[], outages: readonly Window[]): Set<TruthEvent> {
  const unseen = new Set<TruthEvent>();
  for (const w of outages) {
    // Per deck, its earliest stop, jump or load inside the outage.
    const firstAction = new Map<number, number>();
    for (const t of truth) {
      if ((t.type === 'stop' || t.type === 'jump' || t.type === 'track.load') && t.at >= w.from && t.at <= w.to && t.at < (firstAction.get(t.deck) ?? Infinity)) firstAction.set(t.deck, t.at);
    }
    for (const [deck, actedAt] of firstAction) {
      const mine = truth.filter((t) => (t as { readonly deck?: number | null }).deck === deck);
      const heard = observed.find((o) => (o.event as { readonly deck?: number | null }).deck === deck && o.firedAt >= w.to && !saysCoasting(o.event))?.firedAt ?? Infinity;
      for (const t of mine) if (t.type === 'beat' && t.at >= actedAt && t.at < heard) unseen.add(t);
      for (const stop of mine) {
        if (stop.type !== 'stop' || stop.at < w.from || stop.at > w.to) continue;
        const play = mine.find((t) => t.type === 'play' && t.at > stop.at);
        if (play !== undefined && play.at <= w.to) {
          unseen.add(stop);
          unseen.add(play);
        }
      }
    }
  }
  return unseen;
}

/**
 * Per deck, the instants a DJ action changed where a playing deck was going:
 * each stop, jump and hold of the platter, and each loop wrap (a beat
 * reached by an action less than two seconds after the deck's previous
 * beat, so not the start of play).
 */
function overtakingActions(truth: readonly TruthEvent[]): Map<number, number[]> {
  const actions = new Map<number, number[]>();
  const lastBeat = new Map<number, number>();
  const add = (deck: number, at: number): void => {
    const list = actions.get(deck);
    if (list === undefined) actions.set(deck, [at]);
    else list.push(at);
  };
  for (const t of truth) {
    if (t.type === 'stop' || t.type === 'jump' || t.type === 'hold') add(t.deck, t.at);
    if (t.type !== 'beat') continue;
    const before = lastBeat.get(t.deck);
    if (t.cause === 'action' && before !== undefined && t.at - before < 2000) add(t.deck, t.at);
    lastBeat.set(t.deck, t.at);
  }
  return actions;
}

/** A prediction: estimated, and not confirmed by the deck's packets (as `confirm: true` rules get them). */
function isPrediction(e: BridgeEvent): boolean {
  const flags = e as { readonly estimated?: boolean; readonly confirmed?: boolean };
  return flags.estimated === true && flags.confirmed !== true;
}

function describe(e: TruthEvent | BridgeEvent): string {
  return `${e.type} ${key(e) ?? ''}`;
}

export function scoreShow(truth: readonly TruthEvent[], observed: readonly Observed[], options: ScoreOptions = {}): ShowScore {
  const outages = options.outages ?? [];
  const earlyMs = options.earlyMs ?? 250;
  const lateMs = options.lateMs ?? 1500;
  const lateFlagMs = options.lateFlagMs ?? 50;
  const settledBeats = options.settledBeats ?? 32;
  const acceptConfirmed = options.acceptConfirmed ?? false;
  const until = options.until ?? Infinity;
  const isLate = (e: BridgeEvent): boolean => saysLate(e, acceptConfirmed);
  const types = new Map<TruthEventType, TypeScore>(
    SCORED_TYPES.map((t) => [t, { type: t, truth: 0, matched: 0, missing: 0, extra: 0, duplicates: 0, overtaken: 0, landedInside: 0, rollWraps: 0, unflaggedLate: 0, lateOnTime: 0, errors: [] }]),
  );
  const problems: string[] = [];
  const note = (text: string): void => {
    if (problems.length < 40) problems.push(text);
  };

  // Candidates by type and key, in firing order.
  const pools = new Map<string, { readonly o: Observed; used: boolean }[]>();
  for (const o of observed) {
    if (!types.has(o.event.type as TruthEventType)) continue;
    const k = key(o.event);
    if (k === null) continue;
    const pool = `${o.event.type}|${k}`;
    const list = pools.get(pool) ?? [];
    list.push({ o, used: false });
    pools.set(pool, list);
  }

  const actions = overtakingActions(truth);
  /**
   * The DJ action that overtook a predicted firing, if one did. A coasting
   * firing (no packets) is overtaken by any action of its deck inside an
   * outage since it began to coast: nothing could show the bridge that one.
   */
  const overtakenBy = (o: Observed): number | undefined => {
    const deck = (o.event as { readonly deck?: number | null }).deck;
    if (!isPrediction(o.event) || deck === undefined || deck === null) return undefined;
    const list = actions.get(deck);
    const near = list?.find((at) => o.firedAt >= at - OVERTAKEN_EARLY_MS && o.firedAt - at <= OVERTAKEN_MS);
    if (near !== undefined || !saysCoasting(o.event)) return near;
    return list?.find((at) => at <= o.firedAt && o.firedAt - at <= COAST_MS && outageHolding(outages, at) !== null);
  };
  const unseen = unseenInOutages(truth, observed, outages);

  let skippedBeats = 0;
  const settledBeatErrors: number[] = [];
  let settledLate = 0;
  const outage = { truth: 0, matched: 0, flagged: 0, unseen: 0 };
  const matchedTruth: { readonly t: TruthEvent; readonly windowEnd: number }[] = [];
  const firstAfter: (number | null)[] = outages.map(() => null);

  // An unnumbered beat stands for the true beat of its deck nearest to when it fired: that beat's instant, found once.
  const beatTimes = new Map<number, number[]>();
  for (const t of truth) {
    if (t.type !== 'beat') continue;
    const times = beatTimes.get(t.deck) ?? [];
    times.push(t.at);
    beatTimes.set(t.deck, times);
  }
  const standsFor = new Map<Observed, number>();
  for (const [pool, list] of pools) {
    const deck = /^beat\|(\d+):null$/.exec(pool)?.[1];
    if (deck === undefined) continue;
    for (const { o } of list) {
      let best = NaN;
      for (const b of beatTimes.get(Number(deck)) ?? []) if (Number.isNaN(best) || Math.abs(b - o.firedAt) < Math.abs(best - o.firedAt)) best = b;
      standsFor.set(o, best);
    }
  }

  for (const t of truth) {
    if (t.at > until) continue;
    const score = types.get(t.type);
    if (score === undefined) continue; // a jump: owed nothing
    const inside = outageHolding(outages, t.at);
    // A roll's wrap is owed nothing (no packet can show it): only what fired about then stands for it, not a beat
    // of a later wrap that it would take from that wrap.
    const rollWrap = (t as { readonly rollWrap?: true }).rollWrap === true;
    const windowEnd = inside === null ? t.at + (rollWrap ? OVERTAKEN_MS : lateMs) : Math.max(t.at, inside.to) + lateMs;
    const list = pools.get(`${t.type}|${key(t) ?? ''}`) ?? [];
    const unnumbered = t.type === 'beat' ? (pools.get(`beat|${t.deck}:null`) ?? []).filter((c) => standsFor.get(c.o) === t.at) : [];
    // The nearest firing in the window: one with this beat's number, or an unnumbered one standing for it (a jump's
    // first beat); a numbered one where both are as near.
    let best: { readonly o: Observed; used: boolean } | null = null;
    for (const candidates of [list, unnumbered]) {
      for (const c of candidates) {
        if (c.used || c.o.firedAt < t.at - earlyMs || c.o.firedAt > windowEnd) continue;
        if (best === null || Math.abs(c.o.firedAt - t.at) < Math.abs(best.o.firedAt - t.at)) best = c;
      }
    }
    // What nothing can show is owed nothing; if something stands for it all the same (a late first beat), it is matched.
    if (best === null && unseen.has(t)) {
      outage.unseen++;
      continue;
    }
    score.truth++;
    if (inside !== null) outage.truth++;
    if (best === null) {
      score.missing++;
      if ((t as { readonly rollWrap?: true }).rollWrap === true) score.rollWraps++;
      if (t.type === 'beat' && t.cause === 'flow' && inside === null) skippedBeats++;
      const wrap = (t as { readonly rollWrap?: true }).rollWrap === true;
      note(`missing ${describe(t)} at ${t.at.toFixed(1)}${inside === null ? '' : ' (in an outage)'}${wrap ? " (a roll's wrap)" : ''}`);
      continue;
    }
    best.used = true;
    score.matched++;
    matchedTruth.push({ t, windowEnd });
    const error = best.o.firedAt - t.at;
    score.errors.push(error);
    const flaggable = t.type === 'beat' || t.type === 'cue' || t.type.startsWith('phrase.');
    // A phrase a jump or stop cut short ended then; its end was predicted for later, and fired then, before anything could show the action.
    const endOvertaken = t.type === 'phrase.end' && t.cause === 'action' && overtakenBy(best.o) !== undefined;
    // Inside an outage, `coasting` says how it was made: on the deck's last grid, with nothing heard.
    const coastedInOutage = inside !== null && saysCoasting(best.o.event);
    if (flaggable && error > lateFlagMs && !isLate(best.o.event) && !endOvertaken && !rollWrap && !coastedInOutage) {
      score.unflaggedLate++;
      note(`${describe(t)} fired ${error.toFixed(1)} ms after its instant without saying late`);
    }
    if (flaggable && inside === null && error <= lateFlagMs && (best.o.event as { readonly late?: boolean }).late === true) score.lateOnTime++;
    if (t.type === 'beat' && t.flowBeats >= settledBeats && inside === null && isLate(best.o.event)) settledLate++;
    else if (t.type === 'beat' && t.flowBeats >= settledBeats && inside === null) {
      settledBeatErrors.push(error);
      if (Math.abs(error) > 15) note(`settled ${describe(t)} fired ${error.toFixed(1)} ms off its instant`);
    }
    if (inside !== null) {
      outage.matched++;
      if (isLate(best.o.event) || saysCoasting(best.o.event)) outage.flagged++;
    }
    outages.forEach((w, i) => {
      if (best === null || best.o.firedAt < w.to) return;
      const since = best.o.firedAt - w.to;
      const current = firstAfter[i];
      if (current === null || current === undefined || since < current) firstAfter[i] = since;
    });
  }

  let repeatedBeats = 0;
  const extras: { readonly o: Observed; readonly type: TruthEventType; readonly repeats: boolean; readonly inside: boolean; readonly action: number | undefined }[] = [];
  const jumps = truth.filter((t): t is TruthJump => t.type === 'jump');
  /** A late beat numbered as the beat a jump just landed inside (not on its start). */
  const landedInside = (o: Observed): boolean => {
    const e = o.event;
    if (e.type !== 'beat' || e.beat === null || !e.late) return false;
    return jumps.some((j) => j.deck === e.deck && Math.floor(j.position + 1e-9) === e.beat && j.position - e.beat > 1e-6 && o.firedAt >= j.at && o.firedAt - j.at <= LANDED_INSIDE_MS);
  };
  /** Whether the deck of `t` went back (a jump, or a beat a DJ action or a loop's wrap put it on) after `t` and before `until`. */
  const backs = truth.filter((x) => x.type === 'jump' || (x.type === 'beat' && x.cause === 'action'));
  const wentBack = (t: TruthEvent, until: number): boolean => {
    const deck = (t as { readonly deck?: number | null }).deck;
    return backs.some((x) => (x as { readonly deck: number }).deck === deck && x.at > t.at && x.at < until && (x.type === 'jump' || !(t.type === 'beat' && x === t)));
  };
  for (const [pool, list] of pools) {
    const type = pool.slice(0, pool.indexOf('|')) as TruthEventType;
    for (const c of list) {
      if (c.used || Math.min(c.o.event.at, c.o.firedAt) > until - earlyMs) continue;
      const k = key(c.o.event);
      // Not a repeat when the deck went back since the event it repeats (a loop's wrap, a jump): the number comes again.
      const repeats = matchedTruth.some(({ t, windowEnd }) => t.type === type && key(t) === k && c.o.firedAt >= t.at - earlyMs && c.o.firedAt <= windowEnd && !wentBack(t, c.o.firedAt));
      const inside = type === 'beat' ? landedInside(c.o) : false;
      extras.push({ o: c.o, type, repeats: repeats && !inside, inside, action: repeats || inside ? undefined : overtakenBy(c.o) });
    }
  }
  /** Whether the last phrase.end of the same phrase fired before `start` was an extra that an action overtook. */
  const lastEndOvertaken = (start: Observed): boolean => {
    let last: { readonly o: Observed; used: boolean } | null = null;
    for (const c of pools.get(`phrase.end|${key(start.event) ?? ''}`) ?? []) if (c.o.firedAt <= start.firedAt && (last === null || c.o.firedAt >= last.o.firedAt)) last = c;
    return last !== null && !last.used && extras.some((e) => e.o === last?.o && e.action !== undefined);
  };
  for (const x of extras) {
    const score = types.get(x.type) as TypeScore;
    score.extra++;
    if (x.repeats) {
      score.duplicates++;
      if (x.type === 'beat') repeatedBeats++;
    }
    // The end of a phrase whose start was a prediction overtaken: the bridge taking it back once a packet showed the action.
    // (A coasting start is taken back once the deck is heard again, however long the outage.)
    const retracts =
      x.type === 'phrase.end' &&
      x.action === undefined &&
      !x.repeats &&
      extras.some((s) => s.type === 'phrase.start' && s.action !== undefined && key(s.o.event) === key(x.o.event) && s.o.firedAt <= x.o.firedAt && x.o.firedAt - s.o.firedAt <= (saysCoasting(s.o.event) ? COAST_MS : OVERTAKEN_MS) + lateMs);
    // The start of a phrase the bridge had ended by a prediction a DJ action overtook (the deck, cued back, plays on in it): its last end was that one.
    const reopens = x.type === 'phrase.start' && x.action === undefined && !x.repeats && lastEndOvertaken(x.o);
    if (x.action !== undefined || retracts || reopens) score.overtaken++;
    if (x.inside) score.landedInside++;
    const why =
      x.action !== undefined ? ` (predicted; overtaken by the action at ${x.action.toFixed(1)})` : retracts ? ' (ends an overtaken prediction)' : reopens ? ' (starts again a phrase an overtaken prediction ended)' : x.inside ? ' (the beat a jump landed inside)' : '';
    note(`${x.repeats ? 'duplicate' : 'extra'} ${describe(x.o.event)} fired at ${x.o.firedAt.toFixed(1)}${why}`);
  }
  return { types, skippedBeats, repeatedBeats, settledBeatErrors, settledLate, outage, recoveryMs: firstAfter, problems };
}

/** The q-quantile (0–1) of xs by nearest rank; NaN for none. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}
