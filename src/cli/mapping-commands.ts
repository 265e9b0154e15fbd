import * as fs from 'node:fs/promises';
import { loadMappingPaths } from '../mapping/load-mapping';
import { compileMapping } from '../mapping/compile-mapping';
import { mappingJsonSchema } from '../mapping/schema';

/** `validate <file…>`: 0 when every file is valid, 2 otherwise. */
export async function runValidate(paths: readonly string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  const loaded = await loadMappingPaths(paths);
  const result = loaded.ok ? compileMapping(loaded.mapping) : loaded;
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

export function schemaText(): string {
  return `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`;
}

/** `schema [--out file]`: the JSON Schema for editors. */
export async function runSchema(outFile: string | undefined, out: (line: string) => void): Promise<number> {
  const text = schemaText();
  if (outFile === undefined) {
    out(text.trimEnd());
    return 0;
  }
  await fs.writeFile(outFile, text);
  out(`wrote ${outFile}; point editors at it with "# yaml-language-server: $schema=${outFile}"`);
  return 0;
}
