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
const CUE_FIELDS = 'event.cue (name, kind: memory or hot, hotCue, hotCueLetter, color, timeMs, beat) and the flags estimated, late, confirmed, coasting';
const PHRASE_FIELDS = 'event.phrase (kind, family, label, mood, bank, bars …) and the flags estimated, late, confirmed, coasting';

/** How often a rule on position fires per deck without a throttle: 10 a second. */
export const POSITION_DEFAULT_THROTTLE_MS = 100;

/** Every rule event, in the order editors list them. */
export const EVENT_DESCRIPTIONS: Readonly<Record<BridgeEventType | BeatDerivedEvent, string>> = {
  beat: `Every beat of a playing deck: real beat packets from CDJs, estimated from status packets for the OPUS-QUAD. Fields: ${BEAT_FIELDS}.`,
  downbeat: `Beat 1 of each bar of a playing deck. Fields as for beat: ${BEAT_FIELDS}.`,
  bar: `Beat 1 of each bar; with every: N, every Nth bar of the track's beat grid (every: 4 fires on bars 1, 5, 9 …). Fields as for beat.`,
  'phrase.start': `A playing deck enters a rekordbox phrase (intro, verse, chorus …). Fields: ${PHRASE_FIELDS}.`,
  'phrase.end': `A playing deck leaves the phrase it was in. Fields: ${PHRASE_FIELDS}.`,
  'phrase.fill': `A playing deck reaches the fill-in beats at the end of its phrase. Fields: ${PHRASE_FIELDS}.`,
  cue: `A playing deck reaches a memory cue or hot cue placed in rekordbox (needs the USB export as the library, to know the track's cues). Fields: ${CUE_FIELDS}.`,
  'track.load': 'A deck loads a track. Fields: event.trackId, event.previousTrackId.',
  'track.unload': 'A deck unloads its track. Fields: event.trackId, event.previousTrackId.',
  play: 'A deck starts playing.',
  stop: 'A deck stops playing (pause, cue, end of track).',
  onair: "The mixer puts a deck's channel on air: it can be heard in the mix.",
  offair: "The mixer takes a deck's channel off air.",
  'master.change': 'The tempo master moves to another deck. Fields: event.deck (the new master, or null), event.previousDeck, event.effectiveBpm.',
  tempo: "A deck's effective tempo (track BPM × pitch) changes; add a throttle, it can change many times a second. Fields: event.effectiveBpm, event.previousBpm.",
  position:
    `A playing deck's position, sampled: one event per playing deck every ${POSITION_DEFAULT_THROTTLE_MS} ms (${1000 / POSITION_DEFAULT_THROTTLE_MS} a second), or every throttle when the rule has one (per deck; the shortest throttle of the rules on position sets the sampling); none while the deck is stopped. Fields: event.positionMs (ms into the track), event.timelineMs and event.timecode (HH:MM:SS:FF: the timeline the timecode outputs send, with the track's offset), event.rate, event.beat (on the beat grid, 129.5 is half-way to beat 130), event.effectiveBpm, event.estimated (from the beat grid, not precise position packets).`,
  'device.appeared': 'A device (player, mixer, rekordbox) joins the network. Fields: event.device, event.name, event.address.',
  'device.lost': 'A device has been silent for 10 s. Fields: event.device, event.name, event.address.',
};

export type EventName = keyof typeof EVENT_DESCRIPTIONS;

export const EVENT_NAMES = Object.keys(EVENT_DESCRIPTIONS) as [EventName, ...EventName[]];

/** Beats and phrase changes: the events whose instant can be predicted from tempo and phase. */
const BEAT_AND_PHRASE_EVENTS: readonly EventName[] = ['beat', 'downbeat', 'bar', 'phrase.start', 'phrase.end', 'phrase.fill'];

/** Events whose instant is predictable, so `lead` can fire them early. */
export const PREDICTABLE_EVENTS: readonly EventName[] = [...BEAT_AND_PHRASE_EVENTS, 'cue'];
/** Events that `confirm` can hold for the deck's status: beats and phrase changes can be predicted ahead of it. */
export const CONFIRMABLE_EVENTS: readonly EventName[] = BEAT_AND_PHRASE_EVENTS;
/** Events that `every` can thin out. */
export const COUNTABLE_EVENTS: readonly EventName[] = BEAT_AND_PHRASE_EVENTS;

/** The longest look-ahead a rule may ask for (ms). */
export const MAX_LEAD_MS = 4000;
