import * as fs from 'node:fs';
import * as path from 'node:path';
import { compileTemplate, EvalError, type ScopeDescription } from '../../../src/mapping/expr';
import { member } from '../../../src/mapping/expr/operators';
import { compileErrorOf, compiled, valueOf, withDeck } from './helpers';
import { context } from './scope-fixture';

describe('names that reach JavaScript internals', () => {
  it.each([
    ['__proto__', 0, 9],
    ['constructor', 0, 11],
    ['prototype', 0, 9],
    ['deck.__proto__', 5, 9],
    ['deck.constructor', 5, 11],
    ['deck.constructor.name', 5, 11],
    ['deck.prototype', 5, 9],
    ['__proto__.polluted', 0, 9],
    ['deck.phrase.constructor', 12, 11],
  ])('%s is refused when compiling', (source, offset, length) => {
    const error = compileErrorOf(source);
    expect([error.code, error.offset, error.length]).toEqual(['forbidden-member', offset, length]);
    expect(error.message).toMatch(/^"(__proto__|constructor|prototype)" can never be read$/);
  });

  it('refuses calls through them', () => {
    expect(compileErrorOf('constructor(1)')).toMatchObject({ code: 'forbidden-member', message: '"constructor" can never be called' });
    expect(compileErrorOf("constructor.constructor('return process')()")).toMatchObject({
      code: 'syntax',
      message: '"constructor.constructor" cannot be called (only helper functions such as round(x) can)',
    });
  });

  it('refuses them even when a scope declares them', () => {
    const hostile = JSON.parse('{"__proto__": {"x": "number"}, "constructor": "number", "prototype": {"y": "number"}}') as ScopeDescription;
    expect(compileErrorOf('__proto__.x', hostile).code).toBe('forbidden-member');
    expect(compileErrorOf('constructor', hostile).code).toBe('forbidden-member');
    expect(compileErrorOf('prototype.y', hostile).code).toBe('forbidden-member');
  });

  it.each([
    ["deck['constructor']", 'syntax'],
    ["deck['__proto__']", 'syntax'],
    ['this', 'unknown-variable'],
    ['globalThis.process', 'unknown-variable'],
    ['process.exit', 'unknown-variable'],
    ["require('fs')", 'unknown-function'],
    ['eval(1)', 'unknown-function'],
    ['Function(1)', 'unknown-function'],
    ['deck.bpm.toFixed(2)', 'syntax'],
    ["'abc'.length", 'syntax'],
  ])('%s cannot reach anything', (source, code) => {
    expect(compileErrorOf(source).code).toBe(code);
  });

  it('refuses them in templates, at their offset within the template', () => {
    const error = compileTemplate('/x/{{ deck.__proto__ }}', {});
    expect(error).toMatchObject({ code: 'unknown-variable', offset: 6 });
    const forbidden = compileTemplate('/x/{{ deck.__proto__ }}', { deck: { bpm: 'number' } });
    expect(forbidden).toMatchObject({ code: 'forbidden-member', offset: 11, length: 9 });
  });

  it('refuses them again at runtime, in the lookup itself', () => {
    const site = { source: 'x', start: 0, end: 1 };
    for (const key of ['__proto__', 'constructor', 'prototype']) {
      expect(() => member({}, key, site)).toThrow(EvalError);
    }
    expect(member(Object.create({ a: 1 }), 'a', site)).toBe(null);
    expect(member({ a: 1 }, 'a', site)).toBe(1);
  });
});

describe('hostile contexts', () => {
  it('ignores anything added to Object.prototype', () => {
    const proto = Object.prototype as unknown as Record<string, unknown>;
    Object.defineProperty(proto, 'bpm', { value: 999, configurable: true, writable: true });
    Object.defineProperty(proto, 'deck', { value: { number: 7 }, configurable: true, writable: true });
    try {
      expect(valueOf('deck.bpm', { deck: {} })).toBe(null);
      expect(valueOf('deck.number', {})).toBe(null);
    } finally {
      delete proto['bpm'];
      delete proto['deck'];
    }
  });

  it('ignores inherited fields', () => {
    expect(valueOf('deck.bpm', { deck: Object.create({ bpm: 999 }) })).toBe(null);
    class Deck {
      get bpm(): number {
        throw new Error('must not be called');
      }
    }
    expect(valueOf('deck.bpm', { deck: new Deck() })).toBe(null);
  });

  it('does not follow an own "__proto__" key', () => {
    const parsed = JSON.parse('{"deck": {"__proto__": {"bpm": 999}}}') as unknown;
    expect(valueOf('deck.bpm', parsed)).toBe(null);
  });

  it('reads a null-prototype context', () => {
    const deck = Object.assign(Object.create(null) as object, { bpm: 126 });
    expect(valueOf('deck.bpm', { deck })).toBe(126);
  });

  it('turns a throwing getter into an error result', () => {
    const deck = {};
    Object.defineProperty(deck, 'bpm', { enumerable: true, get: () => { throw new Error('boom'); } });
    expect(compiled('deck.bpm + 1').evaluate({ deck })).toEqual({
      ok: false,
      error: new EvalError('context', 'reading the event data raised an exception', 0, 12),
    });
  });

  it('refuses a getter that returns a function or an object', () => {
    for (const value of [() => 1, { valueOf: () => 1 }, new Date(0)]) {
      const deck = {};
      Object.defineProperty(deck, 'bpm', { enumerable: true, get: () => value });
      expect(compiled('deck.bpm').evaluate({ deck })).toMatchObject({ ok: false, error: { code: 'not-a-value' } });
    }
  });

  it('never lets a proxy make evaluation throw', () => {
    const hostile = new Proxy(
      {},
      {
        getOwnPropertyDescriptor: () => {
          throw new Error('trap');
        },
        get: () => {
          throw new Error('trap');
        },
      },
    );
    const thrownProxy = new Proxy(
      {},
      {
        getPrototypeOf: () => {
          throw new Error('trap');
        },
      },
    );
    const throwsProxy = new Proxy(
      {},
      {
        getOwnPropertyDescriptor: () => {
          throw thrownProxy;
        },
      },
    );
    const revocable = Proxy.revocable({}, {});
    revocable.revoke();
    for (const ctx of [hostile, { deck: hostile }, throwsProxy, { deck: throwsProxy }, revocable.proxy, { deck: revocable.proxy }]) {
      const result = compiled('deck.bpm').evaluate(ctx);
      expect(result).toMatchObject({ ok: false, error: { code: 'context' } });
    }
  });

  it('keeps a helper call correct when a getter re-enters the same expression', () => {
    const expression = compiled('max(deck.number, deck.bpm)');
    const deck = { number: 2 };
    let inner: unknown = null;
    Object.defineProperty(deck, 'bpm', {
      enumerable: true,
      get: () => {
        inner = expression.evaluate({ deck: { number: 50, bpm: 1 } });
        return 7;
      },
    });
    expect(expression.evaluate({ deck })).toEqual({ ok: true, value: 7 });
    expect(inner).toEqual({ ok: true, value: 50 });
    expect(expression.evaluate(withDeck({ number: 3, bpm: 1 }))).toEqual({ ok: true, value: 3 });
  });

  it('works when evaluate is detached from its object', () => {
    const { evaluate } = compiled('deck.number * 2');
    expect(evaluate(context())).toEqual({ ok: true, value: 4 });
  });
});

describe('no runtime code generation', () => {
  it('has no eval, Function constructor or vm in the expression sources', () => {
    const folder = path.join(__dirname, '../../../src/mapping/expr');
    const sources = fs.readdirSync(folder).filter((f) => f.endsWith('.ts'));
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = fs.readFileSync(path.join(folder, file), 'utf8');
      expect([file, text.match(/\beval\s*\(|\bnew\s+Function\b|\bFunction\s*\(|['"](node:)?vm['"]|\bimport\s*\(/g)]).toEqual([file, null]);
    }
  });
});
