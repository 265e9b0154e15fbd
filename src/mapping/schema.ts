/**
 * The mapping file format, as one zod schema. The loader validates YAML with
 * it and `prolink-bridge schema` turns the same schema into the JSON Schema
 * that editors (yaml-language-server) use for completion, hover text and
 * squiggles. Checks that need the whole file (target references,
 * expressions) live in the loader; the ones that concern several keys of one
 * object also reach editors (schema-editor-checks.ts).
 *
 * The parts live beside this file: schema-values (shared value types),
 * schema-events (`on:`), schema-targets, schema-actions, schema-rules.
 */
import { z } from 'zod';
import { MTC_RATES, mtcRateInfo, type MtcRate } from '../outputs/midi/mtc-rate';
import { DECK_NUMBERS, deckNumber, documentedEnum, timecodeValue } from './schema-values';
import { TARGET_KINDS, TARGET_NAME_PATTERN, targetSchema, type TargetKind } from './schema-targets';
import { actionSchema, oscArgSchema } from './schema-actions';
import { conditionSchema, ruleSchema } from './schema-rules';

export { EVENT_NAMES, PREDICTABLE_EVENTS, CONFIRMABLE_EVENTS, COUNTABLE_EVENTS, MAX_LEAD_MS, type EventName } from './schema-events';
export { TEMPLATE_PATTERN, DURATION_PATTERN } from './schema-values';
export { MIN_DEADLINE_MS, MAX_DEADLINE_MS, ORIGIN_PATTERN, targetSchema, type TargetKind } from './schema-targets';
export { actionSchema, oscArgSchema } from './schema-actions';
export { conditionSchema, ruleSchema } from './schema-rules';

/** Where the published package serves this schema (the file `mapping.schema.json` of the npm package). */
export const SCHEMA_URL = 'https://unpkg.com/prolink-bridge/mapping.schema.json';

export const CLOCK_RUN_MODES = ['follow-play', 'always'] as const;

const followSelector = z
  .union([documentedEnum(['master'], { master: 'The deck that is tempo master now, switching when the master changes.' }), deckNumber], {
    error: `must be master or a deck number from 1 to ${DECK_NUMBERS.length}`,
  })
  .default('master');

const midiTargetName = z.string().min(1).describe('The name of a midi target (under targets:).').meta({ examples: ['desk'] });

export const clockSchema = z
  .strictObject({
    to: midiTargetName,
    follow: followSelector.describe("The deck whose tempo and beats the clock follows: master (the default) or a deck number."),
    run: documentedEnum(CLOCK_RUN_MODES, {
      'follow-play': 'Start on a downbeat when the deck plays (Song Position Pointer first), Stop when it stops.',
      always: "Keep the clock running at the deck's last tempo whether it plays or not; it locks to the beats while the deck plays.",
    })
      .default('follow-play')
      .describe('When the clock runs: follow-play (the default) or always.'),
  })
  .describe("A MIDI clock (24 pulses per beat) locked to a deck's tempo and beats, for desks and effects that follow MIDI clock.");

function rateDescription(rate: MtcRate): string {
  const info = mtcRateInfo(rate);
  return info.dropFrame ? `${rate} fps drop-frame (frame labels 00 and 01 skipped each minute but every tenth).` : `${rate} fps.`;
}

export const timecodeSchema = z
  .strictObject({
    to: midiTargetName,
    follow: followSelector.describe('The deck whose track position the timecode follows: master (the default) or a deck number.'),
    rate: z
      .literal(MTC_RATES, { error: 'must be 24, 25, 29.97 (drop-frame) or 30' })
      .default(25)
      .describe('Frames per second: 24, 25 (the default), 29.97 drop-frame or 30. Use the rate the desk expects.')
      .meta({ enumDescriptions: MTC_RATES.map(rateDescription) }),
    offsets: z
      .record(
        z.string().regex(/^\d+$/, 'must be a track ID'),
        timecodeValue.describe("The timecode at the start of this track: HH:MM:SS:FF, or a number of milliseconds.").meta({ examples: ['01:00:00:00'] }),
      )
      .default({})
      .describe("Per track: its rekordbox track ID → the timecode at the track's start.")
      .meta({ examples: [{ '184': '01:00:00:00', '2051': '02:00:00:00' }] }),
    defaultOffset: timecodeValue
      .default(0)
      .describe('The timecode at the start of every track not listed in offsets: HH:MM:SS:FF, or a number of milliseconds. Default 0.')
      .meta({ examples: ['00:00:00:00', '10:00:00:00'] }),
  })
  .describe("MIDI Time Code from the followed deck's track position plus the track's offset, with a full frame on every jump.");

export const mappingFileSchema = z
  .strictObject({
    $schema: z
      .string()
      .optional()
      .describe('The schema, for editors that read it from this key; yaml-language-server reads a first-line comment "# yaml-language-server: $schema=…" instead.'),
    version: z.literal(1).default(1).describe('The mapping format version: 1, the only one so far.'),
    targets: z
      .record(z.string().regex(TARGET_NAME_PATTERN, 'target names use letters, digits, _ and -'), targetSchema)
      .default({})
      .describe('Where messages go, by name: rules, clock and timecode name a target in to:. Names use letters, digits, _ and -.'),
    rules: z.array(ruleSchema).default([]).describe('The rules: each fires on an event and sends OSC, MIDI or WebSocket messages.'),
    clock: z.array(clockSchema).default([]).describe('MIDI clock outputs, each following a deck.'),
    timecode: z.array(timecodeSchema).default([]).describe('MIDI timecode outputs, each following a deck.'),
  })
  .describe('A prolink-bridge mapping: targets (where messages go) and rules (when to send what), plus optional MIDI clock and timecode.');

export type MappingFileInput = z.input<typeof mappingFileSchema>;
export type MappingFile = z.output<typeof mappingFileSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type ActionConfig = z.output<typeof actionSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type ConditionConfig = z.output<typeof conditionSchema>;
export type OscArgConfig = z.output<typeof oscArgSchema>;
export type ClockConfig = z.output<typeof clockSchema>;
export type TimecodeConfig = z.output<typeof timecodeSchema>;

/** The JSON Schema (draft-07, as yaml-language-server reads it) for mapping files. */
export function mappingJsonSchema(): Record<string, unknown> {
  const { $schema, description, ...schema } = z.toJSONSchema(mappingFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { $schema, $id: SCHEMA_URL, title: 'prolink-bridge mapping', description, ...schema };
}

export function targetKind(target: TargetConfig): TargetKind | null {
  const kinds = TARGET_KINDS.filter((k) => target[k] !== undefined);
  return kinds.length === 1 ? (kinds[0] as TargetKind) : null;
}
