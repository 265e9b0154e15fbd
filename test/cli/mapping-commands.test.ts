import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO, runCli } from '../support/cli';
import { schemaText } from '../../src/cli/mapping-commands';

const VALID = path.join('test', 'mapping', 'fixtures', 'valid', 'show.yaml');
const INVALID = path.join('test', 'mapping', 'fixtures', 'invalid', 'unknown-target.yaml');

describe('prolink-bridge validate / schema (the real binary)', () => {
  it('lists the commands in --help', () => {
    const run = runCli(['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: prolink-bridge \[options\] \[command\]/);
    for (const command of ['interfaces', 'validate', 'schema']) expect(run.stdout).toContain(`  ${command}`);
  });

  it('accepts a valid mapping with exit code 0 and a summary', () => {
    const run = runCli(['validate', VALID]);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('ok: 1 file(s), 4 target(s), 4 rule(s), 1 clock(s), 1 timecode output(s)');
  });

  it('rejects an invalid mapping with exit code 2 and file:line:col errors', () => {
    const run = runCli(['validate', INVALID]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${INVALID}:9:20 rules[0].send[0].osc.to: unknown target "qlab2" (known: qlab, resolume)`,
      '1 error(s); the mapping was not loaded',
    ]);
  });

  it('exits 2 on a usage error', () => {
    const run = runCli(['validate']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("missing required argument 'paths'");
  });

  it('writes the JSON Schema that the committed mapping.schema.json matches', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-'));
    const out = path.join(dir, 'mapping.schema.json');
    const run = runCli(['schema', '--out', out]);
    expect(run.status).toBe(0);
    const written = fs.readFileSync(out, 'utf8');
    expect(JSON.parse(written)).toMatchObject({ $schema: 'http://json-schema.org/draft-07/schema#', title: 'prolink-bridge mapping' });
    expect(written).toBe(schemaText());
    // Editors read the committed copy; regenerate it with `prolink-bridge schema --out mapping.schema.json`.
    expect(fs.readFileSync(path.join(REPO, 'mapping.schema.json'), 'utf8')).toBe(written);
    fs.rmSync(dir, { recursive: true });
  });
});
