/**
 * When the screen is drawn, as streams on a scheduler: a live terminal gets
 * the rendered screen at a steady rate but only when it changed; a pipe gets
 * a plain-text frame every second, frames separated by a rule of '─'.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { distinctUntilChanged, interval, map, timer, withLatestFrom } from '../rx';
import type { MonitorState } from './monitor-state';
import { renderMonitor, type RenderOptions } from './render/render-monitor';

export interface ScreenSize {
  readonly width: number;
  readonly height: number;
}

export interface Frame extends ScreenSize {
  readonly lines: readonly string[];
}

/** Everything the renderer needs besides the state, the size and the time. */
export type LookOptions = Omit<RenderOptions, 'width' | 'height' | 'now'>;

export interface LiveFrameOptions {
  readonly scheduler: SchedulerLike;
  readonly everyMs: number;
  /** Asked at every frame: terminals get resized. */
  readonly size: () => ScreenSize;
  readonly look: LookOptions;
}

function sameFrame(a: Frame, b: Frame): boolean {
  return a.width === b.width && a.height === b.height && a.lines.length === b.lines.length && a.lines.every((line, i) => line === b.lines[i]);
}

export function liveFrames(states: Observable<MonitorState>, options: LiveFrameOptions): Observable<Frame> {
  const { scheduler } = options;
  return timer(0, options.everyMs, scheduler).pipe(
    withLatestFrom(states),
    map(([, state]): Frame => {
      const size = options.size();
      return { ...size, lines: renderMonitor(state, { ...options.look, ...size, now: scheduler.now() }) };
    }),
    distinctUntilChanged(sameFrame),
  );
}

export interface PlainFrameOptions extends ScreenSize {
  readonly scheduler: SchedulerLike;
  readonly everyMs: number;
  readonly look: LookOptions;
}

/** Text to write as it is: each frame's lines, each ending in a newline, after a rule from the second frame on. */
export function plainFrames(states: Observable<MonitorState>, options: PlainFrameOptions): Observable<string> {
  const { scheduler, width, height } = options;
  return interval(options.everyMs, scheduler).pipe(
    withLatestFrom(states),
    map(([n, state]) => {
      const lines = renderMonitor(state, { ...options.look, width, height, now: scheduler.now() });
      return `${n === 0 ? '' : `${'─'.repeat(width)}\n`}${lines.join('\n')}\n`;
    }),
  );
}
