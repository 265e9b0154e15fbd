/**
 * Events the stream layer emits and mapping rules react to. Each carries the
 * deck it concerns (null for network-wide events) and a monotonic time in ms.
 * `at` is when the event happens musically: for estimated or look-ahead
 * beats it can differ from when the event object was created.
 */
import type { PhraseInfo, TrackInfo } from './deck-state';
import type { CueKind } from '../library/library-track';

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

/** A memory cue or hot cue of the track on the deck, as the cue event carries it. */
export interface CueInfo {
  /** The name typed in rekordbox ('' when none). */
  readonly name: string;
  readonly kind: CueKind;
  /** Hot cues: 1 for A, 2 for B, …; null for memory cues. */
  readonly hotCue: number | null;
  /** 'A', 'B', … for hot cues; null for memory cues. */
  readonly hotCueLetter: string | null;
  /** '#rrggbb', or null when the cue has no colour. */
  readonly color: string | null;
  /** Where the cue sits, ms from the start of the track. */
  readonly timeMs: number;
  /** Where the cue sits on the deck's beat grid: beat 129 is 129, half-way to beat 130 is 129.5. */
  readonly beat: number;
}

/**
 * The playhead of a playing deck reaches a memory cue or hot cue of its
 * track in forward play (also by a jump onto it, and on every pass of a
 * loop). Flags as for phrase events.
 */
export interface CueEvent extends Base {
  readonly type: 'cue';
  readonly deck: number;
  readonly cue: CueInfo;
  /** True when a beat estimated from status packets (OPUS) made it, false for a real beat packet or a status packet. */
  readonly estimated: boolean;
  /**
   * True when reported after its instant: a cue the deck jumped onto or
   * started playing from (a status showed it there), one reached by a beat
   * that was itself late, or one between beats whose instant went by before
   * it could be fired. `at` is the cue's (estimated) instant, or the time
   * of the status that showed the deck there.
   */
  readonly late: boolean;
  /** True when the deck's own packets (a status or a real beat packet) showed the deck there; false for a prediction from estimated beats. */
  readonly confirmed: boolean;
  /** True when made from a coasting beat (the deck's packets are not arriving). */
  readonly coasting: boolean;
}

export interface TrackEvent extends Base {
  readonly type: 'track.load' | 'track.unload';
  readonly deck: number;
  readonly trackId: number | null;
  readonly previousTrackId: number | null;
  /**
   * The track from the DJ's USB export: for a load the track loaded, for an
   * unload the one taken off; null without a library or a match.
   */
  readonly track: TrackInfo | null;
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

/**
 * A sample of a playing deck's position, for rules that drive a timeline
 * (media servers, video, lighting cue stacks). Sampled, not one per packet:
 * one per playing deck per sampling interval (the shortest throttle of the
 * rules on position, 100 ms by default); nothing while the deck is stopped
 * or its position is unknown. The timeline is the one the timecode outputs
 * send: track position plus the track's offset.
 */
export interface PositionEvent extends Base {
  readonly type: 'position';
  readonly deck: number;
  /** ms since the start of the track. */
  readonly positionMs: number;
  /** positionMs plus the track's offset. */
  readonly timelineMs: number;
  /** The timeline as HH:MM:SS:FF at `rate`. */
  readonly timecode: string;
  /** Frames per second of `timecode`: 24, 25, 29.97 or 30. */
  readonly rate: number;
  /** Position on the beat grid (beat 129.5 is half-way to beat 130), null without a grid. */
  readonly beat: number | null;
  readonly effectiveBpm: number | null;
  /** True when worked out from the beat grid and the track tempo (OPUS-QUAD), false when from a fresh precise position packet. */
  readonly estimated: boolean;
}

export interface DeviceEvent extends Base {
  readonly type: 'device.appeared' | 'device.lost';
  readonly deck: null;
  readonly device: number;
  readonly name: string;
  readonly address: string;
}

export type BridgeEvent = BeatEvent | PhraseEvent | CueEvent | TrackEvent | DeckEvent | MasterEvent | TempoEvent | PositionEvent | DeviceEvent;
export type BridgeEventType = BridgeEvent['type'];
