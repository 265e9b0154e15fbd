/**
 * What the Ableton Link session should do to follow a deck: the pure
 * controller, one decision per look at the session. The DJ leads: the
 * session gets the deck's tempo, and its beat phase (over the quantum, bar 1
 * of the deck's grid on phase 0) is steered onto the deck's.
 *
 *  - Tempo: the deck's. If a peer set another tempo, the next decision sets
 *    it back (Link lets any peer change the shared tempo; here the DJ wins).
 *  - Phase within `deadbandMs`: left alone, the tempo is exactly the deck's.
 *  - Phase off by more, up to `realignMs`: nudged, as a DJ nudges a
 *    platter: the tempo is bent by the error spread over `horizonMs`, at
 *    most `maxNudge` of the tempo, so peers slide into phase without a jump.
 *    At 2 % a 12 ms error (a corrected grid, a read of the deck that came
 *    late) is gone in about 0.7 s; the last milliseconds close as the error
 *    over a quarter second.
 *  - Phase off by more than `realignMs` (the deck jumped, looped, started,
 *    or the master changed): the session's beat is set at once.
 *
 * Times are milliseconds on the bridge's monotonic clock; beats are Link
 * beats (the deck's song beats: beat 1 of the grid is Link beat 0).
 */
import { gridPositionAt, isUsableBpm, mod, MS_PER_MINUTE, type BeatGrid } from '../../timing/beat-grid';
import { songBeats } from '../midi/midi-clock-position';

export interface LinkFollowerOptions {
  /** Beats per Link phase cycle (Link's quantum): 4 aligns bars. */
  readonly quantum: number;
  /** Start and stop the session with the deck (Link's start/stop sync). */
  readonly startStopSync: boolean;
  /** Phase errors up to this are left alone (ms). */
  readonly deadbandMs: number;
  /** A nudge aims to remove the phase error over this time (ms). */
  readonly horizonMs: number;
  /** The largest tempo bend a nudge uses, as a fraction of the tempo. */
  readonly maxNudge: number;
  /** Phase errors beyond this are re-aligned at once (ms). */
  readonly realignMs: number;
  /** A session tempo this close to the wanted one is left alone (BPM): Link carries tempo as whole µs per beat. */
  readonly tempoToleranceBpm: number;
}

export const DEFAULT_LINK_FOLLOWER: LinkFollowerOptions = {
  quantum: 4,
  startStopSync: false,
  deadbandMs: 1.5,
  horizonMs: 250,
  maxNudge: 0.02,
  realignMs: 30,
  tempoToleranceBpm: 0.001,
};

/** The session as read at one instant. */
export interface LinkObservation {
  readonly at: number;
  /** Link beat at `at` (for the quantum in use). */
  readonly beat: number;
  readonly tempo: number;
  readonly playing: boolean;
}

export type LinkDecisionKind = 'idle' | 'stopped' | 'tempo' | 'steady' | 'nudge' | 'realign';

export interface LinkDecision {
  readonly kind: LinkDecisionKind;
  /** Set the session tempo to this (BPM), or leave it (null). */
  readonly tempo: number | null;
  /** Make Link beat `beat` happen at `at`, moving on at `bpm` (a re-align), or null. */
  readonly force: { readonly beat: number; readonly at: number; readonly bpm: number } | null;
  /** Start (true) or stop (false) the session, or leave it (null); only with startStopSync. */
  readonly playing: boolean | null;
  /** Deck minus session phase at `at` (ms; positive: the session is behind), or null when no phase is compared. */
  readonly phaseErrorMs: number | null;
}

/** `value` wrapped into [−m/2, m/2). */
function wrap(value: number, m: number): number {
  return mod(value + m / 2, m) - m / 2;
}

/** The session tempo a nudge asks for: the error spread over the horizon, bounded. */
export function nudgedTempo(bpm: number, errorBeats: number, options: LinkFollowerOptions): number {
  const bend = (errorBeats * MS_PER_MINUTE) / options.horizonMs;
  const limit = bpm * options.maxNudge;
  return bpm + Math.max(-limit, Math.min(limit, bend));
}

/** Decides what the session does now to follow the deck whose grid is `grid` (null: nothing to follow). */
export function followDeck(grid: BeatGrid | null, link: LinkObservation, options: LinkFollowerOptions): LinkDecision {
  const none = { tempo: null, force: null, playing: null, phaseErrorMs: null };
  if (grid === null || !isUsableBpm(grid.bpm)) return { kind: 'idle', ...none };
  const bpm = grid.bpm;
  const playing = options.startStopSync && link.playing !== grid.playing ? grid.playing : null;
  const tempoFor = (wanted: number): number | null => (Math.abs(wanted - link.tempo) > options.tempoToleranceBpm ? wanted : null);
  const position = gridPositionAt(grid, link.at);
  if (!grid.playing || position === null || grid.uncertaintyMs === null) {
    return { kind: grid.playing ? 'tempo' : 'stopped', ...none, tempo: tempoFor(bpm), playing };
  }
  const target = songBeats(position, grid.barOffset);
  // Without bars, only the beat phase is the deck's: the session keeps its bar phase.
  const cycle = grid.barOffset === null ? 1 : options.quantum;
  const errorBeats = wrap(target - link.beat, cycle);
  const phaseErrorMs = (errorBeats * MS_PER_MINUTE) / bpm;
  if (Math.abs(phaseErrorMs) > options.realignMs) {
    const beat = link.beat + errorBeats;
    return { kind: 'realign', tempo: tempoFor(bpm), force: { beat, at: link.at, bpm }, playing, phaseErrorMs };
  }
  if (Math.abs(phaseErrorMs) <= options.deadbandMs) {
    return { kind: 'steady', tempo: tempoFor(bpm), force: null, playing, phaseErrorMs };
  }
  return { kind: 'nudge', tempo: tempoFor(nudgedTempo(bpm, errorBeats, options)), force: null, playing, phaseErrorMs };
}
