/**
 * A rig is what a scenario plays on: the OPUS-QUAD (four decks in one unit) or
 * two CDJs and a mixer. Deck commands go through it so every device that must
 * react (album art after a load, events for the log) hears about them.
 */
import type { SimDeck } from '../deck/deck';
import { pitchPercentFor, type SimTrack } from '../deck/track';
import type { EventSink, SimDevice } from './device';
import type { MasterControl } from './master-control';

export type RigKind = 'opus' | 'cdj-pair';

export interface SimRig {
  readonly kind: RigKind;
  readonly devices: readonly SimDevice[];
  /** By the deck number the bridge sees: 1–4 on the OPUS-QUAD, player numbers on CDJs. */
  readonly decks: ReadonlyMap<number, SimDeck>;
  readonly master: MasterControl;
  /** Load, play, stop, pitch, jump, loop and master commands, for every deck of the rig. */
  readonly commands: DeckCommands;
  /** Takes the whole rig off the network for `ms`; false when it cannot (only the OPUS-QUAD can). */
  restart(ms: number, now: number): boolean;
}

/** The deck commands every rig shares. */
export class DeckCommands {
  constructor(
    /** Names the device a deck belongs to, for the event log. */
    private readonly sourceOf: (deck: number) => string,
    readonly decks: ReadonlyMap<number, SimDeck>,
    readonly master: MasterControl,
    private readonly events: EventSink,
    private readonly onLoad: (deck: number, track: SimTrack, now: number) => void,
  ) {}

  load(deck: number, track: SimTrack, now: number): void {
    this.deck(deck).load(track, now);
    this.say(deck, now, 'track-load', `deck ${deck} loaded track ${track.id} "${track.title}" (${track.bpm} BPM, ${track.beats} beats)`, track.id);
    this.onLoad(deck, track, now);
  }

  /** Instant doubles: `deck` takes the track, place and pitch of deck `from`, playing if it plays (a load, and a play with it). */
  double(deck: number, from: number, now: number): void {
    const track = this.deck(from).trackAt(now);
    if (track === null) return;
    const wasPlaying = this.deck(deck).playingAt(now);
    const playing = this.deck(deck).double(this.deck(from), now);
    this.say(deck, now, 'track-load', `deck ${deck} doubles deck ${from}: track ${track.id} "${track.title}"`, track.id);
    if (playing !== wasPlaying) this.say(deck, now, playing ? 'play' : 'stop', `deck ${deck} ${playing ? 'plays' : 'stops'}`);
    // The playhead lands where the source's is, inside a beat as often as not: a jump, as far as the music goes.
    this.say(deck, now, 'jump', `deck ${deck} lands at beat ${this.deck(deck).positionAt(now).toFixed(2)}`);
    this.onLoad(deck, track, now);
  }

  play(deck: number, now: number): void {
    if (this.deck(deck).play(now)) this.say(deck, now, 'play', `deck ${deck} plays`);
  }

  /** A stopped master hands off, unasked, to a synced deck that plays (§6.3), the first by number. */
  stop(deck: number, now: number): void {
    this.deck(deck).stop(now);
    this.say(deck, now, 'stop', `deck ${deck} stops`);
    if (this.master.masterAt(now) !== deck) return;
    for (const [n, other] of this.decks) {
      const state = other.stateAt(now);
      if (n !== deck && state.synced && state.playing) {
        this.master.request(n, now);
        return;
      }
    }
  }

  /**
   * The pitch fader moved. On the master, every deck synced to it follows,
   * over the same time; a synced deck's own fader takes it out of sync (as
   * turning sync off to ride the pitch does).
   */
  pitch(deck: number, percent: number, now: number, overMs: number): void {
    const moved = this.deck(deck);
    if (moved.stateAt(now).synced) moved.unsync(now);
    moved.setPitch(percent, now, overMs);
    const how = overMs > 0 ? ` over ${overMs} ms` : '';
    this.say(deck, now, 'pitch', `deck ${deck} pitch ${percent >= 0 ? '+' : ''}${percent} %${how}`);
    const bpm = moved.trackAt(now)?.bpm;
    if (this.master.masterAt(now) !== deck || bpm === undefined) return;
    for (const [n, follower] of this.decks) {
      const track = follower.trackAt(now);
      if (n === deck || track === null || !follower.stateAt(now).synced) continue;
      follower.setPitch(pitchPercentFor(track, bpm * (1 + percent / 100)), now, overMs);
      this.say(n, now, 'pitch', `deck ${n} follows the master's tempo`);
    }
  }

  /** Beat Sync pressed on `deck`: it takes the master's tempo and, over `overMs`, its place in the beat (SimDeck.sync). On the master, or with none, it only shows sync on. */
  sync(deck: number, overMs: number, now: number): void {
    const master = this.master.masterAt(now);
    const synced = this.deck(deck);
    synced.sync(master === null ? synced : this.deck(master), overMs, now);
    this.say(deck, now, 'pitch', master === null || master === deck ? `deck ${deck} sync on` : `deck ${deck} syncs to deck ${master} over ${overMs} ms`);
  }

  nudge(deck: number, ms: number, overMs: number, now: number): void {
    this.deck(deck).nudge(ms, overMs, now);
    this.say(deck, now, 'pitch', `deck ${deck} nudged ${Math.abs(ms)} ms ${ms < 0 ? 'back' : 'on'} over ${overMs} ms`);
  }

  hold(deck: number, ms: number, now: number): void {
    this.deck(deck).hold(ms, now);
    this.say(deck, now, 'hold', `deck ${deck} held on the platter for ${ms} ms`);
  }

  jump(deck: number, beat: number, now: number): void {
    this.deck(deck).jump(beat, now);
    this.say(deck, now, 'jump', `deck ${deck} jumps to beat ${beat}`);
  }

  beatJump(deck: number, beats: number, now: number): void {
    this.deck(deck).beatJump(beats, now);
    this.say(deck, now, 'jump', `deck ${deck} jumps ${Math.abs(beats)} beats ${beats < 0 ? 'back' : 'on'}`);
  }

  loop(deck: number, startBeat: number, lengthBeats: number, now: number): void {
    this.deck(deck).setLoop(startBeat, lengthBeats, now);
    this.say(deck, now, 'loop', `deck ${deck} loops ${lengthBeats} beats from beat ${startBeat}`);
  }

  exitLoop(deck: number, now: number): void {
    this.deck(deck).exitLoop(now);
    this.say(deck, now, 'loop', `deck ${deck} leaves its loop`);
  }

  setMaster(deck: number, now: number): void {
    this.deck(deck);
    this.master.request(deck, now);
  }

  private deck(n: number): SimDeck {
    const deck = this.decks.get(n);
    if (deck === undefined) throw new RangeError(`this rig has no deck ${n} (decks: ${[...this.decks.keys()].join(', ')})`);
    return deck;
  }

  private say(deck: number, at: number, code: 'track-load' | 'play' | 'stop' | 'pitch' | 'jump' | 'hold' | 'loop', message: string, trackId?: number): void {
    this.events({ at, source: this.sourceOf(deck), code, message, deck, ...(trackId === undefined ? {} : { trackId }) });
  }
}
