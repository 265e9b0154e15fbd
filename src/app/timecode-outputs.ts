/**
 * The mapping's `timecode:` entries: MIDI timecode following a deck. The
 * timeline is the track position (from precise position packets where the
 * gear sends them, otherwise from the beat grid and the track tempo) plus the
 * offset the mapping gives the track, so each track can start at its own
 * timecode, as timecode shows are programmed.
 */
import { MtcSender, type TimelineSample } from '../outputs/midi/mtc-sender';
import { parseTimecode, timecodeToMs } from '../outputs/midi/mtc-timecode';
import type { MtcRate } from '../outputs/midi/mtc-rate';
import type { MidiPort } from '../outputs/midi/midi-port';
import { MidiError } from '../outputs/midi/midi-errors';
import type { TimecodeConfig } from '../mapping/schema';
import type { RateLimitedReporter, Timers } from '../outputs/reporter';
import type { DeckState } from '../events/deck-state';
import type { BeatGrid } from '../timing/beat-grid';
import { gridPositionAt } from '../timing/beat-grid';

/** A precise position (§5) older than this is not used. */
const PRECISE_FRESH_MS = 250;

export interface PreciseSample {
  readonly at: number;
  readonly ms: number;
}

export interface TimecodeInputs {
  deckFor(follow: TimecodeConfig['follow']): DeckState | null;
  grid(deck: number, at: number): BeatGrid | null;
  precise(deck: number): PreciseSample | null;
}

function offsetMs(value: number | string, rate: MtcRate): number {
  if (typeof value === 'number') return value;
  const tc = parseTimecode(value, rate);
  if (tc instanceof MidiError) return 0;
  const ms = timecodeToMs(tc, rate);
  return typeof ms === 'number' ? ms : 0;
}

/** Where a deck's timeline is at `now`: track position plus the track's offset. */
export function timelineOf(config: TimecodeConfig, inputs: TimecodeInputs, now: number): TimelineSample | null {
  const deck = inputs.deckFor(config.follow);
  if (deck === null || deck.trackId === null) return null;
  const rate = config.rate as MtcRate;
  const offset = offsetMs(config.offsets[String(deck.trackId)] ?? config.defaultOffset, rate);
  const speed = deck.playing ? deck.pitch : 0;
  const precise = inputs.precise(deck.deck);
  if (precise !== null && now - precise.at < PRECISE_FRESH_MS) {
    return { positionMs: offset + precise.ms + (now - precise.at) * speed, speed };
  }
  const grid = inputs.grid(deck.deck, now);
  const position = grid === null ? null : gridPositionAt(grid, now);
  if (position === null || deck.bpm === null || deck.bpm <= 0) return null;
  // Beat 1 is the track's first beat; before it the position is clamped to zero.
  const trackMs = Math.max(0, ((position - 1) * 60_000) / deck.bpm);
  return { positionMs: offset + trackMs, speed };
}

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
