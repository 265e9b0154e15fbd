/**
 * The monitor's view model as a stream: every input stamped with the
 * scheduler's time and folded into one MonitorState with `scan`.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { defer, map, merge, scan, startWith } from '../rx';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { DeviceChange } from '../streams/devices';
import type { MasterTempo } from '../streams/master';
import type { Activity } from '../app/bridge';
import { DEFAULT_TAIL_SIZE, initialMonitorState, type BridgeStatus, type LogLine, type MonitorInput, type MonitorState } from './monitor-state';
import { reduceMonitor } from './reduce-monitor';

export interface MonitorSources {
  readonly decks: Observable<DeckState>;
  readonly beats: Observable<BeatEvent>;
  readonly devices: Observable<DeviceChange>;
  readonly master: Observable<MasterTempo>;
  readonly activity: Observable<Activity>;
  readonly logs: Observable<LogLine>;
  readonly status: Observable<BridgeStatus>;
}

export interface MonitorStreamOptions {
  readonly source: string;
  readonly scheduler: SchedulerLike;
  readonly tailSize?: number;
}

/** The initial state, then a new state for every input. */
export function monitorState(sources: MonitorSources, options: MonitorStreamOptions): Observable<MonitorState> {
  const { scheduler } = options;
  const now = (): number => scheduler.now();
  return defer(() => {
    const initial = initialMonitorState(options.source, now(), options.tailSize ?? DEFAULT_TAIL_SIZE);
    const inputs = merge(
      sources.decks.pipe(map((deck): MonitorInput => ({ kind: 'deck', at: now(), deck }))),
      sources.beats.pipe(map((beat): MonitorInput => ({ kind: 'beat', at: now(), beat }))),
      sources.devices.pipe(map((change): MonitorInput => ({ kind: 'device', at: now(), change }))),
      sources.master.pipe(map((master): MonitorInput => ({ kind: 'master', at: now(), master }))),
      sources.activity.pipe(map((activity): MonitorInput => ({ kind: 'activity', at: now(), activity }))),
      sources.logs.pipe(map((line): MonitorInput => ({ kind: 'log', at: now(), line }))),
      sources.status.pipe(map((status): MonitorInput => ({ kind: 'status', at: now(), status }))),
    );
    return inputs.pipe(scan(reduceMonitor, initial), startWith(initial));
  });
}
