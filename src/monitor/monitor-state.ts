/**
 * What the live monitor shows: plain, read-only data built by the reducer
 * (reduce-monitor.ts) from the bridge's streams and drawn by the renderer.
 * Every time here (`at`, `seenAt`, `startedAt`) is on the monitor's own clock,
 * the scheduler that stamps its inputs; the renderer's `now` is on that clock.
 */
import type { BeatEvent, BridgeEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { DeviceChange, DeviceInfo } from '../streams/devices';
import type { MasterTempo } from '../streams/master';
import type { Activity } from '../app/bridge';
import type { ArtnetTimecodeStatus } from '../app/artnet-timecode-outputs';
import type { LinkStatus } from '../app/link-output';

/** The current phrase of a deck, and how far the playhead is through it. */
export interface PhraseView {
  readonly label: string;
  readonly kind: string;
  readonly startBeat: number;
  /** Exclusive: the first beat of the next phrase. */
  readonly endBeat: number;
  /** 0 before the first beat, 1 on the last beat of the phrase. */
  readonly progress: number;
}

export interface DeckView {
  readonly deck: number;
  readonly trackId: number | null;
  /** "Title — Artist" of the deck's library track (just the title without an artist); null without a match. */
  readonly title: string | null;
  readonly playState: string;
  readonly playing: boolean;
  readonly bpm: number | null;
  /** Pitch in percent (0 = no change). */
  readonly pitchPercent: number;
  readonly effectiveBpm: number | null;
  readonly beat: number | null;
  readonly beatInBar: number | null;
  readonly bar: number | null;
  readonly phrase: PhraseView | null;
  readonly master: boolean;
  readonly onAir: boolean;
  readonly sync: boolean;
  /** Whether the deck's beats are estimated (OPUS) or real beat packets; null before its first beat. */
  readonly estimated: boolean | null;
  /** When the deck's last status arrived (monitor clock). */
  readonly seenAt: number;
}

/** What a deck's view is made from: its latest status and latest beat event (packet clock). */
export interface DeckInputs {
  readonly status: DeckState;
  readonly lastBeat: BeatEvent | null;
  readonly seenAt: number;
}

export interface Counters {
  /** Pro DJ Link packets decoded. */
  readonly packets: number;
  readonly malformed: number;
  /** Events handed to the mapping. */
  readonly events: number;
  /** Messages the outputs delivered, and commands with no open target. */
  readonly sent: number;
  readonly unsent: number;
}

/** A sample of the running bridge's counters and session role. */
export interface BridgeStatus {
  readonly counters: Counters;
  /** How the bridge takes part: 'lighting', 'cdj', 'auto: listening', 'receive only' … */
  readonly mode: string;
  /** The network outputs of the mapping: Art-Net timecode entries, and the Ableton Link session (null without one). */
  readonly outputs?: NetworkOutputs;
}

export interface NetworkOutputs {
  readonly artnetTimecode: readonly ArtnetTimecodeStatus[];
  readonly link: LinkStatus | null;
}

export type LogLevelName = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** One log record as the monitor shows it. */
export interface LogLine {
  readonly level: LogLevelName;
  readonly message: string;
  /** The record's other fields, as key=value pairs; '' when it has none. */
  readonly detail: string;
}

export type TailEntry =
  | {
      readonly kind: 'fired';
      readonly at: number;
      readonly rule: string;
      readonly event: BridgeEvent;
      /** The messages it sent, as describeCommand writes them. */
      readonly sent: readonly string[];
      /** Times this rule fired since its entry was made. */
      readonly count: number;
    }
  | {
      readonly kind: 'message';
      /** A log record, or a notice or output report the bridge announced (which is usually logged as well). */
      readonly from: 'log' | 'bridge';
      readonly at: number;
      readonly level: LogLevelName;
      readonly message: string;
      readonly detail: string;
    };

export interface MonitorState {
  /** Where the datagrams come from, e.g. 'simulator "club"'. */
  readonly source: string;
  readonly startedAt: number;
  readonly mode: string | null;
  /** By deck number, in ascending order. */
  readonly decks: readonly DeckView[];
  readonly deckInputs: ReadonlyMap<number, DeckInputs>;
  readonly devices: readonly DeviceInfo[];
  readonly master: MasterTempo | null;
  readonly counters: Counters;
  /** The network outputs as last sampled. */
  readonly outputs: NetworkOutputs;
  /** Oldest first. */
  readonly tail: readonly TailEntry[];
  readonly tailSize: number;
}

export type MonitorInput =
  | { readonly kind: 'deck'; readonly at: number; readonly deck: DeckState }
  | { readonly kind: 'beat'; readonly at: number; readonly beat: BeatEvent }
  | { readonly kind: 'device'; readonly at: number; readonly change: DeviceChange }
  | { readonly kind: 'master'; readonly at: number; readonly master: MasterTempo }
  | { readonly kind: 'activity'; readonly at: number; readonly activity: Activity }
  | { readonly kind: 'log'; readonly at: number; readonly line: LogLine }
  | { readonly kind: 'status'; readonly at: number; readonly status: BridgeStatus };

export const NO_COUNTERS: Counters = { packets: 0, malformed: 0, events: 0, sent: 0, unsent: 0 };

export const NO_OUTPUTS: NetworkOutputs = { artnetTimecode: [], link: null };

export const DEFAULT_TAIL_SIZE = 50;

export function initialMonitorState(source: string, startedAt: number, tailSize: number = DEFAULT_TAIL_SIZE): MonitorState {
  return { source, startedAt, mode: null, decks: [], deckInputs: new Map(), devices: [], master: null, counters: NO_COUNTERS, outputs: NO_OUTPUTS, tail: [], tailSize };
}
