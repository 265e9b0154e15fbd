/**
 * Actions: what a rule sends when it fires (`send:`), one OSC message, MIDI
 * message or WebSocket message per entry.
 */
import { z } from 'zod';
import { DURATION_FORMS, SEVEN_BIT_FORMS, duration, midiChannel, sevenBit, template } from './schema-values';
import { allOf, exactlyOneOf, needsPartner } from './schema-editor-checks';

const ACTION_KINDS = ['osc', 'midi', 'ws'] as const;
const MIDI_MESSAGES = ['note', 'cc', 'program'] as const;

const ONE_ACTION_KIND = 'each send entry needs exactly one of osc, midi or ws';
const ONE_MIDI_MESSAGE = 'a midi action needs exactly one of note, cc or program';
const CC_NEEDS_VALUE = 'a cc action needs a value (0–127)';
const VALUE_NEEDS_CC = 'value only goes with cc';

const TEMPLATE_NOTE = 'A "{{ expression }}" template is computed when the rule fires.';

const scalarArg = z.union([z.number(), z.string(), z.boolean()]);
const typedArg = z.union([
  z.strictObject({
    int: z
      .union([z.number().int(), template])
      .describe(`Send a 32-bit integer: a whole number or a template. ${TEMPLATE_NOTE}`)
      .meta({ examples: [1, '{{ event.beatInBar }}'] }),
  }),
  z.strictObject({
    float: z
      .union([z.number(), template])
      .describe(`Send a 32-bit float: a number or a template. ${TEMPLATE_NOTE}`)
      .meta({ examples: [0.5, '{{ scaleClamped(master.effectiveBpm, 20, 500, 0, 1) }}'] }),
  }),
  z.strictObject({
    string: z
      .union([z.string(), z.number()])
      .describe('Send text (a number is sent as its digits); may contain templates.')
      .meta({ examples: ['{{ phrase.label }}', '42'] }),
  }),
  z.strictObject({
    bool: z
      .union([z.boolean(), template])
      .describe(`Send an OSC true or false: true, false or a template. ${TEMPLATE_NOTE}`)
      .meta({ examples: [true, '{{ deck.onAir }}'] }),
  }),
]);
export const oscArgSchema = z
  .union([scalarArg, typedArg], {
    error: 'must be a number, text, true/false, or one of { int: … }, { float: … }, { string: … }, { bool: … }',
  })
  .describe(
    'One OSC argument: a bare whole number is sent as int, another number as float, text as string (templates allowed), true/false as OSC booleans; { int: … }, { float: … }, { string: … } or { bool: … } chooses the type, also for templates.',
  );

const oscAction = z
  .strictObject({
    to: z.string().min(1).describe('The name of an osc target (under targets:).').meta({ examples: ['qlab'] }),
    address: z
      .string()
      .min(1)
      .describe('The OSC address to send to; may contain {{ templates }}.')
      .meta({ examples: ['/cue/{{ phrase.family }}/go', '/composition/tempocontroller/resync'] }),
    args: z
      .array(oscArgSchema)
      .default([])
      .describe('The OSC arguments, in order (default: none). Bare whole numbers are sent as int, other numbers as float, text as string; { int|float|string|bool: … } chooses.')
      .meta({ examples: [[1], [{ float: '{{ master.effectiveBpm }}' }], [{ int: '{{ event.beatInBar }}' }, '{{ phrase.label }}']] }),
  })
  .describe('Send one OSC message to an osc target.');

const midiAction = z
  .strictObject({
    to: z.string().min(1).describe('The name of a midi target (under targets:).').meta({ examples: ['desk'] }),
    channel: midiChannel.default(1).describe('The MIDI channel, 1–16. Default 1.'),
    note: sevenBit
      .optional()
      .describe(`Play this note: note-on now, note-off after duration. ${SEVEN_BIT_FORMS}; 60 is middle C.`)
      .meta({ examples: [36, '{{ 35 + event.beatInBar }}'] }),
    velocity: sevenBit
      .default(127)
      .describe(`The note's velocity, ${SEVEN_BIT_FORMS}. Default 127.`)
      .meta({ examples: [127, '{{ deck.onAir ? 127 : 40 }}'] }),
    duration: duration
      .default('100ms')
      .describe(`How long the note is held; the note-off is always sent, also on shutdown. Default 100ms. ${DURATION_FORMS}.`)
      .meta({ examples: ['100ms', '50ms', '1s'] }),
    cc: sevenBit
      .optional()
      .describe(`Send a control change on this controller number (${SEVEN_BIT_FORMS}); needs value.`)
      .meta({ examples: [20] }),
    value: sevenBit
      .optional()
      .describe(`The control change's value (${SEVEN_BIT_FORMS}); only with cc.`)
      .meta({ examples: [127, '{{ round(scaleClamped(master.effectiveBpm, 60, 180, 0, 127)) }}'] }),
    program: sevenBit
      .optional()
      .describe(`Send a program change to this program number (${SEVEN_BIT_FORMS}).`)
      .meta({ examples: [5] }),
  })
  .describe('Send one MIDI message to a midi target: a note (note, velocity, duration), a control change (cc, value) or a program change (program).')
  .meta(allOf(exactlyOneOf(MIDI_MESSAGES, ONE_MIDI_MESSAGE), needsPartner('cc', 'value', CC_NEEDS_VALUE), needsPartner('value', 'cc', VALUE_NEEDS_CC)));

const wsAction = z
  .strictObject({
    to: z.string().min(1).describe('The name of a websocket target (under targets:).').meta({ examples: ['dash'] }),
    message: z
      .record(
        z.string(),
        z
          .union([z.number(), z.string(), z.boolean(), z.null()])
          .describe('A field of the JSON message: a number, text (may be a template), true/false or null.'),
      )
      .optional()
      .describe('The JSON object to send, field by field; values may be templates. Without it, the whole event is sent.')
      .meta({ examples: [{ type: 'beat', beat: '{{ event.beatInBar }}', bpm: '{{ master.effectiveBpm }}' }] }),
  })
  .describe('Send a JSON message to every client of a websocket target.');

export const actionSchema = z
  .strictObject({ osc: oscAction.optional(), midi: midiAction.optional(), ws: wsAction.optional() })
  .describe('One message to send: exactly one of osc, midi or ws.')
  .meta(exactlyOneOf(ACTION_KINDS, ONE_ACTION_KIND));
