/**
 * The JSON Schema as editors use it: the real yaml-language-server, given the
 * schema that `prolink-bridge schema` writes, must agree with
 * `prolink-bridge validate` on the fixture folders, the examples and the
 * default mapping. Where it cannot (a check JSON Schema has no words for),
 * the case is listed below with the reason, so a new disagreement fails.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getLanguageService, type Diagnostic, type LanguageService } from 'yaml-language-server';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { schemaText } from '../../src/cli/mapping-commands';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import { compileMapping } from '../../src/mapping/compile-mapping';
import type { MappingError } from '../../src/mapping/mapping-error';
import { EVENT_DESCRIPTIONS, EVENT_NAMES } from '../../src/mapping/schema-events';

const REPO = path.resolve(__dirname, '..', '..');
const FIXTURES = path.join(__dirname, 'fixtures');
const SCHEMA_FILE = path.join(REPO, 'mapping.schema.json');
const SCHEMA_URI = pathToFileURL(SCHEMA_FILE).toString();

const yamlFiles = (dir: string): string[] =>
  fs
    .readdirSync(path.join(REPO, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => path.join(dir, f));

/** Files both must accept: the valid fixtures and every mapping the package ships. */
const VALID = [...yamlFiles('test/mapping/fixtures/valid'), ...yamlFiles('examples'), ...yamlFiles('mappings')];
const INVALID_FIXTURES = fs.readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.yaml')).sort();

const rule = (lines: string): string => `targets:\n  qlab: { osc: { port: 53000 } }\nrules:\n${lines}`;

/** Mistakes the validator finds only when it compiles the rules (not files of invalid/, whose loader test stops before that). */
const COMPILE_CASES: Readonly<Record<string, string>> = {
  'phrase-kind-typo': rule('  - on: phrase.start\n    when: { phrase: chrous }\n    send: [{ osc: { to: qlab, address: /go } }]\n'),
  'phrase-family-in-a-list': rule('  - on: phrase.start\n    when: { phrase: [verse, chorus, verse7] }\n    send: [{ osc: { to: qlab, address: /go } }]\n'),
  'expression-unknown-variable': rule('  - on: beat\n    when: { expr: "dek.bpm > 120" }\n    send: [{ osc: { to: qlab, address: /go } }]\n'),
  'expression-type-error': rule('  - on: beat\n    when: { expr: "deck.number == \'one\'" }\n    send: [{ osc: { to: qlab, address: /go } }]\n'),
  'template-field-the-event-lacks': rule('  - on: play\n    send: [{ osc: { to: qlab, address: "/beat/{{ event.beatInBar }}" } }]\n'),
};

/**
 * Where the editor legitimately stays silent on a line the validator flags,
 * and why. Everything else the validator rejects, the editor flags on the
 * same line.
 */
const BEYOND_JSON_SCHEMA: Readonly<Record<string, string>> = {
  'alias-bomb.yaml': 'the alias limit guards the loader against YAML bombs; an editor sees only the unknown keys they expand to, on other lines',
  'bad-regex.yaml': 'whether the text of a /regex/ compiles is not something JSON Schema can test',
  'unknown-target.yaml': 'a rule names a target that may be defined in another file of the folder: a reference across files',
  'wrong-kind.yaml': 'the kind of the target a rule names is decided by another part of the mapping, possibly another file',
  'lead-too-long.yaml': 'comparing a duration written as text (5s) with 4 seconds is arithmetic, not a pattern',
  'deadline-too-long.yaml': 'comparing a duration written as text (2m) with 60 seconds is arithmetic, not a pattern',
  'bpm-min-above-max.yaml': 'JSON Schema cannot compare one value with another (min with max)',
  'expression-unknown-variable': 'expressions are compiled by the loader; to JSON Schema they are text',
  'expression-type-error': 'expressions are type-checked by the loader; to JSON Schema they are text',
  'template-field-the-event-lacks': 'which fields a template may read depends on the rule\'s event; to JSON Schema a template is text',
};

/** What `prolink-bridge validate` reports for one file (load, check references, compile). */
function validatorErrors(file: string, text: string): readonly MappingError[] {
  const loaded = parseMappingSources([{ file, text }]);
  if (!loaded.ok) return loaded.errors;
  const compiled = compileMapping(loaded.mapping);
  return compiled.ok ? [] : compiled.errors;
}

function isSchemaFile(uri: string): boolean {
  try {
    return fileURLToPath(uri) === SCHEMA_FILE;
  } catch {
    return false;
  }
}

/** yaml-language-server as VS Code runs it: mapping files take the schema from their modeline or, without one, by file name. */
function editor(): LanguageService {
  const service = getLanguageService({
    // Only the schema this checkout generates: a modeline that points anywhere else shows up as "unable to load schema".
    schemaRequestService: (uri) => (isSchemaFile(uri) ? Promise.resolve(schemaText()) : Promise.reject(new Error(`no schema at ${uri}`))),
    workspaceContext: { resolveRelativePath: (relative, resource) => new URL(relative, resource).toString() },
  });
  service.configure({ validate: true, completion: true, hover: true, schemas: [{ uri: SCHEMA_URI, fileMatch: ['*.yaml', '*.yml'] }] });
  return service;
}

const service = editor();
let version = 0;

function document(file: string, text: string): TextDocument {
  return TextDocument.create(pathToFileURL(file).toString(), 'yaml', ++version, text);
}

function shown(d: Diagnostic): string {
  return `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`;
}

describe('yaml-language-server with mapping.schema.json agrees with prolink-bridge validate', () => {
  it.each(VALID)('both accept %s', async (relative) => {
    const file = path.join(REPO, relative);
    const text = fs.readFileSync(file, 'utf8');
    expect(validatorErrors(file, text).map(String)).toEqual([]);
    expect((await service.doValidation(document(file, text), false)).map(shown)).toEqual([]);
  });

  const invalid: [string, string, string][] = [
    ...INVALID_FIXTURES.map((name): [string, string, string] => {
      const file = path.join(FIXTURES, 'invalid', name);
      return [name, file, fs.readFileSync(file, 'utf8')];
    }),
    ...Object.entries(COMPILE_CASES).map(([name, text]): [string, string, string] => [name, path.join(FIXTURES, 'compile', `${name}.yaml`), text]),
  ];

  it.each(invalid)('%s: the editor flags every line the validator rejects, unless listed', async (name, file, text) => {
    const errors = validatorErrors(file, text);
    expect(errors.length).toBeGreaterThan(0);
    const diagnostics = await service.doValidation(document(file, text), false);
    const flaggedLines = new Set(diagnostics.map((d) => d.range.start.line + 1));
    const unflagged = errors.filter((e) => !flaggedLines.has(e.line)).map(String);
    if (BEYOND_JSON_SCHEMA[name] === undefined) {
      expect({ unflagged, editor: diagnostics.map(shown) }).toEqual({ unflagged: [], editor: expect.anything() });
    } else {
      // Listed as beyond JSON Schema: if the editor learns to flag it, take it off the list.
      expect(unflagged.length).toBeGreaterThan(0);
    }
  });

  it('lists only cases that exist', () => {
    const names = new Set(invalid.map(([name]) => name));
    expect(Object.keys(BEYOND_JSON_SCHEMA).filter((name) => !names.has(name))).toEqual([]);
  });

  it("shows the editor's own sentence for a rule that concerns several keys", async () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'invalid', 'every-on-tempo.yaml'), 'utf8');
    const diagnostics = await service.doValidation(document(path.join(FIXTURES, 'invalid', 'every-on-tempo.yaml'), text), false);
    expect(diagnostics.map(shown)).toEqual(['6:5 every only applies to beat, downbeat, bar, phrase.start, phrase.end, phrase.fill']);
  });
});

describe('what the schema teaches in the editor', () => {
  const file = path.join(FIXTURES, 'editing', 'show.yaml');

  it('completes on: with every event, each with its description', async () => {
    const doc = document(file, 'rules:\n  - on: \n');
    const completion = await service.doComplete(doc, { line: 1, character: 8 }, false);
    const items = new Map(completion.items.map((item) => [item.label, item.documentation]));
    expect([...items.keys()].sort()).toEqual([...EVENT_NAMES].sort());
    for (const name of EVENT_NAMES) expect(items.get(name)).toBe(EVENT_DESCRIPTIONS[name]);
  });

  it('completes a phrase condition with the kinds and the families', async () => {
    const doc = document(file, 'rules:\n  - on: phrase.start\n    when:\n      phrase: \n');
    const completion = await service.doComplete(doc, { line: 3, character: 14 }, false);
    const labels = completion.items.map((item) => item.label);
    expect(labels).toEqual(expect.arrayContaining(['verse', 'verse1', 'verse2b', 'chorus', 'up', 'down']));
  });

  it('explains a key on hover, with its examples', async () => {
    const doc = document(file, 'rules:\n  - on: tempo\n    throttle: 100ms\n');
    const hover = await service.doHover(doc, { line: 2, character: 6 });
    const text = hover !== null && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    expect(text).toContain('Fire at most once per this interval');
    expect(text).toContain('1s');
  });
});
