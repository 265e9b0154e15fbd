/**
 * The value types mapping files share (durations, templates, ports, MIDI
 * bytes, deck numbers) and the helper that gives a closed set its
 * per-value descriptions for editors.
 */
import { z } from 'zod';
import { editorMessage } from './schema-editor-checks';

/** "{{ expression }}" inside a string makes it a template. */
export const TEMPLATE_PATTERN = '\\{\\{.*\\}\\}';
export const template = z.string().regex(new RegExp(TEMPLATE_PATTERN, 's'), 'must be a number or a "{{ expression }}" template');

/** 50ms, 1.5s, 2m, or a plain number of milliseconds. */
export const DURATION_PATTERN = '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m)?\\s*$';
const DURATION_MESSAGE = 'must be a duration such as 50ms, 1.5s or 2m, or a number of milliseconds';
export const duration = z.union(
  [z.number().nonnegative().meta(editorMessage(DURATION_MESSAGE)), z.string().regex(new RegExp(DURATION_PATTERN), DURATION_MESSAGE).meta(editorMessage(DURATION_MESSAGE))],
  { error: DURATION_MESSAGE },
);
/** How a duration is written, for descriptions. */
export const DURATION_FORMS = 'Written as a number with ms, s or m (50ms, 1.5s, 2m), or as a plain number of milliseconds';

export const port = z.number().int().min(1).max(65535);
export const host = z.string().min(1);
export const midiChannel = z.number().int().min(1).max(16);
const SEVEN_BIT_MESSAGE = 'must be a whole number from 0 to 127, or a "{{ expression }}" template';
export const sevenBit = z.union([z.number().int().min(0).max(127).meta(editorMessage(SEVEN_BIT_MESSAGE)), template.meta(editorMessage(SEVEN_BIT_MESSAGE))], {
  error: SEVEN_BIT_MESSAGE,
});
/** How a MIDI value may be written, for descriptions. */
export const SEVEN_BIT_FORMS = '0–127, or a "{{ expression }}" template that comes out as one';

/**
 * Player numbers a rule can name: 1–4 on an OPUS-QUAD (and on most CDJ
 * setups), up to 6 with CDJ-3000s.
 */
export const DECK_NUMBERS = [1, 2, 3, 4, 5, 6] as const;
export const deckNumber = z.literal(DECK_NUMBERS);

export const oneOrMany = <T extends z.ZodType>(item: T, what: string): z.ZodUnion<[T, z.ZodArray<T>]> =>
  z.union([item, z.array(item).min(1)], { error: `must be ${what}, or a list of them` });

/** HH:MM:SS:FF (";" or "." before the frames also accepted), or milliseconds. */
const TIMECODE_MESSAGE = 'must be a timecode HH:MM:SS:FF or a number of milliseconds';
export const timecodeValue = z.union(
  [z.number().nonnegative().meta(editorMessage(TIMECODE_MESSAGE)), z.string().regex(/^\d{1,2}:\d{2}:\d{2}[:;.]\d{2}$/, TIMECODE_MESSAGE).meta(editorMessage(TIMECODE_MESSAGE))],
  { error: TIMECODE_MESSAGE },
);

/**
 * A closed set of text values whose editors' completion shows what each one
 * means: `values` come from the code's own list, `descriptions` must name
 * every one of them.
 */
export function documentedEnum<const T extends readonly [string, ...string[]]>(
  values: T,
  descriptions: Readonly<Record<T[number], string>>,
): z.ZodEnum<{ [K in T[number]]: K }> {
  return z.enum(values).meta({ enumDescriptions: values.map((v: T[number]) => descriptions[v]) });
}
