/**
 * The events a rule can fire on (`on:`), each with the sentence editors show
 * for it. The list is the stream layer's event types plus `downbeat` and
 * `bar`, which the engine makes from beats: a new BridgeEvent type does not
 * compile until it is documented here, so the schema cannot fall behind.
 */
import type { BridgeEventType } from '../events/bridge-event';

/** Rule events that are not a stream event of their own: the engine picks them out of beats. */
type BeatDerivedEvent = 'downbeat' | 'bar';

const BEAT_FIELDS = 'event.beat, event.beatInBar, event.bar, event.effectiveBpm and the flags estimated, late, confirmed, coasting';
const PHRASE_FIELDS = 'event.phrase (kind, family, label, mood, bank, bars …) and the flags estimated, late, confirmed, coasting';

/** Every rule event, in the order editors list them. */
export const EVENT_DESCRIPTIONS: Readonly<Record<BridgeEventType | BeatDerivedEvent, string>> = {
  beat: `Every beat of a playing deck: real beat packets from CDJs, estimated from status packets for the OPUS-QUAD. Fields: ${BEAT_FIELDS}.`,
  downbeat: `Beat 1 of each bar of a playing deck. Fields as for beat: ${BEAT_FIELDS}.`,
  bar: `Beat 1 of each bar; with every: N, every Nth bar of the track's beat grid (every: 4 fires on bars 1, 5, 9 …). Fields as for beat.`,
  'phrase.start': `A playing deck enters a rekordbox phrase (intro, verse, chorus …). Fields: ${PHRASE_FIELDS}.`,
  'phrase.end': `A playing deck leaves the phrase it was in. Fields: ${PHRASE_FIELDS}.`,
  'phrase.fill': `A playing deck reaches the fill-in beats at the end of its phrase. Fields: ${PHRASE_FIELDS}.`,
  'track.load': 'A deck loads a track. Fields: event.trackId, event.previousTrackId.',
  'track.unload': 'A deck unloads its track. Fields: event.trackId, event.previousTrackId.',
  play: 'A deck starts playing.',
  stop: 'A deck stops playing (pause, cue, end of track).',
  onair: "The mixer puts a deck's channel on air: it can be heard in the mix.",
  offair: "The mixer takes a deck's channel off air.",
  'master.change': 'The tempo master moves to another deck. Fields: event.deck (the new master, or null), event.previousDeck, event.effectiveBpm.',
  tempo: "A deck's effective tempo (track BPM × pitch) changes; add a throttle, it can change many times a second. Fields: event.effectiveBpm, event.previousBpm.",
  'device.appeared': 'A device (player, mixer, rekordbox) joins the network. Fields: event.device, event.name, event.address.',
  'device.lost': 'A device has been silent for 10 s. Fields: event.device, event.name, event.address.',
};

export type EventName = keyof typeof EVENT_DESCRIPTIONS;

export const EVENT_NAMES = Object.keys(EVENT_DESCRIPTIONS) as [EventName, ...EventName[]];

/** Beats and phrase changes: the events whose instant can be predicted from tempo and phase. */
const BEAT_AND_PHRASE_EVENTS: readonly EventName[] = ['beat', 'downbeat', 'bar', 'phrase.start', 'phrase.end', 'phrase.fill'];

/** Events whose instant is predictable, so `lead` can fire them early. */
export const PREDICTABLE_EVENTS: readonly EventName[] = BEAT_AND_PHRASE_EVENTS;
/** Events that `confirm` can hold for the deck's status: beats and phrase changes can be predicted ahead of it. */
export const CONFIRMABLE_EVENTS: readonly EventName[] = BEAT_AND_PHRASE_EVENTS;
/** Events that `every` can thin out. */
export const COUNTABLE_EVENTS: readonly EventName[] = BEAT_AND_PHRASE_EVENTS;

/** The longest look-ahead a rule may ask for (ms). */
export const MAX_LEAD_MS = 4000;
