/**
 * The mapping's `clock:` entries: one MIDI clock thread each, following the
 * master deck (or a fixed deck) through its beat grid. Each thread keeps its
 * own port open: a port missing at start or unplugged mid-show is reported,
 * retried by the thread, and the receiver is repositioned on the grid when it
 * returns (midi-clock-worker.ts). A thread that cannot run at all (its port
 * module is broken, the thread failed) is reported and started again every
 * 5 s. A reload restarts only the clocks whose settings changed.
 */
import * as path from 'node:path';
import { MidiClockThread, type ClockThreadReport, type ClockThreadSetup } from '../outputs/midi/midi-clock-thread';
import type { MidiError } from '../outputs/midi/midi-errors';
import { RESUMED_CODE } from '../outputs/midi/reconnecting-midi-port';
import type { ClockConfig, TargetConfig } from '../mapping/schema';
import type { RateLimitedReporter, Timers } from '../outputs/reporter';
import type { BeatGrid } from '../timing/beat-grid';
import { DEFAULT_BLOCKING_SPIN_MS } from '../timing/wait-strategies';

export interface ClockThreadLike {
  start(): Promise<MidiError | null>;
  publish(grid: BeatGrid | null): void;
  stop(): Promise<unknown>;
}

export type ClockThreadFactory = (setup: ClockThreadSetup, onReport: (report: ClockThreadReport) => void) => ClockThreadLike;

export const defaultClockThread: ClockThreadFactory = (setup, onReport) => new MidiClockThread(setup, onReport);

const PORT_MODULE = path.join(__dirname, '..', 'outputs', 'midi', 'julusian-midi-port.js');
const RETRY_MS = 5000;

interface Running {
  readonly key: string;
  readonly config: ClockConfig;
  readonly name: string;
  thread: ClockThreadLike | null;
  retry: unknown;
  stopped: boolean;
  /** The code of the port outage last reported, until the port is back. */
  outage: string | null;
}

export interface ClockOutputsOptions {
  readonly reporter: RateLimitedReporter;
  readonly timers: Timers;
  /** The grid of the deck a clock follows ('master' resolved by the caller). */
  readonly gridFor: (follow: ClockConfig['follow'], at: number) => BeatGrid | null;
  readonly now: () => number;
  readonly createThread?: ClockThreadFactory;
}

export function clockSetup(config: ClockConfig, target: TargetConfig): ClockThreadSetup | null {
  const midi = target.midi;
  if (midi === undefined) return null;
  // A virtual target gets a second virtual port for its clock: native ports cannot be shared between threads.
  const spec = midi.virtual !== undefined ? { virtual: `${midi.virtual} clock` } : (midi.port ?? '');
  return {
    port: { module: PORT_MODULE, exportName: 'openMidiOutput', args: [spec], name: typeof spec === 'string' ? spec : spec.virtual },
    clock: { mode: config.run === 'always' ? 'always' : 'follow' },
    spinMs: DEFAULT_BLOCKING_SPIN_MS,
  };
}

export class ClockOutputs {
  private running: Running[] = [];
  private readonly createThread: ClockThreadFactory;

  constructor(private readonly options: ClockOutputsOptions) {
    this.createThread = options.createThread ?? defaultClockThread;
  }

  /** Starts, keeps or stops clocks to match a (re)loaded mapping. */
  async apply(clocks: readonly ClockConfig[], targets: ReadonlyMap<string, TargetConfig>): Promise<void> {
    const wanted = clocks.flatMap((config, i) => {
      const target = targets.get(config.to);
      const setup = target === undefined ? null : clockSetup(config, target);
      return setup === null ? [] : [{ key: JSON.stringify([config, setup]), config, setup, name: `clock ${i + 1} → ${config.to}` }];
    });
    const keep = this.running.filter((r) => wanted.some((w) => w.key === r.key));
    const retire = this.running.filter((r) => !keep.includes(r));
    await Promise.all(retire.map((r) => this.stopOne(r)));
    const started = wanted
      .filter((w) => !keep.some((r) => r.key === w.key))
      .map((w) => {
        const r: Running = { key: w.key, config: w.config, name: w.name, thread: null, retry: null, stopped: false, outage: null };
        this.launch(r, w.setup);
        return r;
      });
    this.running = [...keep, ...started];
  }

  /** Sends every clock the current grid of the deck it follows (call on each status or beat). */
  publish(): void {
    // Called on every status and beat: with no clock (most mappings) the clock is not even read.
    if (this.running.length === 0) return;
    const now = this.options.now();
    for (const r of this.running) r.thread?.publish(this.options.gridFor(r.config.follow, now));
  }

  async stop(): Promise<void> {
    await Promise.all(this.running.map((r) => this.stopOne(r)));
    this.running = [];
  }

  private launch(r: Running, setup: ClockThreadSetup): void {
    if (r.stopped) return;
    const thread = this.createThread(setup, (report) => this.report(r, report));
    r.thread = thread;
    void thread.start().then((error) => {
      if (error === null || r.stopped) return;
      r.thread = null;
      void thread.stop();
      r.retry = this.options.timers.setTimeout(() => this.launch(r, setup), RETRY_MS);
    });
  }

  private report(r: Running, report: ClockThreadReport): void {
    const reporter = this.options.reporter;
    if (report.code === RESUMED_CODE && r.outage !== null) {
      // The next outage is news at once, however soon it comes.
      reporter.resolve(r.config.to, r.outage);
      r.outage = null;
    } else if (report.level === 'error') {
      r.outage = report.code;
    }
    reporter.report(report.level ?? 'warn', r.config.to, report.code, `${r.name}: ${report.message}`);
  }

  private async stopOne(r: Running): Promise<void> {
    r.stopped = true;
    if (r.retry !== null) this.options.timers.clearTimeout(r.retry);
    const thread = r.thread;
    r.thread = null;
    await thread?.stop();
  }
}
