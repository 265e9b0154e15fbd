/**
 * Syntax tree of an expression. Every node knows its span in the source text
 * (absolute offsets, end exclusive) and its height, so that depth limits are
 * checked while parsing instead of by a recursive walk afterwards.
 */
import type { Value } from './values';

interface NodeBase {
  readonly start: number;
  readonly end: number;
  /** Operators on the longest path down to a leaf: 0 for a leaf. */
  readonly height: number;
}

export interface LiteralNode extends NodeBase {
  readonly kind: 'literal';
  readonly value: Value;
}

export interface NameSegment {
  readonly name: string;
  readonly start: number;
  readonly end: number;
}

/** A name with optional dotted fields: deck, master.effectiveBpm, event.phrase.kind. */
export interface PathNode extends NodeBase {
  readonly kind: 'path';
  readonly segments: readonly [NameSegment, ...NameSegment[]];
}

/** "-" negates; "!" and "not" both mean logical not (they differ only in precedence). */
export type UnaryOperator = '-' | '!' | 'not';

export interface UnaryNode extends NodeBase {
  readonly kind: 'unary';
  readonly operator: UnaryOperator;
  readonly operand: Node;
}

export type ArithmeticOperator = '+' | '-' | '*' | '/' | '%';
export type EqualityOperator = '==' | '!=';
export type RelationalOperator = '<' | '<=' | '>' | '>=';
export type BinaryOperator = ArithmeticOperator | EqualityOperator | RelationalOperator;

export interface BinaryNode extends NodeBase {
  readonly kind: 'binary';
  readonly operator: BinaryOperator;
  readonly left: Node;
  readonly right: Node;
}

/** "and"/"or" are stored as "&&"/"||". */
export type LogicalOperator = '&&' | '||' | '??';

export interface LogicalNode extends NodeBase {
  readonly kind: 'logical';
  readonly operator: LogicalOperator;
  readonly left: Node;
  readonly right: Node;
}

export interface ConditionalNode extends NodeBase {
  readonly kind: 'conditional';
  readonly test: Node;
  readonly consequent: Node;
  readonly alternate: Node;
}

export interface CallNode extends NodeBase {
  readonly kind: 'call';
  readonly callee: NameSegment;
  readonly args: readonly Node[];
}

/** x in [a, b, c], or x not in [a, b, c]. */
export interface InNode extends NodeBase {
  readonly kind: 'in';
  readonly negated: boolean;
  readonly value: Node;
  readonly items: readonly Node[];
}

export type Node = LiteralNode | PathNode | UnaryNode | BinaryNode | LogicalNode | ConditionalNode | CallNode | InNode;
