/**
 * What the operators do at runtime, and how names are read from a context.
 * Failures throw a located EvalError, which evaluate() catches and returns as
 * a value; nothing here ever runs code found in the context.
 *
 * Null rules: arithmetic, concatenation and negation with a null operand give
 * null; an ordering comparison (<, <=, >, >=) with a null operand is false;
 * == and != compare without conversion, so null == null and 1 != '1'.
 * No result is ever -0: it is read and computed as 0.
 */
import { fail, type Site } from './errors';
import { describeValue, formatValue, type Value } from './values';

export type Evaluator = (context: unknown) => Value;

/** n itself when finite (with -0 read as 0); otherwise a 'non-finite' error. */
export function finite(n: number, site: Site): number {
  if (Number.isFinite(n)) return n === 0 ? 0 : n;
  return fail(site, 'non-finite', 'the result is not a finite number');
}

function notNumbers(operator: string, a: Value, b: Value, site: Site): null {
  if (a === null || b === null) return null;
  return fail(site, 'type-mismatch', `"${operator}" needs numbers, got ${describeValue(a)} and ${describeValue(b)}`);
}

/** Numbers add; if either side is a string the other is formatted and appended. */
export function add(a: Value, b: Value, site: Site): Value {
  if (typeof a === 'number' && typeof b === 'number') return finite(a + b, site);
  if (a === null || b === null) return null;
  if (typeof a === 'string' || typeof b === 'string') return formatValue(a) + formatValue(b);
  return fail(site, 'type-mismatch', `"+" adds numbers or joins text, got ${describeValue(a)} and ${describeValue(b)}`);
}

export function subtract(a: Value, b: Value, site: Site): Value {
  return typeof a === 'number' && typeof b === 'number' ? finite(a - b, site) : notNumbers('-', a, b, site);
}

export function multiply(a: Value, b: Value, site: Site): Value {
  return typeof a === 'number' && typeof b === 'number' ? finite(a * b, site) : notNumbers('*', a, b, site);
}

export function divide(a: Value, b: Value, site: Site): Value {
  if (typeof a !== 'number' || typeof b !== 'number') return notNumbers('/', a, b, site);
  if (b === 0) fail(site, 'division-by-zero', 'division by zero');
  return finite(a / b, site);
}

/** Floored modulo: the result has the sign of the divisor, so -1 % 4 is 3. */
export function modulo(a: Value, b: Value, site: Site): Value {
  if (typeof a !== 'number' || typeof b !== 'number') return notNumbers('%', a, b, site);
  if (b === 0) fail(site, 'division-by-zero', 'division by zero');
  const r = a % b;
  return r !== 0 && r < 0 !== b < 0 ? r + b : r === 0 ? 0 : r;
}

export function negate(a: Value, site: Site): Value {
  if (typeof a === 'number') return a === 0 ? 0 : -a;
  if (a === null) return null;
  return fail(site, 'type-mismatch', `"-" needs a number, got ${describeValue(a)}`);
}

/** True when a and b are both strings; false when either is null; fails otherwise. Numbers are handled by the caller. */
function bothStrings(operator: string, a: Value, b: Value, site: Site): boolean {
  if (a === null || b === null) return false;
  if (typeof a === 'string' && typeof b === 'string') return true;
  return fail(site, 'type-mismatch', `"${operator}" compares two numbers or two strings, got ${describeValue(a)} and ${describeValue(b)}`);
}

export function less(a: Value, b: Value, site: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a < b;
  return bothStrings('<', a, b, site) && (a as string) < (b as string);
}

export function lessOrEqual(a: Value, b: Value, site: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a <= b;
  return bothStrings('<=', a, b, site) && (a as string) <= (b as string);
}

export function greater(a: Value, b: Value, site: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a > b;
  return bothStrings('>', a, b, site) && (a as string) > (b as string);
}

export function greaterOrEqual(a: Value, b: Value, site: Site): boolean {
  if (typeof a === 'number' && typeof b === 'number') return a >= b;
  return bothStrings('>=', a, b, site) && (a as string) >= (b as string);
}

const hasOwn = Object.hasOwn;

/**
 * One step of a dotted name: an own property of an object, or null. Inherited
 * properties are never read, and the forbidden names are refused even though
 * the compiler never produces them.
 */
export function member(holder: unknown, key: string, site: Site): unknown {
  if (typeof holder !== 'object' || holder === null) return null;
  if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
    fail(site, 'forbidden-member', `"${key}" can never be read`);
  }
  return hasOwn(holder, key) ? (holder as Readonly<Record<string, unknown>>)[key] : null;
}

/** What a context holds at the end of a dotted name, as a value. */
export function toValue(raw: unknown, site: Site): Value {
  switch (typeof raw) {
    case 'number':
      return Number.isFinite(raw) ? (raw === 0 ? 0 : raw) : fail(site, 'non-finite', `the context holds ${String(raw)}, not a finite number,`);
    case 'string':
    case 'boolean':
      return raw;
    case 'undefined':
      return null;
    case 'object':
      if (raw === null) return null;
      return fail(site, 'not-a-value', `the context holds ${Array.isArray(raw) ? 'an array' : 'an object'}, not a value,`);
    default:
      return fail(site, 'not-a-value', `the context holds a ${typeof raw}, not a value,`);
  }
}

/** Reads a dotted name; specialised for the usual one to three segments. */
export function pathEvaluator(keys: readonly string[], site: Site): Evaluator {
  const [k0 = '', k1 = '', k2 = ''] = keys;
  switch (keys.length) {
    case 1:
      return (c) => toValue(member(c, k0, site), site);
    case 2:
      return (c) => toValue(member(member(c, k0, site), k1, site), site);
    case 3:
      return (c) => toValue(member(member(member(c, k0, site), k1, site), k2, site), site);
    default:
      return (c) => {
        let v: unknown = c;
        for (let i = 0; i < keys.length; i++) v = member(v, keys[i] as string, site);
        return toValue(v, site);
      };
  }
}
