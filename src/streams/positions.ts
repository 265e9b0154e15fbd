/**
 * Playhead positions per deck. CDJ-3000s (and the OPUS-QUAD in CDJ mode) send
 * precise position packets (§5, ~30 ms) giving milliseconds directly; other
 * decks get their position in beats from the beat counter, refined by the
 * beat events (real or estimated), as each status or beat arrives.
 */
import type { Observable } from 'rxjs';
import { filter, map, merge } from '../rx';
import type { PrecisePosition } from '../prolink/packets/precise-position';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { Received } from './received';

export interface Position {
  readonly deck: number;
  readonly at: number;
  /** 'precise': from a 0x0b packet; 'beat': from a beat event; 'status': the status beat counter. */
  readonly source: 'precise' | 'beat' | 'status';
  /** Playhead in ms (precise packets only). */
  readonly ms: number | null;
  /** Beat position: beat n is at n exactly (beat events, status counters). */
  readonly beat: number | null;
  readonly effectiveBpm: number | null;
  /** Pitch multiplier, 1 = ±0 % (precise packets only): how fast the playhead moves while playing. */
  readonly pitch: number | null;
  readonly trackLengthSeconds: number | null;
}

export function positions(precise: Observable<Received<PrecisePosition>>, beats: Observable<BeatEvent>, decks: Observable<DeckState>): Observable<Position> {
  return merge(
    precise.pipe(
      map(({ packet, at }): Position => ({
        deck: packet.deck,
        at,
        source: 'precise',
        ms: packet.positionMs,
        beat: null,
        effectiveBpm: packet.effectiveBpm,
        pitch: packet.pitch,
        trackLengthSeconds: packet.trackLengthSeconds,
      })),
    ),
    beats.pipe(map((b): Position => ({ deck: b.deck, at: b.at, source: 'beat', ms: null, beat: b.beat, effectiveBpm: b.effectiveBpm, pitch: null, trackLengthSeconds: null }))),
    decks.pipe(
      filter((d) => d.beat !== null),
      map((d): Position => ({ deck: d.deck, at: d.updatedAt, source: 'status', ms: null, beat: d.beat, effectiveBpm: d.effectiveBpm, pitch: null, trackLengthSeconds: null })),
    ),
  );
}
