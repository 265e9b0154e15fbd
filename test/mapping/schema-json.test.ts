/**
 * The exported JSON Schema teaches: every key is described, every closed set
 * is an enum taken from the code's own list with a sentence per value, the
 * examples are values the bridge accepts, and $id names the file the npm
 * package publishes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mappingJsonSchema, CLOCK_RUN_MODES, SCHEMA_URL, DURATION_PATTERN } from '../../src/mapping/schema';
import { EVENT_NAMES } from '../../src/mapping/schema-events';
import { OSC_PROTOCOLS } from '../../src/mapping/schema-targets';
import { DECK_NUMBERS } from '../../src/mapping/schema-values';
import { BEATS_IN_BAR, DECK_WORDS } from '../../src/mapping/schema-rules';
import { PHRASE_KINDS as PHRASE_CONDITION_VALUES, scopeFor } from '../../src/mapping/scopes';
import { BANKS, MOODS, PHRASE_KINDS } from '../../src/prolink/phrases/song-structure';
import { phraseFamily } from '../../src/streams/phrase-tracker';
import { MTC_RATES } from '../../src/outputs/midi/mtc-rate';
import { compileTemplate } from '../../src/mapping/expr/template';
import { compileExpression } from '../../src/mapping/expr/compile';
import { CompileError } from '../../src/mapping/expr/errors';
import { durationMs } from '../../src/mapping/durations';

type Node = Record<string, unknown>;

const schema = mappingJsonSchema() as Node;
const REPO = path.resolve(__dirname, '..', '..');

const isNode = (value: unknown): value is Node => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every node of the schema's own structure with its key path. The fragments
 * that only carry cross-key checks for editors (allOf, if/then/else,
 * dependencies) are not keys of a mapping and are left out.
 */
function walk(node: Node, at: string, visit: (node: Node, at: string, isKey: boolean) => void, isKey = false): void {
  visit(node, at, isKey);
  for (const [key, child] of Object.entries(isNode(node.properties) ? node.properties : {})) if (isNode(child)) walk(child, `${at}.${key}`, visit, true);
  if (isNode(node.additionalProperties)) walk(node.additionalProperties, `${at}.*`, visit, true);
  if (isNode(node.items)) walk(node.items, `${at}[]`, visit);
  for (const branch of Array.isArray(node.anyOf) ? node.anyOf : []) if (isNode(branch)) walk(branch, at, visit);
}

function nodesAt(wanted: string): Node[] {
  const found: Node[] = [];
  walk(schema, '', (node, at) => {
    if (at === wanted) found.push(node);
  });
  return found;
}

/** The enum of the node at a key path, or of the first of its alternatives that has one. */
function enumAt(at: string): unknown[] {
  const node = nodesAt(at).find((n) => Array.isArray(n.enum));
  return node === undefined ? [] : (node.enum as unknown[]);
}

describe('mapping.schema.json', () => {
  it('is draft-07 with an $id where the npm package publishes it', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { name: string; files: string[]; exports: Record<string, unknown> };
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toBe(SCHEMA_URL);
    expect(SCHEMA_URL).toBe(`https://unpkg.com/${pkg.name}/mapping.schema.json`);
    expect(pkg.files).toContain('mapping.schema.json');
    expect(pkg.exports['./mapping.schema.json']).toBe('./mapping.schema.json');
  });

  it('describes every key', () => {
    const keys: string[] = [];
    const undescribed: string[] = [];
    walk(schema, '', (node, at, isKey) => {
      if (!isKey) return;
      keys.push(at);
      if (typeof node.description !== 'string' || node.description.length < 10) undescribed.push(at);
    });
    expect(keys.length).toBeGreaterThan(70);
    expect(undescribed).toEqual([]);
  });

  it('gives every text value of a closed set its own description', () => {
    const missing: string[] = [];
    walk(schema, '', (node, at) => {
      if (!Array.isArray(node.enum) || !node.enum.every((v) => typeof v === 'string')) return;
      const descriptions = node.enumDescriptions;
      const complete = Array.isArray(descriptions) && descriptions.length === node.enum.length && descriptions.every((d) => typeof d === 'string' && d.length > 0);
      if (!complete) missing.push(at);
    });
    expect(missing).toEqual([]);
  });

  it.each([
    ['.rules[].on', EVENT_NAMES],
    ['.rules[].when.mood', MOODS],
    ['.rules[].when.bank', BANKS],
    ['.rules[].when.phrase', PHRASE_CONDITION_VALUES],
    ['.rules[].when.beatInBar', BEATS_IN_BAR],
    ['.targets.*.osc.protocol', OSC_PROTOCOLS],
    ['.clock[].run', CLOCK_RUN_MODES],
    ['.timecode[].rate', MTC_RATES],
    ['.timecode[].follow', ['master']],
  ] as const)('offers %s from the code that makes those values', (at, values) => {
    expect(enumAt(at)).toEqual([...values]);
  });

  it('offers decks as master, any or a deck number', () => {
    const alternatives = nodesAt('.rules[].when.deck').map((n) => n.enum).filter(Array.isArray);
    expect(alternatives).toEqual([[...DECK_WORDS], [...DECK_NUMBERS]]);
    expect(enumAt('.rules[].when.deck[]')).toEqual([...DECK_NUMBERS]);
  });

  it('offers as phrase condition every phrase kind the decoder makes and the family of each', () => {
    const families = PHRASE_KINDS.map(phraseFamily);
    expect(new Set(PHRASE_CONDITION_VALUES)).toEqual(new Set([...PHRASE_KINDS, ...families]));
  });

  describe('examples', () => {
    const examples: { at: string; node: Node; example: unknown }[] = [];
    walk(schema, '', (node, at) => {
      if (Array.isArray(node.examples)) for (const example of node.examples) examples.push({ at, node, example });
    });
    const strings = (value: unknown): string[] =>
      typeof value === 'string' ? [value] : Array.isArray(value) ? value.flatMap(strings) : isNode(value) ? Object.values(value).flatMap(strings) : [];

    it('cover durations and templates', () => {
      const all = examples.flatMap((e) => strings(e.example));
      expect(all).toEqual(expect.arrayContaining(['100ms', '1s', '{{ event.beatInBar }}', '/cue/{{ phrase.family }}/go']));
    });

    it('are templates that compile', () => {
      const templates = examples.flatMap((e) => strings(e.example).filter((s) => s.includes('{{')).map((s) => `${e.at}: ${s}`));
      expect(templates.length).toBeGreaterThan(8);
      const failing = templates.filter((t) => compileTemplate(t.slice(t.indexOf(': ') + 2), scopeFor('beat')) instanceof CompileError);
      expect(failing).toEqual([]);
    });

    it('are expressions that compile', () => {
      const exprs = examples.filter((e) => e.at === '.rules[].when.expr').map((e) => String(e.example));
      expect(exprs.length).toBeGreaterThan(0);
      expect(exprs.filter((source) => compileExpression(source, scopeFor('beat')) instanceof CompileError)).toEqual([]);
    });

    it('are durations the bridge reads', () => {
      const isDuration = (node: Node): boolean =>
        Array.isArray(node.anyOf) && node.anyOf.some((branch) => isNode(branch) && branch.pattern === DURATION_PATTERN);
      const durations = examples.filter((e) => isDuration(e.node));
      expect(durations.length).toBeGreaterThan(6);
      const unreadable = durations.filter((e) => !Number.isFinite(durationMs(e.example as string | number)) || !new RegExp(DURATION_PATTERN).test(String(e.example)));
      expect(unreadable).toEqual([]);
    });

    it('of a closed set are members of it', () => {
      const outside = examples.filter((e) => Array.isArray(e.node.enum) && !e.node.enum.includes(e.example));
      expect(outside).toEqual([]);
    });
  });
});
