import { editDistance } from './expr/names';

/**
 * The closest candidate for a mistyped YAML key or value, ignoring case, and
 * allowing a little more distance for longer words ("phrase.begin" →
 * "phrase.end").
 */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}
