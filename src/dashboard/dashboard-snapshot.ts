/**
 * The dashboard's snapshot, built from the monitor's state (the same
 * reduction the terminal monitor draws) and the few facts the dashboard
 * keeps itself: devices, art, target tallies. Pure: every input is passed.
 */
import type { BridgeEvent } from '../events/bridge-event';
import type { MappingStatus } from '../app/bridge';
import type { DeviceInfo } from '../streams/devices';
import type { DeckInputs, DeckView, MonitorState, TailEntry } from '../monitor/monitor-state';
import { FEED_VERSION, type DeckCard, type FiredRow, type MappingView, type Snapshot, type TargetRow } from './feed-protocol';

/** Rows of the fired-rules log in each snapshot. */
export const FIRED_ROWS = 40;

export interface SnapshotInputs {
  readonly state: MonitorState;
  readonly devices: readonly DeviceInfo[];
  /** The track whose art each deck has, by deck. */
  readonly artTrack: ReadonlyMap<number, number>;
  /** The track whose structure each deck has, by deck. */
  readonly structureTrack: ReadonlyMap<number, number>;
  readonly targets: readonly TargetRow[];
  readonly mapping: MappingStatus;
  readonly now: number;
}

/** When the deck's shown beat began: the beat event's instant when it leads, else the status's time. */
function beatTime(view: DeckView, inputs: DeckInputs | undefined): number | null {
  if (view.beat === null || inputs === undefined) return null;
  const last = inputs.lastBeat;
  return last !== null && last.beat === view.beat ? last.at : inputs.status.updatedAt;
}

export function deckCard(view: DeckView, inputs: DeckInputs | undefined, artTrack: number | undefined, structureTrack: number | undefined): DeckCard {
  const trackId = view.trackId !== null && view.trackId > 0 ? view.trackId : null;
  const p = view.phrase;
  // The library's track, once the deck's track was matched to it (`run --library`).
  const track = inputs?.status.track ?? null;
  return {
    deck: view.deck,
    trackId,
    title: track === null || track.title === '' ? null : track.title,
    artist: track === null || track.artist === '' ? null : track.artist,
    art: trackId !== null && artTrack === trackId ? `/art/${view.deck}/${trackId}` : null,
    playState: view.playState,
    playing: view.playing,
    bpm: view.bpm,
    pitchPercent: view.pitchPercent,
    effectiveBpm: view.effectiveBpm,
    master: view.master,
    onAir: view.onAir,
    sync: view.sync,
    beat: view.beat,
    beatInBar: view.beatInBar,
    bar: view.bar,
    beatAt: beatTime(view, inputs),
    estimated: view.estimated,
    phrase: p === null ? null : { label: p.label, kind: p.kind, startBeat: p.startBeat, endBeat: p.endBeat },
    structureTrackId: trackId !== null && structureTrack === trackId ? trackId : null,
  };
}

/** An event in a few words: 'beat deck 1 #129', 'phrase.start deck 2 Chorus'. */
export function describeEvent(event: BridgeEvent): string {
  const deck = event.deck === null ? '' : ` deck ${event.deck}`;
  switch (event.type) {
    case 'beat':
      return `beat${deck}${event.beat === null ? '' : ` #${event.beat}`}${event.beatInBar === null ? '' : ` (${event.beatInBar}/4)`}`;
    case 'phrase.start':
    case 'phrase.end':
    case 'phrase.fill':
      return `${event.type}${deck} ${event.phrase.label}`;
    case 'track.load':
    case 'track.unload':
      return `${event.type}${deck}${event.trackId === null ? '' : ` track ${event.trackId}`}`;
    default:
      return `${event.type}${deck}`;
  }
}

export function firedRows(tail: readonly TailEntry[], max: number = FIRED_ROWS): FiredRow[] {
  const rows: FiredRow[] = [];
  for (let i = tail.length - 1; i >= 0 && rows.length < max; i--) {
    const e = tail[i];
    if (e === undefined || e.kind !== 'fired') continue;
    const targets = [...new Set(e.sent.map((line) => line.split(' ', 1)[0] ?? ''))].filter((t) => t !== '');
    rows.push({ at: e.at, rule: e.rule, event: describeEvent(e.event), targets, sent: e.sent, count: e.count });
  }
  return rows;
}

export function mappingView(status: MappingStatus): MappingView {
  const refused = status.refused;
  return {
    files: status.files,
    rules: status.rules,
    targets: status.targets,
    loadedAt: status.loadedAt,
    reloads: status.reloads,
    refused:
      refused === null
        ? null
        : { at: refused.at, errors: refused.errors.map((e) => ({ file: e.file, line: e.line, column: e.column, path: e.path, message: e.message })) },
  };
}

export function snapshotOf(inputs: SnapshotInputs): Snapshot {
  const { state } = inputs;
  const decks = state.decks.map((d) => deckCard(d, state.deckInputs.get(d.deck), inputs.artTrack.get(d.deck), inputs.structureTrack.get(d.deck)));
  const master = decks.find((d) => d.master) ?? null;
  const c = state.counters;
  return {
    t: 'snapshot',
    v: FEED_VERSION,
    now: inputs.now,
    startedAt: state.startedAt,
    master: master === null ? null : { deck: master.deck, bpm: master.effectiveBpm },
    decks,
    fired: firedRows(state.tail),
    targets: inputs.targets,
    mapping: mappingView(inputs.mapping),
    network: {
      source: state.source,
      mode: state.mode,
      devices: inputs.devices.map((d) => ({ device: d.device, name: d.name, address: d.address, type: d.type })),
      packets: c.packets,
      malformed: c.malformed,
      events: c.events,
      sent: c.sent,
      unsent: c.unsent,
    },
  };
}
