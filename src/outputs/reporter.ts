/**
 * Problems with outputs (a host that refuses, a MIDI port that vanished) are
 * reported, but a show can send hundreds of messages a second: the same
 * problem is reported once per interval, with a count of repeats.
 */
export type ReportLevel = 'info' | 'warn' | 'error';

export interface OutputReport {
  readonly level: ReportLevel;
  readonly target: string;
  readonly code: string;
  readonly message: string;
  /** How many identical reports were held back since the last one. */
  readonly suppressed: number;
}

export type Report = (report: OutputReport) => void;

export class RateLimitedReporter {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly sink: Report,
    private readonly now: () => number = Date.now,
    private readonly intervalMs = 5000,
  ) {}

  report(level: ReportLevel, target: string, code: string, message: string): void {
    const key = `${target}\u0000${code}`;
    const time = this.now();
    const previous = this.last.get(key);
    if (previous !== undefined && time - previous.at < this.intervalMs) {
      previous.suppressed++;
      return;
    }
    this.last.set(key, { at: time, suppressed: 0 });
    this.sink({ level, target, code, message, suppressed: previous?.suppressed ?? 0 });
  }

  /** Forget a problem once it is solved, so its next occurrence is reported at once. */
  resolve(target: string, code: string): void {
    this.last.delete(`${target}\u0000${code}`);
  }
}

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export const realTimers: Timers = {
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    handle.unref?.();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  now: () => Date.now(),
};
