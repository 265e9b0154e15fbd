/**
 * Monotonic time in milliseconds. Production reads process.hrtime, which is
 * process-wide: the main thread and worker threads see the same time base,
 * so an arrival stamped on one can be scheduled against on the other.
 */
export interface MonotonicClock {
  now(): number;
}

const NS_PER_MS = 1e6;

/** process.hrtime as fractional milliseconds (sub-microsecond resolution for months of uptime). */
export const hrtimeClock: MonotonicClock = {
  now: () => Number(process.hrtime.bigint()) / NS_PER_MS,
};
