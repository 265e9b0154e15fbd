/**
 * The deck timing's quick questions about its grid (playingBpmAt,
 * coastingAt, hasGrid) answer what grid(at) says, at every instant: while
 * the deck plays, pauses, jumps, goes unheard (coasting, then nothing), and
 * with precise positions.
 */
import { DeckTiming } from '../../src/timing/deck-timing';
import { SimDeck, type DeckEvent } from '../../src/timing/sim/sim-deck';
import { simulatePlayhead, simulateStatus } from '../../src/timing/sim/status-sim';

const TRACK_BPM = 124;

type Observation = { readonly kind: 'status'; readonly o: ReturnType<typeof simulateStatus>[number] } | { readonly kind: 'playhead'; readonly o: ReturnType<typeof simulatePlayhead>[number] };

/** Checks every 7 ms up to `until`; returns how often each kind of grid was seen. */
function check(timing: DeckTiming, list: readonly Observation[], until: number): Record<'none' | 'paused' | 'playing' | 'coasting' | 'precise', number> {
  const seen = { none: 0, paused: 0, playing: 0, coasting: 0, precise: 0 };
  let next = 0;
  for (let t = 0; t <= until; t += 7) {
    for (; next < list.length && (list[next] as Observation).o.at <= t; next++) {
      const x = list[next] as Observation;
      if (x.kind === 'status') timing.observe(x.o);
      else timing.observePlayhead(x.o);
    }
    const grid = timing.grid(t);
    expect([t, timing.hasGrid(t)]).toEqual([t, grid !== null]);
    expect([t, timing.playingBpmAt(t)]).toEqual([t, grid !== null && grid.playing ? grid.bpm : null]);
    expect([t, timing.coastingAt(t)]).toEqual([t, grid?.coasting === true]);
    if (grid === null) seen.none++;
    else if (!grid.playing) seen.paused++;
    else if (grid.coasting === true) seen.coasting++;
    else seen.playing++;
    if (timing.precise(t)) seen.precise++;
  }
  return seen;
}

describe('DeckTiming grid queries', () => {
  const events: DeckEvent[] = [
    { at: 8_000, kind: 'jump', position: 120 },
    { at: 12_000, kind: 'pause' },
    { at: 14_000, kind: 'play' },
    { at: 18_000, kind: 'tempo', bpm: 131 },
  ];

  it('answer as grid(at) from status packets, through a jump, a stop, a tempo change and an outage', () => {
    const deck = new SimDeck({ at: 0, position: 1.3, bpm: TRACK_BPM, playing: true, barOffset: 1 }, events);
    // Unheard from 22 s on: the grid coasts, then there is none.
    const status = simulateStatus(deck, 0, 22_000, { seed: 3 }).map((o): Observation => ({ kind: 'status', o: { ...o, trackBpm: TRACK_BPM, trackId: 7 } }));
    const seen = check(new DeckTiming(), status, 40_000);
    expect(Math.min(seen.none, seen.paused, seen.playing, seen.coasting)).toBeGreaterThan(10);
  });

  it('answer as grid(at) with precise positions', () => {
    const deck = new SimDeck({ at: 0, position: 1.3, bpm: TRACK_BPM, playing: true, barOffset: 1 }, events);
    const status = simulateStatus(deck, 0, 22_000, { seed: 5 }).map((o): Observation => ({ kind: 'status', o: { ...o, trackBpm: TRACK_BPM, trackId: 7 } }));
    const playhead = simulatePlayhead(deck, 0, 22_000, { seed: 5, trackBpm: TRACK_BPM, firstBeatMs: 37 }).map((o): Observation => ({ kind: 'playhead', o }));
    const list = [...status, ...playhead].sort((a, b) => a.o.at - b.o.at);
    const seen = check(new DeckTiming(), list, 40_000);
    expect(Math.min(seen.none, seen.paused, seen.playing, seen.precise)).toBeGreaterThan(10);
  });
});
