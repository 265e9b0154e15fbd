/**
 * A live set as the engine sees it, for the engine throughput benchmark: four
 * OPUS decks playing at slightly different tempos, each with a phrase
 * structure (intro, up, chorus, down, verses, bridge, outro, then the next
 * track). Per deck and beat there is a beat event; phrase starts, fills and
 * ends fall on their beats; the DJ rides the pitch (a tempo event every few
 * beats); decks go off and on air, the master moves between decks and tracks
 * load now and then. Each event comes with the World the engine reads, updated
 * as the stream layer would (a new deck state per change).
 *
 * Deterministic: the same calls give the same events.
 */
import type { BridgeEvent } from '../../src/events/bridge-event';
import type { DeckState, PhraseInfo, PhraseMood } from '../../src/events/deck-state';
import type { World } from '../../src/mapping/expression-context';
import { seededRandom, type Random } from '../../src/timing/sim/prng';

export interface TimedInput {
  readonly event: BridgeEvent;
  readonly world: World;
}

interface PhraseShape {
  readonly kind: string;
  readonly family: string;
  readonly label: string;
  readonly mood: PhraseMood;
  readonly bars: number;
  readonly fill: boolean;
}

const TRACK_SHAPE: readonly PhraseShape[] = [
  { kind: 'intro', family: 'intro', label: 'Intro', mood: 'high', bars: 8, fill: false },
  { kind: 'up', family: 'up', label: 'Up', mood: 'high', bars: 8, fill: true },
  { kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'high', bars: 16, fill: true },
  { kind: 'down', family: 'down', label: 'Down', mood: 'high', bars: 8, fill: false },
  { kind: 'verse1', family: 'verse', label: 'Verse 1', mood: 'mid', bars: 16, fill: true },
  { kind: 'verse2', family: 'verse', label: 'Verse 2', mood: 'mid', bars: 8, fill: false },
  { kind: 'bridge', family: 'bridge', label: 'Bridge', mood: 'mid', bars: 8, fill: true },
  { kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'high', bars: 16, fill: true },
  { kind: 'outro', family: 'outro', label: 'Outro', mood: 'high', bars: 8, fill: false },
];
const TRACK_BEATS = TRACK_SHAPE.reduce((sum, p) => sum + p.bars * 4, 0);
const FILL_BEATS = 4;
const TEMPO_EVERY_BEATS = 3;
const AIR_EVERY_BEATS = 96;
const MASTER_EVERY_BEATS = 128;

/** Phrase at a beat of the track (1-based), as the phrase tracker reports it. */
function phraseAt(beat: number): PhraseInfo {
  let start = 1;
  for (let i = 0; i < TRACK_SHAPE.length; i++) {
    const shape = TRACK_SHAPE[i] as PhraseShape;
    const end = start + shape.bars * 4;
    if (beat < end || i === TRACK_SHAPE.length - 1) {
      return {
        index: i + 1,
        kind: shape.kind,
        family: shape.family,
        label: shape.label,
        mood: shape.mood,
        bank: 'default',
        startBeat: start,
        endBeat: end,
        bars: shape.bars,
        fillBeat: shape.fill ? end - FILL_BEATS : null,
      };
    }
    start = end;
  }
  throw new Error('unreachable');
}

interface DeckClock {
  readonly deck: number;
  /** Beat within the current track, 1-based. */
  beat: number;
  trackId: number;
  bpm: number;
  pitch: number;
  nextAt: number;
  onAir: boolean;
}

export class LiveSet {
  private readonly random: Random;
  private readonly clocks: DeckClock[];
  private decks = new Map<number, DeckState>();
  private masterDeck = 1;
  private beatsOnMaster = 0;

  constructor(seed = 7) {
    this.random = seededRandom(seed);
    this.clocks = [126, 128, 124, 130].map((bpm, i) => ({
      deck: i + 1,
      beat: 1 + Math.floor(this.random() * TRACK_BEATS),
      trackId: 1000 + i,
      bpm,
      pitch: 1,
      nextAt: 1000 + this.random() * 400,
      onAir: true,
    }));
    for (const c of this.clocks) this.decks.set(c.deck, this.stateOf(c, 0));
  }

  /** The next `count` events (or a few more: one beat's events stay together). */
  take(count: number): TimedInput[] {
    const out: TimedInput[] = [];
    while (out.length < count) this.step(out);
    return out;
  }

  private stateOf(c: DeckClock, at: number): DeckState {
    return {
      deck: c.deck,
      device: c.deck + 8,
      deviceName: 'OPUS-QUAD',
      trackId: c.trackId,
      trackDevice: c.deck,
      slot: 'usb',
      playState: 'playing',
      playing: true,
      moving: true,
      master: c.deck === this.masterDeck,
      handingTo: null,
      sync: false,
      onAir: c.onAir,
      bpm: c.bpm,
      pitch: c.pitch,
      effectiveBpm: c.bpm * c.pitch,
      beat: c.beat,
      beatInBar: ((c.beat - 1) % 4) + 1,
      phrase: phraseAt(c.beat),
      track: null,
      updatedAt: at,
    };
  }

  private world(): World {
    return { decks: this.decks, masterDeck: this.masterDeck };
  }

  private update(c: DeckClock, at: number): void {
    const decks = new Map(this.decks);
    decks.set(c.deck, this.stateOf(c, at));
    this.decks = decks;
  }

  private push(out: TimedInput[], event: BridgeEvent): void {
    out.push({ event, world: this.world() });
  }

  /** The earliest deck plays its next beat. */
  private step(out: TimedInput[]): void {
    const c = this.clocks.reduce((a, b) => (b.nextAt < a.nextAt ? b : a));
    const at = c.nextAt;
    const deck = c.deck;
    const previous = phraseAt(c.beat);
    c.beat = c.beat >= TRACK_BEATS ? 1 : c.beat + 1;
    if (c.beat === 1) {
      c.trackId++;
      this.update(c, at);
      this.push(out, { type: 'track.load', at, deck, trackId: c.trackId, previousTrackId: c.trackId - 1, track: null });
    }
    const phrase = phraseAt(c.beat);
    if (phrase.startBeat === c.beat) this.push(out, { type: 'phrase.end', at, deck, phrase: previous, estimated: true, late: false, coasting: false, confirmed: false });
    this.update(c, at);
    if (phrase.startBeat === c.beat) this.push(out, { type: 'phrase.start', at, deck, phrase, estimated: true, late: false, coasting: false, confirmed: false });
    if (phrase.fillBeat === c.beat) this.push(out, { type: 'phrase.fill', at, deck, phrase, estimated: true, late: false, coasting: false, confirmed: false });
    const effectiveBpm = c.bpm * c.pitch;
    this.push(out, { type: 'beat', at, deck, beat: c.beat, beatInBar: ((c.beat - 1) % 4) + 1, effectiveBpm, estimated: true, late: false, coasting: false });

    if (this.random() < 1 / TEMPO_EVERY_BEATS) {
      const before = effectiveBpm;
      c.pitch = Math.min(1.08, Math.max(0.92, c.pitch + (this.random() - 0.5) * 0.004));
      this.update(c, at + 1);
      this.push(out, { type: 'tempo', at: at + 1, deck, effectiveBpm: c.bpm * c.pitch, previousBpm: before });
    }
    if (this.random() < 1 / AIR_EVERY_BEATS) {
      c.onAir = !c.onAir;
      this.update(c, at + 2);
      this.push(out, { type: c.onAir ? 'onair' : 'offair', at: at + 2, deck });
    }
    if (deck === this.masterDeck && ++this.beatsOnMaster >= MASTER_EVERY_BEATS) {
      const previousDeck = this.masterDeck;
      this.masterDeck = (this.masterDeck % 4) + 1;
      this.beatsOnMaster = 0;
      const next = this.clocks[this.masterDeck - 1] as DeckClock;
      this.update(c, at + 3);
      this.update(next, at + 3);
      this.push(out, { type: 'master.change', at: at + 3, deck: this.masterDeck, previousDeck, effectiveBpm: next.bpm * next.pitch });
    }
    c.nextAt = at + 60_000 / effectiveBpm;
  }
}
