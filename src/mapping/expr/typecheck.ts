/**
 * Static type checks that are certain: each rule reports a problem only when
 * no value the operands can have (given the scope's declared types) would
 * work. An operand that is always null (the literal null) is never reported,
 * because the null rules make it well defined.
 */
import type { BinaryOperator } from './ast';
import { describeMask, T_BOOLEAN, T_NULL, T_NUMBER, T_STRING, type TypeMask } from './values';

/** An operand as the checks see it: its possible types and its source text. */
export interface Operand {
  readonly mask: TypeMask;
  readonly text: string;
}

const TEXT_MAX = 40;

function shown(operand: Operand): string {
  return operand.text.length <= TEXT_MAX ? operand.text : `${operand.text.slice(0, TEXT_MAX - 1)}…`;
}

function can(operand: Operand, bits: TypeMask): boolean {
  return (operand.mask & bits) !== 0;
}

function alwaysNull(operand: Operand): boolean {
  return operand.mask === T_NULL;
}

function numeric(operator: string, a: Operand, b: Operand): string | null {
  if (can(a, T_NUMBER) && can(b, T_NUMBER)) return null;
  const culprit = can(a, T_NUMBER) ? b : a;
  return `"${operator}" needs numbers, but ${shown(culprit)} is ${describeMask(culprit.mask)}`;
}

function concatenation(a: Operand, b: Operand): string | null {
  const joinable = T_NUMBER | T_STRING | T_BOOLEAN;
  if (can(a, T_NUMBER) && can(b, T_NUMBER)) return null;
  if ((can(a, T_STRING) && can(b, joinable)) || (can(b, T_STRING) && can(a, joinable))) return null;
  return `"+" adds numbers or joins text, but ${shown(a)} is ${describeMask(a.mask)} and ${shown(b)} is ${describeMask(b.mask)}`;
}

function ordering(operator: string, a: Operand, b: Operand): string | null {
  if ((can(a, T_NUMBER) && can(b, T_NUMBER)) || (can(a, T_STRING) && can(b, T_STRING))) return null;
  return `"${operator}" compares two numbers or two strings, but ${shown(a)} is ${describeMask(a.mask)} and ${shown(b)} is ${describeMask(b.mask)}`;
}

/** A problem with `a operator b`, or null when the operation can succeed. */
export function binaryProblem(operator: BinaryOperator, a: Operand, b: Operand): string | null {
  if (alwaysNull(a) || alwaysNull(b)) return null;
  switch (operator) {
    case '+':
      return concatenation(a, b);
    case '-':
    case '*':
    case '/':
    case '%':
      return numeric(operator, a, b);
    case '<':
    case '<=':
    case '>':
    case '>=':
      return ordering(operator, a, b);
    case '==':
    case '!=':
      if ((a.mask & b.mask) !== 0) return null;
      return `this is always ${operator === '==' ? 'false' : 'true'}: ${shown(a)} is ${describeMask(a.mask)} and ${shown(b)} is ${describeMask(b.mask)}, and == never converts types`;
  }
}

/** A problem with `-a`. */
export function negationProblem(a: Operand): string | null {
  if (alwaysNull(a) || can(a, T_NUMBER)) return null;
  return `"-" needs a number, but ${shown(a)} is ${describeMask(a.mask)}`;
}

/** A problem with one item of `value in [items]`. */
export function membershipProblem(value: Operand, item: Operand): string | null {
  if (alwaysNull(value) || alwaysNull(item) || (value.mask & item.mask) !== 0) return null;
  return `${shown(item)} can never match: it is ${describeMask(item.mask)} and ${shown(value)} is ${describeMask(value.mask)}, and "in" never converts types`;
}

/** A problem with argument `index` (0-based) of a helper call. */
export function argumentProblem(helper: string, index: number, accepted: TypeMask, arg: Operand): string | null {
  if (alwaysNull(arg) || can(arg, accepted)) return null;
  return `${helper}() needs ${describeMask(accepted)} as argument ${index + 1}, but ${shown(arg)} is ${describeMask(arg.mask)}`;
}
