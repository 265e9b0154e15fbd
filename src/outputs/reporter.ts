/**
 * Problems with outputs (a host that refuses, a MIDI port that vanished) are
 * reported, but a show can send hundreds of messages a second: the same
 * problem is reported once per interval, with a count of repeats.
 */
import { DEFAULT_LOG_INTERVAL_MS, RateLimiter, type Admitted } from '../log/rate-limited';

export type ReportLevel = 'info' | 'warn' | 'error';

export interface OutputReport {
  readonly level: ReportLevel;
  readonly target: string;
  readonly code: string;
  readonly message: string;
  /** How many identical reports were held back since the last one. */
  readonly suppressed: number;
  /** The time the held-back reports span (present when `suppressed` is not 0). */
  readonly spanMs?: number;
}

export type Report = (report: OutputReport) => void;

type Held = Omit<OutputReport, 'suppressed' | 'spanMs'>;

export class RateLimitedReporter {
  private readonly limiter: RateLimiter<Held>;

  constructor(
    private readonly sink: Report,
    now: () => number = Date.now,
    intervalMs = DEFAULT_LOG_INTERVAL_MS,
    /** Called whenever a report is held back: `flush()` then has something to report once its interval is over. */
    onHold?: () => void,
  ) {
    this.limiter = new RateLimiter<Held>(now, onHold === undefined ? { intervalMs } : { intervalMs, onHold });
  }

  /** The earliest instant a flush has a held-back report to send, or null while none is held back. */
  nextDue(): number | null {
    return this.limiter.nextDue();
  }

  report(level: ReportLevel, target: string, code: string, message: string): void {
    const admitted = this.limiter.admit(`${target}\u0000${code}`, { level, target, code, message });
    if (admitted !== null) this.send(admitted);
  }

  /** Reports what was held back once its interval is over (the app calls this on a timer). */
  flush(): void {
    for (const admitted of this.limiter.due()) this.send(admitted);
  }

  /** Forget a problem once it is solved, so its next occurrence is reported at once. */
  resolve(target: string, code: string): void {
    this.limiter.resolve(`${target}\u0000${code}`);
  }

  private send({ payload, suppressed, spanMs }: Admitted<Held>): void {
    this.sink(suppressed > 0 ? { ...payload, suppressed, spanMs } : { ...payload, suppressed });
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
