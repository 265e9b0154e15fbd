import type { TrackInfo } from '../../src/events/deck-state';
/**
 * Known monitor states for the renderer tests: an OPUS-QUAD mid-set.
 */
import type { DeckView, MonitorState, TailEntry } from '../../src/monitor/monitor-state';
import { initialMonitorState } from '../../src/monitor/monitor-state';
import type { BeatEvent } from '../../src/events/bridge-event';

/** 21:30:00 UTC on 1 January 2025; the monitor started then. */
export const T0 = Date.UTC(2025, 0, 1, 21, 30, 0);

export function deckView(over: Partial<DeckView> & Pick<DeckView, 'deck'>): DeckView {
  return {
    trackId: null,
    title: null,
    playState: 'empty',
    playing: false,
    bpm: null,
    pitchPercent: 0,
    effectiveBpm: null,
    beat: null,
    beatInBar: null,
    bar: null,
    phrase: null,
    master: false,
    onAir: false,
    sync: false,
    estimated: null,
    seenAt: T0 + 42_000,
    ...over,
  };
}

export const MASTER_DECK = deckView({
  deck: 1,
  trackId: 501,
  playState: 'playing',
  playing: true,
  bpm: 124,
  pitchPercent: 1.59,
  effectiveBpm: 125.9716,
  beat: 129,
  beatInBar: 1,
  bar: 33,
  phrase: { label: 'Chorus 1', kind: 'chorus', startBeat: 129, endBeat: 193, progress: 1 / 64 },
  master: true,
  onAir: true,
  estimated: true,
});

export const OTHER_DECK = deckView({
  deck: 2,
  trackId: 502,
  playState: 'paused',
  bpm: 126,
  pitchPercent: -1.59,
  effectiveBpm: 123.9966,
  beat: 100,
  beatInBar: 4,
  bar: 25,
  phrase: { label: 'Verse 2', kind: 'verse2', startBeat: 65, endBeat: 129, progress: 36 / 64 },
  sync: true,
  onAir: true,
  estimated: true,
});

export const EMPTY_DECK = deckView({ deck: 3 });

/** A track playing with no phrase data (not analysed, or no lighting mode). */
export const NO_PHRASE_DECK = deckView({
  deck: 4,
  trackId: 123456,
  playState: 'playing',
  playing: true,
  bpm: 122,
  effectiveBpm: 122,
  beat: 17,
  beatInBar: 1,
  bar: 5,
  estimated: true,
});

const beat: BeatEvent = { type: 'beat', at: 0, deck: 1, beat: 129, beatInBar: 1, effectiveBpm: 125.97, estimated: true, late: false, coasting: false };

export const TAIL: readonly TailEntry[] = [
  { kind: 'message', from: 'bridge', at: T0 + 1_200, level: 'info', message: 'OPUS-QUAD heard at 169.254.40.9: joining in lighting mode', detail: '' },
  { kind: 'message', from: 'log', at: T0 + 1_900, level: 'info', message: 'phrase data received', detail: 'deck=1 trackId=501 phrases=14 mood=mid' },
  {
    kind: 'fired',
    at: T0 + 41_600,
    rule: 'every beat of the master',
    event: beat,
    sent: ['show /bridge/beat int:1 bool:true'],
    count: 57,
  },
  {
    kind: 'fired',
    at: T0 + 41_600,
    rule: 'when the master deck reaches the chorus, flash every fixture',
    event: beat,
    sent: ['show /bridge/flash int:1', 'lights note 60 vel 127 ch 1 for 100 ms'],
    count: 1,
  },
  { kind: 'message', from: 'bridge', at: T0 + 42_100, level: 'warn', message: 'target "lights" is not open; rule "x" could not send', detail: '(3 more like it held back)' },
];

export function clubState(over: Partial<MonitorState> = {}): MonitorState {
  return {
    ...initialMonitorState('simulator "club"', T0),
    mode: 'lighting mode',
    decks: [MASTER_DECK, OTHER_DECK, EMPTY_DECK, NO_PHRASE_DECK],
    devices: [{ device: 9, name: 'OPUS-QUAD', address: '169.254.40.9', mac: '02:50:a9:fe:28:09', type: 'player', isOpus: true, lastSeen: 0 }],
    master: { deck: 1, effectiveBpm: 125.9716, at: 0 },
    counters: { packets: 12345, malformed: 2, events: 678, sent: 90, unsent: 0 },
    tail: TAIL,
    ...over,
  };
}

/** Demo Track 1 of the fixture export, as a deck's matched library track. */
export const DEMO_TRACK: TrackInfo = {
  id: 1,
  title: 'Demo Track 1',
  artist: 'Loopmasters',
  album: '',
  genre: '',
  key: 'Fm',
  color: '',
  rating: 0,
  comment: '',
  durationSeconds: 172,
  match: 'phrase-fingerprint',
  source: '/usb',
};
