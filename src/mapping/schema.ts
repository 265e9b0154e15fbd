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
import { DECK_NUMBERS, deckNumber, documentedEnum, port, timecodeValue } from './schema-values';
import { ARTNET_BROADCAST, BROADCAST_KEYWORD, IPV4_PATTERN } from '../outputs/artnet/artnet-address';
import { ARTNET_PORT } from '../outputs/artnet/artnet-timecode-packet';
import { ARTNET_STOP_BEHAVIOURS, HOLD_RESEND_MS } from '../outputs/artnet/artnet-timecode-sender';
import { TARGET_KINDS, TARGET_NAME_PATTERN, targetSchema, type TargetKind } from './schema-targets';
import { actionSchema, oscArgSchema } from './schema-actions';
import { conditionSchema, ruleSchema } from './schema-rules';
import { linkSchema } from './schema-link';

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

const ARTNET_TO_MESSAGE = 'must be an IPv4 address (the desk, or the broadcast address of its network) or broadcast';

export const artnetTimecodeSchema = z
  .strictObject({
    to: z
      .union([z.literal(BROADCAST_KEYWORD), z.string().regex(new RegExp(IPV4_PATTERN), ARTNET_TO_MESSAGE)], { error: ARTNET_TO_MESSAGE })
      .default(BROADCAST_KEYWORD)
      .describe(
        `Where to send: the desk's IPv4 address (unicast), the broadcast address of the lighting network (e.g. 192.168.1.255 or 10.255.255.255), or broadcast (the default: ${ARTNET_BROADCAST}, the Art-Net primary network).`,
      )
      .meta({ examples: ['broadcast', '2.0.0.10', '192.168.1.255'] }),
    port: port.default(ARTNET_PORT).describe(`The UDP port the receivers listen on: ${ARTNET_PORT} (the Art-Net port, the default).`),
    fromPort: port
      .optional()
      .describe(`The local UDP port to send from; unset (the default) sends from any free port. Some receivers only accept Art-Net sent from ${ARTNET_PORT}; that port is taken when a desk or Resolume runs on this computer.`),
    follow: timecodeSchema.shape.follow,
    rate: timecodeSchema.shape.rate,
    offsets: timecodeSchema.shape.offsets,
    defaultOffset: timecodeSchema.shape.defaultOffset,
    onStop: documentedEnum(ARTNET_STOP_BEHAVIOURS, {
      hold: `Keep sending the frame the deck stopped on, ${1000 / HOLD_RESEND_MS} times a second, so desks hold the position instead of reporting timecode lost.`,
      stop: 'Send nothing while the deck is stopped, for desks that pause their show when timecode stops arriving.',
    })
      .default('hold')
      .describe('What a stopped deck sends: hold (the default) or stop.'),
  })
  .describe("Art-Net timecode (ArtTimeCode, one packet per frame) from the followed deck's track position plus the track's offset, for lighting desks and media servers.");

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
    'artnet-timecode': z.array(artnetTimecodeSchema).default([]).describe('Art-Net timecode outputs (UDP), each following a deck.'),
    link: linkSchema.optional(),
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
export type ArtnetTimecodeConfig = z.output<typeof artnetTimecodeSchema>;
export type { LinkConfig } from './schema-link';
export { linkSchema, LINK_QUANTA } from './schema-link';

/** The JSON Schema (draft-07, as yaml-language-server reads it) for mapping files. */
export function mappingJsonSchema(): Record<string, unknown> {
  const { $schema, description, ...schema } = z.toJSONSchema(mappingFileSchema, { target: 'draft-7', io: 'input' }) as Record<string, unknown>;
  return { $schema, $id: SCHEMA_URL, title: 'prolink-bridge mapping', description, ...schema };
}

export function targetKind(target: TargetConfig): TargetKind | null {
  const kinds = TARGET_KINDS.filter((k) => target[k] !== undefined);
  return kinds.length === 1 ? (kinds[0] as TargetKind) : null;
}
