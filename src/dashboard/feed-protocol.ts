/**
 * What the dashboard's WebSocket feed sends the page: JSON text messages, one
 * of the kinds below. Plain data only; the page (page/*.js) reads these
 * types through JSDoc, so this file imports nothing.
 *
 *  - `phrases`: a deck's song structure, sent when the deck's track changes
 *    and to each client as it connects (not in every snapshot: it is large
 *    and rarely changes).
 *  - `snapshot`: everything else, at most SNAPSHOT_MS apart, and only when
 *    something in it changed.
 *  - `beat`: one small message per beat of a deck, so the beat dots pulse on
 *    the beat rather than on the next snapshot.
 *
 * Times are in ms. `now` is the server's clock when the message was built;
 * other times in a snapshot (`beatAt`, `loadedAt` …) are on that same clock,
 * so the page measures ages as `now - time` plus the time since arrival.
 */

export const FEED_VERSION = 1;

/** One phrase of a track, as a block on the timeline. */
export interface PhraseBlock {
  /** 'intro', 'verse2', 'chorus', 'up' … */
  readonly kind: string;
  /** The kind's family, which sets the colour: 'intro', 'verse', 'chorus', 'up', 'down', 'bridge', 'outro', 'unknown'. */
  readonly family: string;
  /** As rekordbox shows it, e.g. 'Verse 2'. */
  readonly label: string;
  readonly startBeat: number;
  /** Exclusive: the first beat of the next phrase. */
  readonly endBeat: number;
  /** First beat of the fill-in, or null when the phrase has none. */
  readonly fillBeat: number | null;
}

export interface PhrasesMessage {
  readonly t: 'phrases';
  readonly deck: number;
  readonly trackId: number;
  readonly mood: string;
  readonly endBeat: number;
  readonly phrases: readonly PhraseBlock[];
}

export interface DeckCard {
  readonly deck: number;
  readonly trackId: number | null;
  /** From a track library, when one is known; null until then. */
  readonly title: string | null;
  readonly artist: string | null;
  /** Path of the deck's album art (add the token when one is set), or null when none arrived for this track. */
  readonly art: string | null;
  readonly playState: string;
  readonly playing: boolean;
  readonly bpm: number | null;
  readonly pitchPercent: number;
  readonly effectiveBpm: number | null;
  readonly master: boolean;
  readonly onAir: boolean;
  readonly sync: boolean;
  readonly beat: number | null;
  readonly beatInBar: number | null;
  readonly bar: number | null;
  /** When `beat` began (or was last reported), for moving the playhead between snapshots. */
  readonly beatAt: number | null;
  /** True when the deck's beats are estimated from status packets (OPUS), false for real beat packets, null before the first beat. */
  readonly estimated: boolean | null;
  /** The current phrase: its first beat identifies it within the structure the `phrases` message sent. */
  readonly phrase: { readonly label: string; readonly kind: string; readonly startBeat: number; readonly endBeat: number } | null;
  /** The track whose structure the page has (a `phrases` message), or null when none arrived for the loaded track. */
  readonly structureTrackId: number | null;
}

export interface FiredRow {
  readonly at: number;
  readonly rule: string;
  /** E.g. 'beat deck 1', 'phrase.start deck 2 Chorus'. */
  readonly event: string;
  readonly targets: readonly string[];
  /** The messages sent, one line each. */
  readonly sent: readonly string[];
  /** Times it fired since the row was made (a rule firing again moves its row to the top). */
  readonly count: number;
}

export type TargetHealthState = 'connected' | 'not-answering' | 'connecting' | 'refused' | 'reconnecting' | 'sending' | 'listening' | 'open' | 'waiting' | 'failed' | 'closed';

export interface TargetRow {
  readonly name: string;
  readonly kind: string;
  readonly state: TargetHealthState;
  readonly sent: number | null;
  /** Connections refused (nothing listening, origin refused …), as reported. */
  readonly refused: number;
  /** Connections lost or reset, after which the target reconnects. */
  readonly reconnects: number;
  readonly dropped: number;
  readonly clients: number | null;
  readonly lastError: string | null;
}

export interface MappingErrorView {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly path: string;
  readonly message: string;
}

export interface MappingView {
  readonly files: readonly string[];
  readonly rules: number;
  readonly targets: readonly string[];
  readonly loadedAt: number;
  readonly reloads: number;
  readonly refused: { readonly at: number; readonly errors: readonly MappingErrorView[] } | null;
}

export interface DeviceRow {
  readonly device: number;
  readonly name: string;
  readonly address: string;
  readonly type: string;
}

export interface NetworkView {
  readonly source: string;
  readonly mode: string | null;
  readonly devices: readonly DeviceRow[];
  readonly packets: number;
  readonly malformed: number;
  readonly events: number;
  readonly sent: number;
  readonly unsent: number;
}

export interface Snapshot {
  readonly t: 'snapshot';
  readonly v: number;
  readonly now: number;
  readonly startedAt: number;
  readonly master: { readonly deck: number; readonly bpm: number | null } | null;
  readonly decks: readonly DeckCard[];
  /** Newest first. */
  readonly fired: readonly FiredRow[];
  readonly targets: readonly TargetRow[];
  readonly mapping: MappingView;
  readonly network: NetworkView;
}

export interface BeatMessage {
  readonly t: 'beat';
  readonly deck: number;
  readonly beat: number | null;
  readonly beatInBar: number | null;
  readonly estimated: boolean;
  readonly at: number;
}

export type FeedMessage = PhrasesMessage | Snapshot | BeatMessage;
