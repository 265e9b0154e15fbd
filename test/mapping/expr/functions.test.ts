import { HELPER_NAMES } from '../../../src/mapping/expr';
import { compileErrorOf, compiled, evalErrorOf, valueOf, withDeck, withExtra } from './helpers';

/** [source, expected value]; every helper must appear at least once. */
const CASES: readonly (readonly [string, unknown])[] = [
  ['round(2.5)', 3],
  ['round(-2.5)', -3],
  ['round(0.49)', 0],
  ['round(1.2345, 2)', 1.23],
  ['round(1234, -2)', 1200],
  ['round(deck.pitch * 100, 1)', 102.4],
  ['floor(-1.5)', -2],
  ['floor(deck.pitch)', 1],
  ['ceil(1.2)', 2],
  ['abs(-3)', 3],
  ['abs(deck.number - 5)', 3],
  ['sqrt(16)', 4],
  ['pow(2, 10)', 1024],
  ['pow(4, 0.5)', 2],
  ['min(3, 1, 2)', 1],
  ['min(5)', 5],
  ['max(3, 1, 2)', 3],
  ['max(deck.number, 10)', 10],
  ['clamp(5, 0, 1)', 1],
  ['clamp(-5, 0, 1)', 0],
  ['clamp(0.5, 0, 1)', 0.5],
  ['clamp(deck.effectiveBpm, 60, 180)', 128],
  ['scale(120, 60, 180, 0, 1)', 0.5],
  ['scale(master.effectiveBpm, 60, 180, 0, 1)', (128 - 60) / 120],
  ['scale(200, 60, 180, 0, 1)', 140 / 120],
  ['scale(30, 60, 180, 0, 1)', -30 / 120],
  ['scale(60, 60, 180, 1, 0)', 1],
  ['scale(5, 0, 10, 100, 200)', 150],
  ['scaleClamped(200, 60, 180, 0, 1)', 1],
  ['scaleClamped(30, 60, 180, 0, 1)', 0],
  ['scaleClamped(200, 60, 180, 1, 0)', 0],
  ['scaleClamped(30, 60, 180, 1, 0)', 1],
  ['scaleClamped(120, 60, 180, 0, 127)', 63.5],
  ['int(3.9)', 3],
  ['int(-3.9)', -3],
  ["int('12.7')", 12],
  ["int(' 42 ')", 42],
  ['int(true)', 1],
  ['float(false)', 0],
  ["float('1e3')", 1000],
  ["float('-0.25')", -0.25],
  ['float(deck.number)', 2],
  ['str(120)', '120'],
  ['str(0.5)', '0.5'],
  ['str(1 / 3)', '0.333333'],
  ['str(2 / 3)', '0.666667'],
  ['str(128.0000001)', '128'],
  ['str(-0.0000001)', '0'],
  ['str(-2.5)', '-2.5'],
  ['str(123.4567891)', '123.456789'],
  ['str(0.1 + 0.2)', '0.3'],
  ['str(1e21)', '1e+21'],
  ['str(true)', 'true'],
  ["str('x')", 'x'],
  ['str(null)', ''],
  ['pad(5, 3)', '005'],
  ['pad(-5, 3)', '-05'],
  ["pad('ab', 4, ' ')", '  ab'],
  ['pad(12345, 3)', '12345'],
  ['pad(1.5, 5)', '001.5'],
  ['pad(deck.number, 2)', '02'],
  ["lower('ABC')", 'abc'],
  ['upper(deck.deviceName)', 'XDJ-AZ'],
  ["upper(phrase.kind) + '!'", 'CHORUS!'],
  ["if(deck.playing, 'on', 'off')", 'on'],
  ['if(0, 1, 2)', 2],
  ['if(null, 1, 2)', 2],
  ["if('', 1, 2)", 2],
];

describe('helpers', () => {
  it.each(CASES)('%s is %j', (source, expected) => {
    expect(valueOf(source)).toBe(expected);
  });

  it('has a case for every helper', () => {
    const called = new Set(CASES.flatMap(([source]) => [...source.matchAll(/([A-Za-z]+)\(/g)].map((m) => m[1])));
    expect(HELPER_NAMES.filter((name) => !called.has(name))).toEqual([]);
  });

  it('does not give negative zero', () => {
    for (const source of ['round(-0.4)', 'int(-0.5)', 'round(-0.001, 2)']) {
      expect(Object.is(valueOf(source), 0)).toBe(true);
    }
  });

  it('passes null through, except str() and if()', () => {
    const unknown = withDeck({ bpm: null });
    for (const source of ['round(deck.bpm)', 'round(1.5, extra)', 'floor(deck.bpm)', 'max(1, deck.bpm)', 'clamp(deck.bpm, 0, 1)', 'scale(deck.bpm, 0, 1, 0, 1)', 'int(deck.bpm)', 'pad(deck.bpm, 3)', 'lower(extra)']) {
      expect([source, valueOf(source, unknown)]).toEqual([source, null]);
    }
    expect(valueOf('str(deck.bpm)', unknown)).toBe('');
    expect(valueOf('if(deck.bpm, 1, 2)', unknown)).toBe(2);
  });

  it('evaluates only the chosen branch of if()', () => {
    expect(valueOf('if(true, 1, 1 / extra)', withExtra(0))).toBe(1);
    expect(valueOf('if(false, 1 / extra, 2)', withExtra(0))).toBe(2);
  });

  it.each([
    ['round(1, extra)', 1.5, 'invalid-argument', 'round() needs a whole number from -15 to 15 as argument 2, got 1.5 in "round(1, extra)"'],
    ['round(1, extra)', 16, 'invalid-argument', 'round() needs a whole number from -15 to 15 as argument 2, got 16 in "round(1, extra)"'],
    ['abs(extra)', 'x', 'type-mismatch', 'abs() needs a number as argument 1, got the string "x" in "abs(extra)"'],
    ['min(1, extra)', true, 'type-mismatch', 'min() needs a number as argument 2, got the boolean true in "min(1, extra)"'],
    ['lower(extra)', 5, 'type-mismatch', 'lower() needs a string as argument 1, got the number 5 in "lower(extra)"'],
    ['clamp(1, extra, 0)', 2, 'invalid-argument', 'clamp() needs lo <= hi, got lo 2 and hi 0 in "clamp(1, extra, 0)"'],
    ['scale(1, extra, 2, 0, 1)', 2, 'division-by-zero', 'scale() has an empty input range (inLo and inHi are both 2) in "scale(1, extra, 2, 0, 1)"'],
    ['sqrt(extra)', -1, 'non-finite', 'the result is not a finite number in "sqrt(extra)"'],
    ['pow(extra, 2000)', 10, 'non-finite', 'the result is not a finite number in "pow(extra, 2000)"'],
    ['int(extra)', 'abc', 'invalid-argument', 'int() cannot read the string "abc" as a number in "int(extra)"'],
    ['float(extra)', '', 'invalid-argument', 'float() cannot read the string "" as a number in "float(extra)"'],
    ['pad(1, extra)', 257, 'invalid-argument', 'pad() needs a whole number from 0 to 256 as argument 2, got 257 in "pad(1, extra)"'],
    ['pad(1, 3, extra)', 'ab', 'invalid-argument', 'pad() needs a single character as argument 3, got the string "ab" in "pad(1, 3, extra)"'],
  ])('%s with extra = %p fails', (source, extra, code, message) => {
    const error = evalErrorOf(source, withExtra(extra));
    expect([error.code, error.message, error.offset, error.length]).toEqual([code, message, 0, source.length]);
  });

  it('reports the span of the failing call inside a larger expression', () => {
    const error = evalErrorOf('1 + sqrt(extra) * 2', withExtra(-4));
    expect([error.offset, error.length]).toEqual([4, 11]);
  });
});

describe('helper calls checked at compile time', () => {
  it.each([
    ['round()', 'round() takes 1 or 2 arguments, but got 0 (round(x, digits = 0))'],
    ['round(1, 2, 3)', 'round() takes 1 or 2 arguments, but got 3 (round(x, digits = 0))'],
    ['min()', 'min() takes at least 1 argument, but got 0 (min(a, b, ...))'],
    ['clamp(1, 2)', 'clamp() takes 3 arguments, but got 2 (clamp(x, lo, hi))'],
    ['abs(1, 2)', 'abs() takes 1 argument, but got 2 (abs(x))'],
    ['if(deck.playing, 1)', 'if() takes 3 arguments, but got 2 (if(condition, then, else))'],
    ["pad(1, 2, '0', 4)", "pad() takes 2 or 3 arguments, but got 4 (pad(x, width, char = '0'))"],
  ])('%s has the wrong arity', (source, message) => {
    const error = compileErrorOf(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['arity', message, 0, source.length]);
  });

  it.each([
    ["round('x')", "round() needs a number as argument 1, but 'x' is a string", 6, 3],
    ['lower(deck.number)', 'lower() needs a string as argument 1, but deck.number is a number', 6, 11],
    ['max(1, 2, deck.playing)', 'max() needs a number as argument 3, but deck.playing is a boolean', 10, 12],
    ["pad(1, '3')", "pad() needs a number as argument 2, but '3' is a string", 7, 3],
    ['upper(deck.phrase.bars > 4)', 'upper() needs a string as argument 1, but deck.phrase.bars > 4 is a boolean', 6, 20],
    ['int(deck.phrase)', 'deck.phrase is a group of fields, not a value (use one of its fields: index, kind, family, label, mood, bank, bars, fillBeat)', 4, 11],
  ])('%s has an argument that can never work', (source, message, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.message, error.offset, error.length]).toEqual([message, offset, length]);
  });

  it.each([
    ['rnd(1)', 'unknown function "rnd" (did you mean "round"? known: round, floor, ceil, abs, sqrt, pow, min, max, clamp, scale, scaleClamped, int, float, str, pad, lower, upper, if)'],
    ['clmap(1, 2, 3)', 'unknown function "clmap" (did you mean "clamp"? known: round, floor, ceil, abs, sqrt, pow, min, max, clamp, scale, scaleClamped, int, float, str, pad, lower, upper, if)'],
    ['length(x)', 'unknown function "length" (known: round, floor, ceil, abs, sqrt, pow, min, max, clamp, scale, scaleClamped, int, float, str, pad, lower, upper, if)'],
    ['deck(1)', 'unknown function "deck" ("deck" is a variable, not a function; known: round, floor, ceil, abs, sqrt, pow, min, max, clamp, scale, scaleClamped, int, float, str, pad, lower, upper, if)'],
    ['toString(1)', 'unknown function "toString" (known: round, floor, ceil, abs, sqrt, pow, min, max, clamp, scale, scaleClamped, int, float, str, pad, lower, upper, if)'],
  ])('%s is not a helper', (source, message) => {
    const error = compileErrorOf(source);
    const name = source.slice(0, source.indexOf('('));
    expect([error.code, error.message, error.offset, error.length]).toEqual(['unknown-function', message, 0, name.length]);
  });

  it('compiles helper results with their static types', () => {
    expect(compiled('round(deck.number)').resultTypes).toEqual(['number']);
    expect(compiled('round(deck.bpm)').resultTypes).toEqual(['number', 'null']);
    expect(compiled('str(deck.bpm)').resultTypes).toEqual(['string']);
    expect(compiled("if(deck.playing, deck.number, 'x')").resultTypes).toEqual(['number', 'string']);
  });
});
