import { CompileError, compileTemplate, MAX_SOURCE_LENGTH, type CompiledTemplate } from '../../../src/mapping/expr';
import { withDeck } from './helpers';
import { context, SCOPE } from './scope-fixture';

function template(text: string): CompiledTemplate {
  const result = compileTemplate(text, SCOPE);
  if (result instanceof CompileError) throw new Error(`${text}: unexpected compile error: ${result.message}`);
  return result;
}

function render(text: string, ctx: unknown = context()): unknown {
  const compiled = template(text);
  const result = compiled.evaluate(ctx);
  if (!result.ok) throw new Error(`${text}: unexpected evaluation error: ${result.error.message}`);
  // The engine's way, without the result object, gives the same value.
  expect(compiled.evaluateValue(ctx)).toBe(result.value);
  return result.value;
}

function templateError(text: string): CompileError {
  const result = compileTemplate(text, SCOPE);
  if (!(result instanceof CompileError)) throw new Error(`${text}: expected a compile error`);
  return result;
}

describe('templates with one expression keep its type', () => {
  it.each([
    ['{{ deck.effectiveBpm }}', 128, ['number', 'null']],
    [' {{ deck.bpm }}\n', 125, ['number', 'null']],
    ['{{ deck.playing }}', true, ['boolean']],
    ['{{deck.number*2}}', 4, ['number']],
    ['{{ scale(master.effectiveBpm, 60, 180, 0, 1) }}', (128 - 60) / 120, ['number', 'null']],
    ["{{ 'deck ' + deck.number }}", 'deck 2', ['string']],
    ["{{ '}}' }}", '}}', ['string']],
    ["{{ '{{' + deck.number }}", '{{2', ['string']],
  ])('%j is %j', (text, expected, types) => {
    const compiled = template(text);
    expect([compiled.mode, compiled.resultTypes]).toEqual(['value', types]);
    expect(render(text)).toBe(expected);
  });

  it('gives null as null', () => {
    expect(render('{{ deck.trackId }}', withDeck({ trackId: null }))).toBe(null);
  });
});

describe('templates with text', () => {
  it.each([
    ['/deck/{{ deck.number }}/bpm', '/deck/2/bpm'],
    ['{{ deck.number }}{{ deck.number }}', '22'],
    ['bpm {{ deck.effectiveBpm / 3 }}', 'bpm 42.666667'],
    ['x {{ 0.1 + 0.2 }}', 'x 0.3'],
    ['{{ deck.effectiveBpm }} BPM', '128 BPM'],
    ['on air: {{ deck.onAir }}', 'on air: true'],
    ['/phrase/{{ lower(phrase.label) }}/{{ phrase.bars / 4 }}', '/phrase/chorus/4'],
    ['}} {{ deck.number }} }}', '}} 2 }}'],
    ['{ {{ deck.number }} }', '{ 2 }'],
    ['a\\b {{ deck.number }}', 'a\\b 2'],
    ['\\{{ deck.number }} is {{ deck.number }}', '{{ deck.number }} is 2'],
    ["{{ \"it's\" }} {{ 'say \"hi\"' }}", 'it\'s say "hi"'],
  ])('%j is %j', (text, expected) => {
    expect(template(text).mode).toBe('text');
    expect(template(text).resultTypes).toEqual(['string']);
    expect(render(text)).toBe(expected);
  });

  it('writes null as nothing', () => {
    expect(render('/track/{{ deck.trackId }}', withDeck({ trackId: null }))).toBe('/track/');
  });

  it('reports the names it reads', () => {
    expect(template('{{ deck.number }}/{{ phrase.kind }}/{{ deck.number }}').paths).toEqual(['deck.number', 'phrase.kind']);
  });
});

describe('templates without expressions', () => {
  it.each([
    ['/cue/go', '/cue/go'],
    ['', ''],
    ['\\{{ literal }}', '{{ literal }}'],
    ['a } b }} c', 'a } b }} c'],
  ])('%j is the text %j', (text, expected) => {
    const compiled = template(text);
    expect([compiled.mode, compiled.resultTypes, compiled.paths]).toEqual(['literal', ['string'], []]);
    expect(compiled.evaluate(null)).toEqual({ ok: true, value: expected });
  });
});

describe('template errors', () => {
  it.each([
    ['a {{ dek }}', 'unknown-variable', 'unknown variable "dek" (did you mean "deck"? known: deck, master, event, phrase, extra)', 5, 3, 1, 6],
    ['/x/{{ deck.bpm + }}', 'syntax', 'the expression ends too soon (expected a value)', 17, 0, 1, 18],
    ['{{ }}', 'syntax', 'empty "{{ }}" (put an expression between the braces)', 0, 5, 1, 1],
    ['a {{   }} b', 'syntax', 'empty "{{ }}" (put an expression between the braces)', 2, 7, 1, 3],
    ['/x/{{ deck.bpm', 'syntax', 'unclosed "{{" (expected "}}"; write \\{{ for a literal "{{")', 3, 2, 1, 4],
    ["{{ 'a\\", 'syntax', 'unterminated string (close it with the same quote it opens with)', 3, 3, 1, 4],
    ["{{ 'abc }}", 'syntax', 'unterminated string (close it with the same quote it opens with)', 3, 7, 1, 4],
    ['{{ {{ x }} }}', 'syntax', 'unexpected character "{"', 3, 1, 1, 4],
    ['line one\n{{ deck.bmp }}', 'unknown-field', expect.stringMatching(/^unknown field "bmp" of deck \(did you mean "bpm"\?/), 17, 3, 2, 9],
    ['ok {{ deck.number }} then {{ round() }}', 'arity', 'round() takes 1 or 2 arguments, but got 0 (round(x, digits = 0))', 29, 7, 1, 30],
    ["{{ deck.number * 'x' }}", 'type', '"*" needs numbers, but \'x\' is a string', 3, 17, 1, 4],
  ])('%j', (text, code, message, offset, length, line, column) => {
    const error = templateError(text);
    expect({ code: error.code, message: error.message, offset: error.offset, length: error.length, line: error.line, column: error.column }).toEqual({
      code,
      message,
      offset,
      length,
      line,
      column,
    });
  });

  it(`refuses templates longer than ${MAX_SOURCE_LENGTH} characters`, () => {
    const text = `/x/{{ deck.number }}${'y'.repeat(MAX_SOURCE_LENGTH)}`;
    expect(templateError(text)).toMatchObject({ code: 'too-long', offset: 0, length: text.length });
  });

  it('locates evaluation errors within the whole template', () => {
    const text = 'x {{ 10 / (deck.number - 2) }}';
    const result = template(text).evaluate(context());
    expect(result).toMatchObject({ ok: false, error: { code: 'division-by-zero', offset: 5, length: 22 } });
  });

  it('locates evaluation errors of a single-expression template too', () => {
    const result = template('  {{ extra * 2 }}').evaluate({ ...context(), extra: 'a' });
    expect(result).toMatchObject({ ok: false, error: { code: 'type-mismatch', offset: 5, length: 9 } });
  });
});

describe('evaluateValue', () => {
  it('gives the error itself where evaluate gives a failed result', () => {
    for (const text of ['/x/{{ deck.number / 0 }}', '{{ deck.number / 0 }}']) {
      const compiled = template(text);
      const result = compiled.evaluate(context());
      expect(result.ok).toBe(false);
      if (!result.ok) expect(compiled.evaluateValue(context())).toEqual(result.error);
    }
  });
});

describe('a text template rendered again', () => {
  it('gives the right text as values change, come back, and when an expression fails half-way', () => {
    const t = template('/deck/{{ deck.number }}/{{ 1 / deck.bpm }}');
    const at = (number: unknown, bpm: unknown): unknown => {
      const r = t.evaluate(withDeck({ number, bpm }));
      return r.ok ? r.value : `error: ${r.error.code}`;
    };
    expect(at(2, 2)).toBe('/deck/2/0.5');
    expect(at(2, 2)).toBe('/deck/2/0.5');
    expect(at(3, 2)).toBe('/deck/3/0.5');
    // The first value is new and the second fails: nothing of it may be kept.
    expect(at(4, 0)).toBe('error: division-by-zero');
    expect(at(4, 2)).toBe('/deck/4/0.5');
    expect(at(3, 2)).toBe('/deck/3/0.5');
    expect(at(4, 4)).toBe('/deck/4/0.25');
    expect(at(2, 2)).toBe('/deck/2/0.5');
    // 0 and -0 print alike; null prints as nothing.
    expect(at(-0, 4)).toBe('/deck/0/0.25');
    expect(at(0, 4)).toBe('/deck/0/0.25');
    const nullable = template('/x/{{ deck.effectiveBpm }}/y');
    expect(nullable.evaluate(withDeck({ effectiveBpm: null }))).toEqual({ ok: true, value: '/x//y' });
    expect(nullable.evaluate(withDeck({ effectiveBpm: 128 }))).toEqual({ ok: true, value: '/x/128/y' });
    expect(nullable.evaluate(withDeck({ effectiveBpm: null }))).toEqual({ ok: true, value: '/x//y' });
  });
});
