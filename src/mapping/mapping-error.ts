/** One problem in a mapping file, located precisely enough to jump to it. */
export class MappingError {
  readonly name = 'MappingError';

  constructor(
    readonly code: MappingErrorCode,
    readonly file: string,
    readonly line: number,
    readonly column: number,
    /** Key path such as rules[2].send[0].osc.to; empty for the whole file. */
    readonly path: string,
    readonly message: string,
  ) {}

  toString(): string {
    const where = `${this.file}:${this.line}:${this.column}`;
    return this.path === '' ? `${where} ${this.message}` : `${where} ${this.path}: ${this.message}`;
  }
}

export type MappingErrorCode =
  | 'unreadable' // the file could not be read
  | 'yaml' // not valid YAML (syntax, duplicate keys, alias bombs)
  | 'schema' // wrong type, missing or unknown key, value out of range
  | 'reference' // names a target that does not exist or is of the wrong kind
  | 'expression' // an expression or template that does not compile
  | 'duplicate' // the same target defined twice
  | 'empty' // a file with nothing in it (none is ever applied; "rules: []" means no rules)
  | 'emptied'; // a reload that would remove every rule without saying "rules: []"

export function formatPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}
