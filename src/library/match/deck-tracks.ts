/**
 * Which track of the library each deck has loaded, as far as the bridge can
 * tell (by rekordbox ID on CDJs, by the phrase data's fingerprint on the
 * OPUS-QUAD, else by tempo and length). Filled in by the track matcher;
 * read by whatever needs the music's own data: titles in deck state, cue
 * points, beat grids.
 */
import type { LibraryTrack } from '../library-track';

export type MatchMethod = 'rekordbox-id' | 'device-library-id' | 'phrase-fingerprint' | 'tempo-and-length';

export interface DeckTrackMatch {
  readonly track: LibraryTrack;
  /** How the deck's track was matched to the library. */
  readonly method: MatchMethod;
  /** The deck's track ID (as the deck reports it) this match is for. */
  readonly trackId: number;
}

export interface DeckTracks {
  /** The library track on the deck now, or null when none is known (no library, no match, or more than one candidate). */
  trackOn(deck: number): DeckTrackMatch | null;
}
