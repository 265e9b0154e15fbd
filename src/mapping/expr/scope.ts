/**
 * What an expression may read. A scope description is a nested record: each
 * key is a variable or field name, each value either a type name or another
 * description. For example:
 *
 *   {
 *     deck:   { number: 'number', bpm: 'number|null', playing: 'boolean',
 *               phrase: { kind: 'string', bars: 'number' } },
 *     master: { effectiveBpm: 'number|null' },
 *   }
 *
 * A nested description may itself be null at runtime (deck.phrase when no
 * phrase is known): its fields then read as null.
 */
import { isForbiddenName } from './names';
import { T_ANY, T_BOOLEAN, T_NULL, T_NUMBER, T_STRING, type TypeMask } from './values';

/** A single value type; "any" is any of number, string, boolean or null. */
export type ScalarTypeName = 'number' | 'string' | 'boolean' | 'null' | 'any';

/** A field's type: one scalar type, optionally "|null". */
export type FieldType = ScalarTypeName | `${ScalarTypeName}|null`;

export interface ScopeDescription {
  readonly [name: string]: FieldType | ScopeDescription;
}

const SCALAR_MASKS: ReadonlyMap<string, TypeMask> = new Map([
  ['number', T_NUMBER],
  ['string', T_STRING],
  ['boolean', T_BOOLEAN],
  ['null', T_NULL],
  ['any', T_ANY],
]);

/** The static type of a field type name; unrecognised parts count as "any". */
export function fieldMask(type: string): TypeMask {
  let mask = 0;
  for (const part of type.split('|')) mask |= SCALAR_MASKS.get(part.trim()) ?? T_ANY;
  return mask;
}

/** One entry of a scope: a value with a static type, or a group of fields. */
export type ScopeEntry = { readonly kind: 'value'; readonly mask: TypeMask; readonly type: string } | { readonly kind: 'group'; readonly fields: ScopeDescription };

function isDescription(value: unknown): value is ScopeDescription {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The entry called `name`, read as an own property only; forbidden names and
 * anything that is neither a type name nor a description read as absent.
 */
export function scopeEntry(scope: ScopeDescription, name: string): ScopeEntry | null {
  if (isForbiddenName(name) || !Object.hasOwn(scope, name)) return null;
  const entry: unknown = scope[name];
  if (typeof entry === 'string') return { kind: 'value', mask: fieldMask(entry), type: entry };
  return isDescription(entry) ? { kind: 'group', fields: entry } : null;
}

/** The names a description declares, in declaration order. */
export function scopeNames(scope: ScopeDescription): readonly string[] {
  return Object.keys(scope).filter((name) => scopeEntry(scope, name) !== null);
}
