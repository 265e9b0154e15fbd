/**
 * When a status packet says nothing new to a stream that beat events lead.
 * Beat events come on the instant (real ones as the deck sends them,
 * estimated ones when the estimate says); statuses come every couple of
 * hundred milliseconds and show a beat counter the deck had when it sent
 * them. Two cases leave a status with nothing to add:
 *
 * - it shows the beat the last beat event showed, or one either side, soon
 *   after it: the beat event already said it (`ledByBeat`);
 * - a beat event went back (a loop wrap the beat stream predicted) and the
 *   status shows the beat the deck wrapped from, within a beat of the wrap:
 *   the deck sent it before it wrapped (`sentBeforeWrap`). Taken at its word
 *   it would move the deck back to the loop's end, and the next status would
 *   land on the loop's start a second time.
 */
import type { DeckState } from '../events/deck-state';
import { DEFAULT_ESTIMATOR_OPTIONS } from '../timing/estimator-options';

/**
 * A status still showing the beat before a beat event this long or more
 * after that event's instant shows the deck had not got there (ms): a status
 * sent just before the beat arrives well within it, even over a busy link.
 * The estimate's lateToleranceMs, past which it takes such a counter for a
 * move rather than a late packet.
 */
export const SHORT_OF_BEAT_AFTER_MS = DEFAULT_ESTIMATOR_OPTIONS.lateToleranceMs;

/** A status within this long of the last beat event, and within a beat of it, is already covered by it (ms). */
export const LED_WITHIN_MS = 1000;

/** The beat events a deck has had, as far as status staleness goes. */
export interface BeatLead {
  /** The last beat event's number, null when none. */
  beat: number | null;
  /** Its instant. */
  at: number;
  /** The beat the last backward beat event left (a wrap), null when none. */
  wrappedFrom: number | null;
  /** That beat event's instant. */
  wrappedAt: number;
}

export function noBeatLead(): BeatLead {
  return { beat: null, at: -Infinity, wrappedFrom: null, wrappedAt: -Infinity };
}

/** Notes a beat event. */
export function followBeat(lead: BeatLead, beat: number, at: number): void {
  if (lead.beat !== null && beat < lead.beat) {
    lead.wrappedFrom = lead.beat;
    lead.wrappedAt = at;
  }
  lead.beat = beat;
  lead.at = at;
}

/** The status shows what the last beat event showed: the same beat or one either side, within LED_WITHIN_MS. */
export function ledByBeat(lead: BeatLead, s: DeckState): boolean {
  return lead.beat !== null && s.beat !== null && s.updatedAt - lead.at < LED_WITHIN_MS && Math.abs(s.beat - lead.beat) <= 1;
}

/** The status shows the beat a backward beat event left, within a beat (at most LED_WITHIN_MS) after it: sent before that wrap. */
export function sentBeforeWrap(lead: BeatLead, s: DeckState): boolean {
  if (lead.wrappedFrom === null || s.beat !== lead.wrappedFrom) return false;
  const period = s.effectiveBpm !== null && s.effectiveBpm > 0 ? 60_000 / s.effectiveBpm : LED_WITHIN_MS;
  return s.updatedAt - lead.wrappedAt < Math.min(period, LED_WITHIN_MS);
}
