/**
 * Rules of a mapping that concern several keys at once ("exactly one of osc,
 * midi or websocket", "every only on beats, bars and phrases"). The loader
 * checks them after the schema (check-references.ts), naming the values in
 * its message; these JSON Schema fragments, attached with `.meta()`, let an
 * editor flag the same mistakes while typing. They only reach the exported
 * JSON Schema: zod's own validation ignores them.
 *
 * `errorMessage` is the yaml-language-server extension that replaces its
 * generic wording ("Property x is not allowed") with the sentence given.
 */

export type JsonSchemaFragment = Readonly<Record<string, unknown>>;

/** A value that is the same in YAML and in JSON Schema's `const`. */
type Constant = string | number | boolean;

/** The object needs exactly one of `keys`: editors flag a missing one, and every further one at its key. */
export function exactlyOneOf(keys: readonly string[], message: string): JsonSchemaFragment {
  const laterKeysForbidden = keys.slice(0, -1).map((key, i) => [
    key,
    { properties: Object.fromEntries(keys.slice(i + 1).map((later) => [later, false])), errorMessage: message },
  ]);
  return {
    anyOf: keys.map((key) => ({ required: [key], errorMessage: message })),
    dependencies: Object.fromEntries(laterKeysForbidden),
  };
}

/** When `key` is given, each key of `needs` must be given with that value. */
export function ifGiven(key: string, needs: Readonly<Record<string, Constant>>, message: string): JsonSchemaFragment {
  return {
    if: { required: [key] },
    then: {
      required: Object.keys(needs),
      properties: Object.fromEntries(Object.entries(needs).map(([k, value]) => [k, { const: value, errorMessage: message }])),
      errorMessage: message,
    },
  };
}

/**
 * `key` only applies to rules on one of `events`. On any other event it must
 * be absent, or, when `harmless` is given, have that value (`confirm: false`
 * says nothing, so it is allowed everywhere).
 */
export function onlyOnEvents(key: string, events: readonly string[], message: string, harmless?: Constant): JsonSchemaFragment {
  const elsewhere = harmless === undefined ? false : { const: harmless, errorMessage: message };
  return {
    if: { properties: { on: { enum: events } } },
    else: { properties: { [key]: elsewhere }, errorMessage: message },
  };
}

/** While `key` is given, `other` may only have the value `harmless`. */
export function excludes(key: string, other: string, harmless: Constant, message: string): JsonSchemaFragment {
  return { dependencies: { [key]: { properties: { [other]: { const: harmless, errorMessage: message } } } } };
}

/** When `key` is given, `partner` must be given too; the message names what is missing. */
export function needsPartner(key: string, partner: string, message: string): JsonSchemaFragment {
  return { dependencies: { [key]: { required: [partner], errorMessage: message } } };
}

/** The sentence an editor shows for any mistake in this value, instead of its generic wording. */
export function editorMessage(message: string): JsonSchemaFragment {
  return { errorMessage: message };
}

/** Several fragments on one object. */
export function allOf(...fragments: readonly JsonSchemaFragment[]): JsonSchemaFragment {
  return { allOf: fragments };
}
