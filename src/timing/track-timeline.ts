/**
 * Where a deck's timecode timeline is: the track position (from precise
 * position packets where the gear sends them, otherwise from the beat
 * position: through the track's own beat grid where the library knows it,
 * else at the track tempo from beat 1 at 0 ms) plus the offset the mapping gives the track, so each
 * track can start at its own timecode, as timecode shows are programmed.
 * MIDI timecode and Art-Net timecode both follow a deck through this one
 * function.
 */
import { parseTimecode, timecodeToMs } from '../outputs/midi/mtc-timecode';
import { MidiError } from '../outputs/midi/midi-errors';
import type { MtcRate } from '../outputs/midi/mtc-rate';
import type { DeckState } from '../events/deck-state';
import type { BeatGrid } from './beat-grid';
import { gridPositionAt } from './beat-grid';
import type { GridBeat } from '../library/library-track';
import { timeAtPosition } from '../library/anlz/grid-lookup';

/** A precise position (§5) older than this is not used. */
const PRECISE_FRESH_MS = 250;

export interface TimelineSample {
  /** Timecode position in ms since 00:00:00:00 at the sampled time. */
  readonly positionMs: number;
  /** Timeline ms per clock ms; 0 when stopped. */
  readonly speed: number;
}

export interface PreciseSample {
  readonly at: number;
  readonly ms: number;
}

/** What a timeline follows and how it is offset: the shared part of `timecode:` and `artnet-timecode:` entries. */
export interface TimelineConfig {
  readonly follow: number | 'master';
  readonly rate: number;
  readonly offsets: Readonly<Record<string, number | string>>;
  readonly defaultOffset: number | string;
}

export interface TimecodeInputs {
  deckFor(follow: TimelineConfig['follow']): DeckState | null;
  grid(deck: number, at: number): BeatGrid | null;
  precise(deck: number): PreciseSample | null;
  /** The beat grid of track `trackId` on the deck (its library track); null or absent when not known. */
  trackGrid?(deck: number, trackId: number): readonly GridBeat[] | null;
}

function offsetMs(value: number | string, rate: MtcRate): number {
  if (typeof value === 'number') return value;
  const tc = parseTimecode(value, rate);
  if (tc instanceof MidiError) return 0;
  const ms = timecodeToMs(tc, rate);
  return typeof ms === 'number' ? ms : 0;
}

/** Where a deck's track is at `now`, before any offset. */
export interface TrackPosition {
  /** ms since the start of the track. */
  readonly ms: number;
  /** Track ms per clock ms; 0 when stopped. */
  readonly speed: number;
  /** True when read from a fresh precise position packet, false when from the beat position. */
  readonly precise: boolean;
  /** Position on the beat grid (beat 129.5 is half-way to beat 130), or null without a grid. */
  readonly beat: number | null;
}

/**
 * The track position of a deck at `now`: from a fresh precise position,
 * otherwise from the beat position, through the track's own grid where known
 * (its first beat's offset and tempo changes), else at the status tempo.
 */
export function trackPositionOf(deck: DeckState, inputs: Pick<TimecodeInputs, 'grid' | 'precise' | 'trackGrid'>, now: number): TrackPosition | null {
  if (deck.trackId === null) return null;
  const speed = deck.playing ? deck.pitch : 0;
  const grid = inputs.grid(deck.deck, now);
  const beat = grid === null ? null : gridPositionAt(grid, now);
  const precise = inputs.precise(deck.deck);
  if (precise !== null && now - precise.at < PRECISE_FRESH_MS) {
    return { ms: precise.ms + (now - precise.at) * speed, speed, precise: true, beat };
  }
  if (beat === null) return null;
  const trackGrid = inputs.trackGrid?.(deck.deck, deck.trackId) ?? null;
  const onGrid = trackGrid === null ? null : timeAtPosition(trackGrid, beat);
  // Before the track's start the position is clamped to zero.
  if (onGrid !== null) return { ms: Math.max(0, onGrid), speed, precise: false, beat };
  if (deck.bpm === null || deck.bpm <= 0) return null;
  // Without the track's grid, beat 1 is taken to be at the track's start.
  return { ms: Math.max(0, ((beat - 1) * 60_000) / deck.bpm), speed, precise: false, beat };
}

/** The offset (ms) a timeline gives the deck's track. */
export function trackOffsetMs(config: Pick<TimelineConfig, 'rate' | 'offsets' | 'defaultOffset'>, trackId: number): number {
  return offsetMs(config.offsets[String(trackId)] ?? config.defaultOffset, config.rate as MtcRate);
}

/** Where a deck's timeline is at `now`: track position plus the track's offset. */
export function timelineOf(config: TimelineConfig, inputs: TimecodeInputs, now: number): TimelineSample | null {
  const deck = inputs.deckFor(config.follow);
  if (deck === null || deck.trackId === null) return null;
  const position = trackPositionOf(deck, inputs, now);
  return position === null ? null : { positionMs: trackOffsetMs(config, deck.trackId) + position.ms, speed: position.speed };
}
