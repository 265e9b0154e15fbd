import fc from 'fast-check';
import { CompileError, compileExpression, compileTemplate, HELPER_NAMES, type EvalErrorCode, type ScopeDescription } from '../../../src/mapping/expr';
import { SCOPE } from './scope-fixture';

const EVAL_CODES: readonly EvalErrorCode[] = ['division-by-zero', 'non-finite', 'type-mismatch', 'not-a-value', 'invalid-argument', 'forbidden-member', 'context'];

/** Every dotted name of a value in a scope, with its declared type. */
function leaves(scope: ScopeDescription, prefix = ''): [string, string][] {
  return Object.entries(scope).flatMap(([name, entry]): [string, string][] =>
    typeof entry === 'string' ? [[`${prefix}${name}`, entry]] : leaves(entry, `${prefix}${name}.`),
  );
}

const PATHS = leaves(SCOPE).map(([p]) => p);

const ANYTHING = fc.anything({
  maxDepth: 3,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withTypedArray: true,
  withSparseArray: true,
  key: fc.constantFrom('deck', 'bpm', 'number', 'phrase', 'kind', 'extra', '__proto__', 'constructor', 'toString', 'valueOf'),
});

const WILD_LEAF = fc.oneof(fc.double(), fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.constant(undefined), ANYTHING, fc.func(fc.anything()));

/** Contexts shaped like the scope, with anything at all in the fields; fields may be missing. */
function wild(scope: ScopeDescription): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(scope).map(([name, entry]) => [name, typeof entry === 'string' ? WILD_LEAF : fc.oneof(wild(entry), WILD_LEAF)]));
  return fc.record(fields, { requiredKeys: [] });
}

const FINITE = fc.double({ noNaN: true, noDefaultInfinity: true });

function typedLeaf(type: string): fc.Arbitrary<unknown> {
  const base = type.replace('|null', '');
  const value =
    base === 'number' ? fc.oneof(FINITE, fc.integer({ min: -10, max: 300 })) : base === 'string' ? fc.oneof(fc.string(), fc.constantFrom('chorus', 'verse1', '')) : base === 'boolean' ? fc.boolean() : base === 'null' ? fc.constant(null) : fc.oneof(FINITE, fc.string(), fc.boolean(), fc.constant(null));
  return type.endsWith('|null') ? fc.option(value, { nil: null }) : value;
}

/** Contexts that match the scope exactly. */
function typed(scope: ScopeDescription): fc.Arbitrary<unknown> {
  const fields = Object.fromEntries(Object.entries(scope).map(([name, entry]) => [name, typeof entry === 'string' ? typedLeaf(entry) : typed(entry)]));
  return fc.record(fields);
}

const ARITY: Readonly<Record<string, readonly number[]>> = { round: [1, 2], pow: [2], min: [1, 2, 3], max: [1, 2, 3], clamp: [3], scale: [5], scaleClamped: [5], pad: [2, 3], if: [3] };

const { expression } = fc.letrec((tie) => ({
  expression: fc.oneof({ depthSize: 'small' }, tie('leaf'), tie('unary'), tie('binary'), tie('choice'), tie('call'), tie('membership')),
  leaf: fc.oneof(
    fc.constantFrom(...PATHS),
    fc.integer({ min: 0, max: 300 }).map(String),
    fc.double({ min: 0, max: 1e6, noNaN: true }).map(String),
    fc.constantFrom("'chorus'", "'12'", "''", 'true', 'false', 'null', '0'),
  ),
  unary: fc.tuple(fc.constantFrom('-', '!', 'not '), tie('expression')).map(([op, e]) => `${op}(${String(e)})`),
  binary: fc
    .tuple(tie('expression'), fc.constantFrom('+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '??', 'and', 'or'), tie('expression'))
    .map(([a, op, b]) => `(${String(a)}) ${op} (${String(b)})`),
  choice: fc.tuple(tie('expression'), tie('expression'), tie('expression')).map(([t, a, b]) => `(${String(t)}) ? (${String(a)}) : (${String(b)})`),
  call: fc
    .constantFrom(...HELPER_NAMES)
    .chain((name) => fc.constantFrom(...(ARITY[name] ?? [1])).chain((n) => fc.array(tie('expression'), { minLength: n, maxLength: n }).map((args) => `${name}(${args.map(String).join(', ')})`))),
  membership: fc
    .tuple(tie('expression'), fc.boolean(), fc.array(tie('expression'), { maxLength: 3 }))
    .map(([v, negated, items]) => `(${String(v)}) ${negated ? 'not in' : 'in'} [${items.map(String).join(', ')}]`),
}));

function typeOf(value: unknown): string {
  return value === null ? 'null' : typeof value;
}

describe('evaluation never throws', () => {
  it('on generated expressions with contexts that hold anything', () => {
    fc.assert(
      fc.property(expression, fc.array(fc.oneof(wild(SCOPE), ANYTHING), { minLength: 1, maxLength: 4 }), (source, contexts) => {
        const compiled = compileExpression(String(source), SCOPE);
        if (compiled instanceof CompileError) return;
        for (const ctx of contexts) {
          const result = compiled.evaluate(ctx);
          // evaluateValue gives the same outcome without the result object.
          expect(compiled.evaluateValue(ctx)).toEqual(result.ok ? result.value : result.error);
          if (result.ok) {
            expect(['number', 'string', 'boolean', 'null']).toContain(typeOf(result.value));
            if (typeof result.value === 'number') expect(Number.isFinite(result.value) && !Object.is(result.value, -0)).toBe(true);
          } else {
            expect(EVAL_CODES).toContain(result.error.code);
            expect(result.error.offset).toBeGreaterThanOrEqual(0);
            expect(result.error.offset + result.error.length).toBeLessThanOrEqual(String(source).length);
          }
        }
      }),
      { numRuns: 400 },
    );
  });

  it('and gives values of the declared result types when the context matches the scope', () => {
    fc.assert(
      fc.property(expression, fc.array(typed(SCOPE), { minLength: 1, maxLength: 4 }), (source, contexts) => {
        const compiled = compileExpression(String(source), SCOPE);
        if (compiled instanceof CompileError) return;
        for (const ctx of contexts) {
          const result = compiled.evaluate(ctx);
          if (result.ok) expect(compiled.resultTypes).toContain(typeOf(result.value));
          else expect(['division-by-zero', 'non-finite', 'type-mismatch', 'invalid-argument']).toContain(result.error.code);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('compiling never throws', () => {
  const TOKENS = ['deck', '.', 'bpm', 'number', '(', ')', '[', ']', ',', '+', '-', '*', '/', '%', '==', '!=', '<', '>=', '&&', '||', '!', '?', ':', '??', 'in', 'not', 'and', 'or', 'round', 'scale', "'x'", '"y', '1', '2.5', '1e3', 'null', 'true', '{{', '}}', '\\{{', '__proto__', 'constructor', '#', '='];

  const soup = fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }).map((parts) => parts.join(' '));
  const text = fc.oneof(soup, fc.string({ maxLength: 60 }), fc.string({ unit: fc.constantFrom('{', '}', "'", '"', '\\', 'a', ' ', '(', ')', '.', '1', '+'), maxLength: 40 }));

  it('on arbitrary expression and template text, and errors stay inside the text', () => {
    fc.assert(
      fc.property(text, (source) => {
        for (const result of [compileExpression(source, SCOPE), compileTemplate(source, SCOPE)]) {
          if (!(result instanceof CompileError)) continue;
          expect(result.offset).toBeGreaterThanOrEqual(0);
          expect(result.offset + result.length).toBeLessThanOrEqual(source.length);
          expect(result.line).toBeGreaterThanOrEqual(1);
          expect(result.message.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe('arithmetic agrees with IEEE doubles', () => {
  const scope: ScopeDescription = { a: 'number', b: 'number' };
  const cases: readonly [string, (a: number, b: number) => number | boolean][] = [
    ['a + b', (a, b) => a + b],
    ['a - b', (a, b) => a - b],
    ['a * b', (a, b) => a * b],
    ['a / b', (a, b) => a / b],
    ['a < b', (a, b) => a < b],
    ['a >= b', (a, b) => a >= b],
    ['a == b', (a, b) => a === b],
  ];

  it.each(cases)('%s', (source, model) => {
    const compiled = compileExpression(source, scope);
    if (compiled instanceof CompileError) throw new Error(compiled.message);
    fc.assert(
      fc.property(FINITE, FINITE, (a, b) => {
        const result = compiled.evaluate({ a, b });
        const expected = model(a, b);
        if (source === 'a / b' && b === 0) expect(result).toMatchObject({ ok: false, error: { code: 'division-by-zero' } });
        else if (typeof expected === 'number' && !Number.isFinite(expected)) expect(result).toMatchObject({ ok: false, error: { code: 'non-finite' } });
        else expect(result).toEqual({ ok: true, value: expected === 0 ? 0 : expected });
        if (result.ok) expect(Object.is(result.value, -0)).toBe(false);
      }),
    );
  });

  it('% is a floored modulo', () => {
    const compiled = compileExpression('a % b', scope);
    if (compiled instanceof CompileError) throw new Error(compiled.message);
    fc.assert(
      fc.property(fc.integer({ min: -1e6, max: 1e6 }), fc.integer({ min: -1000, max: 1000 }).filter((b) => b !== 0), (a, b) => {
        const result = compiled.evaluate({ a, b });
        if (!result.ok || typeof result.value !== 'number') throw new Error('expected a number');
        const r = result.value;
        expect(Number.isInteger((a - r) / b)).toBe(true);
        expect(Math.abs(r)).toBeLessThan(Math.abs(b));
        expect(r === 0 || Math.sign(r) === Math.sign(b)).toBe(true);
      }),
    );
  });
});

describe('text form of numbers', () => {
  const str = compileExpression('str(a)', { a: 'number' });

  it('prints integers exactly and other numbers within 6 decimals, without trailing zeros', () => {
    if (str instanceof CompileError) throw new Error(str.message);
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ min: -1e12, max: 1e12, noNaN: true })), (a) => {
        const result = str.evaluate({ a });
        if (!result.ok || typeof result.value !== 'string') throw new Error('expected text');
        const text = result.value;
        if (Number.isInteger(a)) expect(text).toBe(String(a === 0 ? 0 : a));
        else {
          expect(Math.abs(Number(text) - a)).toBeLessThanOrEqual(5e-7 * Math.max(1, Math.abs(a) / 1e9));
          expect(text).toMatch(/^-?\d+(\.\d{0,5}[1-9])?$/);
        }
      }),
    );
  });
});

describe('template escapes', () => {
  it('give back any text whose "{{" are escaped', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('{', '}', 'a', ' ', "'", '/'), maxLength: 40 }), (text) => {
        const compiled = compileTemplate(text.split('{{').join('\\{{'), {});
        if (compiled instanceof CompileError) throw new Error(compiled.message);
        expect(compiled.mode).toBe('literal');
        expect(compiled.evaluate(null)).toEqual({ ok: true, value: text });
      }),
    );
  });
});
