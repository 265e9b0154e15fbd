/**
 * What the monitor watches on a running bridge: its streams, its activity,
 * and its counters and session role sampled a few times a second.
 */
import * as path from 'node:path';
import type { Observable, SchedulerLike } from 'rxjs';
import { map, timer } from '../rx';
import type { RunningBridge } from '../app/bridge';
import type { SessionState } from '../prolink/network/session';
import type { BridgeStatus, LogLine } from './monitor-state';
import type { MonitorSources } from './monitor-stream';

export const STATUS_SAMPLE_MS = 250;

/** How the bridge takes part in the network, in a few words. */
export function modeLabel(state: Pick<SessionState, 'mode' | 'role'> | null): string {
  if (state === null) return 'receive only';
  if (state.role === 'listening') return 'auto: listening';
  return `${state.role} mode`;
}

export function bridgeStatus(bridge: Pick<RunningBridge, 'stats' | 'router' | 'session'> & Partial<Pick<RunningBridge, 'artnetTimecode' | 'abletonLink'>>): BridgeStatus {
  const routed = bridge.router.stats();
  return {
    counters: {
      packets: bridge.stats.received,
      malformed: bridge.stats.malformed,
      events: bridge.stats.events,
      sent: routed.delivered,
      unsent: routed.undeliverable,
    },
    mode: modeLabel(bridge.session?.state ?? null),
    outputs: { artnetTimecode: bridge.artnetTimecode?.status() ?? [], link: bridge.abletonLink?.status() ?? null },
  };
}

export function bridgeSources(bridge: RunningBridge, logs: Observable<LogLine>, scheduler: SchedulerLike, sampleMs = STATUS_SAMPLE_MS): MonitorSources {
  const { streams } = bridge;
  return {
    decks: streams.decks$,
    beats: streams.beats$,
    devices: streams.devices$,
    master: streams.master$,
    activity: bridge.activity,
    logs,
    status: timer(0, sampleMs, scheduler).pipe(map(() => bridgeStatus(bridge))),
  };
}

export interface SourceChoice {
  readonly simulate: string | null;
  readonly replay: string | null;
  readonly speed: number;
}

/** A short name for where the datagrams come from, for the header. */
export function sourceLabel(choice: SourceChoice, linkDescription: string): string {
  if (choice.simulate !== null) return `simulator "${path.basename(choice.simulate)}"`;
  if (choice.replay !== null) return `replay ${path.basename(choice.replay)}${choice.speed === 1 ? '' : ` ×${choice.speed}`}`;
  return linkDescription;
}
