/**
 * The dashboard's feed as a stream of JSON texts: built on the terminal
 * monitor's state (monitorState, the same reduction), sampled every
 * SNAPSHOT_MS into a snapshot that is sent only when something in it
 * changed (or HEARTBEAT_MS passed), a `phrases` message whenever a deck's
 * structure is new to the feed, and a small message per beat.
 *
 * Cold: nothing runs until it is subscribed, and everything stops when the
 * subscription ends (the server subscribes while a page is connected).
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { EMPTY, interval, map, merge, withLatestFrom } from '../rx';
import type { BeatEvent } from '../events/bridge-event';
import type { MappingStatus } from '../app/bridge';
import type { TargetStatusLine } from '../outputs/output-router';
import type { SongStructure } from '../prolink/phrases/song-structure';
import type { MonitorSources } from '../monitor/monitor-stream';
import { monitorState } from '../monitor/monitor-stream';
import type { MonitorState } from '../monitor/monitor-state';
import { withState } from '../streams/with-state';
import type { DashboardMemory } from './dashboard-memory';
import { snapshotOf } from './dashboard-snapshot';
import type { BeatMessage } from './feed-protocol';
import { phrasesMessage } from './phrase-blocks';
import { targetRows } from './target-health';

/** At most this many snapshots a second: 1000 / SNAPSHOT_MS. */
export const SNAPSHOT_MS = 100;
/** A snapshot is sent at least this often, so the page knows the feed is alive. */
export const HEARTBEAT_MS = 2000;
/** Entries of the monitor's tail the feed keeps (fired rules and reports). */
const TAIL_SIZE = 100;

export interface FeedSources {
  readonly source: string;
  /** The monitor's inputs; its devices and master are not used (the memory keeps devices). */
  readonly monitor: Pick<MonitorSources, 'decks' | 'beats' | 'activity' | 'status'>;
  readonly structures: ReadonlyMap<number, { readonly trackId: number; readonly structure: SongStructure }>;
  readonly mappingStatus: () => MappingStatus;
  readonly targetStatuses: () => readonly TargetStatusLine[];
  readonly memory: Pick<DashboardMemory, 'devices' | 'tallies' | 'artTracks'>;
}

export type FeedText = { readonly kind: 'snapshot'; readonly text: string } | { readonly kind: 'phrases'; readonly deck: number; readonly text: string } | { readonly kind: 'beat'; readonly text: string };

interface TickState {
  lastBody: string | null;
  lastSentAt: number;
  /** The track whose structure was sent, by deck. */
  readonly phrasesSent: Map<number, number>;
}

function beatText(beat: BeatEvent): FeedText {
  const message: BeatMessage = { t: 'beat', deck: beat.deck, beat: beat.beat, beatInBar: beat.beatInBar, estimated: beat.estimated, at: Math.round(beat.at) };
  return { kind: 'beat', text: JSON.stringify(message) };
}

export function dashboardFeed(sources: FeedSources, scheduler: SchedulerLike): Observable<FeedText> {
  const states = monitorState(
    { ...sources.monitor, devices: EMPTY, master: EMPTY, logs: EMPTY },
    { source: sources.source, scheduler, tailSize: TAIL_SIZE },
  );
  const structureTracks = (): Map<number, number> => new Map([...sources.structures].map(([deck, s]) => [deck, s.trackId]));

  const step = (s: TickState, state: MonitorState, emit: (t: FeedText) => void): void => {
    const now = scheduler.now();
    for (const deck of state.decks) {
      const known = sources.structures.get(deck.deck);
      if (known === undefined || known.trackId !== deck.trackId || s.phrasesSent.get(deck.deck) === known.trackId) continue;
      s.phrasesSent.set(deck.deck, known.trackId);
      emit({ kind: 'phrases', deck: deck.deck, text: JSON.stringify(phrasesMessage(deck.deck, known.trackId, known.structure)) });
    }
    const { memory } = sources;
    const snapshot = snapshotOf({
      state,
      devices: memory.devices,
      artTrack: memory.artTracks(),
      structureTrack: structureTracks(),
      targets: targetRows(sources.targetStatuses(), memory.tallies, now),
      mapping: sources.mappingStatus(),
      now,
    });
    const { now: _now, ...body } = snapshot;
    const bodyText = JSON.stringify(body);
    if (bodyText === s.lastBody && now - s.lastSentAt < HEARTBEAT_MS) return;
    s.lastBody = bodyText;
    s.lastSentAt = now;
    emit({ kind: 'snapshot', text: `{"now":${Math.round(now)},${bodyText.slice(1)}` });
  };

  const ticks = interval(SNAPSHOT_MS, scheduler).pipe(
    withLatestFrom(states),
    map(([, state]) => state),
    withState<MonitorState, FeedText, TickState>(() => ({ lastBody: null, lastSentAt: -Infinity, phrasesSent: new Map() }), step),
  );
  return merge(ticks, sources.monitor.beats.pipe(map(beatText)));
}
