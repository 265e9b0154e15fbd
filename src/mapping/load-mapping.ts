/**
 * Reads mapping files (a file, several, or every .yaml/.yml in a folder),
 * validates them against the schema and merges them into one read-only
 * configuration. Nothing here throws on bad input: every problem becomes a
 * MappingError with file:line:col and the key path.
 */
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import { isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import { mappingFileSchema, type MappingFile, type RuleConfig, type TargetConfig, type ClockConfig, type TimecodeConfig, type ArtnetTimecodeConfig } from './schema';
import { MappingError, formatPath } from './mapping-error';
import { offsetInside, pathAt, positionOf, type Position } from './yaml-positions';
import { describeIssue } from './schema-issues';
import { checkReferences } from './check-references';
import type { LinkConfig } from './schema-link';

/** Largest mapping file accepted; real ones are a few KiB. */
export const MAX_MAPPING_BYTES = 1 << 20;
/** YAML aliases allowed per file (stops "billion laughs" expansion). */
export const MAX_ALIASES = 100;

export interface MappingSource {
  readonly file: string;
  readonly text: string;
}

/** Locates a key path of one file, for errors found after validation. */
export type Locator = (path: readonly PropertyKey[], atKey?: boolean) => Position;
/** Locates character `inner` of the string at a key path (for errors inside expressions). */
export type InnerLocator = (path: readonly PropertyKey[], inner: number) => Position;

export interface Located<T> {
  readonly value: T;
  readonly file: string;
  /** Key path inside its file, e.g. ['rules', 2]. */
  readonly path: readonly PropertyKey[];
  readonly locate: Locator;
  readonly locateInside: InnerLocator;
}

export interface ValidatedMapping {
  readonly files: readonly string[];
  readonly targets: ReadonlyMap<string, Located<TargetConfig>>;
  readonly rules: readonly Located<RuleConfig>[];
  readonly clock: readonly Located<ClockConfig>[];
  readonly timecode: readonly Located<TimecodeConfig>[];
  readonly artnetTimecode: readonly Located<ArtnetTimecodeConfig>[];
  /** The Ableton Link session (`link:`, in one file at most), or null. */
  readonly link: Located<LinkConfig> | null;
  /** Some file says `rules: []`: a mapping without rules is meant (a reload may then remove every rule). */
  readonly declaresNoRules: boolean;
}

export type LoadResult = { ok: true; mapping: ValidatedMapping } | { ok: false; errors: readonly MappingError[] };

interface ParsedFile {
  readonly file: string;
  readonly config: MappingFile;
  readonly locate: Locator;
  readonly locateInside: InnerLocator;
  readonly declaresNoRules: boolean;
}

function valueAt(root: unknown, keyPath: readonly PropertyKey[]): unknown {
  let value = root;
  for (const segment of keyPath) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}

function parseOne(source: MappingSource, errors: MappingError[]): ParsedFile | null {
  const lines = new LineCounter();
  if (Buffer.byteLength(source.text) > MAX_MAPPING_BYTES) {
    errors.push(new MappingError('unreadable', source.file, 1, 1, '', `file is larger than ${MAX_MAPPING_BYTES} bytes`));
    return null;
  }
  const doc: Document = parseDocument(source.text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, strict: true, logLevel: 'error' });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    // Only the first: the parser's later errors in the same file follow from it.
    const { line, col } = lines.linePos(syntax.pos[0]);
    const where = formatPath(pathAt(doc, syntax.pos[0]));
    errors.push(new MappingError('yaml', source.file, line, col, where, `invalid YAML: ${syntax.message.split('\n')[0] ?? syntax.message}`));
    return null;
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    // Nothing, only comments, or only "---": what a file looks like while an editor rewrites it.
    errors.push(new MappingError('empty', source.file, 1, 1, '', 'the file is empty (a mapping with no rules says so with "rules: []")'));
    return null;
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    errors.push(new MappingError('yaml', source.file, 1, 1, '', `invalid YAML: ${message}`));
    return null;
  }
  const locate: Locator = (keyPath, atKey = false) => positionOf(doc, lines, keyPath, atKey);
  const locateInside: InnerLocator = (keyPath, inner) => {
    const { line, col } = lines.linePos(offsetInside(doc, keyPath, inner));
    return { line, column: col };
  };
  if (raw === null || raw === undefined) raw = {};
  const rulesGiven = valueAt(raw, ['rules']);
  const declaresNoRules = Array.isArray(rulesGiven) && rulesGiven.length === 0;
  const parsed = mappingFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      for (const described of describeIssue(issue, mappingFileSchema, (p) => valueAt(raw, p))) {
        const { line, column } = locate(described.path, described.atKey);
        errors.push(new MappingError('schema', source.file, line, column, formatPath(described.path), described.message));
      }
    }
    return null;
  }
  return { file: source.file, config: parsed.data, locate, locateInside, declaresNoRules };
}

/** Validates and merges mapping sources given as text. */
export function parseMappingSources(sources: readonly MappingSource[]): LoadResult {
  const errors: MappingError[] = [];
  const files = sources.map((s) => parseOne(s, errors));
  if (errors.length > 0) return { ok: false, errors };

  const targets = new Map<string, Located<TargetConfig>>();
  const rules: Located<RuleConfig>[] = [];
  const clock: Located<ClockConfig>[] = [];
  const timecode: Located<TimecodeConfig>[] = [];
  const artnetTimecode: Located<ArtnetTimecodeConfig>[] = [];
  let link: Located<LinkConfig> | null = null;
  for (const parsed of files) {
    if (parsed === null) continue;
    const { file, config, locate, locateInside } = parsed;
    for (const [name, target] of Object.entries(config.targets)) {
      const previous = targets.get(name);
      if (previous !== undefined) {
        const { line, column } = locate(['targets', name], true);
        const first = previous.locate(previous.path, true);
        errors.push(
          new MappingError('duplicate', file, line, column, `targets.${name}`, `target "${name}" is already defined in ${previous.file}:${first.line}:${first.column}`),
        );
        continue;
      }
      targets.set(name, { value: target, file, path: ['targets', name], locate, locateInside });
    }
    config.rules.forEach((rule, i) => rules.push({ value: rule, file, path: ['rules', i], locate, locateInside }));
    config.clock.forEach((c, i) => clock.push({ value: c, file, path: ['clock', i], locate, locateInside }));
    config.timecode.forEach((t, i) => timecode.push({ value: t, file, path: ['timecode', i], locate, locateInside }));
    config['artnet-timecode'].forEach((a, i) => artnetTimecode.push({ value: a, file, path: ['artnet-timecode', i], locate, locateInside }));
    if (config.link !== undefined) {
      if (link !== null) {
        const { line, column } = locate(['link'], true);
        const first = link.locate(link.path, true);
        errors.push(new MappingError('duplicate', file, line, column, 'link', `link is already given in ${link.file}:${first.line}:${first.column} (one Link session per bridge)`));
      } else link = { value: config.link, file, path: ['link'], locate, locateInside };
    }
  }
  const declaresNoRules = files.some((f) => f?.declaresNoRules === true);
  const mapping: ValidatedMapping = { files: files.flatMap((f) => (f === null ? [] : [f.file])), targets, rules, clock, timecode, artnetTimecode, link, declaresNoRules };
  errors.push(...checkReferences(mapping));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mapping };
}

/** Expands folders to their .yaml/.yml files (sorted), keeps files as given. */
export async function resolveMappingFiles(paths: readonly string[]): Promise<{ files: string[]; errors: MappingError[] }> {
  const files: string[] = [];
  const errors: MappingError[] = [];
  for (const given of paths) {
    try {
      const stat = await fs.stat(given);
      if (stat.isDirectory()) {
        const entries = (await fs.readdir(given)).filter((name) => /\.ya?ml$/i.test(name)).sort();
        if (entries.length === 0) errors.push(new MappingError('unreadable', given, 1, 1, '', 'folder holds no .yaml or .yml mapping files'));
        files.push(...entries.map((name) => path.join(given, name)));
      } else {
        files.push(given);
      }
    } catch (error) {
      errors.push(new MappingError('unreadable', given, 1, 1, '', `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`));
    }
  }
  return { files, errors };
}

export interface ReadSources {
  readonly sources: readonly MappingSource[];
  readonly errors: readonly MappingError[];
}

/** Reads the text of every mapping file of files and folders. */
export async function readMappingSources(paths: readonly string[]): Promise<ReadSources> {
  const { files, errors } = await resolveMappingFiles(paths);
  const sources: MappingSource[] = [];
  for (const file of files) {
    try {
      sources.push({ file, text: await fs.readFile(file, 'utf8') });
    } catch (error) {
      errors.push(new MappingError('unreadable', file, 1, 1, '', `cannot read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`));
    }
  }
  return { sources, errors };
}

/** Validates and merges what readMappingSources read. */
export function parseReadSources(read: ReadSources): LoadResult {
  return read.errors.length > 0 ? { ok: false, errors: read.errors } : parseMappingSources(read.sources);
}

/** Reads, validates and merges mapping files and folders. */
export async function loadMappingPaths(paths: readonly string[]): Promise<LoadResult> {
  return parseReadSources(await readMappingSources(paths));
}
