/**
 * The outcome of evaluating an expression or a template, and the one place
 * that turns anything thrown during evaluation into an error value.
 */
import { EvalError, type Site } from './errors';
import type { Evaluator } from './operators';
import type { Value } from './values';

export type EvalResult = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly error: EvalError };

/** Shared results for the common constant outcomes, so conditions allocate nothing. */
const TRUE: EvalResult = Object.freeze({ ok: true, value: true });
const FALSE: EvalResult = Object.freeze({ ok: true, value: false });
const NULL: EvalResult = Object.freeze({ ok: true, value: null });

function ok(value: Value): EvalResult {
  if (value === true) return TRUE;
  if (value === false) return FALSE;
  if (value === null) return NULL;
  return { ok: true, value };
}

/**
 * Our own errors pass through; anything else (a getter or proxy in the context
 * that threw) becomes a 'context' error. Even `instanceof` is guarded, since a
 * thrown proxy can make it throw.
 */
function asEvalError(thrown: unknown, whole: Site): EvalError {
  try {
    if (thrown instanceof EvalError) return thrown;
  } catch {
    // fall through to the generic error
  }
  return new EvalError('context', 'reading the event data raised an exception', whole.start, whole.end - whole.start);
}

/** Runs an evaluator; never throws. `whole` locates errors that have no better place. */
export function evaluateSafely(run: Evaluator, context: unknown, whole: Site): EvalResult {
  try {
    return ok(run(context));
  } catch (thrown) {
    return { ok: false, error: asEvalError(thrown, whole) };
  }
}

/**
 * The same, for a hot caller: the value itself, or the error. Values are
 * primitives and errors EvalError instances, so `instanceof` tells them
 * apart and nothing is allocated for a success.
 */
export function valueSafely(run: Evaluator, context: unknown, whole: Site): Value | EvalError {
  try {
    return run(context);
  } catch (thrown) {
    return asEvalError(thrown, whole);
  }
}
