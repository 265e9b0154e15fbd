/**
 * The names mapping expressions can read, per event. `deck` is the deck the
 * event concerns, `master` the tempo master, `phrase` the phrase of a phrase
 * event (or the deck's current phrase), `event` the event's own fields. A
 * name outside these is an error when the mapping loads.
 */
import type { ScopeDescription } from './expr/scope';
import type { EventName } from './schema';

export const PHRASE_SCOPE: ScopeDescription = {
  index: 'number',
  kind: 'string',
  family: 'string',
  label: 'string',
  mood: 'string',
  bank: 'string',
  startBeat: 'number',
  endBeat: 'number',
  bars: 'number',
  fillBeat: 'number|null',
};

/** The deck's track from the DJ's USB export (null without a library or a match): events/deck-state.ts TrackInfo. */
export const TRACK_SCOPE: ScopeDescription = {
  id: 'number',
  title: 'string',
  artist: 'string',
  album: 'string',
  genre: 'string',
  key: 'string',
  color: 'string',
  rating: 'number',
  comment: 'string',
  durationSeconds: 'number',
  match: 'string',
  source: 'string',
};

export const DECK_SCOPE: ScopeDescription = {
  number: 'number',
  device: 'number',
  name: 'string',
  trackId: 'number|null',
  slot: 'string',
  playState: 'string',
  playing: 'boolean',
  moving: 'boolean',
  master: 'boolean',
  sync: 'boolean',
  onAir: 'boolean',
  bpm: 'number|null',
  pitch: 'number',
  pitchPercent: 'number',
  effectiveBpm: 'number|null',
  beat: 'number|null',
  beatInBar: 'number|null',
  bar: 'number|null',
  phrase: PHRASE_SCOPE,
  track: TRACK_SCOPE,
  positionMs: 'number|null',
  timecode: 'string|null',
};

const BEAT_EVENT: ScopeDescription = { beat: 'number|null', beatInBar: 'number|null', bar: 'number|null', effectiveBpm: 'number|null', estimated: 'boolean', late: 'boolean', confirmed: 'boolean', coasting: 'boolean' };
const CUE_SCOPE: ScopeDescription = { name: 'string', kind: 'string', hotCue: 'number|null', hotCueLetter: 'string|null', color: 'string|null', timeMs: 'number', beat: 'number' };
const CUE_EVENT: ScopeDescription = { cue: CUE_SCOPE, estimated: 'boolean', late: 'boolean', confirmed: 'boolean', coasting: 'boolean' };
const PHRASE_EVENT: ScopeDescription = { phrase: PHRASE_SCOPE, estimated: 'boolean', late: 'boolean', confirmed: 'boolean', coasting: 'boolean' };

const EVENT_FIELDS: Record<EventName, ScopeDescription> = {
  beat: BEAT_EVENT,
  downbeat: BEAT_EVENT,
  bar: BEAT_EVENT,
  'phrase.start': PHRASE_EVENT,
  'phrase.end': PHRASE_EVENT,
  'phrase.fill': PHRASE_EVENT,
  cue: CUE_EVENT,
  'track.load': { trackId: 'number|null', previousTrackId: 'number|null', track: TRACK_SCOPE },
  'track.unload': { trackId: 'number|null', previousTrackId: 'number|null', track: TRACK_SCOPE },
  play: {},
  stop: {},
  onair: {},
  offair: {},
  'master.change': { previousDeck: 'number|null', effectiveBpm: 'number|null' },
  tempo: { effectiveBpm: 'number|null', previousBpm: 'number|null' },
  position: { positionMs: 'number', timelineMs: 'number', timecode: 'string', rate: 'number', beat: 'number|null', effectiveBpm: 'number|null', estimated: 'boolean' },
  'device.appeared': { device: 'number', name: 'string', address: 'string' },
  'device.lost': { device: 'number', name: 'string', address: 'string' },
};

export function scopeFor(event: EventName): ScopeDescription {
  return {
    deck: DECK_SCOPE,
    master: DECK_SCOPE,
    phrase: PHRASE_SCOPE,
    event: { type: 'string', at: 'number', deck: 'number|null', ...EVENT_FIELDS[event] },
  };
}

/** Phrase kinds and families a `phrase:` condition may name. */
export const PHRASE_KINDS: readonly string[] = [
  'intro', 'up', 'down', 'verse', 'verse1', 'verse1b', 'verse1c', 'verse2', 'verse2b', 'verse2c',
  'verse3', 'verse4', 'verse5', 'verse6', 'bridge', 'chorus', 'outro', 'unknown',
];
