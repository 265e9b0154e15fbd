/**
 * Events the stream layer emits and mapping rules react to. Each carries the
 * deck it concerns (null for network-wide events) and a monotonic time in ms.
 * `at` is when the event happens musically: for estimated or look-ahead
 * beats it can differ from when the event object was created.
 */
import type { PhraseInfo } from './deck-state';

interface Base {
  readonly at: number;
  readonly deck: number | null;
}

export interface BeatEvent extends Base {
  readonly type: 'beat';
  readonly deck: number;
  readonly beat: number | null;
  readonly beatInBar: number | null;
  readonly effectiveBpm: number | null;
  /**
   * True when inferred (OPUS: from status packets, and from precise position
   * packets in CDJ mode), false for real beat packets.
   */
  readonly estimated: boolean;
  /**
   * True when emitted after its instant because it could not be predicted in
   * time: the first beat after play or a jump, or one a corrected estimate put
   * in the past. Also when fired at its estimated instant while that instant
   * is known only to within more than 50 ms (right after play or a jump, or
   * at a tempo where the status packets keep landing on the same phases of
   * the beat): it may be that much after the beat. `at` stays the beat's
   * (estimated) instant. Always false for real beat packets.
   */
  readonly late: boolean;
  /**
   * True when predicted from the deck's last known grid while its packets
   * are not arriving (a network outage): the deck is assumed to play on.
   */
  readonly coasting: boolean;
}

export interface PhraseEvent extends Base {
  readonly type: 'phrase.start' | 'phrase.end' | 'phrase.fill';
  readonly deck: number;
  readonly phrase: PhraseInfo;
  /** True when a beat estimated from status packets (OPUS) made it, false for a real beat packet or a status packet. */
  readonly estimated: boolean;
  /**
   * True when reported after its instant: a phrase the deck was already in
   * when its structure arrived or when the stopped deck started playing, one
   * a status packet showed the deck in (play, a jump or a loop the beats did
   * not foresee: the deck got there before the status said so), or one
   * reached by a beat that was itself late. `at` is then the time of the
   * deck position it was reported from (a late beat's own instant), not
   * necessarily the phrase's first beat.
   */
  readonly late: boolean;
  /**
   * True when the deck's own packets (a status or a real beat packet) showed
   * the deck there before the event was sent; false for a prediction from
   * estimated beats. Rules with `confirm: true` only see confirmed events.
   */
  readonly confirmed: boolean;
  /** True when made from a coasting beat (the deck's packets are not arriving). */
  readonly coasting: boolean;
}

export interface TrackEvent extends Base {
  readonly type: 'track.load' | 'track.unload';
  readonly deck: number;
  readonly trackId: number | null;
  readonly previousTrackId: number | null;
}

export interface DeckEvent extends Base {
  readonly type: 'play' | 'stop' | 'onair' | 'offair';
  readonly deck: number;
}

export interface MasterEvent extends Base {
  readonly type: 'master.change';
  /** New master deck, or null when no deck is master. */
  readonly deck: number | null;
  readonly previousDeck: number | null;
  readonly effectiveBpm: number | null;
}

export interface TempoEvent extends Base {
  readonly type: 'tempo';
  readonly deck: number;
  readonly effectiveBpm: number | null;
  readonly previousBpm: number | null;
}

export interface DeviceEvent extends Base {
  readonly type: 'device.appeared' | 'device.lost';
  readonly deck: null;
  readonly device: number;
  readonly name: string;
  readonly address: string;
}

export type BridgeEvent = BeatEvent | PhraseEvent | TrackEvent | DeckEvent | MasterEvent | TempoEvent | DeviceEvent;
export type BridgeEventType = BridgeEvent['type'];
