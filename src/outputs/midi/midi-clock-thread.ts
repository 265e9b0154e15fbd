/**
 * Runs a MidiClock on its own thread (midi-clock-worker.ts), the production
 * way to send clock: the pulse timing then does not depend on how busy the
 * main thread is. The thread opens the MIDI port itself (native ports cannot
 * be handed between threads) through a factory named by module and export,
 * e.g. `{ module: require.resolve('./julusian-midi-port'), exportName:
 * 'openMidiOutput', args: ['grandMA3'] }`. The main thread publishes the
 * followed deck's grid whenever it changes (each status packet is enough).
 * Both threads read process.hrtime, so grid times need no translation.
 *
 * The thread keeps its port open itself (midi-clock-worker.ts): a port that
 * is missing at start or vanishes mid-show is retried after `portRetryMs`,
 * then at growing intervals up to 30 s, and the receiver is repositioned on
 * the grid when the port returns. So
 * start() resolves to null (the clock runs) even while the port is missing;
 * the outage and the return are reported through `onReport`. It resolves to
 * an error only when the thread cannot run at all (the factory's module or
 * export is missing, or its first call throws or gives no port), and the
 * thread has then ended.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BeatGrid } from '../../timing/beat-grid';
import type { MidiClockOptions, MidiClockStats } from './midi-clock';
import { MidiError, type MidiErrorCode } from './midi-errors';
import type { ReportLevel } from '../reporter';

export interface PortFactoryRef {
  /** Absolute path of the module that opens the port, loaded inside the clock thread. */
  readonly module: string;
  /**
   * Its export, called with `args` to open the port and again to reopen it; returns a MidiPort (with an
   * optional `isPresent()` liveness check), a MidiError or `{ ok, port | error, warning? }`, synchronously.
   */
  readonly exportName: string;
  /** Structured-clonable arguments. */
  readonly args: readonly unknown[];
  /** How reports name the port (default: the export's name). */
  readonly name?: string;
}

export interface ClockThreadSetup {
  readonly port: PortFactoryRef;
  readonly clock: Partial<Omit<MidiClockOptions, 'onError'>>;
  /** The least time before each pulse the thread stops blocking and spins (ms); the margin grows while the kernel wakes it late (blockingWait). */
  readonly spinMs: number;
  /** The first wait before a missing port is tried again (doubling up to 30 s), and how often an open one is checked (ms; default 1000). */
  readonly portRetryMs?: number;
}

/** What the clock thread reports: its clock's MidiErrors, and its port's outages, returns and warnings. */
export interface ClockThreadReport {
  /** 'warn' when absent (a MidiError). */
  readonly level?: ReportLevel;
  /** A MidiErrorCode, or 'port-resumed' / 'port-warning' (reconnecting-midi-port.ts). */
  readonly code: string;
  readonly message: string;
  readonly cause: string | null;
}

export type ToClockThread = { readonly kind: 'grid'; readonly grid: BeatGrid | null } | { readonly kind: 'stop' };

export type FromClockThread =
  | { readonly kind: 'ready' }
  /** The clock's own errors, or (followed by 'stopped') what kept the thread from running. */
  | { readonly kind: 'error'; readonly code: MidiErrorCode; readonly message: string; readonly cause: string | null }
  /** The port went away (level 'error'), came back ('info') or opened with a warning ('warn'). */
  | { readonly kind: 'port'; readonly level: ReportLevel; readonly code: string; readonly message: string }
  | { readonly kind: 'stopped'; readonly stats: MidiClockStats | null };

export const CLOCK_WORKER_FILE = path.join(__dirname, 'midi-clock-worker.js');

export class MidiClockThread {
  private worker: Worker | null = null;
  private stopped: Promise<MidiClockStats | null> | null = null;

  constructor(
    private readonly setup: ClockThreadSetup,
    private readonly onReport: (report: ClockThreadReport) => void = () => undefined,
    private readonly workerFile: string = CLOCK_WORKER_FILE,
  ) {}

  /** Starts the thread; resolves to null once the clock runs (its port open or being retried), or to the error that kept it from running. */
  start(): Promise<MidiError | null> {
    if (this.worker !== null) return Promise.resolve(null);
    const worker = new Worker(this.workerFile, { workerData: this.setup });
    this.worker = worker;
    let finish: (stats: MidiClockStats | null) => void = () => undefined;
    this.stopped = new Promise((resolve) => (finish = resolve));
    return new Promise((resolve) => {
      let firstError: MidiError | null = null;
      worker.on('message', (message: FromClockThread) => {
        if (message.kind === 'ready') resolve(null);
        else if (message.kind === 'port') this.onReport({ level: message.level, code: message.code, message: message.message, cause: null });
        else if (message.kind === 'error') {
          const error = new MidiError(message.code, message.message, message.cause);
          firstError ??= error;
          this.onReport(error);
        } else {
          resolve(firstError);
          finish(message.stats);
        }
      });
      worker.on('error', (thrown) => {
        const error = new MidiError('port-open-failed', 'The MIDI clock thread failed', thrown.message);
        this.onReport(error);
        resolve(error);
        finish(null);
      });
      worker.on('exit', () => {
        this.worker = null;
        resolve(firstError ?? new MidiError('port-open-failed', 'The MIDI clock thread exited before it started'));
        finish(null);
      });
    });
  }

  /** Hands the followed deck's grid (or null: nothing to follow) to the clock thread. */
  publish(grid: BeatGrid | null): void {
    this.worker?.postMessage({ kind: 'grid', grid } satisfies ToClockThread);
  }

  /** Stops the clock (Stop is sent if it runs), closes the port, ends the thread; resolves to the clock's stats. */
  async stop(): Promise<MidiClockStats | null> {
    const worker = this.worker;
    if (worker === null || this.stopped === null) return null;
    worker.postMessage({ kind: 'stop' } satisfies ToClockThread);
    const stats = await this.stopped;
    await worker.terminate();
    this.worker = null;
    return stats;
  }
}
