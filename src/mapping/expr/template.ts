/**
 * Templates: text with `{{ expression }}` parts, as used in OSC addresses and
 * arguments.
 *
 * - A template that is exactly one `{{ expression }}`, with nothing but
 *   whitespace around it, evaluates to the expression's own value, so a
 *   number stays a number for a typed OSC argument ("value" mode).
 * - Otherwise each part is turned into text and joined ("text" mode):
 *   integers print without ".0", other numbers with at most 6 decimals
 *   (trailing zeros dropped), booleans as true/false, null as nothing.
 * - A template without any `{{` is plain text ("literal" mode).
 * - `\{{` writes a literal `{{`; a backslash anywhere else is kept as it is.
 *   `}}` outside an expression is ordinary text. Inside `{{ }}`, a "}}" within
 *   a quoted string does not end the expression.
 *
 * Error offsets count from the start of the whole template text.
 */
import { compileRange, type Compiled } from './compile';
import { CompileError, type EvalError, type Site } from './errors';
import { MAX_SOURCE_LENGTH } from './parser';
import { evaluateSafely, valueSafely, type EvalResult } from './result';
import type { ScopeDescription } from './scope';
import type { Evaluator } from './operators';
import { formatValue, T_STRING, typeNames, type Value, type ValueTypeName } from './values';

export const TEMPLATE_OPEN = '{{';
export const TEMPLATE_CLOSE = '}}';
/** Written in a template to mean a literal "{{". */
export const TEMPLATE_ESCAPE = '\\{{';

export type TemplateMode = 'literal' | 'value' | 'text';

export interface CompiledTemplate {
  readonly source: string;
  readonly mode: TemplateMode;
  /** The types the result can have, according to the scope. */
  readonly resultTypes: readonly ValueTypeName[];
  /** Dotted names the template reads, each once, in order of first use. */
  readonly paths: readonly string[];
  /** Never throws, whatever the context holds. */
  readonly evaluate: (context: unknown) => EvalResult;
  /** evaluate without the result object: the value, or the error (an EvalError). */
  readonly evaluateValue: (context: unknown) => Value | EvalError;
}

/** Literal text and the expressions between it: texts.length === expressions.length + 1. */
interface Pieces {
  readonly texts: readonly string[];
  /** [start, end) of each expression, inside its braces. */
  readonly expressions: readonly (readonly [number, number])[];
}

function isBlank(text: string): boolean {
  return /^[ \t\r\n]*$/.test(text);
}

/** Where the `}}` closing an expression that starts at `from` is. */
function findClose(text: string, open: number): number | CompileError {
  let i = open + TEMPLATE_OPEN.length;
  while (i < text.length) {
    const c = text.charAt(i);
    if (c === "'" || c === '"') {
      const quote = i;
      i++;
      while (i < text.length && text.charAt(i) !== c && text.charAt(i) !== '\n') i += text.charAt(i) === '\\' ? 2 : 1;
      i = Math.min(i, text.length);
      if (i === text.length || text.charAt(i) !== c) {
        return new CompileError('syntax', 'unterminated string (close it with the same quote it opens with)', quote, i - quote, text);
      }
      i++;
      continue;
    }
    if (text.startsWith(TEMPLATE_CLOSE, i)) return i;
    i++;
  }
  return new CompileError('syntax', `unclosed "{{" (expected "}}"; write \\{{ for a literal "{{")`, open, TEMPLATE_OPEN.length, text);
}

function split(text: string): Pieces | CompileError {
  const texts: string[] = [];
  const expressions: (readonly [number, number])[] = [];
  let literal = '';
  let chunk = 0;
  let i = 0;
  while (i < text.length) {
    if (text.startsWith(TEMPLATE_ESCAPE, i)) {
      literal += text.slice(chunk, i) + TEMPLATE_OPEN;
      i += TEMPLATE_ESCAPE.length;
      chunk = i;
    } else if (text.startsWith(TEMPLATE_OPEN, i)) {
      const close = findClose(text, i);
      if (close instanceof CompileError) return close;
      const start = i + TEMPLATE_OPEN.length;
      if (isBlank(text.slice(start, close))) {
        return new CompileError('syntax', 'empty "{{ }}" (put an expression between the braces)', i, close + TEMPLATE_CLOSE.length - i, text);
      }
      texts.push(literal + text.slice(chunk, i));
      literal = '';
      expressions.push([start, close]);
      i = close + TEMPLATE_CLOSE.length;
      chunk = i;
    } else {
      i++;
    }
  }
  texts.push(literal + text.slice(chunk));
  return { texts, expressions };
}

/**
 * Text and values joined into one string. A show renders the same text over
 * and over ("/fixture/1/chase/5" for every beat of deck 1), so the last text
 * is kept with the values it was made of, and handed out again while they
 * are the same: no new string per event. Values are primitives, so `===` is
 * the whole comparison. The values of a call are collected first and kept
 * only once all of them are known, so an expression that fails half-way
 * leaves the kept text as it was.
 */
function joined(texts: readonly string[], runs: readonly Evaluator[]): Evaluator {
  const first = texts[0] ?? '';
  const current = new Array<Value>(runs.length).fill(null);
  const kept = new Array<Value>(runs.length).fill(null);
  let keptText: string | null = null;
  return (context) => {
    for (let i = 0; i < runs.length; i++) current[i] = (runs[i] as Evaluator)(context);
    let same = keptText !== null;
    for (let i = 0; same && i < runs.length; i++) same = current[i] === kept[i];
    if (same) return keptText as string;
    keptText = null;
    let out = first;
    for (let i = 0; i < runs.length; i++) {
      const value = current[i] as Value;
      kept[i] = value;
      out += formatValue(value) + (texts[i + 1] ?? '');
    }
    keptText = out;
    return out;
  };
}

/** Compiles a template once; evaluate it as often as needed. */
export function compileTemplate(text: string, scope: ScopeDescription): CompiledTemplate | CompileError {
  if (text.length > MAX_SOURCE_LENGTH) {
    return new CompileError('too-long', `the template is too long (${text.length} characters; at most ${MAX_SOURCE_LENGTH})`, 0, text.length, text);
  }
  const pieces = split(text);
  if (pieces instanceof CompileError) return pieces;
  const paths: string[] = [];
  const compiled: Compiled[] = [];
  for (const [start, end] of pieces.expressions) {
    const part = compileRange(text, start, end, scope, paths);
    if (part instanceof CompileError) return part;
    compiled.push(part);
  }
  const whole: Site = { source: text, start: 0, end: text.length };
  const only = compiled.length === 1 && pieces.texts.every(isBlank) ? compiled[0] : undefined;
  const mode: TemplateMode = compiled.length === 0 ? 'literal' : only !== undefined ? 'value' : 'text';
  const run = only !== undefined ? only.run : joined(pieces.texts, compiled.map((c) => c.run));
  const fixed = compiled.every((c) => c.constant) ? evaluateSafely(run, null, whole) : null;
  return Object.freeze({
    source: text,
    mode,
    resultTypes: only !== undefined ? typeNames(only.mask) : typeNames(T_STRING),
    paths: Object.freeze(paths),
    evaluate: fixed !== null ? (): EvalResult => fixed : (context: unknown): EvalResult => evaluateSafely(run, context, whole),
    evaluateValue: fixed !== null ? (): Value | EvalError => (fixed.ok ? fixed.value : fixed.error) : (context: unknown): Value | EvalError => valueSafely(run, context, whole),
  });
}
