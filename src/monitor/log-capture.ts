/**
 * A log destination for while the monitor owns the terminal. The logger
 * writes JSON lines here; they pass through to `passthrough` (the terminal)
 * until the monitor attaches, then go into its tail instead, and pass
 * through again once it lets go. Every line is also copied to `copyTo` (a
 * log file) when given. The latest lines are kept, so the tail starts with
 * what was logged before the monitor was drawn.
 */
import { Writable } from 'node:stream';
import type { Observable } from 'rxjs';
import { concat, defer, from, Subject } from '../rx';
import type { LogLevelName, LogLine } from './monitor-state';

/** pino's numeric levels. */
const LEVELS: readonly (readonly [number, LogLevelName])[] = [
  [60, 'fatal'],
  [50, 'error'],
  [40, 'warn'],
  [30, 'info'],
  [20, 'debug'],
  [10, 'trace'],
];

/** Fields every record has, not worth repeating in the tail. */
const PLAIN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function levelName(value: unknown): LogLevelName {
  if (typeof value !== 'number') return 'info';
  return LEVELS.find(([n]) => value >= n)?.[1] ?? 'trace';
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /[\s"=]/.test(value) || value === '' ? JSON.stringify(value) : value;
  return JSON.stringify(value) ?? String(value);
}

/** One JSON log line as the monitor shows it; a line that is not JSON is shown as it is. */
export function parseLogLine(json: string): LogLine {
  let record: unknown;
  try {
    record = JSON.parse(json);
  } catch {
    return { level: 'info', message: json, detail: '' };
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return { level: 'info', message: json, detail: '' };
  const fields = record as Record<string, unknown>;
  const message = typeof fields['msg'] === 'string' ? fields['msg'] : '';
  const detail = Object.entries(fields)
    .filter(([key]) => !PLAIN_FIELDS.has(key))
    .map(([key, value]) => `${key}=${fieldText(value)}`)
    .join(' ');
  return { level: levelName(fields['level']), message, detail };
}

export interface LogCaptureOptions {
  /** Where lines go while no monitor is attached (pretty-printing stream or file); null drops them. */
  readonly passthrough: NodeJS.WritableStream | null;
  /** Receives every line, attached or not (a log file). */
  readonly copyTo?: NodeJS.WritableStream | null;
  /** How many recent lines a new subscriber gets first. */
  readonly keep?: number;
}

export class LogCapture extends Writable {
  private partial = '';
  private attached = false;
  private readonly recent: LogLine[] = [];
  private readonly live = new Subject<LogLine>();
  private readonly keep: number;

  constructor(private readonly options: LogCaptureOptions) {
    super({ decodeStrings: false });
    this.keep = options.keep ?? 50;
  }

  /** The recent lines, then each new one. */
  lines(): Observable<LogLine> {
    return defer(() => concat(from([...this.recent]), this.live));
  }

  /** From now on, lines go to the monitor, not the terminal. */
  attach(): void {
    this.attached = true;
  }

  /** Lines go to the terminal again. */
  release(): void {
    this.attached = false;
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const lines = text.split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') this.line(line);
    callback();
  }

  private line(raw: string): void {
    this.options.copyTo?.write(`${raw}\n`);
    if (!this.attached) this.options.passthrough?.write(`${raw}\n`);
    const parsed = parseLogLine(raw);
    this.recent.push(parsed);
    if (this.recent.length > this.keep) this.recent.shift();
    this.live.next(parsed);
  }
}
