/**
 * The mapping engine's expression and template language: a small, safe
 * language compiled once when a mapping loads. See README.md in this folder.
 */
export { compileExpression, type CompiledExpression } from './compile';
export { compileTemplate, TEMPLATE_ESCAPE, type CompiledTemplate, type TemplateMode } from './template';
export { CompileError, EvalError, isCompileError, lineColumn, type CompileErrorCode, type EvalErrorCode } from './errors';
export type { EvalResult } from './result';
export type { FieldType, ScalarTypeName, ScopeDescription } from './scope';
export { HELPER_NAMES, MAX_PAD_WIDTH } from './functions';
export { MAX_DEPTH, MAX_SOURCE_LENGTH } from './parser';
export { FORBIDDEN_NAMES } from './names';
export { formatNumber, formatValue, isTruthy, type Value, type ValueTypeName } from './values';
