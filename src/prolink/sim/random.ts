/**
 * A small seeded pseudo-random source (xorshift32 with a splitmix-style seed
 * scramble), so every simulated run with the same seed sends the same bytes at
 * the same times.
 */
export type Random = () => number;

/** Uniform in [0, 1), fully determined by `seed`. */
export function seededRandom(seed: number): Random {
  let state = (Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b) ^ 0x27d4eb2f) >>> 0;
  if (state === 0) state = 0x1234567;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** Uniform in [lo, hi). */
export function between(random: Random, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}
