/**
 * Errors of the expression language. Both kinds are values: compiling returns
 * a CompileError, evaluating returns an EvalError inside its result. Offsets
 * count UTF-16 code units from the start of the text that was compiled (the
 * whole template for templates), so the YAML layer can map them to file:line:col.
 */

export type CompileErrorCode =
  | 'syntax' // not valid expression or template text
  | 'too-long' // the text is longer than MAX_SOURCE_LENGTH
  | 'too-deep' // nested deeper than MAX_DEPTH
  | 'unknown-variable' // a top-level name the scope does not declare
  | 'unknown-field' // a field its parent does not declare
  | 'unknown-function' // a call to a name that is not a helper
  | 'arity' // a helper called with too few or too many arguments
  | 'forbidden-member' // __proto__, constructor or prototype
  | 'not-a-value' // a group of fields (such as deck) used where a value is needed
  | 'type' // operand types that can never work, e.g. 'a' * 2
  | 'always-fails'; // a constant part that fails every time, e.g. 1 / 0

export type EvalErrorCode =
  | 'division-by-zero' // x / 0, x % 0, or scale() with an empty input range
  | 'non-finite' // a result or a context number that is NaN or infinite
  | 'type-mismatch' // an operator or helper got a value type it cannot use
  | 'not-a-value' // the context holds an object, array or function where a value belongs
  | 'invalid-argument' // a helper argument out of its range, e.g. clamp(x, 5, 1)
  | 'forbidden-member' // a lookup of __proto__, constructor or prototype
  | 'context'; // reading the context raised an exception (a throwing getter or proxy)

/** 1-based line and column of `offset` within `text`. */
export function lineColumn(text: string, offset: number): { readonly line: number; readonly column: number } {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(offset, text.length);
  for (let i = 0; i < stop; i++) {
    if (text.charCodeAt(i) === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export class CompileError {
  readonly name = 'CompileError';
  /** 1-based line of `offset` within the compiled text. */
  readonly line: number;
  /** 1-based column of `offset` within its line. */
  readonly column: number;

  constructor(
    readonly code: CompileErrorCode,
    readonly message: string,
    /** Where the problem starts, from the start of the compiled text. */
    readonly offset: number,
    /** How many characters the problem spans (0 at the end of the text). */
    readonly length: number,
    /** The whole compiled text, used only to work out line and column. */
    source: string,
  ) {
    const at = lineColumn(source, offset);
    this.line = at.line;
    this.column = at.column;
  }

  toString(): string {
    return `${this.line}:${this.column} ${this.message}`;
  }
}

export function isCompileError(value: unknown): value is CompileError {
  return value instanceof CompileError;
}

export class EvalError {
  readonly name = 'EvalError';

  constructor(
    readonly code: EvalErrorCode,
    readonly message: string,
    /** Start of the part of the text that failed. */
    readonly offset: number,
    /** Length of the part that failed. */
    readonly length: number,
  ) {}

  toString(): string {
    return `EvalError[${this.code}] at ${this.offset}: ${this.message}`;
  }
}

/** Where an evaluator sits in its source text, for runtime error messages. */
export interface Site {
  readonly source: string;
  readonly start: number;
  readonly end: number;
}

const SNIPPET_MAX = 40;

/** The source text of a site, shortened for messages. */
export function snippet(site: Site): string {
  const text = site.source.slice(site.start, site.end);
  return text.length <= SNIPPET_MAX ? text : `${text.slice(0, SNIPPET_MAX - 1)}…`;
}

/** Throws a located EvalError; evaluate() turns it into an error result. */
export function fail(site: Site, code: EvalErrorCode, message: string): never {
  throw new EvalError(code, `${message} in "${snippet(site)}"`, site.start, site.end - site.start);
}
