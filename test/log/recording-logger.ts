/** A real pino logger whose JSON lines are kept in memory, for asserting what a user would read. */
import { Writable } from 'node:stream';
import { createLogger, type LogLevel, type Logger } from '../../src/log/logger';

export interface LoggedLine {
  readonly level: number;
  readonly msg: string;
  readonly [field: string]: unknown;
}

export function recordingLogger(level: LogLevel = 'info'): { logger: Logger; lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done): void {
      for (const text of chunk.toString('utf8').split('\n')) if (text !== '') lines.push(JSON.parse(text) as LoggedLine);
      done();
    },
  });
  return { logger: createLogger({ level, pretty: false, destination }), lines };
}

const HELD = /\(and ([\d,]+) more like this in the last (\d+) s\)$/;

/** How many occurrences a line stands for: itself and the count it carries. */
export function standsFor(message: string): number {
  const match = HELD.exec(message);
  return 1 + (match === null ? 0 : Number((match[1] ?? '0').replace(/,/g, '')));
}
