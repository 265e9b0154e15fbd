import { DEFAULT_LINK_FOLLOWER, followDeck, nudgedTempo, type LinkFollowerOptions } from '../../../src/outputs/ableton-link/link-follower';
import { LinkDriver, type LinkDriverEvent } from '../../../src/outputs/ableton-link/link-driver';
import { mod, type BeatGrid } from '../../../src/timing/beat-grid';
import { VirtualLink } from './virtual-link';

const TICK_MS = 20;

/** A deck playing steadily from `position` at `at`: the grid the bridge would publish, with its phase shifted by `shiftMs`. */
interface Deck {
  at: number;
  position: number;
  bpm: number;
  barOffset: number | null;
  playing: boolean;
  shiftMs: number;
}

function deckPosition(d: Deck, t: number): number {
  return d.playing ? d.position + ((t - d.at) * d.bpm) / 60_000 : d.position;
}

function gridOf(d: Deck, t: number): BeatGrid {
  return { at: t, playing: d.playing, position: deckPosition(d, t + d.shiftMs), bpm: d.bpm, barOffset: d.barOffset, uncertaintyMs: 1 };
}

/** Deck minus session phase (ms), over the quantum with Link beat 0 on bar 1 of the deck's grid. */
function phaseErrorMs(d: Deck, link: VirtualLink, t: number): number {
  const shift = d.barOffset === null ? 0 : mod(1 - d.barOffset, 4);
  const song = deckPosition(d, t) - 1 + shift;
  const error = mod(song - link.beatAt(t) + 2, 4) - 2;
  return (error * 60_000) / d.bpm;
}

class Rig {
  t = 0;
  readonly link: VirtualLink;
  readonly driver: LinkDriver;
  readonly events: LinkDriverEvent[] = [];

  constructor(
    readonly deck: Deck,
    options: Partial<LinkFollowerOptions> = {},
    linkTempo = 120,
  ) {
    // The session was already going, out of phase with the deck.
    this.link = new VirtualLink(() => this.t, linkTempo, 0.37);
    this.driver = new LinkDriver(this.link, { ...DEFAULT_LINK_FOLLOWER, ...options }, (e) => this.events.push(e));
  }

  /** Runs ticks for `ms`, publishing the deck's grid before each, and calls `each` after each. */
  run(ms: number, each: (t: number) => void = () => undefined): void {
    const end = this.t + ms;
    while (this.t < end) {
      this.t += TICK_MS;
      this.driver.publish(gridOf(this.deck, this.t));
      this.driver.tick();
      each(this.t);
    }
  }

  error(): number {
    return phaseErrorMs(this.deck, this.link, this.t);
  }
}

describe('Link follower (virtual time)', () => {
  it('takes the deck tempo and phase at once, then holds them exactly with no further changes', () => {
    const rig = new Rig({ at: 0, position: 17.3, bpm: 128, barOffset: 1, playing: true, shiftMs: 0 });
    rig.run(TICK_MS);
    expect(rig.link.tempo).toBe(128);
    expect(rig.link.forces).toBe(1);
    expect(Math.abs(rig.error())).toBeLessThan(1e-6);
    const sets = rig.link.tempoSets.length;
    const errors: number[] = [];
    rig.run(60_000, () => errors.push(Math.abs(rig.error())));
    expect(Math.max(...errors)).toBeLessThan(1e-6);
    expect(rig.link.tempoSets.length).toBe(sets);
    expect(rig.link.forces).toBe(1);
  });

  it('puts bar 1 of the deck grid on Link phase 0 (quantum 4), whatever the bar offset', () => {
    for (const barOffset of [0, 1, 2, 3]) {
      const rig = new Rig({ at: 0, position: 10, bpm: 120, barOffset, playing: true, shiftMs: 0 });
      rig.run(1000);
      // The next downbeat of the deck: beat n with n ≡ barOffset (mod 4).
      const downbeat = 12 + mod(barOffset - 12, 4);
      const at = ((downbeat - 10) * 60_000) / 120;
      expect(mod(rig.link.beatAt(at) + 1e-9, 4)).toBeLessThan(1e-6);
    }
  });

  it('without known bars aligns the beat only and keeps the session bar phase', () => {
    const rig = new Rig({ at: 0, position: 5.25, bpm: 120, barOffset: null, playing: true, shiftMs: 0 });
    const before = rig.link.beatAt(TICK_MS);
    rig.run(TICK_MS);
    const after = rig.link.beatAt(rig.t);
    expect(mod(after - 5.25 - (TICK_MS * 2) / 1000 + 1e-9, 1)).toBeLessThan(1e-6); // beat phase is the deck's
    expect(Math.abs(after - before)).toBeLessThanOrEqual(0.5); // moved by at most half a beat, not to another bar
  });

  it('nudges a small phase error away with a bounded tempo bend, never jumping', () => {
    const rig = new Rig({ at: 0, position: 1, bpm: 125, barOffset: 1, playing: true, shiftMs: 0 });
    rig.run(2000);
    const forces = rig.link.forces;
    // The grid estimate moves 12 ms later (a corrected phase): below the re-align threshold.
    rig.deck.shiftMs = -12;
    let largestBend = 0;
    const errors: number[] = [];
    rig.run(20_000, () => {
      largestBend = Math.max(largestBend, Math.abs(rig.link.tempo - 125));
      // Against the deck as the grid now has it.
      errors.push(Math.abs(phaseErrorMs({ ...rig.deck, position: rig.deck.position - (12 * 125) / 60_000 }, rig.link, rig.t)));
    });
    expect(rig.link.forces).toBe(forces);
    expect(largestBend).toBeGreaterThan(0);
    expect(largestBend).toBeLessThanOrEqual(125 * DEFAULT_LINK_FOLLOWER.maxNudge + 1e-9);
    // The phase error falls steadily from 12 ms into the dead band, and the tempo is the deck's again.
    expect(errors[0]).toBeGreaterThan(11);
    for (let i = 1; i < errors.length; i++) expect(errors[i] as number).toBeLessThanOrEqual((errors[i - 1] as number) + 1e-9);
    expect(errors.at(-1)).toBeLessThanOrEqual(DEFAULT_LINK_FOLLOWER.deadbandMs + 0.01);
    expect(rig.link.tempo).toBe(125);
    const settledAt = errors.findIndex((e) => e <= DEFAULT_LINK_FOLLOWER.deadbandMs);
    process.stdout.write(`nudge: 12 ms removed in ${((settledAt + 1) * TICK_MS / 1000).toFixed(2)} s, largest bend ${largestBend.toFixed(3)} BPM\n`);
  });

  it('re-aligns at once when the deck jumps, and holds the new phase', () => {
    const rig = new Rig({ at: 0, position: 33, bpm: 124, barOffset: 1, playing: true, shiftMs: 0 });
    rig.run(3000);
    expect(rig.link.forces).toBe(1);
    // A loop back by 7 beats: the phase within the bar moves by a beat.
    rig.deck.position = deckPosition(rig.deck, rig.t) - 7;
    rig.deck.at = rig.t;
    rig.run(TICK_MS);
    expect(rig.link.forces).toBe(2);
    expect(rig.events.filter((e) => e.kind === 'realign')).toHaveLength(2);
    expect(Math.abs(rig.error())).toBeLessThan(1e-6);
    rig.run(5000);
    expect(rig.link.forces).toBe(2);
    expect(Math.abs(rig.error())).toBeLessThan(1e-6);
  });

  it('sets the tempo back at the next update when a peer changes it, and nudges out the drift', () => {
    const rig = new Rig({ at: 0, position: 1, bpm: 128, barOffset: 1, playing: true, shiftMs: 0 });
    rig.run(2000);
    rig.link.peers = 1;
    rig.run(TICK_MS);
    // Between two updates, a peer (Live, say) sets 140 BPM.
    rig.t += 10;
    rig.link.peerSetsTempo(140);
    rig.t -= 10;
    rig.run(TICK_MS);
    expect(rig.link.tempo).toBeCloseTo(128, 9);
    expect(rig.events).toContainEqual({ kind: 'tempo-restored', peerTempo: 140, tempo: expect.any(Number) });
    expect(rig.events).toContainEqual({ kind: 'peers', peers: 1 });
    // 10 ms at 140 instead of 128 BPM left the session 0.94 ms ahead: inside the dead band, no jump.
    expect(rig.link.forces).toBe(1);
    expect(Math.abs(rig.error())).toBeLessThan(DEFAULT_LINK_FOLLOWER.deadbandMs);
    // 150 ms at 140 BPM: 15.6 ms ahead, below the re-align threshold, but a peer's change is set back at once, phase too.
    rig.link.peerSetsTempo(140);
    rig.t += 150;
    rig.run(TICK_MS);
    expect(rig.link.tempo).toBe(128);
    expect(rig.link.forces).toBe(2);
    expect(Math.abs(rig.error())).toBeLessThan(1e-6);
    // A peer that keeps 140 for half a second pushes the phase 47 ms ahead: that is re-aligned.
    rig.link.peerSetsTempo(140);
    rig.t += 500;
    rig.run(TICK_MS);
    expect(rig.link.tempo).toBe(128);
    expect(rig.link.forces).toBe(3);
    expect(Math.abs(rig.error())).toBeLessThan(1e-6);
  });

  it('follows tempo changes without phase jumps', () => {
    const rig = new Rig({ at: 0, position: 1, bpm: 120, barOffset: 1, playing: true, shiftMs: 0 });
    rig.run(1000);
    rig.deck.position = deckPosition(rig.deck, rig.t);
    rig.deck.at = rig.t;
    rig.deck.bpm = 121.5;
    rig.run(5000);
    expect(rig.link.tempo).toBe(121.5);
    expect(rig.link.forces).toBe(1);
    expect(Math.abs(rig.error())).toBeLessThan(DEFAULT_LINK_FOLLOWER.deadbandMs);
  });

  it('starts and stops the session with the deck only with start/stop sync', () => {
    for (const startStopSync of [true, false]) {
      const rig = new Rig({ at: 0, position: 1, bpm: 120, barOffset: 1, playing: false, shiftMs: 0 }, { startStopSync });
      rig.run(200);
      rig.deck.playing = true;
      rig.deck.at = rig.t;
      rig.run(200);
      rig.deck.position = deckPosition(rig.deck, rig.t);
      rig.deck.playing = false;
      rig.run(200);
      expect(rig.link.playSets).toEqual(startStopSync ? [true, false] : []);
      // A stopped deck still gives its tempo, but no phase.
      expect(rig.link.tempo).toBe(120);
    }
  });

  it('leaves the session alone with nothing to follow, and the phase alone while it is unknown', () => {
    const link = new VirtualLink(() => 0, 120);
    expect(followDeck(null, link.sample(), DEFAULT_LINK_FOLLOWER)).toEqual({ kind: 'idle', tempo: null, force: null, playing: null, phaseErrorMs: null });
    const unknownPhase: BeatGrid = { at: 0, playing: true, position: 3, bpm: 126, barOffset: 1, uncertaintyMs: null };
    expect(followDeck(unknownPhase, link.sample(), DEFAULT_LINK_FOLLOWER)).toEqual({ kind: 'tempo', tempo: 126, force: null, playing: null, phaseErrorMs: null });
  });

  it('bounds every nudge, both ways', () => {
    const o = DEFAULT_LINK_FOLLOWER;
    expect(nudgedTempo(120, 0.001, o)).toBeCloseTo(120 + (0.001 * 60_000) / o.horizonMs, 9);
    expect(nudgedTempo(120, 1, o)).toBeCloseTo(120 * (1 + o.maxNudge), 9);
    expect(nudgedTempo(120, -1, o)).toBeCloseTo(120 * (1 - o.maxNudge), 9);
  });
});
