/**
 * Conditions on the deck's library track: `title`, `artist`, `album`,
 * `genre` and `comment` take text (equal, ignoring letter case) or a
 * /regular expression/flags; `color` takes rekordbox colour names. Pure:
 * parsing at load time, matching at run time.
 */
import type { TrackInfo } from '../events/deck-state';

export const TRACK_TEXT_FIELDS = ['title', 'artist', 'album', 'genre', 'comment'] as const;
export type TrackTextField = (typeof TRACK_TEXT_FIELDS)[number];

/** rekordbox's track colours, as its colour table in export.pdb names them. */
export const TRACK_COLORS = ['Pink', 'Red', 'Orange', 'Yellow', 'Green', 'Aqua', 'Blue', 'Purple'] as const;

export type TextMatch = { readonly equals: string } | { readonly pattern: RegExp };

export interface TrackTextCondition {
  readonly field: TrackTextField;
  /** Any of these matches. */
  readonly any: readonly TextMatch[];
}

const REGEX = /^\/(.*)\/([a-z]*)$/s;

/** Text, or /pattern/flags compiled (without g and y, which would make matching stateful); an Error says why a pattern does not compile. */
export function parseTextMatch(text: string): TextMatch | Error {
  const regex = REGEX.exec(text);
  if (regex === null) return { equals: text.toLowerCase() };
  try {
    return { pattern: new RegExp(regex[1] ?? '', (regex[2] ?? '').replace(/[gy]/g, '')) };
  } catch (error) {
    return new Error(`"${text}" is not a regular expression: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function textMatches(match: TextMatch, value: string): boolean {
  return 'equals' in match ? value.toLowerCase() === match.equals : match.pattern.test(value);
}

/** True when every condition holds for the track; no track fails every condition. */
export function trackConditionsHold(text: readonly TrackTextCondition[] | null, colors: ReadonlySet<string> | null, track: TrackInfo | null): boolean {
  if (text === null && colors === null) return true;
  if (track === null) return false;
  if (colors !== null && !colors.has(track.color.toLowerCase())) return false;
  if (text !== null) {
    for (const condition of text) {
      const value = track[condition.field];
      if (!condition.any.some((m) => textMatches(m, value))) return false;
    }
  }
  return true;
}
