/**
 * Turns zod's validation issues into sentences for show programmers: what is
 * wrong, what was found and what would be valid.
 */
import type { z } from 'zod';
import { closest } from './suggest';

type Issue = z.core.$ZodIssue;
type AnySchema = z.core.$ZodType;

interface Def {
  type: string;
  shape?: Record<string, AnySchema>;
  innerType?: AnySchema;
  element?: AnySchema;
  valueType?: AnySchema;
  options?: AnySchema[];
  in?: AnySchema;
}

function def(schema: AnySchema): Def {
  return schema._zod.def as unknown as Def;
}

function unwrap(schema: AnySchema): AnySchema {
  let current = schema;
  for (let i = 0; i < 10; i++) {
    const d = def(current);
    if (d.innerType !== undefined) current = d.innerType;
    else if (d.type === 'pipe' && d.in !== undefined) current = d.in;
    else break;
  }
  return current;
}

/** The keys an object in the schema accepts at `path` (for "did you mean"). */
export function knownKeysAt(root: AnySchema, path: readonly PropertyKey[]): string[] {
  let candidates: AnySchema[] = [unwrap(root)];
  for (const segment of path) {
    const next: AnySchema[] = [];
    for (const schema of candidates) {
      const d = def(schema);
      if (d.type === 'object' && d.shape !== undefined && typeof segment === 'string' && segment in d.shape) {
        next.push(unwrap(d.shape[segment] as AnySchema));
      } else if (d.type === 'array' && d.element !== undefined && typeof segment === 'number') {
        next.push(unwrap(d.element));
      } else if (d.type === 'record' && d.valueType !== undefined) {
        next.push(unwrap(d.valueType));
      } else if (d.type === 'union' && d.options !== undefined) {
        for (const option of d.options) candidates.push(unwrap(option));
      }
    }
    candidates = next;
  }
  const keys = new Set<string>();
  const visit = (schema: AnySchema): void => {
    const d = def(schema);
    if (d.type === 'object' && d.shape !== undefined) Object.keys(d.shape).forEach((k) => keys.add(k));
    if (d.type === 'union' && d.options !== undefined) d.options.forEach((o) => visit(unwrap(o)));
  };
  candidates.forEach(visit);
  keys.delete('$schema');
  return [...keys];
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a map';
  if (typeof value === 'string') return `"${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  return String(value);
}

const TYPE_NAMES: Record<string, string> = {
  number: 'a number',
  int: 'a whole number',
  string: 'text',
  boolean: 'true or false',
  object: 'a map of keys',
  array: 'a list',
};

export interface IssueMessage {
  readonly path: readonly PropertyKey[];
  /** True when the key itself (not its value) is the mistake. */
  readonly atKey: boolean;
  readonly message: string;
}

export function describeIssue(issue: Issue, root: AnySchema, valueAt: (path: readonly PropertyKey[]) => unknown): IssueMessage[] {
  const path = issue.path as PropertyKey[];
  const found = valueAt(path);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = knownKeysAt(root, path);
      return issue.keys.map((key) => {
        const hint = closest(key, known);
        const suggestion = hint === null ? '' : `did you mean "${hint}"? `;
        return { path: [...path, key], atKey: true, message: `unknown key "${key}" (${suggestion}valid: ${known.join(', ')})` };
      });
    }
    case 'invalid_type': {
      if (found === undefined) return [{ path, atKey: false, message: `is required (${TYPE_NAMES[issue.expected] ?? issue.expected})` }];
      return [{ path, atKey: false, message: `must be ${TYPE_NAMES[issue.expected] ?? issue.expected}, not ${describeValue(found)}` }];
    }
    case 'invalid_value': {
      const values = issue.values.map((v) => String(v));
      const hint = typeof found === 'string' ? closest(found, values) : null;
      const suggestion = hint === null ? '' : `; did you mean "${hint}"?`;
      return [{ path, atKey: false, message: `must be one of: ${values.join(', ')} (got ${describeValue(found)}${suggestion})` }];
    }
    case 'too_small': {
      const what = issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : issue.origin === 'string' ? 'not empty' : `at least ${issue.minimum}`;
      const verb = issue.origin === 'array' ? 'needs' : 'must be';
      return [{ path, atKey: false, message: `${verb} ${what} (got ${describeValue(found)})` }];
    }
    case 'too_big':
      return [{ path, atKey: false, message: `must be at most ${String(issue.maximum)} (got ${describeValue(found)})` }];
    case 'invalid_format':
      return [{ path, atKey: false, message: `${issue.message.startsWith('Invalid') ? 'has the wrong format' : issue.message} (got ${describeValue(found)})` }];
    case 'invalid_union':
      return [{ path, atKey: false, message: `${issue.message.startsWith('Invalid') ? 'has an unexpected form' : issue.message} (got ${describeValue(found)})` }];
    default:
      return [{ path, atKey: false, message: issue.message }];
  }
}
