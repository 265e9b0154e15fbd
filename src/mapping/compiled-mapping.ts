/**
 * A mapping ready to run: validated, merged, with every expression and
 * template compiled. Read-only; a reload builds a new one.
 */
import type { CompiledExpression } from './expr/compile';
import type { CompiledTemplate } from './expr/template';
import type { ArtnetTimecodeConfig, ClockConfig, EventName, TargetConfig, TimecodeConfig } from './schema';
import type { LinkConfig } from './schema-link';
import type { TrackTextCondition } from './track-conditions';

/** A number or text given literally, or computed by a template. */
export type Source<T> = { readonly literal: T } | { readonly template: CompiledTemplate };

export type OscArgType = 'int' | 'float' | 'string' | 'bool';

export interface CompiledOscArg {
  readonly type: OscArgType;
  readonly value: Source<number | string | boolean>;
}

export type CompiledAction =
  | { readonly kind: 'osc'; readonly target: string; readonly address: Source<string>; readonly args: readonly CompiledOscArg[] }
  | {
      readonly kind: 'midi-note';
      readonly target: string;
      readonly channel: number;
      readonly note: Source<number>;
      readonly velocity: Source<number>;
      readonly durationMs: number;
    }
  | { readonly kind: 'midi-cc'; readonly target: string; readonly channel: number; readonly controller: Source<number>; readonly value: Source<number> }
  | { readonly kind: 'midi-program'; readonly target: string; readonly channel: number; readonly program: Source<number> }
  | { readonly kind: 'ws'; readonly target: string; readonly fields: ReadonlyMap<string, Source<number | string | boolean | null>> | null };

export type CueNameMatch = { readonly name: string } | { readonly pattern: RegExp };

export type DeckSelector = { readonly kind: 'any' } | { readonly kind: 'master' } | { readonly kind: 'decks'; readonly decks: ReadonlySet<number> };

export interface CompiledConditions {
  readonly deck: DeckSelector;
  readonly onAir: boolean | null;
  readonly playing: boolean | null;
  readonly bpmMin: number | null;
  readonly bpmMax: number | null;
  readonly beatInBar: ReadonlySet<number> | null;
  readonly phrase: ReadonlySet<string> | null;
  readonly label: ReadonlySet<string> | null;
  readonly mood: ReadonlySet<string> | null;
  readonly bank: ReadonlySet<string> | null;
  readonly trackId: ReadonlySet<number> | null;
  /** title, artist, album, genre, comment of the deck's library track; null when the rule has none. */
  readonly trackText: readonly TrackTextCondition[] | null;
  /** Track colour names, lower case. */
  readonly color: ReadonlySet<string> | null;
  /** Cue names (lower case) and patterns a cue event's cue must match one of; null accepts any. */
  readonly cue: readonly CueNameMatch[] | null;
  readonly cueKind: ReadonlySet<string> | null;
  readonly expr: CompiledExpression | null;
}

export interface CompiledRule {
  /** Position in the merged rule list. */
  readonly index: number;
  /** Where its throttle time and every-N count live in the engine's memory (rules on position: one per deck from here, memory-slots.ts); rules with neither have none (null). */
  readonly memorySlot: number | null;
  /** The rule's name, or "file:line" when it has none. */
  readonly name: string;
  readonly on: EventName;
  readonly when: CompiledConditions;
  readonly every: number | null;
  readonly throttleMs: number | null;
  /** Fire this long before the predicted instant (look-ahead); null fires on the event itself. */
  readonly leadMs: number | null;
  /** Fire only on events the deck's own packets confirmed (beats and phrase changes). */
  readonly confirm: boolean;
  readonly actions: readonly CompiledAction[];
  /** Whether its condition or actions read a deck's position (reads-positions.ts). */
  readonly readsPositions: boolean;
}

export interface CompiledMapping {
  readonly files: readonly string[];
  readonly targets: ReadonlyMap<string, TargetConfig>;
  /** Enabled rules only. */
  readonly rules: readonly CompiledRule[];
  /** Rules without a lead, grouped by the event type that fires them (downbeat and bar come from beat). */
  readonly rulesByEvent: ReadonlyMap<string, readonly CompiledRule[]>;
  /** Rules with `confirm: true`, grouped like rulesByEvent: they run on confirmed beats and phrase changes only. */
  readonly confirmRulesByEvent: ReadonlyMap<string, readonly CompiledRule[]>;
  /** Rules with a lead: they fire ahead of predicted beats and phrase changes (app/look-ahead.ts). */
  readonly leadRules: readonly CompiledRule[];
  /** Rules with a memory slot (throttle or every). */
  readonly memorySlots: number;
  readonly clock: readonly ClockConfig[];
  readonly timecode: readonly TimecodeConfig[];
  readonly artnetTimecode: readonly ArtnetTimecodeConfig[];
  /** The Ableton Link session, or null (none, or `enabled: false`). */
  readonly link: LinkConfig | null;
}
