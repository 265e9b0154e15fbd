/**
 * Drives the pure MTC generator with injected timers and writes its messages
 * to a MidiPort. The timeline comes from a sampling function, so the same
 * sender follows a deck, a fixed offset or a test script.
 */
import type { Timers } from '../reporter';
import { MidiError, describeThrown } from './midi-errors';
import type { MidiPort } from './midi-port';
import { DEFAULT_JUMP_FRAMES, INITIAL_MTC_STATE, stepMtc, type MtcGeneratorState } from './mtc-generator';
import type { MtcRate } from './mtc-rate';
import type { TimelineSample } from '../../timing/track-timeline';

export interface MtcSenderOptions {
  readonly port: MidiPort;
  readonly timers: Timers;
  readonly rate: MtcRate;
  /** Where the timeline is at clock time `now`, or null when there is nothing to follow. */
  readonly sample: (now: number) => TimelineSample | null;
  /** Called when the port throws; the sender keeps running. */
  readonly onError: (error: MidiError) => void;
  readonly jumpFrames?: number;
}

export class MtcSender {
  private state: MtcGeneratorState = INITIAL_MTC_STATE;
  private timer: unknown = null;
  private rate: MtcRate;
  private running = false;

  constructor(private readonly options: MtcSenderOptions) {
    this.rate = options.rate;
  }

  /** Begins following the timeline; returns the way to stop. */
  start(): () => void {
    this.running = true;
    this.update();
    return () => this.stop();
  }

  stop(): void {
    this.running = false;
    this.cancelTimer();
    this.state = INITIAL_MTC_STATE;
  }

  setRate(rate: MtcRate): void {
    this.rate = rate;
    this.update();
  }

  /** Re-reads the timeline now: call it whenever position, play state or track changes. */
  update(): void {
    if (!this.running) return;
    this.cancelTimer();
    const now = this.options.timers.now();
    const sample = this.options.sample(now);
    const step = stepMtc(
      this.state,
      { now, positionMs: sample?.positionMs ?? null, speed: sample?.speed ?? 0, rate: this.rate },
      this.options.jumpFrames ?? DEFAULT_JUMP_FRAMES,
    );
    this.state = step.state;
    for (const message of step.messages) this.send(message);
    if (step.nextAt !== null) {
      this.timer = this.options.timers.setTimeout(() => {
        this.timer = null;
        this.update();
      }, Math.max(0, step.nextAt - now));
    }
  }

  private send(message: readonly number[]): void {
    try {
      this.options.port.send(message);
    } catch (thrown) {
      this.options.onError(new MidiError('send-failed', `MIDI timecode could not be sent to "${this.options.port.name}"`, describeThrown(thrown)));
    }
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
