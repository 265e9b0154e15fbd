/**
 * Turns expression text into tokens. Offsets are absolute positions in
 * `source`, so an expression inside a template reports positions within the
 * whole template.
 */
import { CompileError } from './errors';

export type TokenType = 'number' | 'string' | 'name' | 'operator' | 'end';

export interface Token {
  readonly type: TokenType;
  /** Names and operators: their text. Numbers and strings: the source text, quotes included. */
  readonly text: string;
  /** The decoded value of a number or string literal; null for other tokens. */
  readonly value: number | string | null;
  readonly start: number;
  readonly end: number;
}

/** Longest first, so that "<=" wins over "<". */
const OPERATORS = ['&&', '||', '??', '==', '!=', '<=', '>=', '+', '-', '*', '/', '%', '<', '>', '!', '?', ':', '(', ')', '[', ']', ',', '.'];

/** Things people type from other languages, with the fix. */
const NOT_OPERATORS: readonly (readonly [string, string])[] = [
  ['===', '"===" is not an operator (use "==", which never converts types)'],
  ['!==', '"!==" is not an operator (use "!=", which never converts types)'],
  ['=', '"=" is not an operator (use "==" to compare)'],
  ['&', '"&" is not an operator (use "&&" or "and")'],
  ['|', '"|" is not an operator (use "||" or "or")'],
];

const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ["'", "'"],
  ['"', '"'],
  ['n', '\n'],
  ['r', '\r'],
  ['t', '\t'],
]);
const ESCAPE_LIST = "\\\\, \\', \\\", \\n, \\r, \\t or \\uXXXX";

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || isDigit(c);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** `"#"` for printable characters, `U+00A0` for the rest. */
function showCharacter(text: string, at: number): string {
  const code = text.codePointAt(at) ?? 0;
  if (code > 0x20 && code < 0x7f) return `"${String.fromCodePoint(code)}"`;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

class Lexer {
  private pos: number;
  readonly tokens: Token[] = [];

  constructor(
    private readonly source: string,
    start: number,
    private readonly end: number,
  ) {
    this.pos = start;
  }

  private error(message: string, offset: number, length: number): CompileError {
    return new CompileError('syntax', message, offset, length, this.source);
  }

  private code(at: number): number {
    return at < this.end ? this.source.charCodeAt(at) : -1;
  }

  run(): CompileError | null {
    for (;;) {
      while (isSpace(this.code(this.pos))) this.pos++;
      if (this.pos >= this.end) break;
      const c = this.code(this.pos);
      const problem = isDigit(c) ? this.number() : c === 0x27 || c === 0x22 ? this.string() : isNameStart(c) ? this.name() : this.operator();
      if (problem !== null) return problem;
    }
    this.tokens.push({ type: 'end', text: '', value: null, start: this.end, end: this.end });
    return null;
  }

  private number(): CompileError | null {
    const start = this.pos;
    while (isDigit(this.code(this.pos))) this.pos++;
    if (this.code(this.pos) === 0x2e && isDigit(this.code(this.pos + 1))) {
      this.pos++;
      while (isDigit(this.code(this.pos))) this.pos++;
    }
    let malformed = false;
    const e = this.code(this.pos);
    if (e === 0x65 || e === 0x45) {
      this.pos++;
      const sign = this.code(this.pos);
      if (sign === 0x2b || sign === 0x2d) this.pos++;
      if (!isDigit(this.code(this.pos))) malformed = true;
      while (isDigit(this.code(this.pos))) this.pos++;
    }
    if (isNamePart(this.code(this.pos))) malformed = true;
    if (malformed) {
      while (isNamePart(this.code(this.pos)) || this.code(this.pos) === 0x2e) this.pos++;
      const text = this.source.slice(start, this.pos);
      return this.error(`malformed number "${text}"`, start, this.pos - start);
    }
    const text = this.source.slice(start, this.pos);
    const value = Number(text);
    if (!Number.isFinite(value)) return this.error(`number ${text} is too large`, start, this.pos - start);
    this.tokens.push({ type: 'number', text, value, start, end: this.pos });
    return null;
  }

  private string(): CompileError | null {
    const start = this.pos;
    const quote = this.code(start);
    this.pos++;
    let value = '';
    let chunk = this.pos;
    for (;;) {
      const c = this.code(this.pos);
      if (c === -1 || c === 0x0a || c === 0x0d) {
        return this.error('unterminated string (close it with the same quote it opens with)', start, this.pos - start);
      }
      if (c === quote) break;
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      value += this.source.slice(chunk, this.pos);
      const escaped = this.escape(start);
      if (escaped instanceof CompileError) return escaped;
      value += escaped;
      chunk = this.pos;
    }
    value += this.source.slice(chunk, this.pos);
    this.pos++;
    this.tokens.push({ type: 'string', text: this.source.slice(start, this.pos), value, start, end: this.pos });
    return null;
  }

  /** Reads one escape sequence at this.pos (the backslash) of the string opened at `start`. */
  private escape(start: number): string | CompileError {
    const at = this.pos;
    const next = at + 1 < this.end ? this.source.charAt(at + 1) : '';
    if (next === '') return this.error('unterminated string (close it with the same quote it opens with)', start, this.end - start);
    const simple = ESCAPES.get(next);
    if (simple !== undefined) {
      this.pos += 2;
      return simple;
    }
    if (next === 'u') {
      const hex = this.source.slice(at + 2, Math.min(at + 6, this.end));
      if (/^[0-9a-fA-F]{4}$/.test(hex)) {
        this.pos += 6;
        return String.fromCharCode(parseInt(hex, 16));
      }
      return this.error(`"\\u" needs four hex digits, as in \\u00e9`, at, Math.min(6, this.end - at));
    }
    return this.error(`unknown escape "\\${next}" (use ${ESCAPE_LIST})`, at, 2);
  }

  private name(): CompileError | null {
    const start = this.pos;
    while (isNamePart(this.code(this.pos))) this.pos++;
    const text = this.source.slice(start, this.pos);
    this.tokens.push({ type: 'name', text, value: null, start, end: this.pos });
    return null;
  }

  private operator(): CompileError | null {
    const start = this.pos;
    const rest = this.source.slice(start, Math.min(start + 3, this.end));
    if (rest.startsWith('?.') && isNameStart(this.code(start + 2))) {
      return this.error('"?." is not needed: a field of null is already null (write a.b)', start, 2);
    }
    for (const [text, message] of NOT_OPERATORS) {
      if (rest.startsWith(text) && !(text.length === 1 && OPERATORS.some((op) => op.length > 1 && rest.startsWith(op)))) {
        return this.error(message, start, text.length);
      }
    }
    for (const op of OPERATORS) {
      if (rest.startsWith(op)) {
        this.pos += op.length;
        this.tokens.push({ type: 'operator', text: op, value: null, start, end: this.pos });
        return null;
      }
    }
    const width = (this.source.codePointAt(start) ?? 0) > 0xffff ? 2 : 1;
    return this.error(`unexpected character ${showCharacter(this.source, start)}`, start, width);
  }
}

/** Tokens of source[start, end), ending with an 'end' token at `end`. */
export function lex(source: string, start = 0, end = source.length): readonly Token[] | CompileError {
  const lexer = new Lexer(source, start, end);
  const problem = lexer.run();
  return problem ?? lexer.tokens;
}
