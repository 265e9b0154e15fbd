/**
 * The two ways the monitor reaches a person: redrawn in place on a terminal
 * (alternate screen, cursor hidden, keys read in raw mode), or written as
 * plain-text frames to a pipe. Both return a MonitorHandle; `close()` stops
 * drawing and gives the terminal back exactly as it was.
 */
import type { Observable, Subscription } from 'rxjs';
import type { Frame } from './frames';
import { isQuitKey } from './keys';

export interface MonitorHandle {
  /** Resolves with the reason when someone asks the monitor to end (a key); never for a pipe. */
  readonly quit: Promise<string>;
  /** Stops drawing and restores the terminal. Safe to call more than once. */
  close(): void;
}

/** The parts of a TTY the live screen uses. */
export interface ScreenOutput {
  write(text: string): boolean;
}

export interface KeyInput {
  setRawMode(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (data: string) => void): unknown;
  removeListener(event: 'data', listener: (data: string) => void): unknown;
  resume(): unknown;
  pause(): unknown;
}

const CSI = '\x1b[';
const ENTER_SCREEN = `${CSI}?1049h${CSI}?25l${CSI}H${CSI}2J`;
const LEAVE_SCREEN = `${CSI}?25h${CSI}?1049l`;

/** The bytes that turn the previous frame into `next`: each line erased and rewritten in place, the rest cleared. */
export function frameBytes(next: Frame, previous: Frame | null): string {
  const resized = previous === null || previous.width !== next.width || previous.height !== next.height;
  let out = resized ? `${CSI}2J` : '';
  next.lines.forEach((line, i) => {
    out += `${CSI}${i + 1};1H${CSI}2K${line}`;
  });
  if (next.lines.length < next.height) out += `${CSI}${next.lines.length + 1};1H${CSI}J`;
  return out;
}

export function startLiveScreen(frames: Observable<Frame>, output: ScreenOutput, input: KeyInput | null): MonitorHandle {
  let closed = false;
  let subscription: Subscription | null = null;
  let resolveQuit: (why: string) => void = () => undefined;
  const quit = new Promise<string>((resolve) => (resolveQuit = resolve));
  const restore = (): void => {
    if (input !== null) {
      input.removeListener('data', onKey);
      input.setRawMode(false);
      input.pause();
    }
    output.write(LEAVE_SCREEN);
  };
  const onKey = (data: string): void => {
    if (!isQuitKey(data)) return;
    close();
    resolveQuit(data === '\x03' ? 'Ctrl-C pressed' : 'quit key pressed');
  };
  // Should the process end another way (an uncaught error), the terminal is still given back.
  const onExit = (): void => close();
  function close(): void {
    if (closed) return;
    closed = true;
    subscription?.unsubscribe();
    process.removeListener('exit', onExit);
    restore();
  }

  output.write(ENTER_SCREEN);
  if (input !== null) {
    input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', onKey);
    input.resume();
  }
  process.once('exit', onExit);
  let previous: Frame | null = null;
  subscription = frames.subscribe({
    next: (frame) => {
      output.write(frameBytes(frame, previous));
      previous = frame;
    },
    error: (error: unknown) => {
      close();
      resolveQuit(`the monitor failed: ${error instanceof Error ? error.message : String(error)}`);
    },
  });
  return { quit, close };
}

/** Frames as text to a pipe or file; nothing to restore. */
export function startPlainOutput(frames: Observable<string>, write: (text: string) => void): MonitorHandle {
  const subscription = frames.subscribe(write);
  return {
    quit: new Promise<string>(() => undefined),
    close: () => subscription.unsubscribe(),
  };
}
