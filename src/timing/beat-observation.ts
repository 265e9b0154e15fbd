/**
 * What the phase estimator consumes: one deck's status packet (§3) or beat
 * packet (§4), reduced to the fields that carry timing.
 */
export type ObservationSource = 'status' | 'packet';

export interface BeatObservation {
  /** Arrival time (ms, monotonic). */
  readonly at: number;
  /** Beat counter (§3.1 0xa0); null or 0 when there is no position. For beat packets usually null. */
  readonly beat: number | null;
  /** 1–4 (§3.1 0xa6, §4 0x5c); null or 0 when unknown. */
  readonly beatInBar: number | null;
  /** Track BPM × pitch multiplier (§3.4); null when unknown. */
  readonly effectiveBpm: number | null;
  readonly playing: boolean;
  /** 'status' (default) or 'packet' for a real beat packet, whose arrival is the beat. */
  readonly source?: ObservationSource;
  /** Track BPM before pitch (§3.1 0x92), for tying the grid to precise positions; null or absent when unknown. */
  readonly trackBpm?: number | null;
  /** The loaded track (§3.1 0x2c); a new one starts the grid afresh. Absent when unknown. */
  readonly trackId?: number | null;
  /** A stopped deck stands at its cue point (§3.2 play state 06): play from there begins on the beat its counter shows. */
  readonly cued?: boolean;
}

export type ObservationOutcome =
  | 'ignored' // out of order, or no usable time
  | 'paused'
  | 'no-tempo'
  | 'no-position'
  | 'anchored' // first phase information since a start or reset
  | 'refined'
  | 'jump'
  | 'phase-moved';
