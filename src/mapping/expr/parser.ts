/**
 * Recursive-descent parser. Precedence, loosest first:
 *
 *   c ? a : b          (right-associative)
 *   ??
 *   ||  or
 *   &&  and
 *   not                (word form: `not a == b` means `not (a == b)`)
 *   ==  !=             (not chainable)
 *   <  <=  >  >=  in  not in   (not chainable)
 *   +  -
 *   *  /  %
 *   -  !               (prefix)
 *   literals, names with dotted fields, calls, ( )
 *
 * Inputs longer than MAX_SOURCE_LENGTH, and nesting deeper than MAX_DEPTH
 * (parentheses, prefix operators, calls, ternaries, operator chains), are
 * refused before they can exhaust the stack.
 */
import type { BinaryOperator, LogicalOperator, NameSegment, Node, UnaryOperator } from './ast';
import { CompileError } from './errors';
import { lex, type Token } from './lexer';
import { MAX_DEPTH, TokenCursor } from './token-cursor';

export { MAX_DEPTH };

export const MAX_SOURCE_LENGTH = 4096;

const RESERVED = new Set(['true', 'false', 'null', 'and', 'or', 'not', 'in']);
const EQUALITY = new Set(['==', '!=']);
const RELATIONAL = new Set(['<', '<=', '>', '>=']);

class Parser extends TokenCursor {
  parseAll(): Node {
    const first = this.peek();
    if (first.type === 'end') this.fail('empty expression', first.start, 0);
    const node = this.conditional();
    const next = this.peek();
    if (next.type !== 'end') this.unexpected(next, 'an operator or the end of the expression');
    return node;
  }

  private expression(): Node {
    this.enter();
    const node = this.conditional();
    this.leave();
    return node;
  }

  private conditional(): Node {
    const test = this.coalesce();
    if (!this.isOperator('?')) return test;
    this.advance();
    const consequent = this.expression();
    if (!this.isOperator(':')) this.unexpected(this.peek(), '":", as in condition ? a : b');
    this.advance();
    const alternate = this.expression();
    const height = 1 + Math.max(test.height, consequent.height, alternate.height);
    return this.checkHeight({ kind: 'conditional', test, consequent, alternate, start: test.start, end: alternate.end, height });
  }

  private logical(operator: LogicalOperator, word: string | null, operand: () => Node): Node {
    let left = operand();
    while (this.isOperator(operator) || (word !== null && this.isWord(word))) {
      this.advance();
      const right = operand();
      const height = 1 + Math.max(left.height, right.height);
      left = this.checkHeight({ kind: 'logical', operator, left, right, start: left.start, end: right.end, height });
    }
    return left;
  }

  private coalesce(): Node {
    return this.logical('??', null, () => this.or());
  }

  private or(): Node {
    return this.logical('||', 'or', () => this.and());
  }

  private and(): Node {
    return this.logical('&&', 'and', () => this.not());
  }

  private not(): Node {
    if (!this.isWord('not')) return this.equality();
    const start = this.advance().start;
    this.enter();
    const operand = this.not();
    this.leave();
    return this.unary('not', operand, start);
  }

  private unary(operator: UnaryOperator, operand: Node, start: number): Node {
    return this.checkHeight({ kind: 'unary', operator, operand, start, end: operand.end, height: operand.height + 1 });
  }

  private binary(operator: BinaryOperator, left: Node, right: Node): Node {
    const height = 1 + Math.max(left.height, right.height);
    return this.checkHeight({ kind: 'binary', operator, left, right, start: left.start, end: right.end, height });
  }

  private refuseChain(isComparison: boolean, example: string): void {
    const token = this.peek();
    if (isComparison) this.fail(`comparisons cannot be chained (write ${example})`, token.start, token.end - token.start);
  }

  private equality(): Node {
    const left = this.relational();
    const token = this.peek();
    if (token.type !== 'operator' || !EQUALITY.has(token.text)) return left;
    this.advance();
    const node = this.binary(token.text as BinaryOperator, left, this.relational());
    const next = this.peek();
    this.refuseChain(next.type === 'operator' && EQUALITY.has(next.text), 'a == b && b == c');
    return node;
  }

  private startsRelation(): boolean {
    const token = this.peek();
    if (token.type === 'operator') return RELATIONAL.has(token.text);
    return this.isWord('in') || (this.isWord('not') && this.isWord('in', 1));
  }

  private relational(): Node {
    const left = this.additive();
    if (!this.startsRelation()) return left;
    const token = this.advance();
    let node: Node;
    if (token.type === 'operator') {
      node = this.binary(token.text as BinaryOperator, left, this.additive());
    } else {
      const negated = token.text === 'not';
      if (negated) this.advance();
      node = this.list(left, negated);
    }
    this.refuseChain(this.startsRelation(), 'a < b && b < c');
    return node;
  }

  /** The `[a, b, c]` after `in`. */
  private list(value: Node, negated: boolean): Node {
    const open = this.peek();
    if (!this.isOperator('[')) this.unexpected(open, '"[" after "in", as in x in [a, b, c]');
    this.advance();
    const items: Node[] = [];
    if (!this.isOperator(']')) {
      for (;;) {
        items.push(this.expression());
        if (this.isOperator(',')) {
          this.advance();
          continue;
        }
        if (this.isOperator(']')) break;
        const next = this.peek();
        if (next.type === 'end') this.fail('unclosed "[" (expected "]")', open.start, 1);
        this.unexpected(next, '"," or "]"');
      }
    }
    const close = this.advance();
    const height = 1 + Math.max(value.height, ...items.map((item) => item.height));
    return this.checkHeight({ kind: 'in', negated, value, items, start: value.start, end: close.end, height });
  }

  private additive(): Node {
    let left = this.multiplicative();
    while (this.isOperator('+') || this.isOperator('-')) {
      const operator = this.advance().text as BinaryOperator;
      left = this.binary(operator, left, this.multiplicative());
    }
    return left;
  }

  private multiplicative(): Node {
    let left = this.prefix();
    while (this.isOperator('*') || this.isOperator('/') || this.isOperator('%')) {
      const operator = this.advance().text as BinaryOperator;
      left = this.binary(operator, left, this.prefix());
    }
    return left;
  }

  private prefix(): Node {
    if (!this.isOperator('-') && !this.isOperator('!')) return this.postfix();
    const token = this.advance();
    this.enter();
    const operand = this.prefix();
    this.leave();
    return this.unary(token.text as UnaryOperator, operand, token.start);
  }

  /** A primary, then a check that nothing tries to index, call or dot into it. */
  private postfix(): Node {
    const node = this.primary();
    const next = this.peek();
    if (next.type !== 'operator') return node;
    if (next.text === '.') this.fail('"." can only follow a name (as in deck.bpm)', next.start, 1);
    if (next.text === '[') this.fail('"[" cannot follow a value: there is no indexing (use dotted names such as deck.bpm)', next.start, 1);
    if (next.text === '(') {
      const what = node.kind === 'path' ? `"${this.source.slice(node.start, node.end)}"` : 'this value';
      this.fail(`${what} cannot be called (only helper functions such as round(x) can)`, next.start, 1);
    }
    return node;
  }

  private primary(): Node {
    const token = this.advance();
    const leaf = { start: token.start, end: token.end, height: 0 };
    switch (token.type) {
      case 'number':
      case 'string':
        return { kind: 'literal', value: token.value, ...leaf };
      case 'name':
        if (token.text === 'true' || token.text === 'false') return { kind: 'literal', value: token.text === 'true', ...leaf };
        if (token.text === 'null') return { kind: 'literal', value: null, ...leaf };
        if (token.text === 'not') this.fail('"not" cannot stand here (put parentheses around it, or use "!")', token.start, 3);
        if (RESERVED.has(token.text)) this.unexpected(token, 'a value');
        return this.isOperator('(') ? this.call(token) : this.path(token);
      case 'operator':
        if (token.text === '(') return this.parenthesized(token);
        if (token.text === '[') this.fail('a list is only allowed after "in" (as in x in [1, 2])', token.start, 1);
        return this.unexpected(token, 'a value');
      case 'end':
        return this.unexpected(token, 'a value');
    }
  }

  private parenthesized(open: Token): Node {
    const inner = this.expression();
    const close = this.peek();
    if (close.type === 'end') this.fail('unclosed "(" (expected ")")', open.start, 1);
    if (!this.isOperator(')')) this.unexpected(close, '")" or an operator');
    this.advance();
    return { ...inner, start: open.start, end: close.end };
  }

  private path(first: Token): Node {
    const segments: [NameSegment, ...NameSegment[]] = [{ name: first.text, start: first.start, end: first.end }];
    while (this.isOperator('.')) {
      this.advance();
      const field = this.peek();
      if (field.type !== 'name') this.unexpected(field, 'a field name after "."');
      this.advance();
      segments.push({ name: field.text, start: field.start, end: field.end });
    }
    const end = segments[segments.length - 1]?.end ?? first.end;
    return { kind: 'path', segments, start: first.start, end, height: 0 };
  }

  private call(name: Token): Node {
    const open = this.advance();
    const args: Node[] = [];
    if (!this.isOperator(')')) {
      for (;;) {
        args.push(this.expression());
        if (this.isOperator(',')) {
          this.advance();
          continue;
        }
        if (this.isOperator(')')) break;
        const next = this.peek();
        if (next.type === 'end') this.fail(`unclosed "(" of ${name.text}( (expected ")")`, open.start, 1);
        this.unexpected(next, '"," or ")"');
      }
    }
    const close = this.advance();
    const callee = { name: name.text, start: name.start, end: name.end };
    const height = 1 + Math.max(0, ...args.map((arg) => arg.height));
    return this.checkHeight({ kind: 'call', callee, args, start: name.start, end: close.end, height });
  }
}

/**
 * Parses source[start, end). Offsets in the tree and in errors are absolute
 * positions in `source`.
 */
export function parse(source: string, start = 0, end = source.length): Node | CompileError {
  if (end - start > MAX_SOURCE_LENGTH) {
    return new CompileError('too-long', `the expression is too long (${end - start} characters; at most ${MAX_SOURCE_LENGTH})`, start, end - start, source);
  }
  const tokens = lex(source, start, end);
  if (tokens instanceof CompileError) return tokens;
  try {
    return new Parser(source, tokens).parseAll();
  } catch (error) {
    if (error instanceof CompileError) return error;
    if (error instanceof RangeError) return new CompileError('too-deep', 'the expression is nested too deeply', start, end - start, source);
    throw error;
  }
}
