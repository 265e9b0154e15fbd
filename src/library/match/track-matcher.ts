/**
 * Which track of the catalogue a deck has loaded, from what the bridge knows
 * of the deck: pure, no state, no IO.
 *
 * - CDJs report the rekordbox ID of export.pdb: the ID is looked up and the
 *   candidates are checked against the deck's tempo (the status BPM is the
 *   grid tempo at the playhead) and, when known, the track's length.
 * - An OPUS-QUAD or XDJ-AZ reports Device Library Plus IDs, which are not
 *   export.pdb IDs (pro-dj-link.md §9): when the catalogue holds those IDs
 *   (exportLibrary.db was read with its key) the ID is looked up and checked
 *   like a CDJ's; otherwise, or when that finds no fitting track, the track is
 *   found by the fingerprint of the phrase data the deck sent, else by tempo
 *   and length together.
 *
 * Copies of one track on several exports (same title, tags, length, tempo,
 * phrases and cues) count as one. More than one different candidate is
 * reported as ambiguous rather than guessed.
 */
import type { LibraryTrack } from '../library-track';
import type { Catalogue } from '../catalogue';
import type { MatchMethod } from './deck-tracks';

/** How a deck identifies its tracks: CDJs by export.pdb ID, the OPUS-QUAD (and XDJ-AZ) not. */
export type DeckKind = 'cdj' | 'opus';

/** What the bridge knows of the track on a deck. */
export interface DeckTrackFacts {
  readonly kind: DeckKind;
  /** The track ID the deck reports. */
  readonly trackId: number;
  /** BPM from the status packets (the grid tempo at the playhead, before pitch); null when the deck does not say. */
  readonly bpm: number | null;
  /** Fingerprint of the phrase data (PSSI) the deck sent for this track; null when none came. */
  readonly fingerprint: string | null;
  /** Track length from precise position packets, in seconds; null when unknown. */
  readonly durationSeconds: number | null;
}

export type NoMatchReason = 'unknown-id' | 'tempo' | 'length' | 'not-found' | 'too-little-known' | 'ambiguous';

export type TrackMatch =
  | { readonly ok: true; readonly track: LibraryTrack; readonly method: MatchMethod; readonly copies: number }
  | { readonly ok: false; readonly reason: NoMatchReason; readonly message: string; readonly candidates: readonly LibraryTrack[] };

/** A status BPM within this fraction of the track's BPM, or of any tempo of its grid, fits. */
export const BPM_TOLERANCE = 0.03;
/** Lengths are whole seconds on both sides (export.pdb, precise position packets). */
export const LENGTH_TOLERANCE_SECONDS = 2;

function near(bpm: number, reference: number): boolean {
  return reference > 0 && Math.abs(bpm - reference) <= reference * BPM_TOLERANCE;
}

/** True when the deck's BPM fits the track, or cannot be checked (either side unknown). */
export function tempoFits(track: LibraryTrack, bpm: number | null): boolean {
  if (bpm === null || (track.bpm <= 0 && track.grid.length === 0)) return true;
  if (near(bpm, track.bpm)) return true;
  return track.grid.some((beat) => near(bpm, beat.bpm));
}

/** True when the deck's track length fits the track, or is unknown. */
export function lengthFits(track: LibraryTrack, durationSeconds: number | null): boolean {
  return durationSeconds === null || Math.abs(track.durationSeconds - durationSeconds) <= LENGTH_TOLERANCE_SECONDS;
}

/** Everything that reaches a user of the match: two tracks equal in all of it are copies of one track. */
function contentKey(t: LibraryTrack): string {
  return JSON.stringify([t.title, t.artist, t.album, t.genre, t.label, t.key, t.color, t.rating, t.comment, t.durationSeconds, t.bpm, t.phraseFingerprint, t.grid.length, t.cues]);
}

function distinct(tracks: readonly LibraryTrack[]): LibraryTrack[] {
  const seen = new Map<string, LibraryTrack>();
  for (const t of tracks) {
    const key = contentKey(t);
    if (!seen.has(key)) seen.set(key, t);
  }
  return [...seen.values()];
}

function describe(t: LibraryTrack): string {
  return `"${t.title}" (ID ${t.id} in ${t.source.exportRoot})`;
}

function noMatch(reason: NoMatchReason, message: string, candidates: readonly LibraryTrack[] = []): TrackMatch {
  return { ok: false, reason, message, candidates };
}

/** The one track among `candidates` that fits the deck's tempo and length, or why there is none. */
function choose(candidates: readonly LibraryTrack[], facts: DeckTrackFacts, method: MatchMethod, what: string): TrackMatch {
  const byTempo = candidates.filter((t) => tempoFits(t, facts.bpm));
  if (byTempo.length === 0) {
    return noMatch('tempo', `${what}: ${candidates.map(describe).join(', ')}, but none at ${String(facts.bpm)} BPM`, candidates);
  }
  const fitting = byTempo.filter((t) => lengthFits(t, facts.durationSeconds));
  if (fitting.length === 0) {
    return noMatch('length', `${what}: ${byTempo.map(describe).join(', ')}, but none ${String(facts.durationSeconds)} s long`, byTempo);
  }
  const different = distinct(fitting);
  const only = different[0];
  if (different.length === 1 && only !== undefined) return { ok: true, track: only, method, copies: fitting.length };
  return noMatch('ambiguous', `${what}: ${different.length} different tracks fit (${different.map(describe).join(', ')}); none is chosen`, different);
}

/**
 * Tracks of a catalogue by whole-second length, built once, for the
 * tempo-and-length fallback (no scan of the whole library per deck).
 */
export class LengthIndex {
  private readonly bySeconds = new Map<number, LibraryTrack[]>();

  constructor(catalogue: Catalogue) {
    for (const track of catalogue.tracks) {
      const list = this.bySeconds.get(track.durationSeconds);
      if (list === undefined) this.bySeconds.set(track.durationSeconds, [track]);
      else list.push(track);
    }
  }

  /** Tracks whose length is within the tolerance of `seconds`. */
  near(seconds: number): LibraryTrack[] {
    const whole = Math.round(seconds);
    const found: LibraryTrack[] = [];
    for (let s = whole - LENGTH_TOLERANCE_SECONDS; s <= whole + LENGTH_TOLERANCE_SECONDS; s++) found.push(...(this.bySeconds.get(s) ?? []));
    return found;
  }
}

function byTempoAndLength(lengths: LengthIndex, facts: DeckTrackFacts, before: string): TrackMatch {
  if (facts.bpm === null || facts.durationSeconds === null) {
    return noMatch('too-little-known', `${before}; tempo and length are not both known, so the track is not guessed`);
  }
  // Only tracks with a tempo of their own: one the deck's BPM cannot be checked against would fit anything.
  const candidates = lengths.near(facts.durationSeconds).filter((t) => (t.bpm > 0 || t.grid.length > 0) && tempoFits(t, facts.bpm));
  if (candidates.length === 0) return noMatch('not-found', `${before}; no track is ${facts.durationSeconds} s long at ${facts.bpm} BPM`);
  return choose(candidates, facts, 'tempo-and-length', `${before}; by tempo and length`);
}

/** The catalogue's track for the deck's track, or why there is none. */
export function matchTrack(catalogue: Catalogue, lengths: LengthIndex, facts: DeckTrackFacts): TrackMatch {
  if (facts.kind === 'cdj') {
    const candidates = catalogue.withId(facts.trackId);
    if (candidates.length === 0) return noMatch('unknown-id', `no export in the library has a track with ID ${facts.trackId}`);
    return choose(candidates, facts, 'rekordbox-id', `ID ${facts.trackId}`);
  }
  const listed = catalogue.withDeviceLibraryId(facts.trackId);
  if (listed.length > 0) {
    const found = choose(listed, facts, 'device-library-id', `Device Library Plus ID ${facts.trackId}`);
    // Another USB's database may use the same ID for another track: then the phrase data decides.
    if (found.ok) return found;
  }
  if (facts.fingerprint === null) return byTempoAndLength(lengths, facts, 'no phrase data came from the deck');
  const candidates = catalogue.withPhraseFingerprint(facts.fingerprint);
  if (candidates.length === 0) return byTempoAndLength(lengths, facts, `no track has the phrase data the deck sent (fingerprint ${facts.fingerprint})`);
  return choose(candidates, facts, 'phrase-fingerprint', `phrase fingerprint ${facts.fingerprint}`);
}
