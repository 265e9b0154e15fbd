/**
 * The mapping file format, as one zod schema. The loader validates YAML with
 * it and `prolink-bridge schema` turns the same schema into the JSON Schema
 * that editors (yaml-language-server) use for completion and squiggles.
 * Checks that need the whole file (target references, expressions) live in
 * the loader.
 */
import { z } from 'zod';

export const EVENT_NAMES = [
  'beat',
  'downbeat',
  'bar',
  'phrase.start',
  'phrase.end',
  'phrase.fill',
  'track.load',
  'track.unload',
  'play',
  'stop',
  'onair',
  'offair',
  'master.change',
  'tempo',
  'device.appeared',
  'device.lost',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** "{{ expression }}" inside a string makes it a template. */
export const TEMPLATE_PATTERN = '\\{\\{.*\\}\\}';
const template = z.string().regex(new RegExp(TEMPLATE_PATTERN, 's'), 'must be a number or a "{{ expression }}" template');

/** 50ms, 1.5s, 2m, or a plain number of milliseconds. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)?\\s*$';
const duration = z.union(
  [z.number().nonnegative(), z.string().regex(new RegExp(DURATION_PATTERN))],
  { error: 'must be a duration such as 50ms, 1.5s or 2m, or a number of milliseconds' },
);

const port = z.number().int().min(1).max(65535);
export const BANKS = ['default', 'cool', 'natural', 'hot', 'subtle', 'warm', 'vivid', 'club1', 'club2'] as const;
const host = z.string().min(1);
const midiChannel = z.number().int().min(1).max(16);
const sevenBit = z.union([z.number().int().min(0).max(127), template], { error: 'must be a whole number from 0 to 127, or a "{{ expression }}" template' });

const oscTarget = z.strictObject({
  host: host.default('127.0.0.1').describe('host name or IPv4 address'),
  port: port.describe('UDP or TCP port the receiver listens on'),
  protocol: z.enum(['udp', 'tcp']).default('udp').describe('tcp uses SLIP framing, as QLab does'),
  passcode: z.string().optional().describe('QLab workspace passcode, sent as /connect on every TCP connection'),
});

const midiTarget = z.strictObject({
  port: z.string().min(1).optional().describe('exact MIDI output name, or /regex/ to match one'),
  virtual: z.string().min(1).optional().describe('create a virtual MIDI output with this name (Linux, macOS)'),
});

const websocketTarget = z.strictObject({
  host: host.default('127.0.0.1'),
  port: port.default(8080),
  relayRaw: z.boolean().default(false).describe('also relay raw status packets as binary frames, as the original OPUS script did'),
});

export const targetSchema = z
  .strictObject({ osc: oscTarget.optional(), midi: midiTarget.optional(), websocket: websocketTarget.optional() })
  .describe('exactly one of osc, midi or websocket');

const scalarArg = z.union([z.number(), z.string(), z.boolean()]);
const typedArg = z.union([
  z.strictObject({ int: z.union([z.number().int(), template]) }),
  z.strictObject({ float: z.union([z.number(), template]) }),
  z.strictObject({ string: z.union([z.string(), z.number()]) }),
  z.strictObject({ bool: z.union([z.boolean(), template]) }),
]);
export const oscArgSchema = z.union([scalarArg, typedArg], {
  error: 'must be a number, text, true/false, or one of { int: … }, { float: … }, { string: … }, { bool: … }',
});

const oscAction = z.strictObject({
  to: z.string().min(1).describe('name of an osc target'),
  address: z.string().min(1).describe('OSC address, may contain {{ templates }}'),
  args: z.array(oscArgSchema).default([]).describe('bare integers are sent as int, other numbers as float, text as string; use { int|float|string|bool: … } to choose'),
});

const midiAction = z.strictObject({
  to: z.string().min(1).describe('name of a midi target'),
  channel: midiChannel.default(1),
  note: sevenBit.optional(),
  velocity: sevenBit.default(127),
  duration: duration.default('100ms').describe('note length; the note-off is always sent, also on shutdown'),
  cc: sevenBit.optional(),
  value: sevenBit.optional(),
  program: sevenBit.optional(),
});

const wsAction = z.strictObject({
  to: z.string().min(1).describe('name of a websocket target'),
  message: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])).optional().describe('JSON fields to send; values may be templates. Without it the whole event is sent'),
});

export const actionSchema = z
  .strictObject({ osc: oscAction.optional(), midi: midiAction.optional(), ws: wsAction.optional() })
  .describe('exactly one of osc, midi or ws');

const deckSelector = z.union(
  [z.literal('master'), z.literal('any'), z.number().int().min(1).max(6), z.array(z.number().int().min(1).max(6)).min(1)],
  { error: 'must be master, any, a deck number from 1 to 6, or a list of deck numbers' },
);
const oneOrMany = <T extends z.ZodType>(item: T, what: string): z.ZodUnion<[T, z.ZodArray<T>]> =>
  z.union([item, z.array(item).min(1)], { error: `must be ${what}, or a list of them` });

export const conditionSchema = z.strictObject({
  deck: deckSelector.optional().describe('1–6, a list, master (the tempo master) or any'),
  onAir: z.boolean().optional(),
  playing: z.boolean().optional(),
  bpm: z.strictObject({ min: z.number().positive().optional(), max: z.number().positive().optional() }).optional().describe('effective BPM range, inclusive'),
  beatInBar: oneOrMany(z.number().int().min(1).max(4), 'a beat within the bar from 1 to 4').optional(),
  phrase: oneOrMany(z.string().min(1), 'a phrase kind').optional().describe('phrase kind (intro, verse, verse1, bridge, chorus, up, down, outro…); a family name such as verse matches every verse'),
  label: oneOrMany(z.string().min(1), 'a phrase label').optional().describe('phrase label as rekordbox shows it, e.g. "Verse 2"'),
  mood: oneOrMany(z.enum(['high', 'mid', 'low']), 'high, mid or low').optional(),
  bank: oneOrMany(z.enum(BANKS), `one of ${BANKS.join(', ')}`).optional(),
  trackId: oneOrMany(z.number().int().min(0), 'a track ID').optional(),
  expr: z.string().min(1).optional().describe('any expression, e.g. "deck.bpm > 125 && phrase.bars >= 8"'),
});

export const ruleSchema = z.strictObject({
  name: z.string().min(1).optional(),
  enabled: z.boolean().default(true),
  on: z.enum(EVENT_NAMES).describe('the event that fires the rule'),
  when: conditionSchema.optional(),
  every: z.number().int().min(1).optional().describe('fire on every Nth beat (beat), bar (bar, downbeat) or phrase'),
  throttle: duration.optional().describe('at most one firing per this interval'),
  lead: duration.optional().describe('fire this much before the predicted beat or phrase change (at most 4s), to cover a device\'s own latency'),
  send: z.array(actionSchema).min(1),
});

const followSelector = z
  .union([z.literal('master'), z.number().int().min(1).max(6)], { error: 'must be master or a deck number from 1 to 6' })
  .default('master');

export const clockSchema = z.strictObject({
  to: z.string().min(1).describe('name of a midi target'),
  follow: followSelector,
  run: z.enum(['follow-play', 'always']).default('follow-play').describe('follow-play: Start/Stop with the deck; always: keep the clock running'),
});

const timecodeValue = z.union([z.number().nonnegative(), z.string().regex(/^\d{1,2}:\d{2}:\d{2}[:;.]\d{2}$/)], {
  error: 'must be a timecode HH:MM:SS:FF or a number of milliseconds',
});

export const timecodeSchema = z.strictObject({
  to: z.string().min(1).describe('name of a midi target'),
  follow: followSelector,
  rate: z.union([z.literal(24), z.literal(25), z.literal(29.97), z.literal(30)], { error: 'must be 24, 25, 29.97 (drop-frame) or 30' }).default(25),
  offsets: z.record(z.string().regex(/^\d+$/, 'must be a track ID'), timecodeValue).default({}).describe('track ID → timecode at the start of that track'),
  defaultOffset: timecodeValue.default(0),
});

export const mappingFileSchema = z.strictObject({
  $schema: z.string().optional(),
  version: z.literal(1).default(1),
  targets: z.record(z.string().regex(/^[A-Za-z_][\w-]*$/, 'target names use letters, digits, _ and -'), targetSchema).default({}),
  rules: z.array(ruleSchema).default([]),
  clock: z.array(clockSchema).default([]),
  timecode: z.array(timecodeSchema).default([]),
});

export type MappingFileInput = z.input<typeof mappingFileSchema>;
export type MappingFile = z.output<typeof mappingFileSchema>;
export type RuleConfig = z.output<typeof ruleSchema>;
export type ActionConfig = z.output<typeof actionSchema>;
export type TargetConfig = z.output<typeof targetSchema>;
export type ConditionConfig = z.output<typeof conditionSchema>;
export type OscArgConfig = z.output<typeof oscArgSchema>;

/** The JSON Schema (draft-07, as yaml-language-server reads it) for mapping files. */
export function mappingJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(mappingFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://prolink-bridge/mapping.schema.json',
    title: 'prolink-bridge mapping',
    description: 'Rules that turn Pro DJ Link events into OSC and MIDI. See the README for the reference.',
  };
}
export type ClockConfig = z.output<typeof clockSchema>;
export type TimecodeConfig = z.output<typeof timecodeSchema>;
export type TargetKind = 'osc' | 'midi' | 'websocket';

export function targetKind(target: TargetConfig): TargetKind | null {
  const kinds = (['osc', 'midi', 'websocket'] as const).filter((k) => target[k] !== undefined);
  return kinds.length === 1 ? (kinds[0] as TargetKind) : null;
}

/** The longest look-ahead a rule may ask for (ms). */
export const MAX_LEAD_MS = 4000;

/** Events whose instant is predictable, so `lead` can fire them early. */
export const PREDICTABLE_EVENTS: readonly EventName[] = ['beat', 'downbeat', 'bar', 'phrase.start', 'phrase.end', 'phrase.fill'];
/** Events that `every` can thin out. */
export const COUNTABLE_EVENTS: readonly EventName[] = ['beat', 'downbeat', 'bar', 'phrase.start', 'phrase.end', 'phrase.fill'];
