/**
 * What the bridge skipped or dropped, counted per kind and reason, and the
 * one-line summary of a window of it ("skipped 11,916 malformed and 2,300
 * implausible packets in the last 10 s (top reasons: too-short 9,001, …)").
 * Any part of the bridge can count into it; the app prints the summary every
 * window in which anything was counted, and nothing in a quiet one.
 */
import { formatCount } from './rate-limited';

/** How a kind of count reads in the summary: "<verb> <count> <label> <noun>". */
export interface HealthKind {
  readonly verb: string;
  /** Defaults to the kind's name; '' for none. */
  readonly label?: string;
  readonly noun: string;
  /** The noun for a count of one. */
  readonly nounOne: string;
}

export const HEALTH_KINDS: Readonly<Record<string, HealthKind>> = {
  malformed: { verb: 'skipped', noun: 'packets', nounOne: 'packet' },
  implausible: { verb: 'skipped', noun: 'packets', nounOne: 'packet' },
  dropped: { verb: 'dropped', label: '', noun: 'target messages', nounOne: 'target message' },
};

/** Reasons remembered per kind; past this, new reasons count as "other". */
export const MAX_REASONS = 64;
/** Reasons named in the summary. */
export const TOP_REASONS = 3;

/** kind → reason → count. */
export type HealthSnapshot = ReadonlyMap<string, ReadonlyMap<string, number>>;

export class HealthCounters {
  private window = new Map<string, Map<string, number>>();
  private readonly totals = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  /**
   * Calls `listener` on the first count of each window (the first after a
   * take, or ever): a summary sets its timer only then, instead of waking
   * every window to find nothing. Returns what stops it.
   */
  whenCounted(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Whether anything was counted since the last take. */
  get counted(): boolean {
    return this.window.size > 0;
  }

  /** Counts `count` of `kind` (e.g. 'malformed') for `reason` (e.g. 'too-short'). */
  add(kind: string, reason: string, count = 1): void {
    if (!(count > 0)) return;
    const first = this.window.size === 0;
    let reasons = this.window.get(kind);
    if (reasons === undefined) {
      reasons = new Map();
      this.window.set(kind, reasons);
    }
    const slot = reasons.has(reason) || reasons.size < MAX_REASONS ? reason : 'other';
    reasons.set(slot, (reasons.get(slot) ?? 0) + count);
    this.totals.set(kind, (this.totals.get(kind) ?? 0) + count);
    if (first) for (const listener of this.listeners) listener();
  }

  /** The counts since the last take; starts a new window. */
  take(): HealthSnapshot {
    const taken = this.window;
    this.window = new Map();
    return taken;
  }

  /** Everything counted of `kind` since the start. */
  total(kind: string): number {
    return this.totals.get(kind) ?? 0;
  }
}

function sum(reasons: ReadonlyMap<string, number>): number {
  let total = 0;
  for (const n of reasons.values()) total += n;
  return total;
}

function kindOf(kind: string, kinds: Readonly<Record<string, HealthKind>>): HealthKind {
  return kinds[kind] ?? { verb: 'counted', noun: 'problems', nounOne: 'problem' };
}

function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/** The summary line of one window, or null when nothing was counted in it. */
export function describeHealth(snapshot: HealthSnapshot, windowMs: number, kinds: Readonly<Record<string, HealthKind>> = HEALTH_KINDS): string | null {
  const groups = new Map<string, { how: HealthKind; total: number; parts: string[] }>();
  const reasons: { reason: string; count: number }[] = [];
  const order = Object.keys(kinds);
  const rank = (kind: string): number => (order.includes(kind) ? order.indexOf(kind) : order.length);
  const entries = [...snapshot].sort(([a], [b]) => rank(a) - rank(b));
  for (const [kind, counts] of entries) {
    const total = sum(counts);
    if (total <= 0) continue;
    const how = kindOf(kind, kinds);
    const id = `${how.verb}\u0000${how.noun}`;
    const group = groups.get(id) ?? { how, total: 0, parts: [] };
    const label = how.label ?? kind;
    group.parts.push(label === '' ? formatCount(total) : `${formatCount(total)} ${label}`);
    group.total += total;
    groups.set(id, group);
    for (const [reason, count] of counts) reasons.push({ reason, count });
  }
  if (groups.size === 0) return null;
  const clauses = [...groups.values()].map((g) => `${g.how.verb} ${joinAnd(g.parts)} ${g.total === 1 ? g.how.nounOne : g.how.noun}`);
  const seconds = Math.max(1, Math.round(windowMs / 1000));
  const top = reasons
    .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
    .slice(0, TOP_REASONS)
    .map((r) => `${r.reason} ${formatCount(r.count)}`);
  return `${joinAnd(clauses)} in the last ${seconds} s (top reasons: ${top.join(', ')})`;
}
