import { context } from './scope-fixture';
import { compiled, evalErrorOf, valueOf, withDeck, withExtra } from './helpers';

describe('arithmetic and text', () => {
  it.each([
    ['1 + 2', 3],
    ['0.1 + 0.2', 0.1 + 0.2],
    ['7 - 10', -3],
    ['6 * 7', 42],
    ['7 / 2', 3.5],
    ['7 % 4', 3],
    ['-1 % 4', 3],
    ['1 % -4', -3],
    ['5.5 % 2', 1.5],
    ['-deck.number', -2],
    ['- -3', 3],
    ['deck.effectiveBpm / 2 + deck.number * 10', 84],
    ["'a' + 'b'", 'ab'],
    ["'deck ' + deck.number", 'deck 2'],
    ["deck.pitch + ' x'", '1.024 x'],
    ["'on: ' + deck.playing", 'on: true'],
    ["1 / 3 + ''", '0.333333'],
    ["'' + 120.0", '120'],
  ])('%s is %j', (source, expected) => {
    expect(valueOf(source)).toBe(expected);
  });

  it('never produces negative zero', () => {
    expect(Object.is(valueOf('-8 % 4'), 0)).toBe(true);
    expect(Object.is(valueOf('-deck.number', withDeck({ number: 0 })), 0)).toBe(true);
  });

  it('reports division by zero with the span of the division', () => {
    const error = evalErrorOf('1 + deck.number / (deck.number - 2)');
    expect([error.code, error.offset, error.length]).toEqual(['division-by-zero', 4, 31]);
    expect(error.message).toBe('division by zero in "deck.number / (deck.number - 2)"');
    expect(evalErrorOf('deck.number % (deck.number - 2)').code).toBe('division-by-zero');
  });

  it('reports results that are not finite', () => {
    const error = evalErrorOf('extra * 10', withExtra(1e308));
    expect([error.code, error.message]).toEqual(['non-finite', 'the result is not a finite number in "extra * 10"']);
  });

  it('reports operands of the wrong type that only the context reveals', () => {
    expect(evalErrorOf('extra * 2', withExtra('abc'))).toMatchObject({
      code: 'type-mismatch',
      message: '"*" needs numbers, got the string "abc" and the number 2 in "extra * 2"',
      offset: 0,
      length: 9,
    });
    expect(evalErrorOf('extra + 1', withExtra(true)).message).toBe('"+" adds numbers or joins text, got the boolean true and the number 1 in "extra + 1"');
    expect(evalErrorOf('-extra', withExtra(false)).message).toBe('"-" needs a number, got the boolean false in "-extra"');
    expect(evalErrorOf('extra < 1', withExtra('0')).message).toBe('"<" compares two numbers or two strings, got the string "0" and the number 1 in "extra < 1"');
  });
});

describe('comparison', () => {
  it.each([
    ['deck.bpm >= 125', true],
    ['deck.bpm > 125', false],
    ['deck.bpm <= 125', true],
    ['deck.bpm < 125', false],
    ["'a' < 'b'", true],
    ["'b' > 'a'", true],
    ["'B' < 'a'", true],
    ["'abc' <= 'abc'", true],
    ["'abd' >= 'abc'", true],
    ['deck.number == 2', true],
    ['deck.number != 2', false],
    ["phrase.kind == 'chorus'", true],
    ["phrase.kind != 'verse'", true],
    ['deck.playing == true', true],
    ['null == null', true],
    ['extra == null', true],
  ])('%s is %j', (source, expected) => {
    expect(valueOf(source)).toBe(expected);
  });

  it('never converts types for equality', () => {
    expect(valueOf('extra == 1', withExtra('1'))).toBe(false);
    expect(valueOf('extra != 1', withExtra('1'))).toBe(true);
    expect(valueOf('extra == 0', withExtra(false))).toBe(false);
    expect(valueOf('extra == null', withExtra(0))).toBe(false);
  });
});

describe('logic and choice', () => {
  it.each([
    ['true && false', false],
    ['true and true', true],
    ["1 && 'x'", true],
    ["0 || ''", false],
    ['null or 1', true],
    ['!0', true],
    ["not ''", true],
    ['!deck.phrase.kind', false],
    ['deck.playing and deck.onAir', true],
    ["deck.number == 2 ? 'two' : 'other'", 'two'],
    ["deck.number == 3 ? 'three' : deck.number == 2 ? 'two' : 'other'", 'two'],
    ['deck.trackId ?? 0', 417],
    ['0 ?? 5', 0],
    ["extra ?? 'none'", 'none'],
    ['deck.number in [1, 2, 3]', true],
    ['deck.number not in [1, 2]', false],
    ["phrase.kind in ['verse', 'chorus']", true],
    ['deck.number in [master.deck]', true],
    ['deck.number in [master.deck + 1]', false],
    ['extra in [1, null]', true],
    ['extra in []', false],
    ['extra not in []', true],
    ['not deck.playing == false', true],
  ])('%s is %j', (source, expected) => {
    expect(valueOf(source)).toBe(expected);
  });

  it('evaluates only what it needs', () => {
    const zero = withExtra(0);
    expect(valueOf('false && 1 / extra > 0', zero)).toBe(false);
    expect(valueOf('true || 1 / extra > 0', zero)).toBe(true);
    expect(valueOf('true ? 1 : 1 / extra', zero)).toBe(1);
    expect(valueOf('false ? 1 / extra : 2', zero)).toBe(2);
    expect(valueOf('deck.number ?? 1 / extra', zero)).toBe(2);
    expect(valueOf('deck.number in [2, 1 / extra]', zero)).toBe(true);
  });

  it('uses ?? only for null', () => {
    expect(valueOf('deck.trackId ?? 0', withDeck({ trackId: null }))).toBe(0);
    expect(valueOf('extra ?? 5', withExtra(false))).toBe(false);
  });
});

describe('null', () => {
  const unknownBpm = withDeck({ bpm: null, phrase: null });

  it.each([
    ['deck.bpm * 2', null],
    ['deck.bpm + 1', null],
    ["'bpm ' + deck.bpm", null],
    ['-deck.bpm', null],
    ['deck.bpm % 4', null],
    ['deck.bpm > 100', false],
    ['deck.bpm <= 100', false],
    ['deck.bpm == null', true],
    ['deck.bpm != null', false],
    ['deck.phrase.kind', null],
    ['deck.phrase.kind == null', true],
    ['round(deck.bpm)', null],
    ['str(deck.bpm)', ''],
    ['deck.bpm ?? deck.effectiveBpm', 128],
  ])('%s is %j', (source, expected) => {
    expect(valueOf(source, unknownBpm)).toBe(expected);
  });

  it('reads a missing field, a missing group or a missing context as null', () => {
    expect(valueOf('deck.phrase.kind', withDeck({ phrase: undefined }))).toBe(null);
    const { deck: _deck, ...noDeck } = context();
    expect(valueOf('deck.number', noDeck)).toBe(null);
    for (const ctx of [null, undefined, 42, 'deck', true, [], () => 1]) {
      expect(compiled('deck.number').evaluate(ctx)).toEqual({ ok: true, value: null });
    }
  });

  it('treats a primitive where a group belongs as having no fields', () => {
    expect(valueOf('deck.phrase.kind', withDeck({ phrase: 'chorus' }))).toBe(null);
    expect(valueOf('deck.phrase.bars', withDeck({ phrase: 16 }))).toBe(null);
  });
});

describe('values from the context', () => {
  it.each([
    [{}, 'not-a-value', 'the context holds an object, not a value, in "deck.bpm"'],
    [[125], 'not-a-value', 'the context holds an array, not a value, in "deck.bpm"'],
    [() => 125, 'not-a-value', 'the context holds a function, not a value, in "deck.bpm"'],
    [125n, 'not-a-value', 'the context holds a bigint, not a value, in "deck.bpm"'],
    [Symbol('bpm'), 'not-a-value', 'the context holds a symbol, not a value, in "deck.bpm"'],
    [Number.NaN, 'non-finite', 'the context holds NaN, not a finite number, in "deck.bpm"'],
    [Infinity, 'non-finite', 'the context holds Infinity, not a finite number, in "deck.bpm"'],
  ])('refuses %p where a value belongs', (bpm, code, message) => {
    const error = evalErrorOf('deck.bpm + 1', withDeck({ bpm }));
    expect([error.code, error.message, error.offset, error.length]).toEqual([code, message, 0, 8]);
  });

  it('reads undefined as null', () => {
    expect(valueOf('deck.bpm', withDeck({ bpm: undefined }))).toBe(null);
  });
});
