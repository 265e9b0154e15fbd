/**
 * Where a rule keeps its throttle time and every-N count in the engine's
 * memory. A rule on `position` keeps one throttle time per deck, so its
 * throttle limits each deck's samples: with one time for all decks, the
 * deck sampled first would take every turn and the others none.
 */
import type { CompiledRule } from './compiled-mapping';
import { DECK_NUMBERS } from './schema-values';

/** How many slots a rule with memory takes. */
export function memorySlotsOf(rule: Pick<CompiledRule, 'on'>): number {
  return rule.on === 'position' ? DECK_NUMBERS.length : 1;
}

/** The slot of a rule for an event of `deck`; -1 for a rule without memory. */
export function memorySlotFor(rule: Pick<CompiledRule, 'on' | 'memorySlot'>, deck: number | null): number {
  if (rule.memorySlot === null) return -1;
  if (rule.on !== 'position' || deck === null) return rule.memorySlot;
  return rule.memorySlot + Math.min(Math.max(Math.trunc(deck), 1), DECK_NUMBERS.length) - 1;
}
