/**
 * Compiles a syntax tree once into plain closures, checking every name,
 * call and (where certain) type against the scope description. Nothing
 * generates code at runtime: each node becomes a small function over its
 * children's functions. Parts made only of literals are computed here, once.
 */
import type { BinaryNode, CallNode, InNode, LogicalNode, Node, PathNode } from './ast';
import { callEvaluator } from './calls';
import { CompileError, EvalError, type CompileErrorCode, type Site } from './errors';
import { arityText, findHelper, HELPER_NAMES } from './functions';
import { hint, isForbiddenName } from './names';
import * as op from './operators';
import { parse } from './parser';
import { evaluateSafely, valueSafely, type EvalResult } from './result';
import { scopeEntry, scopeNames, type ScopeDescription, type ScopeEntry } from './scope';
import { argumentProblem, binaryProblem, membershipProblem, negationProblem } from './typecheck';
import { describeMask, isTruthy, maskOf, T_BOOLEAN, T_NULL, T_NUMBER, T_STRING, typeNames, type TypeMask, type Value, type ValueTypeName } from './values';

/** A compiled node: its evaluator, its static type, and whether it is a constant. */
export interface Compiled {
  readonly run: op.Evaluator;
  readonly mask: TypeMask;
  readonly constant: boolean;
}

export interface CompiledExpression {
  readonly source: string;
  /** The types the result can have, according to the scope. */
  readonly resultTypes: readonly ValueTypeName[];
  /** Dotted names the expression reads, each once, in order of first use. */
  readonly paths: readonly string[];
  /** Never throws, whatever the context holds. */
  readonly evaluate: (context: unknown) => EvalResult;
  /** evaluate without the result object: the value, or the error (an EvalError). */
  readonly evaluateValue: (context: unknown) => Value | EvalError;
}

function constantOf(value: Value): Compiled {
  return { run: () => value, mask: maskOf(value), constant: true };
}

function nullable(...parts: readonly Compiled[]): TypeMask {
  return parts.some((p) => (p.mask & T_NULL) !== 0) ? T_NULL : 0;
}

class Compiler {
  constructor(
    private readonly source: string,
    private readonly scope: ScopeDescription,
    private readonly paths: string[],
  ) {}

  private site(span: { readonly start: number; readonly end: number }): Site {
    return { source: this.source, start: span.start, end: span.end };
  }

  private text(span: { readonly start: number; readonly end: number }): string {
    return this.source.slice(span.start, span.end);
  }

  private fail(code: CompileErrorCode, message: string, span: { readonly start: number; readonly end: number }): never {
    throw new CompileError(code, message, span.start, span.end - span.start, this.source);
  }

  private operand(node: Node, compiled: Compiled): { readonly mask: TypeMask; readonly text: string } {
    return { mask: compiled.mask, text: this.text(node) };
  }

  /** Computes a node now when all its parts are constants. */
  private folded(run: op.Evaluator, mask: TypeMask, parts: readonly Compiled[]): Compiled {
    if (!parts.every((p) => p.constant)) return { run, mask, constant: false };
    try {
      return constantOf(run(null));
    } catch (thrown) {
      if (!(thrown instanceof EvalError)) throw thrown;
      throw new CompileError('always-fails', `this always fails: ${thrown.message}`, thrown.offset, thrown.length, this.source);
    }
  }

  compile(node: Node): Compiled {
    switch (node.kind) {
      case 'literal':
        return constantOf(node.value);
      case 'path':
        return this.path(node);
      case 'unary': {
        const operand = this.compile(node.operand);
        const o = operand.run;
        if (node.operator !== '-') return this.folded((c) => !isTruthy(o(c)), T_BOOLEAN, [operand]);
        const problem = negationProblem(this.operand(node.operand, operand));
        if (problem !== null) this.fail('type', problem, node);
        const site = this.site(node);
        return this.folded((c) => op.negate(o(c), site), T_NUMBER | nullable(operand), [operand]);
      }
      case 'binary':
        return this.binary(node);
      case 'logical':
        return this.logical(node);
      case 'conditional': {
        const parts = [node.test, node.consequent, node.alternate].map((n) => this.compile(n)) as [Compiled, Compiled, Compiled];
        const [t, a, b] = parts.map((p) => p.run) as [op.Evaluator, op.Evaluator, op.Evaluator];
        return this.folded((c) => (isTruthy(t(c)) ? a(c) : b(c)), parts[1].mask | parts[2].mask, parts);
      }
      case 'in':
        return this.membership(node);
      case 'call':
        return this.call(node);
    }
  }

  private path(node: PathNode): Compiled {
    let entry: ScopeEntry = { kind: 'group', fields: this.scope };
    let prefix = '';
    for (const segment of node.segments) {
      const name = segment.name;
      if (isForbiddenName(name)) this.fail('forbidden-member', `"${name}" can never be read`, segment);
      if (entry.kind === 'value') this.fail('unknown-field', `${prefix} is ${describeMask(entry.mask)} and has no fields`, segment);
      const found = scopeEntry(entry.fields, name);
      if (found === null) {
        const known = scopeNames(entry.fields);
        if (prefix === '') {
          const helper = findHelper(name);
          const extra = helper === null ? null : `"${name}" is a function: call it as ${helper.signature};`;
          this.fail('unknown-variable', `unknown variable "${name}" ${hint(name, known, extra)}`, segment);
        }
        this.fail('unknown-field', `unknown field "${name}" of ${prefix} ${hint(name, known)}`, segment);
      }
      entry = found;
      prefix = prefix === '' ? name : `${prefix}.${name}`;
    }
    if (entry.kind === 'group') {
      this.fail('not-a-value', `${prefix} is a group of fields, not a value (use one of its fields: ${scopeNames(entry.fields).join(', ')})`, node);
    }
    if (!this.paths.includes(prefix)) this.paths.push(prefix);
    const keys = node.segments.map((s) => s.name);
    return { run: op.pathEvaluator(keys, this.site(node)), mask: entry.mask, constant: false };
  }

  private binary(node: BinaryNode): Compiled {
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    const problem = binaryProblem(node.operator, this.operand(node.left, left), this.operand(node.right, right));
    if (problem !== null) this.fail('type', problem, node);
    const l = left.run;
    const r = right.run;
    const s = this.site(node);
    const numeric = T_NUMBER | nullable(left, right);
    const parts = [left, right];
    switch (node.operator) {
      case '+': {
        const canText = ((left.mask | right.mask) & T_STRING) !== 0 ? T_STRING : 0;
        const canSum = (left.mask & right.mask & T_NUMBER) !== 0 ? T_NUMBER : 0;
        return this.folded((c) => op.add(l(c), r(c), s), canSum | canText | nullable(left, right), parts);
      }
      case '-':
        return this.folded((c) => op.subtract(l(c), r(c), s), numeric, parts);
      case '*':
        return this.folded((c) => op.multiply(l(c), r(c), s), numeric, parts);
      case '/':
        return this.folded((c) => op.divide(l(c), r(c), s), numeric, parts);
      case '%':
        return this.folded((c) => op.modulo(l(c), r(c), s), numeric, parts);
      case '==':
        return this.folded((c) => l(c) === r(c), T_BOOLEAN, parts);
      case '!=':
        return this.folded((c) => l(c) !== r(c), T_BOOLEAN, parts);
      case '<':
        return this.folded((c) => op.less(l(c), r(c), s), T_BOOLEAN, parts);
      case '<=':
        return this.folded((c) => op.lessOrEqual(l(c), r(c), s), T_BOOLEAN, parts);
      case '>':
        return this.folded((c) => op.greater(l(c), r(c), s), T_BOOLEAN, parts);
      case '>=':
        return this.folded((c) => op.greaterOrEqual(l(c), r(c), s), T_BOOLEAN, parts);
    }
  }

  private logical(node: LogicalNode): Compiled {
    const left = this.compile(node.left);
    const right = this.compile(node.right);
    const l = left.run;
    const r = right.run;
    const parts = [left, right];
    switch (node.operator) {
      case '&&':
        return this.folded((c) => isTruthy(l(c)) && isTruthy(r(c)), T_BOOLEAN, parts);
      case '||':
        return this.folded((c) => isTruthy(l(c)) || isTruthy(r(c)), T_BOOLEAN, parts);
      case '??': {
        const mask = (left.mask & T_NULL) === 0 ? left.mask : (left.mask & ~T_NULL) | right.mask;
        return this.folded(
          (c) => {
            const v = l(c);
            return v === null ? r(c) : v;
          },
          mask,
          parts,
        );
      }
    }
  }

  private membership(node: InNode): Compiled {
    const value = this.compile(node.value);
    const items = node.items.map((item) => this.compile(item));
    items.forEach((item, i) => {
      const itemNode = node.items[i] as Node;
      const problem = membershipProblem(this.operand(node.value, value), this.operand(itemNode, item));
      if (problem !== null) this.fail('type', problem, itemNode);
    });
    const v = value.run;
    const negated = node.negated;
    const parts = [value, ...items];
    if (items.every((item) => item.constant)) {
      const values = items.map((item) => item.run(null));
      return this.folded((c) => values.includes(v(c)) !== negated, T_BOOLEAN, parts);
    }
    const runs = items.map((item) => item.run);
    const run = (c: unknown): boolean => {
      const x = v(c);
      for (let i = 0; i < runs.length; i++) if ((runs[i] as op.Evaluator)(c) === x) return !negated;
      return negated;
    };
    return this.folded(run, T_BOOLEAN, parts);
  }

  private call(node: CallNode): Compiled {
    const name = node.callee.name;
    if (isForbiddenName(name)) this.fail('forbidden-member', `"${name}" can never be called`, node.callee);
    const helper = findHelper(name);
    if (helper === null) {
      const extra = scopeEntry(this.scope, name) === null ? null : `"${name}" is a variable, not a function;`;
      this.fail('unknown-function', `unknown function "${name}" ${hint(name, HELPER_NAMES, extra)}`, node.callee);
    }
    const count = node.args.length;
    if (count < helper.minArgs || count > helper.maxArgs) {
      this.fail('arity', `${name}() ${arityText(helper)}, but got ${count} (${helper.signature})`, node);
    }
    const args = node.args.map((arg) => this.compile(arg));
    args.forEach((arg, i) => {
      const accepted = helper.params[Math.min(i, helper.params.length - 1)] ?? 0;
      const argNode = node.args[i] as Node;
      const problem = argumentProblem(name, i, accepted, this.operand(argNode, arg));
      if (problem !== null) this.fail('type', problem, argNode);
    });
    if (helper.lazy) {
      const [test, then, otherwise] = args.map((a) => a.run) as [op.Evaluator, op.Evaluator, op.Evaluator];
      const mask = (args[1]?.mask ?? 0) | (args[2]?.mask ?? 0);
      return this.folded((c) => (isTruthy(test(c)) ? then(c) : otherwise(c)), mask, args);
    }
    const mask = helper.result | (helper.nullGivesNull ? nullable(...args) : 0);
    const run = callEvaluator(helper, args.map((a) => a.run), this.site(node));
    return this.folded(run, mask, args);
  }
}

/**
 * Compiles source[start, end) against `scope`, adding the names it reads to
 * `paths`. Offsets in errors are absolute positions in `source`.
 */
export function compileRange(source: string, start: number, end: number, scope: ScopeDescription, paths: string[]): Compiled | CompileError {
  const tree = parse(source, start, end);
  if (tree instanceof CompileError) return tree;
  try {
    return new Compiler(source, scope, paths).compile(tree);
  } catch (thrown) {
    if (thrown instanceof CompileError) return thrown;
    throw thrown;
  }
}

/** Compiles an expression once; evaluate it as often as needed. */
export function compileExpression(source: string, scope: ScopeDescription): CompiledExpression | CompileError {
  const paths: string[] = [];
  const compiled = compileRange(source, 0, source.length, scope, paths);
  if (compiled instanceof CompileError) return compiled;
  const run = compiled.run;
  const whole: Site = { source, start: 0, end: source.length };
  return Object.freeze({
    source,
    resultTypes: typeNames(compiled.mask),
    paths: Object.freeze(paths),
    evaluate: (context: unknown): EvalResult => evaluateSafely(run, context, whole),
    evaluateValue: (context: unknown): Value | EvalError => valueSafely(run, context, whole),
  });
}
