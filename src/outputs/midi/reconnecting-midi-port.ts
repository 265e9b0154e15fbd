/**
 * A MidiPort that survives its device going away: USB interfaces get
 * unplugged mid-show and software ports vanish when their program quits.
 *
 * The port is opened through an injected opener. When a send throws, the
 * liveness check fails or an open attempt fails, the outage is reported once
 * (then reminded at most every `reportIntervalMs`, with the number of failed
 * attempts held back), messages are dropped and counted while closed, and the
 * opener is retried on the injected timers: after `retryMs`, then twice as
 * long each time up to `maxRetryMs`, so a port that stays away (or a MIDI
 * system that is not there) costs little. When the port
 * returns, sending resumes, the return is reported with the number of
 * messages dropped, and `onReopen` runs so callers can re-sync receivers
 * (a full timecode frame, a song position).
 */
import type { Report, Timers } from '../reporter';
import { MidiError, describeThrown } from './midi-errors';
import type { MidiPort } from './midi-port';

export type MidiOpenResult<P extends MidiPort> =
  | { readonly ok: true; readonly port: P; readonly warning?: string | null }
  | { readonly ok: false; readonly error: MidiError };

export interface ReconnectingMidiPortOptions<P extends MidiPort> {
  /** The target name used in reports and as this port's name. */
  readonly name: string;
  readonly open: () => MidiOpenResult<P>;
  readonly timers: Timers;
  readonly report: Report;
  /** The first wait before retrying while closed, and how often liveness is checked while open. */
  readonly retryMs?: number;
  /** The longest wait between retries; each failed retry doubles the wait up to this. */
  readonly maxRetryMs?: number;
  /** How often a continuing outage is reported again. */
  readonly reportIntervalMs?: number;
  /** False when an open port has gone (for ports whose sends do not fail when it does). */
  readonly isAlive?: (port: P) => boolean;
  /** Runs after every successful open, the first one included. */
  readonly onReopen?: () => void;
}

export const DEFAULT_RETRY_MS = 1000;
export const DEFAULT_MAX_RETRY_MS = 30_000;
export const DEFAULT_REPORT_INTERVAL_MS = 60_000;
export const RESUMED_CODE = 'port-resumed';
export const PORT_WARNING_CODE = 'port-warning';

export class ReconnectingMidiPort<P extends MidiPort = MidiPort> implements MidiPort {
  readonly name: string;
  private port: P | null = null;
  private timer: unknown = null;
  private started = false;
  private closed = false;
  private droppedTotal = 0;
  private droppedWhileDown = 0;
  private down = false;
  private lastReportAt = 0;
  private heldBack = 0;
  /** The wait before the next retry while closed. */
  private retryDelay: number;

  constructor(private readonly options: ReconnectingMidiPortOptions<P>) {
    this.name = options.name;
    this.retryDelay = this.retryMs;
  }

  /** True while a port is open and taking messages. */
  get isOpen(): boolean {
    return this.port !== null;
  }

  /** Messages dropped because no port was open, since start. */
  get dropped(): number {
    return this.droppedTotal;
  }

  /** Opens the port now (or starts retrying); returns the way to close it. */
  start(): () => void {
    if (!this.started && !this.closed) {
      this.started = true;
      this.attempt();
    }
    return () => this.close();
  }

  send(message: readonly number[]): void {
    const port = this.port;
    if (port === null) {
      this.drop();
      return;
    }
    try {
      port.send(message);
    } catch (thrown) {
      this.lose(new MidiError('send-failed', `MIDI output "${this.name}" stopped taking messages`, describeThrown(thrown)));
      this.drop();
    }
  }

  close(): void {
    this.closed = true;
    this.cancelTimer();
    this.closePort();
  }

  private drop(): void {
    this.droppedTotal++;
    if (this.down) this.droppedWhileDown++;
  }

  private attempt(): void {
    this.timer = null;
    if (this.closed) return;
    const result = this.options.open();
    if (!result.ok) {
      this.fail(result.error);
      return;
    }
    this.port = result.port;
    if (result.warning !== undefined && result.warning !== null) this.emit('warn', PORT_WARNING_CODE, result.warning, 0);
    if (this.down) {
      const dropped = `${this.droppedWhileDown} message${this.droppedWhileDown === 1 ? ' was' : 's were'}`;
      this.emit('info', RESUMED_CODE, `MIDI output "${this.name}" is back; ${dropped} dropped while it was closed`, 0);
    }
    this.down = false;
    this.droppedWhileDown = 0;
    this.heldBack = 0;
    this.retryDelay = this.retryMs;
    this.schedule(() => this.check(), this.retryMs);
    this.options.onReopen?.();
  }

  private check(): void {
    this.timer = null;
    const port = this.port;
    if (this.closed || port === null) return;
    const isAlive = this.options.isAlive;
    if (isAlive !== undefined && !isAlive(port)) {
      this.lose(new MidiError('port-gone', `MIDI output "${this.name}" (${port.name}) has disappeared`));
      return;
    }
    this.schedule(() => this.check(), this.retryMs);
  }

  /** An open port failed: close it and start retrying. */
  private lose(error: MidiError): void {
    this.closePort();
    this.cancelTimer();
    this.fail(error);
  }

  private fail(error: MidiError): void {
    const now = this.options.timers.now();
    const delay = this.retryDelay;
    if (!this.down) {
      this.down = true;
      this.emit('error', error.code, `${error.message}; ${this.retryText(delay, false)}; messages are dropped until it returns`, 0);
    } else if (now - this.lastReportAt >= (this.options.reportIntervalMs ?? DEFAULT_REPORT_INTERVAL_MS)) {
      this.emit('error', error.code, `${error.message}; ${this.retryText(delay, true)}; messages are dropped until it returns`, this.heldBack);
    } else {
      this.heldBack++;
    }
    this.retryDelay = Math.min(delay * 2, Math.max(this.maxRetryMs, this.retryMs));
    this.schedule(() => this.attempt(), delay);
  }

  /** How retrying goes on, for a report: at a fixed interval, or backing off. */
  private retryText(delay: number, reminder: boolean): string {
    const still = reminder ? 'still ' : '';
    if (this.maxRetryMs <= this.retryMs) return `${still}retrying every ${seconds(this.retryMs)}`;
    if (reminder) return `still retrying, now every ${seconds(delay)}`;
    return `retrying in ${seconds(delay)}, then at growing intervals up to ${seconds(this.maxRetryMs)}`;
  }

  private emit(level: 'info' | 'warn' | 'error', code: string, message: string, suppressed: number): void {
    if (level === 'error') {
      this.lastReportAt = this.options.timers.now();
      this.heldBack = 0;
    }
    this.options.report({ level, target: this.name, code, message, suppressed });
  }

  private get retryMs(): number {
    return this.options.retryMs ?? DEFAULT_RETRY_MS;
  }

  private get maxRetryMs(): number {
    return this.options.maxRetryMs ?? DEFAULT_MAX_RETRY_MS;
  }

  private schedule(callback: () => void, delayMs: number): void {
    this.cancelTimer();
    if (!this.closed) this.timer = this.options.timers.setTimeout(callback, delayMs);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private closePort(): void {
    const port = this.port;
    this.port = null;
    if (port === null) return;
    try {
      port.close();
    } catch {
      // A port that already failed may refuse to close; it is dropped either way.
    }
  }
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}
