/**
 * Runtime values and their static types. Expressions only ever produce
 * primitives: finite numbers, strings, booleans and null.
 */

export type Value = number | string | boolean | null;

export type ValueTypeName = 'number' | 'string' | 'boolean' | 'null';

/**
 * A static type is a set of possible value types, kept as a bit mask so that
 * union and intersection are single operations.
 */
export type TypeMask = number;
export const T_NUMBER: TypeMask = 1;
export const T_STRING: TypeMask = 2;
export const T_BOOLEAN: TypeMask = 4;
export const T_NULL: TypeMask = 8;
export const T_ANY: TypeMask = T_NUMBER | T_STRING | T_BOOLEAN | T_NULL;

const TYPE_BITS: readonly (readonly [ValueTypeName, TypeMask])[] = [
  ['number', T_NUMBER],
  ['string', T_STRING],
  ['boolean', T_BOOLEAN],
  ['null', T_NULL],
];

export function maskOf(value: Value): TypeMask {
  if (value === null) return T_NULL;
  if (typeof value === 'number') return T_NUMBER;
  return typeof value === 'string' ? T_STRING : T_BOOLEAN;
}

export function typeNames(mask: TypeMask): readonly ValueTypeName[] {
  return TYPE_BITS.filter(([, bit]) => (mask & bit) !== 0).map(([name]) => name);
}

/** "a number", "a string or null", "anything". */
export function describeMask(mask: TypeMask): string {
  if (mask === T_ANY) return 'anything';
  const words = typeNames(mask).map((name) => (name === 'null' ? 'null' : `a ${name}`));
  return words.length === 0 ? 'nothing' : words.join(' or ');
}

/** Describes a runtime value for messages: `the string "abc"`, `the number 3`. */
export function describeValue(value: Value): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 19)}…` : value)}`;
  return `the ${typeof value} ${formatValue(value)}`;
}

/** false, null, 0 and '' are false; every other value is true. */
export function isTruthy(value: Value): boolean {
  return value !== null && value !== false && value !== 0 && value !== '';
}

/** Digits kept after the decimal point when a fraction is turned into text. */
export const FRACTION_DIGITS = 6;

/**
 * Integers print without a decimal point (120, not 120.0); other numbers are
 * rounded to FRACTION_DIGITS decimals with trailing zeros removed
 * (0.5, 0.333333, 128.25). -0 prints as 0.
 */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return n === 0 ? '0' : String(n);
  if (!Number.isFinite(n)) return String(n);
  let text = n.toFixed(FRACTION_DIGITS);
  if (text.includes('e')) return text;
  if (text.includes('.')) text = text.replace(/\.?0+$/, '');
  return text === '-0' ? '0' : text;
}

/** Text form used by str() and by templates: null is the empty string. */
export function formatValue(value: Value): string {
  if (value === null) return '';
  if (typeof value === 'number') return formatNumber(value);
  return typeof value === 'string' ? value : value ? 'true' : 'false';
}
