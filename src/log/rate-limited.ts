/**
 * Keeps a repeating problem from flooding the log: each problem (a key) gets
 * at most `burst` lines per interval (one per 5 s by default). What is held
 * back is counted, and the next line for that key says how many it stands
 * for. Held-back lines whose interval has ended are handed out by `due()`,
 * so a burst that stops is still reported with its count. Pure: the clock is
 * passed in, nothing here logs or sets timers.
 */

/** One line per problem per this many ms unless told otherwise. */
export const DEFAULT_LOG_INTERVAL_MS = 5000;
/** Distinct problems remembered at once; past this, new ones share one key. */
export const DEFAULT_MAX_KEYS = 1000;
/** The key that new problems share while the table is full. */
export const OVERFLOW_KEY = '\u0000overflow';

export interface Admitted<T> {
  readonly key: string;
  /** What to print: the newest payload this line stands for. */
  readonly payload: T;
  /** How many more occurrences this line stands for (held back before it). */
  readonly suppressed: number;
  /** The time those occurrences span, up to now. */
  readonly spanMs: number;
}

interface Window<T> {
  /** When the current interval of this key began. */
  start: number;
  /** Lines let through in the current interval. */
  shown: number;
  /** Occurrences held back since the last line. */
  held: number;
  /** When the oldest held-back occurrence's interval began. */
  heldSince: number;
  latest: T | null;
}

export interface RateLimiterOptions {
  readonly intervalMs?: number;
  readonly maxKeys?: number;
  /** Called whenever an occurrence is held back: `due()` has something to hand out once its interval is over (a flush timer need only run from then on). */
  readonly onHold?: () => void;
}

export class RateLimiter<T> {
  private readonly windows = new Map<string, Window<T>>();
  readonly intervalMs: number;
  private readonly maxKeys: number;
  private readonly onHold: (() => void) | null;

  constructor(
    private readonly now: () => number,
    options: RateLimiterOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_LOG_INTERVAL_MS;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
    this.onHold = options.onHold ?? null;
  }

  /** The earliest instant `due()` has a line to hand out (an interval with occurrences held back ends), or null while none are held back. */
  nextDue(): number | null {
    let next: number | null = null;
    for (const window of this.windows.values()) {
      if (window.held > 0 && window.latest !== null && (next === null || window.start + this.intervalMs < next)) next = window.start + this.intervalMs;
    }
    return next;
  }

  /**
   * One occurrence of the problem `key`. Returns the line to print, or null
   * when it is held back. `burst` lines per interval pass before holding back.
   */
  admit(key: string, payload: T, burst = 1): Admitted<T> | null {
    const time = this.now();
    const slot = this.slotFor(key, time);
    let window = this.windows.get(slot);
    if (window === undefined) {
      window = { start: time, shown: 0, held: 0, heldSince: time, latest: null };
      this.windows.set(slot, window);
    } else if (time - window.start >= this.intervalMs) {
      window.start = time;
      window.shown = 0;
    }
    if (window.shown < burst) {
      window.shown++;
      const admitted: Admitted<T> = { key: slot, payload, suppressed: window.held, spanMs: window.held > 0 ? time - window.heldSince : 0 };
      window.held = 0;
      window.latest = null;
      return admitted;
    }
    if (window.held === 0) window.heldSince = window.start;
    window.held++;
    window.latest = payload;
    this.onHold?.();
    return null;
  }

  /**
   * Lines for problems whose interval has ended with occurrences held back:
   * each stands for its newest occurrence and `suppressed` more, and starts
   * a new interval (so it counts as that interval's line).
   */
  due(): Admitted<T>[] {
    const time = this.now();
    const lines: Admitted<T>[] = [];
    for (const [key, window] of this.windows) {
      if (time - window.start < this.intervalMs) continue;
      if (window.held > 0 && window.latest !== null) {
        lines.push({ key, payload: window.latest, suppressed: window.held - 1, spanMs: time - window.heldSince });
        window.start = time;
        window.shown = 1;
        window.held = 0;
        window.latest = null;
      } else {
        this.windows.delete(key); // quiet for a whole interval: forget it
      }
    }
    return lines;
  }

  /**
   * Forgets a problem that is solved, so its next occurrence shows at once.
   * Returns the line for what was held back, if anything was.
   */
  resolve(key: string): Admitted<T> | null {
    const window = this.windows.get(key);
    this.windows.delete(key);
    if (window === undefined || window.held === 0 || window.latest === null) return null;
    return { key, payload: window.latest, suppressed: window.held - 1, spanMs: this.now() - window.heldSince };
  }

  /** Problems currently remembered (bounded by maxKeys + 1). */
  get size(): number {
    return this.windows.size;
  }

  private slotFor(key: string, time: number): string {
    if (this.windows.has(key) || this.windows.size < this.maxKeys) return key;
    for (const [other, window] of this.windows) {
      if (window.held === 0 && time - window.start >= this.intervalMs) this.windows.delete(other);
    }
    return this.windows.size < this.maxKeys ? key : OVERFLOW_KEY;
  }
}

/** 11916 → "11,916". */
export function formatCount(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "… (and 312 more like this in the last 5 s)" when a line stands for more than itself. */
export function withSuppressed(message: string, suppressed: number, spanMs: number): string {
  if (suppressed <= 0) return message;
  const seconds = Math.max(1, Math.round(spanMs / 1000));
  return `${message} (and ${formatCount(suppressed)} more like this in the last ${seconds} s)`;
}
