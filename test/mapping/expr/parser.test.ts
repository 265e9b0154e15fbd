import { CompileError, MAX_DEPTH, MAX_SOURCE_LENGTH } from '../../../src/mapping/expr';
import type { Node } from '../../../src/mapping/expr/ast';
import { parse } from '../../../src/mapping/expr/parser';

/** The tree as an S-expression, to make precedence visible. */
function show(node: Node): string {
  switch (node.kind) {
    case 'literal':
      return JSON.stringify(node.value);
    case 'path':
      return node.segments.map((s) => s.name).join('.');
    case 'unary':
      return `(${node.operator} ${show(node.operand)})`;
    case 'binary':
    case 'logical':
      return `(${node.operator} ${show(node.left)} ${show(node.right)})`;
    case 'conditional':
      return `(? ${show(node.test)} ${show(node.consequent)} ${show(node.alternate)})`;
    case 'call':
      return `${node.callee.name}(${node.args.map(show).join(', ')})`;
    case 'in':
      return `(${node.negated ? 'not-in' : 'in'} ${show(node.value)} [${node.items.map(show).join(' ')}])`;
  }
}

function tree(source: string): Node {
  const result = parse(source);
  if (result instanceof CompileError) throw new Error(`unexpected error: ${result.message}`);
  return result;
}

function parseError(source: string): CompileError {
  const result = parse(source);
  if (!(result instanceof CompileError)) throw new Error(`expected an error for ${source}, got ${show(result)}`);
  return result;
}

describe('parser precedence', () => {
  it.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['(1 + 2) * 3', '(* (+ 1 2) 3)'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['8 / 4 / 2', '(/ (/ 8 4) 2)'],
    ['a % b * c', '(* (% a b) c)'],
    ['-x * 2', '(* (- x) 2)'],
    ['--a', '(- (- a))'],
    ['!a && b', '(&& (! a) b)'],
    ['! a == b', '(== (! a) b)'],
    ['not a == b', '(not (== a b))'],
    ['not not a', '(not (not a))'],
    ['a || b && c', '(|| a (&& b c))'],
    ['a or b and c', '(|| a (&& b c))'],
    ['a and not b or c', '(|| (&& a (not b)) c)'],
    ['a ?? b || c', '(?? a (|| b c))'],
    ['a ?? b ?? c', '(?? (?? a b) c)'],
    ['a ? b : c ? d : e', '(? a b (? c d e))'],
    ['a ? b ? c : d : e', '(? a (? b c d) e)'],
    ['a ?? b ? c : d', '(? (?? a b) c d)'],
    ['a == b < c', '(== a (< b c))'],
    ['a < b == c > d', '(== (< a b) (> c d))'],
    ['a + b < c * d', '(< (+ a b) (* c d))'],
    ['a + b >= c - d', '(>= (+ a b) (- c d))'],
    ['a != b', '(!= a b)'],
    ['a <= b', '(<= a b)'],
    ["x in [1, 'a', y.z]", '(in x [1 "a" y.z])'],
    ['x not in []', '(not-in x [])'],
    ['not x in [1]', '(not (in x [1]))'],
    ['x + 1 in [2, 3] && y', '(&& (in (+ x 1) [2 3]) y)'],
    ['f(1, g(2), h())', 'f(1, g(2), h())'],
    ['event.phrase.kind', 'event.phrase.kind'],
    ['1 + 2 == 3 && true ? "y" : null', '(? (&& (== (+ 1 2) 3) true) "y" null)'],
    ['false || true', '(|| false true)'],
  ])('%s', (source, expected) => {
    expect(show(tree(source))).toBe(expected);
  });

  it('records spans, parentheses included, and the offset of each name', () => {
    const node = tree('(deck.bpm + 1) * 2');
    expect(node).toMatchObject({ kind: 'binary', start: 0, end: 18 });
    if (node.kind !== 'binary' || node.left.kind !== 'binary' || node.left.left.kind !== 'path') throw new Error('shape');
    expect([node.left.start, node.left.end]).toEqual([0, 14]);
    expect(node.left.left.segments).toEqual([
      { name: 'deck', start: 1, end: 5 },
      { name: 'bpm', start: 6, end: 9 },
    ]);
  });
});

describe('parser errors', () => {
  it.each([
    ['', 'empty expression', 0, 0],
    ['   ', 'empty expression', 3, 0],
    ['1 +', 'the expression ends too soon (expected a value)', 3, 0],
    ['1 + * 2', 'unexpected "*" (expected a value)', 4, 1],
    ['+1', 'unexpected "+" (expected a value)', 0, 1],
    ['deck bpm', 'unexpected "bpm" (expected an operator or the end of the expression)', 5, 3],
    ["'a' 'b'", "unexpected the string 'b' (expected an operator or the end of the expression)", 4, 3],
    ['(1 + 2', 'unclosed "(" (expected ")")', 0, 1],
    ['(1 2)', 'unexpected the number 2 (expected ")" or an operator)', 3, 1],
    ['1)', 'unexpected ")" (expected an operator or the end of the expression)', 1, 1],
    ['a ? b', 'the expression ends too soon (expected ":", as in condition ? a : b)', 5, 0],
    ['1 < x < 3', 'comparisons cannot be chained (write a < b && b < c)', 6, 1],
    ['x in [1] in [true]', 'comparisons cannot be chained (write a < b && b < c)', 9, 2],
    ['a == b != c', 'comparisons cannot be chained (write a == b && b == c)', 7, 2],
    ['x in y', 'unexpected "y" (expected "[" after "in", as in x in [a, b, c])', 5, 1],
    ['x in [1, 2', 'unclosed "[" (expected "]")', 5, 1],
    ['x in [1 2]', 'unexpected the number 2 (expected "," or "]")', 8, 1],
    ['x in [1,]', 'unexpected "]" (expected a value)', 8, 1],
    ['[1, 2]', 'a list is only allowed after "in" (as in x in [1, 2])', 0, 1],
    ["a['constructor']", '"[" cannot follow a value: there is no indexing (use dotted names such as deck.bpm)', 1, 1],
    ["deck['bpm']", '"[" cannot follow a value: there is no indexing (use dotted names such as deck.bpm)', 4, 1],
    ['deck.', 'the expression ends too soon (expected a field name after ".")', 5, 0],
    ['deck.1', 'unexpected the number 1 (expected a field name after ".")', 5, 1],
    ['(a).b', '"." can only follow a name (as in deck.bpm)', 3, 1],
    ['f(x).y', '"." can only follow a name (as in deck.bpm)', 4, 1],
    ['deck.bpm(1)', '"deck.bpm" cannot be called (only helper functions such as round(x) can)', 8, 1],
    ['(f)(1)', '"(f)" cannot be called (only helper functions such as round(x) can)', 3, 1],
    ['(1)(2)', 'this value cannot be called (only helper functions such as round(x) can)', 3, 1],
    ['round(1, )', 'unexpected ")" (expected a value)', 9, 1],
    ['round(1', 'unclosed "(" of round( (expected ")")', 5, 1],
    ['round(1 2)', 'unexpected the number 2 (expected "," or ")")', 8, 1],
    ['a == not b', '"not" cannot stand here (put parentheses around it, or use "!")', 5, 3],
    ['a and', 'the expression ends too soon (expected a value)', 5, 0],
    ['in', 'unexpected "in" (expected a value)', 0, 2],
    ['a not b', 'unexpected "not" (expected an operator or the end of the expression)', 2, 3],
  ])('%j', (source, message, offset, length) => {
    const error = parseError(source);
    expect([error.code, error.message, error.offset, error.length]).toEqual(['syntax', message, offset, length]);
  });

  it('gives the line and column of an error in a multi-line expression', () => {
    const error = parseError('deck.bpm > 120 &&\n  * 2');
    expect([error.offset, error.line, error.column]).toEqual([20, 2, 3]);
    expect(String(error)).toBe('2:3 unexpected "*" (expected a value)');
  });
});

describe('parser limits', () => {
  const nested = (open: string, close: string, levels: number): string => `${open.repeat(levels)}1${close.repeat(levels)}`;

  it.each([
    ['parentheses', (n: number) => nested('(', ')', n)],
    ['prefix minus', (n: number) => `${'-'.repeat(n)}1`],
    ['the word not', (n: number) => `${'not '.repeat(n)}x`],
    ['calls', (n: number) => nested('f(', ')', n)],
    ['ternaries', (n: number) => `${'a ? b : '.repeat(n)}c`],
    ['lists', (n: number) => nested('x in [', ']', n)],
    ['an operator chain', (n: number) => Array.from({ length: n + 1 }, () => 'a').join(' + ')],
  ])(`accepts ${MAX_DEPTH} levels of %s and refuses one more`, (_, build) => {
    expect(parse(build(MAX_DEPTH))).not.toBeInstanceOf(CompileError);
    const error = parseError(build(MAX_DEPTH + 1));
    expect(error.code).toBe('too-deep');
    expect(error.message).toBe(`the expression is nested too deeply (more than ${MAX_DEPTH} levels)`);
  });

  it('refuses deep nesting that fills the whole length limit without overflowing the stack', () => {
    for (const source of ['('.repeat(MAX_SOURCE_LENGTH), '!'.repeat(MAX_SOURCE_LENGTH - 1) + 'x', 'f('.repeat(MAX_SOURCE_LENGTH / 2)]) {
      expect(parseError(source).code).toBe('too-deep');
    }
  });

  it(`accepts ${MAX_SOURCE_LENGTH} characters and refuses one more`, () => {
    const longest = `'${'x'.repeat(MAX_SOURCE_LENGTH - 2)}'`;
    expect(tree(longest)).toMatchObject({ kind: 'literal', value: 'x'.repeat(MAX_SOURCE_LENGTH - 2) });
    const error = parseError(`${longest} `);
    expect([error.code, error.message, error.offset, error.length]).toEqual([
      'too-long',
      `the expression is too long (${MAX_SOURCE_LENGTH + 1} characters; at most ${MAX_SOURCE_LENGTH})`,
      0,
      MAX_SOURCE_LENGTH + 1,
    ]);
  });
});
