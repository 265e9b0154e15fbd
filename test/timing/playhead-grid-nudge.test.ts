/**
 * The grid constant learned from status counters (no library grid) while the
 * jog wheel bends the playhead: the playhead model runs at the pitch and
 * stands on the least delayed of its recent packets, so while the deck runs
 * slow it reads the playhead a few milliseconds ahead. A status that arrives
 * then, just before a beat, must not bound the grid below where it is.
 */
import { DEFAULT_ESTIMATOR_OPTIONS } from '../../src/timing/estimator-options';
import { PlayheadGrid } from '../../src/timing/playhead-grid';

const TRACK_BPM = 120;
const K = TRACK_BPM / 60_000; // beats per track ms
const B0 = 0.3; // beat position = B0 + K · playhead ms
const START = 10_000;
const NUDGE_FROM = 13_000;
const NUDGE_TO = 13_600;
const NUDGE_SPEED = 0.965;

/** The playhead (track ms) at t: from 0 at START, at speed 1 but NUDGE_SPEED while nudged. */
function playheadMs(t: number): number {
  const slow = Math.max(0, Math.min(t, NUDGE_TO) - NUDGE_FROM);
  return t - START - slow * (1 - NUDGE_SPEED);
}

const position = (t: number): number => B0 + K * playheadMs(t);

/** When the deck reaches beat position `x` (bisection: the playhead only moves forward). */
function timeAt(x: number): number {
  let lo = START;
  let hi = START + 60_000;
  while (hi - lo > 1e-6) {
    const mid = (lo + hi) / 2;
    if (position(mid) < x) lo = mid;
    else hi = mid;
  }
  return hi;
}

it('keeps the grid where the truth is when a status lands just before a beat during a nudge', () => {
  const grid = new PlayheadGrid(DEFAULT_ESTIMATOR_OPTIONS);
  const statuses = [
    timeAt(3.02), // just after beat 3: the grid's lower end close below the truth
    timeAt(6.997), // 1.5 ms before beat 7, the deck slowed by the jog wheel
  ];
  expect(statuses[1]).toBeGreaterThan(NUDGE_FROM + 300);
  expect(statuses[1]).toBeLessThan(NUDGE_TO);
  const end = NUDGE_TO + 1500;
  const events: { at: number; feed: () => void }[] = [];
  for (let t = START; t <= end; t += 30) events.push({ at: t, feed: () => grid.observePlayhead({ at: t, ms: Math.round(playheadMs(t)), pitch: 1 }) });
  for (const at of statuses) {
    const beat = Math.floor(position(at));
    events.push({ at, feed: () => grid.observe({ at, beat, trackBpm: TRACK_BPM, trackId: 5, source: 'status' }) });
  }
  for (const e of events.sort((a, b) => a.at - b.at)) e.feed();

  const t = end;
  const estimate = grid.positionAt(t) as number;
  const halfWidth = grid.uncertaintyMs * K; // beats; the deck plays at speed 1 again
  expect(grid.ready(t)).toBe(true);
  expect(halfWidth).toBeLessThan(0.05); // the two statuses did narrow it
  expect(Math.abs(estimate - position(t))).toBeLessThanOrEqual(halfWidth);
});
