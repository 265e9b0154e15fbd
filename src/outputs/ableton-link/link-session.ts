/**
 * An Ableton Link session as the bridge uses it, in its own words: the
 * native binding (link-library.ts) is hidden behind this, so the follower
 * and its tests need no binding, and no binding type reaches our .d.ts.
 */

/** The session as read at one instant of the bridge's monotonic clock. */
export interface LinkSample {
  /** When it was read (ms, monotonic). */
  readonly at: number;
  /** Link beat at `at`, for the session's quantum. */
  readonly beat: number;
  readonly tempo: number;
  readonly playing: boolean;
  /** Other Link peers in the session. */
  readonly peers: number;
}

export interface LinkSessionOptions {
  readonly quantum: number;
  readonly startStopSync: boolean;
  /** The tempo the session starts with when it finds no peers (BPM). */
  readonly tempo: number;
}

export interface LinkSession {
  sample(): LinkSample;
  setTempo(bpm: number): void;
  /** Makes Link beat `beat` happen at `at` (ms), the session moving at `bpm`: the beat is set for the instant of the call. */
  forceBeat(beat: number, at: number, bpm: number): void;
  setPlaying(playing: boolean): void;
  /** Leaves the session. */
  close(): void;
}
