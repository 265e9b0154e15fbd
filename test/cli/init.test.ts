/**
 * `prolink-bridge init [folder]` (the real binary): a show folder that works
 * outside this repository, with the editor pointed at the schema, and that
 * never loses a file the user already has unless told to with --force.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../support/cli';
import { schemaText } from '../../src/cli/mapping-commands';
import { starterMapping } from '../../src/cli/init-command';

const MODELINE = /^# yaml-language-server: \$schema=(\S+)$/m;

describe('prolink-bridge init', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'init-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes a valid starter mapping, the schema, and the VS Code setting that associates them', () => {
    const show = path.join(dir, 'show');
    const run = runCli(['init', show]);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    const mapping = path.join(show, 'mappings', 'show.yaml');
    const schema = path.join(show, 'mapping.schema.json');
    const settings = path.join(show, '.vscode', 'settings.json');
    expect(run.stdout.split('\n').filter((l) => l.startsWith('wrote '))).toEqual([`wrote ${mapping}`, `wrote ${schema}`, `wrote ${settings}`]);

    expect(fs.readFileSync(schema, 'utf8')).toBe(schemaText());
    // The mapping's own modeline finds the schema from where the mapping is.
    const modeline = MODELINE.exec(fs.readFileSync(mapping, 'utf8'));
    expect(modeline).not.toBeNull();
    expect(path.resolve(path.dirname(mapping), modeline?.[1] ?? '')).toBe(schema);
    // VS Code's YAML extension (yaml-language-server) maps the schema, relative to the folder, onto the mapping files.
    const yamlSchemas = (JSON.parse(fs.readFileSync(settings, 'utf8')) as { 'yaml.schemas': Record<string, string[]> })['yaml.schemas'];
    const [[schemaPath, globs]] = Object.entries(yamlSchemas) as [[string, string[]]];
    expect(path.resolve(show, schemaPath)).toBe(schema);
    expect(globs).toContain('mappings/*.yaml');

    const validate = runCli(['validate', path.join(show, 'mappings')]);
    expect(validate.stderr).toBe('');
    expect(validate.stdout).toMatch(/^ok: 1 file\(s\), 1 target\(s\), 7 rule\(s\)/);
  });

  it('writes into the working directory when no folder is given', () => {
    const run = runCli(['init'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(fs.readdirSync(dir).sort()).toEqual(['.vscode', 'mapping.schema.json', 'mappings']);
    expect(fs.readdirSync(path.join(dir, 'mappings'))).toEqual(['show.yaml']);
  });

  it('keeps files that exist, says which, and replaces them only with --force', () => {
    fs.mkdirSync(path.join(dir, 'mappings'));
    fs.mkdirSync(path.join(dir, '.vscode'));
    const mine = 'targets: {}\nrules: []\n';
    const mySettings = '{ "editor.tabSize": 2 }\n';
    fs.writeFileSync(path.join(dir, 'mappings', 'show.yaml'), mine);
    fs.writeFileSync(path.join(dir, '.vscode', 'settings.json'), mySettings);

    const kept = runCli(['init', dir]);
    expect(kept.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'mappings', 'show.yaml'), 'utf8')).toBe(mine);
    expect(fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8')).toBe(mySettings);
    expect(fs.readFileSync(path.join(dir, 'mapping.schema.json'), 'utf8')).toBe(schemaText());
    expect(kept.stdout).toContain(`kept ${path.join(dir, 'mappings', 'show.yaml')}, which already exists (--force replaces it)`);
    expect(kept.stdout).toContain(`kept ${path.join(dir, '.vscode', 'settings.json')}, which already exists (--force replaces it)`);
    expect(kept.stdout).toContain(`for completion in VS Code, add to ${path.join(dir, '.vscode', 'settings.json')}: "yaml.schemas": { "./mapping.schema.json": ["mappings/*.yaml"] }`);

    const forced = runCli(['init', dir, '--force']);
    expect(forced.status).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'mappings', 'show.yaml'), 'utf8')).not.toBe(mine);
    expect(fs.readFileSync(path.join(dir, '.vscode', 'settings.json'), 'utf8')).toContain('yaml.schemas');
    expect(forced.stdout).not.toContain('kept ');

    const again = runCli(['init', dir]);
    expect(again.stdout).toContain('kept ');
    expect(again.stdout).not.toContain('for completion in VS Code'); // its own settings already associate the schema
  });

  it('says in one line when the folder cannot be written, with exit code 2', () => {
    const blocker = path.join(dir, 'a-file');
    fs.writeFileSync(blocker, '');
    const run = runCli(['init', path.join(blocker, 'show')]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toMatch(/^cannot write .*a-file.show.mappings.show\.yaml: ENOTDIR$/);
  });
});

describe('the starter mapping', () => {
  it('is the packaged default mapping under a header of its own', () => {
    const packaged = '# yaml-language-server: $schema=../mapping.schema.json\n#\n# For this repository.\n\ntargets:\n  show: { osc: { port: 9000 } }\nrules: []\n';
    const starter = starterMapping(packaged);
    expect(starter.startsWith('# yaml-language-server: $schema=../mapping.schema.json\n#\n# Your show.')).toBe(true);
    expect(starter).not.toContain('For this repository');
    expect(starter.endsWith('\ntargets:\n  show: { osc: { port: 9000 } }\nrules: []\n')).toBe(true);
  });
});
