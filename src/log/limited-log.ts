/**
 * A logger front for lines that can repeat: each problem (a key) prints at
 * most once per interval, and the line that does print says how many it
 * stands for ("… (and 312 more like this in the last 5 s)"). `flush()` prints
 * what was held back once its interval is over; the app calls it on a timer,
 * when a held-back line is due (options.onHold, `nextDue()`).
 */
import type { Logger } from 'pino';
import { RateLimiter, withSuppressed, type Admitted, type RateLimiterOptions } from './rate-limited';

export type LimitedLevel = 'info' | 'warn' | 'error';

export type LogFields = Readonly<Record<string, unknown>>;

interface Line {
  readonly level: LimitedLevel;
  readonly message: string;
  readonly fields: LogFields | null;
}

export class LimitedLog {
  private readonly limiter: RateLimiter<Line>;

  constructor(
    private readonly logger: Logger,
    now: () => number,
    options: RateLimiterOptions = {},
  ) {
    this.limiter = new RateLimiter<Line>(now, options);
  }

  info(key: string, message: string, fields: LogFields | null = null, burst = 1): void {
    this.line(key, { level: 'info', message, fields }, burst);
  }

  warn(key: string, message: string, fields: LogFields | null = null, burst = 1): void {
    this.line(key, { level: 'warn', message, fields }, burst);
  }

  error(key: string, message: string, fields: LogFields | null = null, burst = 1): void {
    this.line(key, { level: 'error', message, fields }, burst);
  }

  /** The earliest instant a flush has a held-back line to print, or null while none is held back (options.onHold says when one is). */
  nextDue(): number | null {
    return this.limiter.nextDue();
  }

  /** Prints the counts of problems held back whose interval has ended. */
  flush(): void {
    for (const line of this.limiter.due()) this.print(line);
  }

  private line(key: string, line: Line, burst: number): void {
    if (!this.logger.isLevelEnabled(line.level)) return;
    const admitted = this.limiter.admit(key, line, burst);
    if (admitted !== null) this.print(admitted);
  }

  private print(admitted: Admitted<Line>): void {
    const { level, message, fields } = admitted.payload;
    const text = withSuppressed(message, admitted.suppressed, admitted.spanMs);
    if (fields === null) this.logger[level](text);
    else this.logger[level](fields, text);
  }
}
