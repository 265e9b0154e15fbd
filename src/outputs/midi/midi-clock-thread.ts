/**
 * Runs a MidiClock on its own thread (midi-clock-worker.ts), the production
 * way to send clock: the pulse timing then does not depend on how busy the
 * main thread is. The thread opens the MIDI port itself (native ports cannot
 * be handed between threads) through a factory named by module and export,
 * e.g. `{ module: require.resolve('./julusian-midi-port'), exportName:
 * 'openMidiOutput', args: ['grandMA3'] }`. The main thread publishes the
 * followed deck's grid whenever it changes (each status packet is enough).
 * Both threads read process.hrtime, so grid times need no translation.
 */
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BeatGrid } from '../../timing/beat-grid';
import type { MidiClockOptions, MidiClockStats } from './midi-clock';
import { MidiError, type MidiErrorCode } from './midi-errors';

export interface PortFactoryRef {
  /** Absolute path of the module that opens the port, loaded inside the clock thread. */
  readonly module: string;
  /** Its export, called with `args`; returns (or resolves to) a MidiPort, a MidiError or `{ ok, port | error }`. */
  readonly exportName: string;
  /** Structured-clonable arguments. */
  readonly args: readonly unknown[];
}

export interface ClockThreadSetup {
  readonly port: PortFactoryRef;
  readonly clock: Partial<Omit<MidiClockOptions, 'onError'>>;
  /** How long before each pulse the thread stops blocking and spins (ms; 0.3 is plenty). */
  readonly spinMs: number;
}

export type ToClockThread = { readonly kind: 'grid'; readonly grid: BeatGrid | null } | { readonly kind: 'stop' };

export type FromClockThread =
  | { readonly kind: 'ready' }
  | { readonly kind: 'error'; readonly code: MidiErrorCode; readonly message: string; readonly cause: string | null }
  | { readonly kind: 'stopped'; readonly stats: MidiClockStats | null };

export const CLOCK_WORKER_FILE = path.join(__dirname, 'midi-clock-worker.js');

export class MidiClockThread {
  private worker: Worker | null = null;
  private stopped: Promise<MidiClockStats | null> | null = null;

  constructor(
    private readonly setup: ClockThreadSetup,
    private readonly onError: (error: MidiError) => void = () => undefined,
    private readonly workerFile: string = CLOCK_WORKER_FILE,
  ) {}

  /** Starts the thread; resolves to null once the clock runs, or to the error that kept it from starting. */
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
        else if (message.kind === 'error') {
          const error = new MidiError(message.code, message.message, message.cause);
          firstError ??= error;
          this.onError(error);
        } else {
          resolve(firstError);
          finish(message.stats);
        }
      });
      worker.on('error', (thrown) => {
        const error = new MidiError('port-open-failed', 'The MIDI clock thread failed', thrown.message);
        this.onError(error);
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
