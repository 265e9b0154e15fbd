/**
 * The monitor's state, one input at a time: the pure step its `scan` runs.
 */
import type { Activity } from '../app/bridge';
import { describeCommand } from '../app/describe-command';
import { barOf } from '../mapping/expression-context';
import type { BeatEvent } from '../events/bridge-event';
import type { DeckState } from '../events/deck-state';
import type { DeviceChange } from '../streams/devices';
import { NO_OUTPUTS, type DeckInputs, type DeckView, type MonitorInput, type MonitorState, type PhraseView, type TailEntry } from './monitor-state';

/**
 * A beat event "leads" the deck's beat display when it is this close in time
 * to the deck's latest status and at most one beat away from it: beat events
 * land on the beat, status packets (every ~200 ms) may lag them by one.
 */
const BEAT_LEAD_MS = 1000;
/** A message that arrives both as a log record and as bridge activity this close together is shown once. */
const DUPLICATE_WINDOW_MS = 1000;
/** How many recent entries are checked for such a duplicate. */
const DUPLICATE_LOOKBACK = 5;

function phraseView(status: DeckState, beat: number | null): PhraseView | null {
  const p = status.phrase;
  if (p === null) return null;
  const length = p.endBeat - p.startBeat;
  const done = beat === null || length <= 0 ? 0 : (beat - p.startBeat + 1) / length;
  return { label: p.label, kind: p.kind, startBeat: p.startBeat, endBeat: p.endBeat, progress: Math.min(1, Math.max(0, done)) };
}

function beatLeads(status: DeckState, beat: BeatEvent | null): beat is BeatEvent & { beat: number } {
  return (
    beat !== null &&
    beat.beat !== null &&
    status.beat !== null &&
    Math.abs(status.updatedAt - beat.at) < BEAT_LEAD_MS &&
    Math.abs(status.beat - beat.beat) <= 1
  );
}

/** A deck's row, from its latest status and latest beat. */
export function deckViewOf({ status, lastBeat, seenAt }: DeckInputs): DeckView {
  const led = beatLeads(status, lastBeat);
  const beat = led ? lastBeat.beat : status.beat;
  const beatInBar = led ? lastBeat.beatInBar : status.beatInBar;
  return {
    deck: status.deck,
    trackId: status.trackId,
    title: status.track === null ? null : status.track.artist === '' ? status.track.title : `${status.track.title} — ${status.track.artist}`,
    playState: status.playState,
    playing: status.playing,
    bpm: status.bpm,
    pitchPercent: (status.pitch - 1) * 100,
    effectiveBpm: status.effectiveBpm,
    beat,
    beatInBar,
    bar: barOf(beat),
    phrase: phraseView(status, beat),
    master: status.master,
    onAir: status.onAir,
    sync: status.sync,
    estimated: lastBeat?.estimated ?? null,
    seenAt,
  };
}

function withDeck(state: MonitorState, inputs: DeckInputs): MonitorState {
  const deckInputs = new Map(state.deckInputs);
  deckInputs.set(inputs.status.deck, inputs);
  const view = deckViewOf(inputs);
  const decks = [...state.decks.filter((d) => d.deck !== view.deck), view].sort((a, b) => a.deck - b.deck);
  return { ...state, deckInputs, decks };
}

function withDevice(state: MonitorState, change: DeviceChange): MonitorState {
  const others = state.devices.filter((d) => d.device !== change.device.device);
  const devices = change.type === 'lost' ? others : [...others, change.device].sort((a, b) => a.device - b.device);
  return { ...state, devices };
}

/**
 * Adds an entry at the end of the tail, keeping at most `size`. A rule that
 * fires again moves its entry to the end and counts up.
 */
export function appendTail(tail: readonly TailEntry[], entry: TailEntry, size: number): readonly TailEntry[] {
  let rest = tail;
  let next = entry;
  if (entry.kind === 'fired') {
    const previous = tail.find((e) => e.kind === 'fired' && e.rule === entry.rule);
    if (previous !== undefined && previous.kind === 'fired') {
      rest = tail.filter((e) => e !== previous);
      next = { ...entry, count: previous.count + entry.count };
    }
  } else {
    const duplicate = tail
      .slice(-DUPLICATE_LOOKBACK)
      .some((e) => e.kind === 'message' && e.from !== entry.from && e.message === entry.message && Math.abs(entry.at - e.at) < DUPLICATE_WINDOW_MS);
    if (duplicate) return tail;
  }
  const all = [...rest, next];
  return all.length > size ? all.slice(all.length - size) : all;
}

function activityEntry(activity: Activity, at: number): TailEntry {
  switch (activity.kind) {
    case 'fired':
      return { kind: 'fired', at, rule: activity.rule, event: activity.event, sent: activity.commands.map(describeCommand), count: 1 };
    case 'report': {
      const { report } = activity;
      const detail = report.suppressed > 0 ? `(${report.suppressed} more like it held back)` : '';
      return { kind: 'message', from: 'bridge', at, level: report.level, message: report.message, detail };
    }
    case 'notice':
      return { kind: 'message', from: 'bridge', at, level: activity.level, message: activity.message, detail: '' };
  }
}

export function reduceMonitor(state: MonitorState, input: MonitorInput): MonitorState {
  switch (input.kind) {
    case 'deck': {
      const lastBeat = state.deckInputs.get(input.deck.deck)?.lastBeat ?? null;
      return withDeck(state, { status: input.deck, lastBeat, seenAt: input.at });
    }
    case 'beat': {
      const known = state.deckInputs.get(input.beat.deck);
      return known === undefined ? state : withDeck(state, { ...known, lastBeat: input.beat });
    }
    case 'device':
      return withDevice(state, input.change);
    case 'master':
      return { ...state, master: input.master };
    case 'status':
      return { ...state, counters: input.status.counters, mode: input.status.mode, outputs: input.status.outputs ?? NO_OUTPUTS };
    case 'activity':
      return { ...state, tail: appendTail(state.tail, activityEntry(input.activity, input.at), state.tailSize) };
    case 'log': {
      const { level, message, detail } = input.line;
      return { ...state, tail: appendTail(state.tail, { kind: 'message', from: 'log', at: input.at, level, message, detail }, state.tailSize) };
    }
  }
}
