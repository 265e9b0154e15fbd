/**
 * A MIDI target of the mapping: one output port, kept open (and reopened when
 * it comes back), with notes that always get their note-off.
 */
import { ReconnectingMidiPort, type MidiOpenResult } from './midi/reconnecting-midi-port';
import { NoteScheduler } from './midi/note-scheduler';
import { controlChange, programChange } from './midi/midi-bytes';
import { MidiError } from './midi/midi-errors';
import type { MidiPort } from './midi/midi-port';
import type { MidiPortSpec } from './midi/julusian-midi-port';
import type { RateLimitedReporter, Report, Timers } from './reporter';

export type MidiOpener = (spec: MidiPortSpec) => MidiOpenResult<MidiPort & { isPresent?: () => boolean }>;

export interface MidiTargetOptions {
  readonly name: string;
  readonly spec: MidiPortSpec;
  readonly open: MidiOpener;
  readonly timers: Timers;
  readonly reporter: RateLimitedReporter;
  readonly retryMs?: number;
}

export class MidiTarget {
  readonly name: string;
  readonly port: ReconnectingMidiPort<MidiPort & { isPresent?: () => boolean }>;
  private readonly notes: NoteScheduler;
  private readonly stop: () => void;
  private readonly reportError: (error: MidiError) => void;

  constructor(options: MidiTargetOptions) {
    this.name = options.name;
    const report: Report = (r) => options.reporter.report(r.level, r.target, r.code, r.message);
    this.port = new ReconnectingMidiPort({
      name: options.name,
      open: () => options.open(options.spec),
      timers: options.timers,
      report,
      ...(options.retryMs === undefined ? {} : { retryMs: options.retryMs }),
      isAlive: (p) => p.isPresent?.() ?? true,
    });
    this.notes = new NoteScheduler(this.port, options.timers, (e) => options.reporter.report('warn', options.name, e.code, e.message));
    this.reportError = (e) => options.reporter.report('warn', options.name, e.code, e.message);
    this.stop = this.port.start();
  }

  note(channel: number, note: number, velocity: number, durationMs: number): void {
    const error = this.notes.play(channel, note, velocity, durationMs);
    if (error !== null) this.reportError(error);
  }

  controlChange(channel: number, controller: number, value: number): void {
    this.sendOrReport(controlChange(channel, controller, value));
  }

  programChange(channel: number, program: number): void {
    this.sendOrReport(programChange(channel, program));
  }

  /** Note-offs for everything sounding, all-notes-off on used channels, then close. */
  close(): void {
    this.notes.flush();
    this.stop();
    this.port.close();
  }

  private sendOrReport(message: readonly number[] | MidiError): void {
    if (message instanceof MidiError) this.reportError(message);
    else this.port.send(message);
  }
}
