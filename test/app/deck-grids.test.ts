/**
 * DeckGrids for a CDJ-3000: status packets, real beat packets and precise
 * positions in, the grid a MIDI clock or look-ahead rule follows out. Beat
 * events stay those of the beat packets; the precise positions make the grid
 * exact the moment the deck jumps, before any beat packet shows it.
 */
import { from, lastValueFrom, toArray } from 'rxjs';
import { DeckGrids } from '../../src/app/deck-grids';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import type { GridBeat } from '../../src/library/library-track';
import { toDeckStates } from '../../src/streams/deck-states';
import { gridPositionAt } from '../../src/timing/beat-grid';
import { SimDeck } from '../../src/timing/sim/sim-deck';
import { simulatePlayhead, simulateStatus } from '../../src/timing/sim/status-sim';
import { received } from '../streams/status-bytes';

const DECK = 3;
const TRACK_BPM = 128;
const PITCH = 1.02;
const JUMP_AT = 20_000;

type Input = { readonly at: number; readonly feed: (grids: DeckGrids) => void };

async function inputs(deck: SimDeck, withPrecise: boolean): Promise<Input[]> {
  const statuses = simulateStatus(deck, 0, 30_000, { seed: 3 }).map((o) =>
    received({ name: 'CDJ-3000', device: DECK, trackId: 9, bpm: TRACK_BPM, pitch: PITCH, playing: o.playing, beat: o.beat, beatInBar: o.beatInBar ?? 0 }, o.at),
  );
  const states: DeckState[] = await lastValueFrom(from(statuses).pipe(toDeckStates(), toArray()));
  const out: Input[] = states.map((s) => ({ at: s.updatedAt, feed: (g) => g.observeStatus(s) }));
  // Beat packets, numbered as the real-beat stream numbers them, 0.4 ms after each beat.
  for (let b = deck.nextBeatAfter(0); b !== null && b.at < 30_000; b = deck.nextBeatAfter(b.at)) {
    const event: BeatEvent = { type: 'beat', at: b.at + 0.4, deck: DECK, beat: b.beat, beatInBar: ((b.beat - 1) % 4) + 1, effectiveBpm: TRACK_BPM * PITCH, estimated: false, late: false, coasting: false };
    out.push({ at: event.at, feed: (g) => g.observeBeat(event) });
  }
  if (withPrecise) {
    for (const p of simulatePlayhead(deck, 0, 30_000, { seed: 3, trackBpm: TRACK_BPM, firstBeatMs: 44 })) {
      out.push({ at: p.at, feed: (g) => g.observePrecise({ deck: DECK, ...p }) });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** |grid position − true position| in ms at each instant, from what arrived before it. */
async function phaseErrors(withPrecise: boolean, at: readonly number[], grids = new DeckGrids()): Promise<number[]> {
  const deck = new SimDeck({ at: 0, position: 1.2, bpm: TRACK_BPM * PITCH, playing: true, barOffset: 1 }, [{ at: JUMP_AT, kind: 'jump', position: 200.5 }]);
  const list = await inputs(deck, withPrecise);
  let i = 0;
  return at.map((t) => {
    for (; i < list.length && (list[i] as Input).at <= t; i++) (list[i] as Input).feed(grids);
    const grid = grids.grid(DECK, t);
    const position = grid === null ? null : gridPositionAt(grid, t);
    return position === null ? Infinity : (Math.abs(position - deck.positionAt(t)) * 60_000) / (TRACK_BPM * PITCH);
  });
}

describe('DeckGrids for a CDJ-3000', () => {
  it('keeps the phase within a millisecond from beat packets, with or without precise positions', async () => {
    const times = [15_000, 16_123, 17_456, 18_999];
    for (const withPrecise of [false, true]) for (const e of await phaseErrors(withPrecise, times)) expect(e).toBeLessThan(1.5);
  });

  it('is on the new position at once after a jump with precise positions; from packets alone only once beat packets re-anchor it', async () => {
    // 120 ms after a jump that lands half-way between beats: no beat packet has come from the new position yet.
    const times = [JUMP_AT + 120, JUMP_AT + 180];
    const precise = await phaseErrors(true, times);
    const packetsOnly = await phaseErrors(false, times);
    for (const e of precise) expect(e).toBeLessThan(1.5);
    for (const e of packetsOnly) expect(e).toBeGreaterThan(50);
  });

  it("places the grid exactly from the first precise positions when the library knows the track's grid", async () => {
    // Track 9's grid as its analysis would have it: beat 1 at 44 ms, 128 BPM, whole milliseconds.
    const trackGrid: GridBeat[] = Array.from({ length: 600 }, (_, i) => ({ beatInBar: (i % 4) + 1, timeMs: Math.round(44 + (i * 60_000) / TRACK_BPM), bpm: TRACK_BPM }));
    const early = [150, 250, 350, 450];
    const library = await phaseErrors(true, early, new DeckGrids((deck, trackId) => (deck === DECK && trackId === 9 ? trackGrid : null)));
    for (const e of library) expect(e).toBeLessThan(2);
    const learned = await phaseErrors(true, early);
    expect(Math.max(...learned)).toBeGreaterThan(2);
  });
});
