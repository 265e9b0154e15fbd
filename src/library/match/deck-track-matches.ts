/**
 * Each deck's match to the library, kept up to date from the deck's status
 * packets, the phrase data it sends, and the track length of its precise
 * position packets. A match is worked out only when what is known of the
 * deck's track changes (a new track, its first BPM, its phrase data, its
 * length), never per packet; between those, every status gets the same
 * TrackInfo object back.
 */
import type { TrackInfo } from '../../events/deck-state';
import { isOpusName } from '../../prolink/packets/header';
import { phraseFingerprint } from '../../prolink/phrases/phrase-fingerprint';
import type { SongStructure } from '../../prolink/phrases/song-structure';
import type { Catalogue } from '../catalogue';
import type { LibraryTrack } from '../library-track';
import type { DeckTrackMatch, DeckTracks, MatchMethod } from './deck-tracks';
import { LengthIndex, matchTrack, type DeckKind, type DeckTrackFacts, type TrackMatch } from './track-matcher';

/** Decks that report Device Library Plus IDs rather than export.pdb IDs. */
export function deckKindOf(deviceName: string): DeckKind {
  return isOpusName(deviceName) || deviceName.toUpperCase().startsWith('XDJ-AZ') ? 'opus' : 'cdj';
}

export function trackInfoOf(track: LibraryTrack, method: MatchMethod): TrackInfo {
  return {
    id: track.id,
    title: track.title,
    artist: track.artist,
    album: track.album,
    genre: track.genre,
    key: track.key,
    color: track.color,
    rating: track.rating,
    comment: track.comment,
    durationSeconds: track.durationSeconds,
    match: method,
    source: track.source.exportRoot,
  };
}

interface DeckEntry {
  trackId: number;
  kind: DeckKind;
  bpm: number | null;
  fingerprint: string | null;
  durationSeconds: number | null;
  /** Phrase data came or the transfer failed: nothing more is awaited. */
  phrasesSettled: boolean;
  result: TrackMatch;
  match: DeckTrackMatch | null;
  info: TrackInfo | null;
}

export interface DeckTrackMatchesOptions {
  /** Called each time a deck's match is worked out (to log it). */
  readonly onMatch?: (deck: number, result: TrackMatch, facts: DeckTrackFacts) => void;
}

export class DeckTrackMatches implements DeckTracks {
  private readonly decks = new Map<number, DeckEntry>();
  /**
   * A length heard before the deck's first status (or after its unload): in
   * CDJ mode the precise positions can come before the status packets, and
   * the length is only sent again when it changes.
   */
  private readonly earlyLengths = new Map<number, number>();
  /**
   * Phrase data that came before the status showing its track: the OPUS-QUAD
   * answers one request with the PSSI of every loaded deck, so a deck's can
   * come before the bridge has heard that deck's status.
   */
  private readonly earlyFingerprints = new Map<number, { readonly trackId: number; readonly fingerprint: string }>();
  private readonly lengths: LengthIndex;
  /** Times a match was worked out (a measure that it happens per change, not per packet). */
  matchCount = 0;

  constructor(
    private readonly catalogue: Catalogue,
    private readonly options: DeckTrackMatchesOptions = {},
  ) {
    this.lengths = new LengthIndex(catalogue);
  }

  trackOn(deck: number): DeckTrackMatch | null {
    return this.decks.get(deck)?.match ?? null;
  }

  /** The deck's track as TrackInfo, null when none matches. */
  infoOn(deck: number): TrackInfo | null {
    return this.decks.get(deck)?.info ?? null;
  }

  /** The last match worked out for the deck, with why there is none. */
  resultOn(deck: number): TrackMatch | null {
    return this.decks.get(deck)?.result ?? null;
  }

  /** True while the deck is an OPUS-QUAD (or XDJ-AZ) whose track's phrase data may still come and would decide the match. */
  awaitingPhrases(deck: number): boolean {
    const entry = this.decks.get(deck);
    return entry !== undefined && entry.kind === 'opus' && !entry.phrasesSettled && entry.info === null;
  }

  /** A status packet's track: the deck's TrackInfo (the same object while nothing changed). */
  observeStatus(deck: number, deviceName: string, trackId: number | null, bpm: number | null): TrackInfo | null {
    const entry = this.decks.get(deck);
    if (trackId === null) {
      if (entry !== undefined) this.decks.delete(deck);
      return null;
    }
    if (entry !== undefined && entry.trackId === trackId) {
      if (entry.bpm === null && bpm !== null) {
        entry.bpm = bpm;
        this.rematch(deck, entry);
      }
      return entry.info;
    }
    const early = entry === undefined ? (this.earlyLengths.get(deck) ?? null) : null;
    this.earlyLengths.delete(deck);
    const phrases = this.earlyFingerprints.get(deck);
    this.earlyFingerprints.delete(deck);
    const fingerprint = phrases !== undefined && phrases.trackId === trackId ? phrases.fingerprint : null;
    const fresh: DeckEntry = {
      trackId,
      kind: deckKindOf(deviceName),
      bpm,
      fingerprint,
      durationSeconds: early,
      phrasesSettled: fingerprint !== null,
      result: { ok: false, reason: 'too-little-known', message: 'not matched yet', candidates: [] },
      match: null,
      info: null,
    };
    this.decks.set(deck, fresh);
    this.rematch(deck, fresh);
    return fresh.info;
  }

  /** The phrase data a deck sent for a track; true when the deck's match changed. */
  observeStructure(deck: number, trackId: number, structure: SongStructure): boolean {
    const entry = this.decks.get(deck);
    if (entry === undefined || entry.trackId !== trackId) {
      this.earlyFingerprints.set(deck, { trackId, fingerprint: phraseFingerprint(structure) });
      return false;
    }
    entry.phrasesSettled = true;
    const fingerprint = phraseFingerprint(structure);
    if (entry.fingerprint === fingerprint) return false;
    entry.fingerprint = fingerprint;
    return this.rematch(deck, entry);
  }

  /** The phrase data for the deck's track will not come. */
  phrasesFailed(deck: number, trackId: number): void {
    const entry = this.decks.get(deck);
    if (entry !== undefined && entry.trackId === trackId) entry.phrasesSettled = true;
  }

  /** The track length from a precise position packet; true when the deck's match changed. */
  observeLength(deck: number, seconds: number): boolean {
    const entry = this.decks.get(deck);
    if (entry === undefined && seconds > 0) this.earlyLengths.set(deck, seconds);
    if (entry === undefined || seconds <= 0 || entry.durationSeconds === seconds) return false;
    entry.durationSeconds = seconds;
    return this.rematch(deck, entry);
  }

  private rematch(deck: number, entry: DeckEntry): boolean {
    const facts: DeckTrackFacts = { kind: entry.kind, trackId: entry.trackId, bpm: entry.bpm, fingerprint: entry.fingerprint, durationSeconds: entry.durationSeconds };
    const result = matchTrack(this.catalogue, this.lengths, facts);
    this.matchCount++;
    entry.result = result;
    this.options.onMatch?.(deck, result, facts);
    const before = entry.match;
    if (!result.ok) {
      entry.match = null;
      entry.info = null;
      return before !== null;
    }
    if (before !== null && before.track === result.track && before.method === result.method) return false;
    entry.match = { track: result.track, method: result.method, trackId: entry.trackId };
    entry.info = trackInfoOf(result.track, result.method);
    return true;
  }
}
