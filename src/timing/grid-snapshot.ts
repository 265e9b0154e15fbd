/**
 * A BeatGridSource fed with snapshots: the latest grid somebody published,
 * extrapolated at its tempo to whatever time is asked. It carries a deck's
 * grid across a thread boundary (the clock thread) or decouples a consumer
 * from the estimator's update rate.
 */
import { BeatGrid, BeatGridSource, gridPositionAt } from './beat-grid';

export class SnapshotSource implements BeatGridSource {
  private latest: BeatGrid | null = null;

  /** Replaces the grid; null means "nothing to follow". */
  publish(grid: BeatGrid | null): void {
    this.latest = grid;
  }

  grid(at: number): BeatGrid | null {
    const g = this.latest;
    if (g === null) return null;
    return { ...g, at, position: gridPositionAt(g, at) };
  }
}
