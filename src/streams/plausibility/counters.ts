/**
 * Counts of packets not believed, per reason: the shape of one kind in a
 * health report (reason → count). The running bridge feeds `implausible$`
 * into its health counters as kind 'implausible'.
 */
import type { Implausible } from './reasons';

export function countByReason(list: Iterable<Pick<Implausible, 'reason'>>): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const i of list) counts[i.reason] = (counts[i.reason] ?? 0) + 1;
  return counts;
}
