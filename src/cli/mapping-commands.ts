import * as fs from 'node:fs/promises';
import { parseMappingSources, readMappingSources, resolveMappingFiles, type MappingSource } from '../mapping/load-mapping';
import { compileMapping, type CompileResult } from '../mapping/compile-mapping';
import type { MappingError } from '../mapping/mapping-error';
import { mappingJsonSchema } from '../mapping/schema';

/** The path that stands for standard input, and the name its errors carry. */
export const STDIN_PATH = '-';
export const STDIN_NAME = '<stdin>';

export interface ValidateOptions {
  /** Check each file on its own, one result line per file, instead of merging them into one mapping. */
  readonly each: boolean;
  /** Reads all of standard input (for the path "-"). */
  readonly readStdin: () => Promise<string>;
}

type Print = (line: string) => void;

/** All of a stream as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The sources of the given paths in their order ("-" is standard input, read once); what could not be read is an error. */
async function readSources(paths: readonly string[], readStdin: () => Promise<string>): Promise<{ sources: MappingSource[]; errors: MappingError[] }> {
  const sources: MappingSource[] = [];
  const errors: MappingError[] = [];
  let stdin: Promise<string> | null = null;
  for (const given of paths) {
    if (given === STDIN_PATH) {
      stdin ??= readStdin();
      if (!sources.some((s) => s.file === STDIN_NAME)) sources.push({ file: STDIN_NAME, text: await stdin });
      continue;
    }
    const read = await readMappingSources([given]);
    sources.push(...read.sources);
    errors.push(...read.errors);
  }
  return { sources, errors };
}

function check(sources: readonly MappingSource[], readErrors: readonly MappingError[]): CompileResult {
  if (readErrors.length > 0) return { ok: false, errors: readErrors };
  const loaded = parseMappingSources(sources);
  return loaded.ok ? compileMapping(loaded.mapping) : loaded;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** `validate <paths…>`: 0 when the mapping they make is valid, 2 otherwise. */
async function validateTogether(paths: readonly string[], options: ValidateOptions, out: Print, err: Print): Promise<number> {
  const read = await readSources(paths, options.readStdin);
  const result = check(read.sources, read.errors);
  if (!result.ok) {
    for (const error of result.errors) err(String(error));
    err(`${result.errors.length} error(s); the mapping was not loaded`);
    return 2;
  }
  const { mapping } = result;
  out(
    `ok: ${mapping.files.length} file(s), ${mapping.targets.size} target(s), ${mapping.rules.length} rule(s), ` +
      `${mapping.clock.length} clock(s), ${mapping.timecode.length} timecode output(s)`,
  );
  return 0;
}

/** `validate --each <paths…>`: every file (folders expanded) checked as a mapping of its own. */
async function validateEach(paths: readonly string[], options: ValidateOptions, out: Print, err: Print): Promise<number> {
  const entries: string[] = [];
  for (const given of paths) {
    if (given === STDIN_PATH) {
      if (!entries.includes(STDIN_PATH)) entries.push(STDIN_PATH);
      continue;
    }
    const resolved = await resolveMappingFiles([given]);
    // A path that cannot be read stays an entry of its own, so its failure gets its line.
    entries.push(...(resolved.errors.length > 0 ? [given] : resolved.files));
  }
  let failed = 0;
  for (const entry of entries) {
    const read = await readSources([entry], options.readStdin);
    const result = check(read.sources, read.errors);
    const name = entry === STDIN_PATH ? STDIN_NAME : entry;
    if (result.ok) {
      const { mapping } = result;
      out(`ok     ${name}: ${plural(mapping.targets.size, 'target')}, ${plural(mapping.rules.length, 'rule')}`);
      continue;
    }
    failed++;
    for (const error of result.errors) err(String(error));
    out(`failed ${name}: ${plural(result.errors.length, 'error')}`);
  }
  if (failed > 0) err(`${failed} of ${plural(entries.length, 'file')} failed`);
  return failed > 0 ? 2 : 0;
}

/** `validate [--each] <paths…>`: 0 when everything is valid, 2 otherwise. */
export async function runValidate(paths: readonly string[], options: ValidateOptions, out: Print, err: Print): Promise<number> {
  return options.each ? validateEach(paths, options, out, err) : validateTogether(paths, options, out, err);
}

export function schemaText(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}

/** `schema [--out file]`: the JSON Schema for editors. */
export async function runSchema(outFile: string | undefined, out: Print): Promise<number> {
  const text = schemaText();
  if (outFile === undefined) {
    out(text.trimEnd());
    return 0;
  }
  await fs.writeFile(outFile, text);
  out(`wrote ${outFile}; point editors at it with "# yaml-language-server: $schema=${outFile}"`);
  return 0;
}
