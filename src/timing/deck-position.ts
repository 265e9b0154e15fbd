/**
 * A deck's position as rules read it (`{{ deck.timecode }}`, the position
 * event): the track position and the timecode of the timeline that the
 * `timecode:` and `artnet-timecode:` outputs send (track-timeline.ts), so a
 * media server driven by OSC or WebSocket shows the same frame as a desk fed
 * timecode.
 */
import { MidiError } from '../outputs/midi/midi-errors';
import type { MtcRate } from '../outputs/midi/mtc-rate';
import { formatTimecode, msToTimecode } from '../outputs/midi/mtc-timecode';
import type { DeckState } from '../events/deck-state';
import { trackOffsetMs, trackPositionOf, type TimecodeInputs, type TimelineConfig } from './track-timeline';

/** The rate and per-track offsets of a timeline, without the deck it follows. */
export type TimelineSettings = Pick<TimelineConfig, 'rate' | 'offsets' | 'defaultOffset'>;

/** The timeline rules read when the mapping has neither `artnet-timecode:` nor `timecode:`: 25 fps from 00:00:00:00. */
export const DEFAULT_TIMELINE: TimelineSettings = { rate: 25, offsets: {}, defaultOffset: 0 };

export interface DeckPosition {
  /** ms since the start of the track. */
  readonly positionMs: number;
  /** The timeline: positionMs plus the track's offset. */
  readonly timelineMs: number;
  /** The timeline as HH:MM:SS:FF at `rate` (';' before the frames at 29.97 drop-frame). */
  readonly timecode: string;
  readonly rate: number;
  /** Position on the beat grid (beat 129.5 is half-way to beat 130), or null without a grid. */
  readonly beat: number | null;
  /** True when worked out from the beat grid and the track tempo, false when from a fresh precise position packet. */
  readonly estimated: boolean;
}

/**
 * The timeline settings rules read: those of the first `artnet-timecode:`
 * entry, else of the first `timecode:` entry, else 25 fps with no offsets.
 */
export function timelineSettings(artnetTimecode: readonly TimelineSettings[], timecode: readonly TimelineSettings[]): TimelineSettings {
  const first = artnetTimecode[0] ?? timecode[0] ?? DEFAULT_TIMELINE;
  return { rate: first.rate, offsets: first.offsets, defaultOffset: first.defaultOffset };
}

/** Rounded to the microsecond: no float noise (300.00000000000006) in what rules send. */
function micro(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

/** Where a deck is at `now`, or null when it has no track or its position is not known. */
export function deckPositionAt(settings: TimelineSettings, inputs: Pick<TimecodeInputs, 'grid' | 'precise' | 'trackGrid'>, deck: DeckState, now: number): DeckPosition | null {
  if (deck.trackId === null) return null;
  const position = trackPositionOf(deck, inputs, now);
  if (position === null) return null;
  const rate = settings.rate as MtcRate;
  const timelineMs = trackOffsetMs(settings, deck.trackId) + position.ms;
  const tc = msToTimecode(timelineMs, rate);
  if (tc instanceof MidiError) return null;
  return { positionMs: micro(position.ms), timelineMs: micro(timelineMs), timecode: formatTimecode(tc, rate), rate: settings.rate, beat: position.beat, estimated: !position.precise };
}
