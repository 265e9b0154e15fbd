/** Shorthands for compiling against the test scope and unwrapping results. */
import { CompileError, compileExpression, type CompiledExpression, type EvalError, type ScopeDescription, type Value } from '../../../src/mapping/expr';
import { context, SCOPE } from './scope-fixture';

export function compiled(source: string, scope: ScopeDescription = SCOPE): CompiledExpression {
  const result = compileExpression(source, scope);
  if (result instanceof CompileError) throw new Error(`${source}: unexpected compile error: ${result.message}`);
  return result;
}

export function compileErrorOf(source: string, scope: ScopeDescription = SCOPE): CompileError {
  const result = compileExpression(source, scope);
  if (!(result instanceof CompileError)) throw new Error(`${source}: expected a compile error`);
  return result;
}

export function valueOf(source: string, ctx: unknown = context()): Value {
  const result = compiled(source).evaluate(ctx);
  if (!result.ok) throw new Error(`${source}: unexpected evaluation error: ${result.error.message}`);
  return result.value;
}

export function evalErrorOf(source: string, ctx: unknown = context()): EvalError {
  const result = compiled(source).evaluate(ctx);
  if (result.ok) throw new Error(`${source}: expected an evaluation error, got ${String(result.value)}`);
  return result.error;
}

/** The standard context with some deck fields replaced. */
export function withDeck(fields: Record<string, unknown>): Record<string, unknown> {
  const ctx = context();
  return { ...ctx, deck: { ...(ctx['deck'] as Record<string, unknown>), ...fields } };
}

/** The standard context with `extra` (declared "any") set to `value`. */
export function withExtra(value: unknown): Record<string, unknown> {
  return { ...context(), extra: value };
}
