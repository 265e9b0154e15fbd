/**
 * Names: the ones no lookup may ever use, and "did you mean" hints for the
 * ones that are misspelt.
 */

/** Never resolved, neither in a scope description nor in a context object. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

export function isForbiddenName(name: string): boolean {
  return FORBIDDEN_NAMES.has(name);
}

/** A suggestion is offered only within this many single-character edits. */
export const SUGGESTION_DISTANCE = 2;

/** Levenshtein distance (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  const row: number[] = [];
  for (let j = 0; j <= b.length; j++) row.push(j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0] ?? 0;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j] ?? 0;
      const left = row[j - 1] ?? 0;
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      row[j] = Math.min(above + 1, left + 1, diagonal + cost);
      diagonal = above;
    }
  }
  return row[b.length] ?? 0;
}

/** The nearest candidate within SUGGESTION_DISTANCE; the earliest wins a tie. */
export function didYouMean(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = SUGGESTION_DISTANCE + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * The parenthesised tail of an "unknown name" message:
 * `(did you mean "deck"? known: deck, master, event)`.
 */
export function hint(word: string, candidates: readonly string[], extra: string | null = null): string {
  const parts: string[] = [];
  const suggestion = didYouMean(word, candidates);
  if (suggestion !== null) parts.push(`did you mean "${suggestion}"?`);
  if (extra !== null) parts.push(extra);
  parts.push(candidates.length === 0 ? 'none are available here' : `known: ${candidates.join(', ')}`);
  return `(${parts.join(' ')})`;
}
