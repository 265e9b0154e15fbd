/**
 * Structured logging: pretty, coloured lines on a terminal, JSON lines
 * otherwise (for journald, files and log shippers). Logs go to stderr so that
 * stdout stays free for data (decoded packets, the monitor view).
 */
import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
export const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Defaults to whether stderr is a terminal. */
  readonly pretty?: boolean;
  /** Where log lines go; defaults to stderr. */
  readonly destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const destination = options.destination ?? process.stderr;
  const usePretty = options.pretty ?? Boolean((destination as NodeJS.WriteStream).isTTY);
  if (usePretty) {
    return pino(
      { level },
      pretty({ destination, sync: true, colorize: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' }),
    );
  }
  return pino({ level, base: null }, destination);
}

export type { Logger };
