/**
 * Chooses how a run is shown, before the logger exists: on a terminal the
 * live monitor, with the logs going into its tail (and to --log-file when
 * given); on a pipe, plain frames once a second with logs on stderr (or in
 * the file); without the monitor, logs as usual.
 */
import * as fs from 'node:fs';
import { asyncScheduler, EMPTY } from '../rx';
import { prettyStream } from '../log/logger';
import { colorWanted } from '../log/terminal-color';
import type { RunningBridge } from '../app/bridge';
import { LogCapture } from './log-capture';
import { bridgeSources } from './bridge-sources';
import { monitorState } from './monitor-stream';
import { liveFrames, plainFrames, type ScreenSize } from './frames';
import { startLiveScreen, startPlainOutput, type KeyInput, type MonitorHandle } from './screen-drivers';

/** Redraws per second on a terminal (at most; only when something changed). */
const LIVE_FPS = 10;
const PLAIN_FRAME_MS = 1000;
const DEFAULT_SIZE: ScreenSize = { width: 100, height: 30 };
const QUIT_HINT = 'q quit';

export type StartMonitor = (bridge: RunningBridge, source: string) => MonitorHandle;

export interface MonitorSetup {
  /** Where the logger writes. */
  readonly logDestination: NodeJS.WritableStream;
  /** Starts the monitor once the bridge runs; null when there is none. */
  readonly start: StartMonitor | null;
}

export interface MonitorRequest {
  /** --monitor (true), --no-monitor (false), or neither: on when stdout is a terminal. */
  readonly monitor: boolean | undefined;
  readonly logFile: string | null;
}

export interface TerminalIo {
  readonly stdout: NodeJS.WriteStream;
  readonly stdin: NodeJS.ReadStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

const PROCESS_IO: TerminalIo = { stdout: process.stdout, stdin: process.stdin, stderr: process.stderr, env: process.env };

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function openLogFile(file: string): NodeJS.WritableStream | string {
  try {
    const fd = fs.openSync(file, 'a');
    return fs.createWriteStream(file, { fd });
  } catch (error) {
    const reason = typeof error === 'object' && error !== null && 'message' in error ? String(error.message) : String(error);
    return `cannot write the log file ${file}: ${reason}`;
  }
}

/** Pretty lines on a terminal as the logger writes them there (coloured unless NO_COLOR); the JSON lines as they are elsewhere. */
function terminalLog(stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv): NodeJS.WritableStream {
  if (stderr.isTTY !== true) return stderr;
  return prettyStream(stderr, env);
}

/** The setup, or a sentence saying why the log file cannot be written. */
export function setUpMonitor(request: MonitorRequest, io: TerminalIo = PROCESS_IO): MonitorSetup | string {
  const file = request.logFile === null ? null : openLogFile(request.logFile);
  if (typeof file === 'string') return file;
  const onTerminal = io.stdout.isTTY === true;
  const enabled = request.monitor ?? onTerminal;
  if (!enabled) return { logDestination: file ?? io.stderr, start: null };
  const utcOffsetMinutes = -new Date().getTimezoneOffset();

  if (!onTerminal) {
    const size = { width: positive(io.env['COLUMNS'], DEFAULT_SIZE.width), height: positive(io.env['LINES'], DEFAULT_SIZE.height) };
    return {
      logDestination: file ?? io.stderr,
      start: (bridge, source) => {
        const states = monitorState(bridgeSources(bridge, EMPTY, asyncScheduler), { source, scheduler: asyncScheduler });
        const frames = plainFrames(states, { ...size, scheduler: asyncScheduler, everyMs: PLAIN_FRAME_MS, look: { utcOffsetMinutes } });
        return startPlainOutput(frames, (text) => io.stdout.write(text));
      },
    };
  }

  const capture = new LogCapture({ passthrough: file === null ? terminalLog(io.stderr, io.env) : null, copyTo: file });
  const keys: KeyInput | null = io.stdin.isTTY === true ? io.stdin : null;
  return {
    logDestination: capture,
    start: (bridge, source) => {
      const states = monitorState(bridgeSources(bridge, capture.lines(), asyncScheduler), { source, scheduler: asyncScheduler });
      const frames = liveFrames(states, {
        scheduler: asyncScheduler,
        everyMs: 1000 / LIVE_FPS,
        size: () => ({ width: io.stdout.columns || DEFAULT_SIZE.width, height: io.stdout.rows || DEFAULT_SIZE.height }),
        look: { color: colorWanted(io.env), utcOffsetMinutes, hint: keys === null ? null : QUIT_HINT },
      });
      capture.attach();
      const screen = startLiveScreen(frames, io.stdout, keys);
      return {
        quit: screen.quit,
        close: () => {
          screen.close();
          capture.release();
        },
      };
    },
  };
}
