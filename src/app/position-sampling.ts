/**
 * What the mapping asks of deck positions: how often the position stream
 * samples (the shortest throttle of the rules on `position`, null without
 * such rules) and the timeline `{{ deck.timecode }}` and position events
 * read (timing/deck-position.ts).
 */
import type { CompiledMapping } from '../mapping/compiled-mapping';
import { timelineSettings, type TimelineSettings } from '../timing/deck-position';

/** The sampling interval the rules on position need, or null when no rule is on position. */
export function positionIntervalMs(mapping: Pick<CompiledMapping, 'rules'>): number | null {
  let shortest: number | null = null;
  for (const rule of mapping.rules) {
    if (rule.on !== 'position' || rule.throttleMs === null) continue;
    shortest = shortest === null ? rule.throttleMs : Math.min(shortest, rule.throttleMs);
  }
  return shortest;
}

/** The timeline rules read: the first artnet-timecode entry's, else the first timecode entry's, else 25 fps from zero. */
export function mappingTimeline(mapping: Pick<CompiledMapping, 'artnetTimecode' | 'timecode'>): TimelineSettings {
  return timelineSettings(mapping.artnetTimecode, mapping.timecode);
}
