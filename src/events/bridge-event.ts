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
  /** True when inferred from status packets (OPUS), false for real beat packets. */
  readonly estimated: boolean;
}

export interface PhraseEvent extends Base {
  readonly type: 'phrase.start' | 'phrase.end' | 'phrase.fill';
  readonly deck: number;
  readonly phrase: PhraseInfo;
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
