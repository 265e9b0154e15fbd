/**
 * A Link session timeline in virtual time, as the Link library keeps it: the
 * beat moves on at the tempo; a tempo change keeps the beat of that instant
 * and moves on at the new tempo; forcing a beat sets the beat of that instant.
 * A peer can change the tempo the same way.
 */
import type { LinkSample, LinkSession } from '../../../src/outputs/ableton-link/link-session';

export class VirtualLink implements LinkSession {
  private anchorAt: number;
  private anchorBeat: number;
  tempo: number;
  playing = false;
  peers = 0;
  closed = false;
  readonly tempoSets: number[] = [];
  forces = 0;
  readonly playSets: boolean[] = [];

  constructor(
    private readonly now: () => number,
    tempo = 120,
    beat = 0,
  ) {
    this.anchorAt = now();
    this.anchorBeat = beat;
    this.tempo = tempo;
  }

  beatAt(t: number): number {
    return this.anchorBeat + ((t - this.anchorAt) * this.tempo) / 60_000;
  }

  sample(): LinkSample {
    const at = this.now();
    return { at, beat: this.beatAt(at), tempo: this.tempo, playing: this.playing, peers: this.peers };
  }

  setTempo(bpm: number): void {
    this.tempoSets.push(bpm);
    this.retempo(bpm);
  }

  /** What another peer does when it changes the session tempo. */
  peerSetsTempo(bpm: number): void {
    this.retempo(bpm);
  }

  forceBeat(beat: number, at: number, bpm: number): void {
    this.forces++;
    const now = this.now();
    this.anchorBeat = beat + ((now - at) * bpm) / 60_000;
    this.anchorAt = now;
  }

  setPlaying(playing: boolean): void {
    this.playSets.push(playing);
    this.playing = playing;
  }

  close(): void {
    this.closed = true;
  }

  private retempo(bpm: number): void {
    const now = this.now();
    this.anchorBeat = this.beatAt(now);
    this.anchorAt = now;
    this.tempo = bpm;
  }
}
