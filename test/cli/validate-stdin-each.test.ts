/**
 * `validate -` (a mapping on standard input, as an editor or a script pipes
 * it) and `validate --each` (every file on its own, one result line each),
 * through the real binary.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';

function validate(args: readonly string[], input = '', cwd = REPO): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [CLI, 'validate', ...args], { cwd, input, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

const VALID = path.join('test', 'mapping', 'fixtures', 'valid', 'show.yaml');
const UNKNOWN_TARGET = path.join('test', 'mapping', 'fixtures', 'invalid', 'unknown-target.yaml');

describe('prolink-bridge validate -', () => {
  it('checks the mapping read from standard input', () => {
    const run = validate(['-'], fs.readFileSync(path.join(REPO, VALID), 'utf8'));
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('ok: 1 file(s), 4 target(s), 4 rule(s), 1 clock(s), 1 timecode output(s)');
  });

  it('names standard input as <stdin> in file:line:col errors, with exit code 2', () => {
    const run = validate(['-'], fs.readFileSync(path.join(REPO, UNKNOWN_TARGET), 'utf8'));
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toEqual([
      '<stdin>:9:20 rules[0].send[0].osc.to: unknown target "qlab2" (known: qlab, resolume)',
      '1 error(s); the mapping was not loaded',
    ]);
  });

  it('merges standard input with the files given beside it', () => {
    const targets = 'targets:\n  vj: { osc: { port: 7000 } }\n';
    const run = validate([VALID, '-'], targets);
    expect(run.stdout.trim()).toBe('ok: 2 file(s), 5 target(s), 4 rule(s), 1 clock(s), 1 timecode output(s)');
  });

  it('says that empty input is empty', () => {
    const run = validate(['-'], '');
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n')[0]).toBe('<stdin>:1:1 the file is empty (a mapping with no rules says so with "rules: []")');
  });
});

describe('prolink-bridge validate --each', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'validate-each-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives one result line per file, the errors on stderr, and exit code 2 when any fails', () => {
    const run = validate(['--each', VALID, UNKNOWN_TARGET]);
    expect(run.status).toBe(2);
    expect(run.stdout.trim().split('\n')).toEqual([`ok     ${VALID}: 4 targets, 4 rules`, `failed ${UNKNOWN_TARGET}: 1 error`]);
    expect(run.stderr.trim().split('\n')).toEqual([
      `${UNKNOWN_TARGET}:9:20 rules[0].send[0].osc.to: unknown target "qlab2" (known: qlab, resolume)`,
      '1 of 2 files failed',
    ]);
  });

  it('checks each file of a folder on its own: a file that only works merged with another fails, and the reverse passes', () => {
    // targets.yaml and rules.yaml make one mapping together; alone, rules.yaml names a target it does not define.
    fs.writeFileSync(path.join(dir, 'rules.yaml'), 'rules:\n  - { on: beat, send: [{ osc: { to: vj, address: /beat } }] }\n');
    fs.writeFileSync(path.join(dir, 'targets.yaml'), 'targets:\n  vj: { osc: { port: 7000 } }\n');
    expect(validate([dir]).status).toBe(0);
    const each = validate(['--each', dir]);
    expect(each.status).toBe(2);
    expect(each.stdout.trim().split('\n')).toEqual([`failed ${path.join(dir, 'rules.yaml')}: 1 error`, `ok     ${path.join(dir, 'targets.yaml')}: 1 target, 0 rules`]);
    expect(each.stderr).toContain(`${path.join(dir, 'rules.yaml')}:2:37 rules[0].send[0].osc.to: unknown target "vj"`);

    // Two shows that each define the same target: together a duplicate, each on its own fine.
    fs.rmSync(path.join(dir, 'rules.yaml'));
    fs.writeFileSync(path.join(dir, 'other.yaml'), 'targets:\n  vj: { osc: { port: 7001 } }\n');
    expect(validate([dir]).status).toBe(2);
    const shows = validate(['--each', dir]);
    expect(shows.status).toBe(0);
    expect(shows.stdout.trim().split('\n')).toHaveLength(2);
    expect(shows.stderr).toBe('');
  });

  it('passes every example the package ships, one line each', () => {
    const examples = fs.readdirSync(path.join(REPO, 'examples')).filter((f) => f.endsWith('.yaml'));
    const run = validate(['--each', 'examples', 'mappings']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(examples.length + 1);
    for (const line of lines) expect(line).toMatch(/^ok {5}(examples|mappings)\/[\w-]+\.yaml: \d+ targets?, \d+ rules?$/);
  });

  it('gives a path that cannot be read its own failed line, and reads standard input as one more file', () => {
    const run = validate(['--each', path.join(dir, 'missing.yaml'), '-'], 'targets: {}\nrules: []\n');
    expect(run.status).toBe(2);
    expect(run.stdout.trim().split('\n')).toEqual([`failed ${path.join(dir, 'missing.yaml')}: 1 error`, 'ok     <stdin>: 0 targets, 0 rules']);
    expect(run.stderr).toContain(`${path.join(dir, 'missing.yaml')}:1:1`);
  });
});
