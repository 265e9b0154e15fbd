/**
 * Structured logging: pretty lines on a terminal (coloured unless NO_COLOR
 * is set), JSON lines otherwise (for journald, files and log shippers). Logs
 * go to stderr so that stdout stays free for data (decoded packets, the
 * monitor view). The pretty printer is loaded only when a terminal needs it.
 */
import pino, { type Logger } from 'pino';
import type { PrettyOptions } from 'pino-pretty';
import type { LogLevel } from './log-levels';
import { colorWanted } from './terminal-color';

export { LOG_LEVELS, type LogLevel } from './log-levels';

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Defaults to whether the destination is a terminal. */
  readonly pretty?: boolean;
  /** Where log lines go; defaults to stderr. */
  readonly destination?: NodeJS.WritableStream;
  /** Where NO_COLOR and TERM are read; defaults to the process environment. */
  readonly env?: NodeJS.ProcessEnv;
}

type PrettyFactory = (options: PrettyOptions) => NodeJS.WritableStream;

/** A pino-pretty stream for a terminal: local time, no pid or host name. */
export function prettyStream(destination: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): NodeJS.WritableStream {
  const pretty = (require('pino-pretty') as { default: PrettyFactory }).default;
  return pretty({ destination, sync: true, colorize: colorWanted(env), translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  const destination = options.destination ?? process.stderr;
  const usePretty = options.pretty ?? Boolean((destination as NodeJS.WriteStream).isTTY);
  if (usePretty) return pino({ level }, prettyStream(destination, options.env));
  return pino({ level, base: null }, destination);
}

export type { Logger };
