/**
 * Keeps one Link session on a deck: on each tick it reads the session,
 * asks the follower what to do against the deck's latest grid, and does it.
 * The owner publishes the grid whenever the deck's status or beats change
 * and calls tick() on a short interval; both run in the Link process
 * (link-host.ts), or in a test with a session of its own making.
 */
import type { BeatGrid } from '../../timing/beat-grid';
import { followDeck, type LinkDecision, type LinkFollowerOptions } from './link-follower';
import type { LinkSession } from './link-session';

/** What the driver tells its owner: peers joining or leaving, re-aligns, a peer's tempo taken back. */
export type LinkDriverEvent =
  | { readonly kind: 'peers'; readonly peers: number }
  | { readonly kind: 'realign'; readonly phaseErrorMs: number }
  | { readonly kind: 'tempo-restored'; readonly peerTempo: number; readonly tempo: number };

export class LinkDriver {
  private grid: BeatGrid | null = null;
  private peers = 0;
  /** The tempo this driver last gave the session; another one there came from a peer. */
  private ownTempo: number | null = null;

  constructor(
    private readonly session: LinkSession,
    private readonly options: LinkFollowerOptions,
    private readonly onEvent: (event: LinkDriverEvent) => void = () => undefined,
  ) {}

  /** The followed deck's grid (null: nothing to follow; the session keeps its tempo). */
  publish(grid: BeatGrid | null): void {
    this.grid = grid;
  }

  tick(): LinkDecision {
    const sample = this.session.sample();
    if (sample.peers !== this.peers) {
      this.peers = sample.peers;
      this.onEvent({ kind: 'peers', peers: sample.peers });
    }
    // A peer that changed the tempo has moved the session's phase too: both are set back at once.
    const own = this.ownTempo;
    const peerChanged = own !== null && Math.abs(sample.tempo - own) > this.options.tempoToleranceBpm;
    const options = peerChanged ? { ...this.options, realignMs: this.options.deadbandMs } : this.options;
    const decision = followDeck(this.grid, sample, options);
    if (decision.force !== null) {
      this.session.forceBeat(decision.force.beat, decision.force.at, decision.force.bpm);
      this.onEvent({ kind: 'realign', phaseErrorMs: decision.phaseErrorMs ?? 0 });
    }
    if (decision.tempo !== null) {
      if (peerChanged) this.onEvent({ kind: 'tempo-restored', peerTempo: sample.tempo, tempo: decision.tempo });
      this.session.setTempo(decision.tempo);
      this.ownTempo = decision.tempo;
    } else if (decision.kind !== 'idle') {
      this.ownTempo = sample.tempo;
    }
    if (decision.playing !== null) this.session.setPlaying(decision.playing);
    return decision;
  }

  close(): void {
    this.session.close();
  }
}
