import type { ScopeDescription } from '../../../src/mapping/expr';
import { compileErrorOf, compiled, valueOf, withExtra } from './helpers';

const KNOWN = 'known: deck, master, event, phrase, extra';
const DECK_FIELDS = 'number, deviceName, trackId, playing, onAir, master, bpm, pitch, effectiveBpm, beat, beatInBar, phrase';

describe('names checked against the scope', () => {
  it('suggests the nearest known variable', () => {
    const small: ScopeDescription = { deck: { bpm: 'number' }, master: { effectiveBpm: 'number' }, event: { type: 'string' } };
    const error = compileErrorOf('dek.bpm > 120', small);
    expect([error.code, error.message, error.offset, error.length, error.line, error.column]).toEqual([
      'unknown-variable',
      'unknown variable "dek" (did you mean "deck"? known: deck, master, event)',
      0,
      3,
      1,
      1,
    ]);
  });

  it.each([
    ['decks.number', 'unknown variable "decks" (did you mean "deck"? known: deck, master, event, phrase, extra)', 0, 5],
    ['maser.effectiveBpm', `unknown variable "maser" (did you mean "master"? ${KNOWN})`, 0, 5],
    ['Deck.bpm', `unknown variable "Deck" (did you mean "deck"? ${KNOWN})`, 0, 4],
    ['tempo > 1', `unknown variable "tempo" (${KNOWN})`, 0, 5],
    ['round > 1', `unknown variable "round" ("round" is a function: call it as round(x, digits = 0); ${KNOWN})`, 0, 5],
    ['toString', `unknown variable "toString" (${KNOWN})`, 0, 8],
    ['hasOwnProperty', `unknown variable "hasOwnProperty" (${KNOWN})`, 0, 14],
  ])('%s is an unknown variable', (source, message, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['unknown-variable', message, offset, length]);
  });

  it.each([
    ['deck.bmp', `unknown field "bmp" of deck (did you mean "bpm"? known: ${DECK_FIELDS})`, 5, 3],
    ['1 + deck.phrase.kinds', 'unknown field "kinds" of deck.phrase (did you mean "kind"? known: index, kind, family, label, mood, bank, bars, fillBeat)', 16, 5],
    ['deck.valueOf', `unknown field "valueOf" of deck (known: ${DECK_FIELDS})`, 5, 7],
    ['deck.bpm.value', 'deck.bpm is a number or null and has no fields', 9, 5],
    ['extra.field', 'extra is anything and has no fields', 6, 5],
  ])('%s is an unknown field', (source, message, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['unknown-field', message, offset, length]);
  });

  it('refuses a group of fields used as a value', () => {
    const error = compileErrorOf("deck == 'x'");
    expect([error.code, error.message, error.offset, error.length]).toEqual([
      'not-a-value',
      `deck is a group of fields, not a value (use one of its fields: ${DECK_FIELDS})`,
      0,
      4,
    ]);
  });

  it('locates errors by line and column in a multi-line expression', () => {
    const error = compileErrorOf('deck.bpm > 120 &&\n  dek.playing');
    expect([error.offset, error.line, error.column]).toEqual([20, 2, 3]);
    expect(String(error)).toBe(`2:3 unknown variable "dek" (did you mean "deck"? ${KNOWN})`);
  });

  it('reads only names the scope declares as its own', () => {
    const inherited = Object.create({ tempo: 'number' }) as ScopeDescription;
    expect(compileErrorOf('tempo', inherited).code).toBe('unknown-variable');
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { tempo: 'number' }) as ScopeDescription;
    expect(compiled('tempo', bare).evaluate({ tempo: 120 })).toEqual({ ok: true, value: 120 });
  });

  it('reports the names an expression reads', () => {
    expect(compiled('deck.bpm > 1 && deck.bpm < master.effectiveBpm || phrase.bars == 8').paths).toEqual(['deck.bpm', 'master.effectiveBpm', 'phrase.bars']);
    expect(compiled('1 + 2').paths).toEqual([]);
  });
});

describe('static types', () => {
  it.each([
    ["'a' * 2", '"*" needs numbers, but \'a\' is a string', 0, 7],
    ['2 - deck.deviceName', '"-" needs numbers, but deck.deviceName is a string', 0, 19],
    ['deck.playing / 2', '"/" needs numbers, but deck.playing is a boolean', 0, 16],
    ['true + 1', '"+" adds numbers or joins text, but true is a boolean and 1 is a number', 0, 8],
    ['deck.bpm + deck.playing', '"+" adds numbers or joins text, but deck.bpm is a number or null and deck.playing is a boolean', 0, 23],
    ["-'a'", '"-" needs a number, but \'a\' is a string', 0, 4],
    ["deck.bpm < 'x'", "\"<\" compares two numbers or two strings, but deck.bpm is a number or null and 'x' is a string", 0, 14],
    ["deck.number == 'one'", "this is always false: deck.number is a number and 'one' is a string, and == never converts types", 0, 20],
    ['deck.playing != 1', 'this is always true: deck.playing is a boolean and 1 is a number, and == never converts types', 0, 17],
    ["deck.number in [1, 'two']", '\'two\' can never match: it is a string and deck.number is a number, and "in" never converts types', 19, 5],
  ])('%s can never work', (source, message, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['type', message, offset, length]);
  });

  it.each([
    ['null * 2', null],
    ['deck.number == null', false],
    ['extra * 2', 0],
    ["'x' + true", 'xtrue'],
    ["deck.bpm ?? 'unknown'", 125],
  ])('%s is allowed because it can work', (source, expected) => {
    expect(valueOf(source, withExtra(0))).toBe(expected);
  });

  it.each([
    ['deck.bpm', ['number', 'null']],
    ['deck.number > 1', ['boolean']],
    ['deck.trackId ?? 0', ['number']],
    ["'a' + deck.number", ['string']],
    ['deck.number + 1', ['number']],
    ['extra', ['number', 'string', 'boolean', 'null']],
    ["deck.playing ? 1 : 'x'", ['number', 'string']],
    ['2 * 3 + 1', ['number']],
  ])('%s has result types %j', (source, types) => {
    expect(compiled(source).resultTypes).toEqual(types);
  });
});

describe('constant parts', () => {
  it('computes literal-only parts once, with the same results', () => {
    expect(valueOf('2 * 3 + 1')).toBe(7);
    expect(valueOf("upper('a') + str(round(2.567, 1))")).toBe('A2.6');
    expect(valueOf('scale(120, 60, 180, 0, 1) * deck.number')).toBe(1);
  });

  it.each([
    ['1 / 0', 'this always fails: division by zero in "1 / 0"', 0, 5],
    ['deck.number + 1 / 0', 'this always fails: division by zero in "1 / 0"', 14, 5],
    ['sqrt(-1)', 'this always fails: the result is not a finite number in "sqrt(-1)"', 0, 8],
    ['clamp(deck.number, 5, 1) + clamp(1, 5, 1)', 'this always fails: clamp() needs lo <= hi, got lo 5 and hi 1 in "clamp(1, 5, 1)"', 27, 14],
    ['pad(1, 300)', 'this always fails: pad() needs a whole number from 0 to 256 as argument 2, got 300 in "pad(1, 300)"', 0, 11],
    ["int('x')", 'this always fails: int() cannot read the string "x" as a number in "int(\'x\')"', 0, 8],
  ])('%s always fails', (source, message, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['always-fails', message, offset, length]);
  });

  it('leaves failures that depend on the context to evaluation', () => {
    expect(compiled('deck.number / 0').evaluate({ deck: { number: 3 } })).toMatchObject({ ok: false, error: { code: 'division-by-zero' } });
    expect(compiled('scale(deck.number, 1, 1, 0, 1)').evaluate({ deck: { number: 3 } })).toMatchObject({ ok: false, error: { code: 'division-by-zero' } });
  });
});
