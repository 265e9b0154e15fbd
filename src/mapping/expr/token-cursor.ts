/**
 * The parser's view of the token list: look-ahead, error reporting, and the
 * two depth guards (recursion depth while parsing, height of the tree built).
 */
import type { Node } from './ast';
import { CompileError } from './errors';
import type { Token } from './lexer';

/** Deepest nesting accepted, counted both ways. */
export const MAX_DEPTH = 64;

function describe(token: Token): string {
  if (token.type === 'number') return `the number ${token.text}`;
  if (token.type === 'string') return `the string ${token.text}`;
  return `"${token.text}"`;
}

export class TokenCursor {
  private index = 0;
  private depth = 0;

  constructor(
    protected readonly source: string,
    private readonly tokens: readonly Token[],
  ) {}

  protected peek(ahead = 0): Token {
    const last = this.tokens[this.tokens.length - 1] as Token;
    return this.tokens[this.index + ahead] ?? last;
  }

  protected advance(): Token {
    const token = this.peek();
    if (token.type !== 'end') this.index++;
    return token;
  }

  protected isOperator(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'operator' && token.text === text;
  }

  protected isWord(text: string, ahead = 0): boolean {
    const token = this.peek(ahead);
    return token.type === 'name' && token.text === text;
  }

  protected fail(message: string, offset: number, length: number, code: 'syntax' | 'too-deep' = 'syntax'): never {
    throw new CompileError(code, message, offset, length, this.source);
  }

  protected unexpected(token: Token, expected: string): never {
    if (token.type === 'end') this.fail(`the expression ends too soon (expected ${expected})`, token.start, 0);
    this.fail(`unexpected ${describe(token)} (expected ${expected})`, token.start, token.end - token.start);
  }

  private tooDeep(offset: number, length: number): never {
    this.fail(`the expression is nested too deeply (more than ${MAX_DEPTH} levels)`, offset, length, 'too-deep');
  }

  /** Counts one level of recursion; leave() must follow. */
  protected enter(): void {
    this.depth++;
    if (this.depth > MAX_DEPTH) {
      const token = this.peek();
      this.tooDeep(token.start, token.end - token.start);
    }
  }

  protected leave(): void {
    this.depth--;
  }

  protected checkHeight(node: Node): Node {
    if (node.height > MAX_DEPTH) this.tooDeep(node.start, node.end - node.start);
    return node;
  }
}
