/**
 * The mapping's `timecode:` entries: MIDI timecode following a deck, on the
 * timeline of timing/track-timeline.ts (track position plus the track's
 * offset).
 */
import { MtcSender } from '../outputs/midi/mtc-sender';
import type { MtcRate } from '../outputs/midi/mtc-rate';
import type { MidiPort } from '../outputs/midi/midi-port';
import type { TimecodeConfig } from '../mapping/schema';
import type { RateLimitedReporter, Timers } from '../outputs/reporter';
import { timelineOf, type TimecodeInputs } from '../timing/track-timeline';

export class TimecodeOutputs {
  private senders: { sender: MtcSender; stop: () => void }[] = [];

  constructor(
    private readonly reporter: RateLimitedReporter,
    private readonly timers: Timers,
  ) {}

  apply(configs: readonly TimecodeConfig[], portFor: (target: string) => MidiPort | null, inputs: TimecodeInputs): void {
    this.stop();
    this.senders = configs.flatMap((config) => {
      const port = portFor(config.to);
      if (port === null) return [];
      const sender = new MtcSender({
        port,
        timers: this.timers,
        rate: config.rate as MtcRate,
        sample: (now) => timelineOf(config, inputs, now),
        onError: (e) => this.reporter.report('warn', config.to, e.code, `timecode: ${e.message}`),
      });
      return [{ sender, stop: sender.start() }];
    });
  }

  /** Re-reads the timeline at once (after a jump or play/stop). */
  update(): void {
    for (const s of this.senders) s.sender.update();
  }

  stop(): void {
    for (const s of this.senders) s.stop();
    this.senders = [];
  }
}
