/**
 * `init [folder]`: a show folder to start from, outside any checkout of
 * this repository: a mapping to edit in mappings/ (where `run` looks when
 * given no --mapping), the JSON Schema beside it, and the VS Code setting
 * that points yaml-language-server at the schema, so an editor completes
 * and checks the mapping. Existing files are kept unless `force`.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { PACKAGED_DEFAULT_MAPPING } from './package-files';
import { schemaText } from './mapping-commands';

export const STARTER_MAPPING = path.join('mappings', 'show.yaml');
export const SCHEMA_FILE = 'mapping.schema.json';
export const EDITOR_SETTINGS = path.join('.vscode', 'settings.json');

const STARTER_HEADER = [
  '# yaml-language-server: $schema=../mapping.schema.json',
  '#',
  '# Your show. `prolink-bridge run` (started in the folder above this one) reads',
  '# every .yaml file in mappings/; try it without gear with `prolink-bridge run --simulate`.',
  '# This mapping sends OSC to 127.0.0.1:9000: change the targets and rules to',
  '# your tools. The bridge reloads on every save, and a typo keeps the previous',
  '# version running. `prolink-bridge validate mappings` checks it.',
  '',
];

/** The rules of the packaged default mapping under a header for a show folder. */
export function starterMapping(packagedDefault: string): string {
  const lines = packagedDefault.split('\n');
  const body = lines.findIndex((line) => line.trim() !== '' && !line.startsWith('#'));
  return [...STARTER_HEADER, ...lines.slice(body < 0 ? lines.length : body)].join('\n');
}

/** VS Code settings: the schema for every mapping file of the folder. */
export function editorSettings(): string {
  const settings = { 'yaml.schemas': { [`./${SCHEMA_FILE}`]: ['mappings/*.yaml', 'mappings/*.yml'] } };
  return `${JSON.stringify(settings, null, 2)}\n`;
}

export interface InitOptions {
  readonly force: boolean;
  /** The packaged default mapping to start from. */
  readonly defaultMapping?: string;
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.lstat(file);
    return true;
  } catch {
    return false;
  }
}

async function mentions(file: string, text: string): Promise<boolean> {
  try {
    return (await fs.readFile(file, 'utf8')).includes(text);
  } catch {
    return false;
  }
}

function reason(error: unknown): string {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : null;
  return code ?? (error instanceof Error ? error.message : String(error));
}

/** Writes the starter files into `folder`; 0 when done, 2 when something could not be read or written. */
export async function runInit(folder: string, options: InitOptions, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const source = options.defaultMapping ?? PACKAGED_DEFAULT_MAPPING;
  let mapping: string;
  try {
    mapping = starterMapping(await fs.readFile(source, 'utf8'));
  } catch (error) {
    err(`cannot read the packaged default mapping ${source}: ${reason(error)}; reinstall prolink-bridge`);
    return 2;
  }
  const files: readonly (readonly [string, string])[] = [
    [STARTER_MAPPING, mapping],
    [SCHEMA_FILE, schemaText()],
    [EDITOR_SETTINGS, editorSettings()],
  ];
  const kept: string[] = [];
  for (const [name, text] of files) {
    const file = path.join(folder, name);
    if (!options.force && (await exists(file))) {
      kept.push(file);
      continue;
    }
    try {
      await fs.mkdir(path.dirname(file), { recursive: true });
      await fs.writeFile(file, text);
    } catch (error) {
      err(`cannot write ${file}: ${reason(error)}`);
      return 2;
    }
    out(`wrote ${file}`);
  }
  for (const file of kept) out(`kept ${file}, which already exists (--force replaces it)`);
  const settings = path.join(folder, EDITOR_SETTINGS);
  if (kept.includes(settings) && !(await mentions(settings, SCHEMA_FILE))) {
    out(`for completion in VS Code, add to ${settings}: "yaml.schemas": { "./${SCHEMA_FILE}": ["mappings/*.yaml"] }`);
  }
  const where = path.resolve(folder) === path.resolve('.') ? '' : `cd ${/^[\w./-]+$/.test(folder) ? folder : JSON.stringify(folder)} && `;
  out(`next: edit ${path.join(folder, STARTER_MAPPING)}, then try it with "${where}prolink-bridge run --simulate"`);
  return 0;
}
