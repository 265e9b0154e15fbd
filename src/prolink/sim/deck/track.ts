/**
 * A track as the simulator plays it: a constant-tempo beat grid (rekordbox's
 * analysis of most electronic music), its song structure as a PSSI tag, and
 * album art. Positions inside the deck model are counted in beats: beat n of
 * the grid sits at position n, so beat 1 is at 1 and the track starts a little
 * before it when the first beat is not at 0 ms.
 */
export interface SimTrack {
  /** rekordbox ID (OPUS-QUAD: Device Library Plus content_id); never 0. */
  readonly id: number;
  readonly title: string;
  /** Track tempo at 0 % pitch. */
  readonly bpm: number;
  /** Beats in the grid; the track ends one beat after the last one. */
  readonly beats: number;
  /** Track time of beat 1, in ms. */
  readonly firstBeatMs: number;
  /** Beat-in-bar (1–4) of beat 1; 1 when the grid starts on a downbeat. */
  readonly firstBeatInBar: number;
  /** The PSSI tag as the OPUS-QUAD sends it (as stored in the analysis file), or null. */
  readonly pssi: Buffer | null;
  /** Album art bytes (JPEG), or null. */
  readonly art: Buffer | null;
  /** Cues the scenario put on the track, in beat order (none when absent). */
  readonly cues?: readonly SimCue[];
}

/** A memory cue or hot cue at a grid position (beat n at n; fractions lie between beats). */
export interface SimCue {
  readonly beat: number;
  readonly name: string;
  /** 1 for hot cue A, 2 for B, …; null for a memory cue. */
  readonly hotCue: number | null;
}

export const MS_PER_MINUTE = 60_000;
export const BEATS_PER_BAR = 4;

/** Milliseconds per beat at 0 % pitch. */
export function beatPeriodMs(track: Pick<SimTrack, 'bpm'>): number {
  return MS_PER_MINUTE / track.bpm;
}

/** The pitch (percent) at which the track plays at `bpm`. */
export function pitchPercentFor(track: Pick<SimTrack, 'bpm'>, bpm: number): number {
  return (bpm / track.bpm - 1) * 100;
}

/** Position (in beats) of track time 0. */
export function startPosition(track: SimTrack): number {
  return 1 - track.firstBeatMs / beatPeriodMs(track);
}

/** Position (in beats) where the track ends. */
export function endPosition(track: SimTrack): number {
  return track.beats + 1;
}

/** Track time in ms of a position in beats. */
export function trackMsAt(track: SimTrack, position: number): number {
  return track.firstBeatMs + (position - 1) * beatPeriodMs(track);
}

/** Whole track length in ms. */
export function trackLengthMs(track: SimTrack): number {
  return trackMsAt(track, endPosition(track));
}

/** Beat-in-bar (1–4) of grid beat `beat`. */
export function beatInBarOf(track: SimTrack, beat: number): number {
  const zeroBased = (beat - 1 + track.firstBeatInBar - 1) % BEATS_PER_BAR;
  return ((zeroBased + BEATS_PER_BAR) % BEATS_PER_BAR) + 1;
}
