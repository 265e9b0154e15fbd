/**
 * The helper functions, the only things an expression can call. Each declares
 * its arity and argument types, so calls are checked when the mapping loads.
 * Unless noted, a null argument makes the result null.
 */
import { fail, type Site } from './errors';
import { describeValue, formatNumber, formatValue, isTruthy, T_ANY, T_BOOLEAN, T_NUMBER, T_STRING, type TypeMask, type Value } from './values';

export interface Helper {
  readonly name: string;
  /** As shown in messages, e.g. "round(x, digits = 0)". */
  readonly signature: string;
  readonly minArgs: number;
  /** Infinity for helpers that take any number of arguments. */
  readonly maxArgs: number;
  /** Accepted non-null types of each argument; the last entry repeats. */
  readonly params: readonly TypeMask[];
  /** When true a null argument gives null without calling apply. */
  readonly nullGivesNull: boolean;
  /** Static type of a result that is not null. */
  readonly result: TypeMask;
  /** Arguments evaluated only when needed (if); compiled specially. */
  readonly lazy: boolean;
  readonly apply: (args: readonly Value[], site: Site) => Value;
}

/** Digits accepted by round(); beyond this a double has no more precision. */
const MAX_ROUND_DIGITS = 15;
/** Widest pad() result, so a typo cannot allocate megabytes. */
export const MAX_PAD_WIDTH = 256;

function arg(args: readonly Value[], index: number): Value {
  return args[index] ?? null;
}

function numberArg(args: readonly Value[], index: number, site: Site, name: string): number {
  const value = arg(args, index);
  if (typeof value === 'number') return value;
  return fail(site, 'type-mismatch', `${name}() needs a number as argument ${index + 1}, got ${describeValue(value)}`);
}

function stringArg(args: readonly Value[], index: number, site: Site, name: string): string {
  const value = arg(args, index);
  if (typeof value === 'string') return value;
  return fail(site, 'type-mismatch', `${name}() needs a string as argument ${index + 1}, got ${describeValue(value)}`);
}

function integerArg(args: readonly Value[], index: number, site: Site, name: string, lo: number, hi: number): number {
  const value = numberArg(args, index, site, name);
  if (Number.isInteger(value) && value >= lo && value <= hi) return value;
  return fail(site, 'invalid-argument', `${name}() needs a whole number from ${lo} to ${hi} as argument ${index + 1}, got ${formatNumber(value)}`);
}

/** Reads numbers, numeric strings and booleans as a number, for int() and float(). */
function toNumber(args: readonly Value[], site: Site, name: string): number {
  const value = arg(args, 0);
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const text = typeof value === 'string' ? value.trim() : '';
  const parsed = text === '' ? Number.NaN : Number(text);
  if (Number.isFinite(parsed)) return parsed;
  return fail(site, 'invalid-argument', `${name}() cannot read ${describeValue(value)} as a number`);
}

/** Half away from zero: round(2.5) = 3, round(-2.5) = -3. */
function roundTo(x: number, digits: number): number {
  const magnitude = Math.abs(x);
  const rounded = digits >= 0 ? Math.round(magnitude * 10 ** digits) / 10 ** digits : Math.round(magnitude / 10 ** -digits) * 10 ** -digits;
  const signed = x < 0 ? -rounded : rounded;
  return signed === 0 ? 0 : signed;
}

function scale(args: readonly Value[], site: Site, name: string): number {
  const x = numberArg(args, 0, site, name);
  const inLo = numberArg(args, 1, site, name);
  const inHi = numberArg(args, 2, site, name);
  const outLo = numberArg(args, 3, site, name);
  const outHi = numberArg(args, 4, site, name);
  if (inHi === inLo) fail(site, 'division-by-zero', `${name}() has an empty input range (inLo and inHi are both ${formatNumber(inLo)})`);
  return outLo + ((x - inLo) * (outHi - outLo)) / (inHi - inLo);
}

/** The smallest (direction -1) or largest (direction 1) argument. */
function extreme(args: readonly Value[], site: Site, name: string, direction: 1 | -1): number {
  let best = numberArg(args, 0, site, name);
  for (let i = 1; i < args.length; i++) {
    const n = numberArg(args, i, site, name);
    if ((n - best) * direction > 0) best = n;
  }
  return best;
}

function numeric(name: string, signature: string, count: number, apply: (args: readonly Value[], site: Site) => Value): Helper {
  return helper(name, signature, count, count, [T_NUMBER], T_NUMBER, apply);
}

function helper(
  name: string,
  signature: string,
  minArgs: number,
  maxArgs: number,
  params: readonly TypeMask[],
  result: TypeMask,
  apply: (args: readonly Value[], site: Site) => Value,
  options: { readonly nullGivesNull?: boolean; readonly lazy?: boolean } = {},
): Helper {
  return { name, signature, minArgs, maxArgs, params, result, apply, nullGivesNull: options.nullGivesNull ?? true, lazy: options.lazy ?? false };
}

const HELPERS: readonly Helper[] = [
  helper('round', 'round(x, digits = 0)', 1, 2, [T_NUMBER], T_NUMBER, (a, s) =>
    roundTo(numberArg(a, 0, s, 'round'), a.length > 1 ? integerArg(a, 1, s, 'round', -MAX_ROUND_DIGITS, MAX_ROUND_DIGITS) : 0),
  ),
  numeric('floor', 'floor(x)', 1, (a, s) => Math.floor(numberArg(a, 0, s, 'floor'))),
  numeric('ceil', 'ceil(x)', 1, (a, s) => Math.ceil(numberArg(a, 0, s, 'ceil'))),
  numeric('abs', 'abs(x)', 1, (a, s) => Math.abs(numberArg(a, 0, s, 'abs'))),
  numeric('sqrt', 'sqrt(x)', 1, (a, s) => Math.sqrt(numberArg(a, 0, s, 'sqrt'))),
  numeric('pow', 'pow(x, y)', 2, (a, s) => numberArg(a, 0, s, 'pow') ** numberArg(a, 1, s, 'pow')),
  helper('min', 'min(a, b, ...)', 1, Infinity, [T_NUMBER], T_NUMBER, (a, s) => extreme(a, s, 'min', -1)),
  helper('max', 'max(a, b, ...)', 1, Infinity, [T_NUMBER], T_NUMBER, (a, s) => extreme(a, s, 'max', 1)),
  numeric('clamp', 'clamp(x, lo, hi)', 3, (a, s) => {
    const x = numberArg(a, 0, s, 'clamp');
    const lo = numberArg(a, 1, s, 'clamp');
    const hi = numberArg(a, 2, s, 'clamp');
    if (lo > hi) fail(s, 'invalid-argument', `clamp() needs lo <= hi, got lo ${formatNumber(lo)} and hi ${formatNumber(hi)}`);
    return Math.min(Math.max(x, lo), hi);
  }),
  numeric('scale', 'scale(x, inLo, inHi, outLo, outHi)', 5, (a, s) => scale(a, s, 'scale')),
  numeric('scaleClamped', 'scaleClamped(x, inLo, inHi, outLo, outHi)', 5, (a, s) => {
    const y = scale(a, s, 'scaleClamped');
    const outLo = numberArg(a, 3, s, 'scaleClamped');
    const outHi = numberArg(a, 4, s, 'scaleClamped');
    return Math.min(Math.max(y, Math.min(outLo, outHi)), Math.max(outLo, outHi));
  }),
  helper('int', 'int(x)', 1, 1, [T_NUMBER | T_STRING | T_BOOLEAN], T_NUMBER, (a, s) => {
    const n = Math.trunc(toNumber(a, s, 'int'));
    return n === 0 ? 0 : n;
  }),
  helper('float', 'float(x)', 1, 1, [T_NUMBER | T_STRING | T_BOOLEAN], T_NUMBER, (a, s) => toNumber(a, s, 'float')),
  helper('str', 'str(x)', 1, 1, [T_ANY], T_STRING, (a) => formatValue(arg(a, 0)), { nullGivesNull: false }),
  helper('pad', "pad(x, width, char = '0')", 2, 3, [T_NUMBER | T_STRING, T_NUMBER, T_STRING], T_STRING, (a, s) => {
    const x = arg(a, 0);
    const width = integerArg(a, 1, s, 'pad', 0, MAX_PAD_WIDTH);
    const char = a.length > 2 ? stringArg(a, 2, s, 'pad') : '0';
    if (char.length !== 1) fail(s, 'invalid-argument', `pad() needs a single character as argument 3, got ${describeValue(char)}`);
    if (typeof x === 'number' && x < 0) return `-${formatNumber(-x).padStart(width - 1, char)}`;
    return formatValue(x).padStart(width, char);
  }),
  helper('lower', 'lower(text)', 1, 1, [T_STRING], T_STRING, (a, s) => stringArg(a, 0, s, 'lower').toLowerCase()),
  helper('upper', 'upper(text)', 1, 1, [T_STRING], T_STRING, (a, s) => stringArg(a, 0, s, 'upper').toUpperCase()),
  helper('if', 'if(condition, then, else)', 3, 3, [T_ANY], 0, (a) => (isTruthy(arg(a, 0)) ? arg(a, 1) : arg(a, 2)), { nullGivesNull: false, lazy: true }),
];

const BY_NAME: ReadonlyMap<string, Helper> = new Map(HELPERS.map((h) => [h.name, h]));

/** Looked up in a Map, so no inherited name can ever match. */
export function findHelper(name: string): Helper | null {
  return BY_NAME.get(name) ?? null;
}

export const HELPER_NAMES: readonly string[] = HELPERS.map((h) => h.name);

/** "takes 1 or 2 arguments", "takes at least 1 argument", "takes 3 arguments". */
export function arityText(h: Helper): string {
  const plural = (n: number): string => `${n} argument${n === 1 ? '' : 's'}`;
  if (h.maxArgs === Infinity) return `takes at least ${plural(h.minArgs)}`;
  if (h.minArgs === h.maxArgs) return `takes ${plural(h.minArgs)}`;
  if (h.maxArgs === h.minArgs + 1) return `takes ${h.minArgs} or ${plural(h.maxArgs)}`;
  return `takes ${h.minArgs} to ${plural(h.maxArgs)}`;
}
