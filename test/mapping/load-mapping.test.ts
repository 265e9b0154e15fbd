import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadMappingPaths, parseMappingSources } from '../../src/mapping/load-mapping';

const FIXTURES = path.join(__dirname, 'fixtures');

function expectedErrors(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('# expect: '))
    .map((line) => line.slice('# expect: '.length));
}

describe('mapping files', () => {
  const invalid = fs.readdirSync(path.join(FIXTURES, 'invalid')).filter((f) => f.endsWith('.yaml'));

  it.each(fs.readdirSync(path.join(FIXTURES, 'valid')))('accepts valid/%s', async (name) => {
    const result = await loadMappingPaths([path.join(FIXTURES, 'valid', name)]);
    expect(result.ok ? [] : result.errors.map(String)).toEqual([]);
  });

  it.each(invalid)('rejects invalid/%s with the exact error', async (name) => {
    const file = path.join(FIXTURES, 'invalid', name);
    const expected = expectedErrors(file);
    expect(expected.length).toBeGreaterThan(0);
    const result = await loadMappingPaths([file]);
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((e) => String(e).replace(file, name));
    expect(errors).toEqual(expected);
  });

  it('reads every YAML file of a folder in name order and reports errors per file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapping-'));
    fs.writeFileSync(path.join(dir, 'a-targets.yaml'), 'targets:\n  qlab: { osc: { port: 53000 } }\n');
    fs.writeFileSync(path.join(dir, 'b-rules.yml'), 'rules:\n  - on: beat\n    send: [{ osc: { to: qlab, address: /go } }]\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a mapping');
    const merged = await loadMappingPaths([dir]);
    expect(merged.ok && merged.mapping.files.map((f) => path.basename(f))).toEqual(['a-targets.yaml', 'b-rules.yml']);
    expect(merged.ok && merged.mapping.rules[0]?.file).toBe(path.join(dir, 'b-rules.yml'));

    fs.writeFileSync(path.join(dir, 'c-broken.yaml'), 'targets:\n  x: { osc: { port: 0 } }\n');
    const broken = await loadMappingPaths([dir]);
    expect(broken.ok ? [] : broken.errors.map(String)).toEqual([`${path.join(dir, 'c-broken.yaml')}:2:21 targets.x.osc.port: must be at least 1 (got 0)`]);
    fs.rmSync(dir, { recursive: true });
  });

  it('gives the validated values with their defaults filled in', async () => {
    const result = await loadMappingPaths([path.join(FIXTURES, 'valid', 'show.yaml')]);
    if (!result.ok) throw new Error(result.errors.join('\n'));
    const { mapping } = result;
    expect([...mapping.targets.keys()]).toEqual(['qlab', 'resolume', 'desk', 'dash']);
    expect(mapping.targets.get('resolume')?.value).toEqual({ osc: { host: '127.0.0.1', port: 7000, protocol: 'udp' } });
    expect(mapping.targets.get('dash')?.value).toEqual({ websocket: { host: '127.0.0.1', port: 8765, relayRaw: false } });
    expect(mapping.rules).toHaveLength(4);
    expect(mapping.rules[1]?.value.send[1]).toEqual({ midi: { to: 'desk', channel: 1, note: 36, velocity: 127, duration: '50ms' } });
    expect(mapping.rules[0]?.value.enabled).toBe(true);
    expect(mapping.clock[0]?.value).toEqual({ to: 'desk', follow: 'master', run: 'follow-play' });
    expect(mapping.timecode[0]?.value).toEqual({ to: 'desk', follow: 'master', rate: 29.97, offsets: { '184': '01:00:00:00' }, defaultOffset: 0 });
    expect(mapping.rules[2]?.locate(mapping.rules[2].path)).toEqual({ line: 18, column: 5 });
  });

  it('rejects a target defined twice across files, pointing at both', () => {
    const result = parseMappingSources([
      { file: 'a.yaml', text: 'targets:\n  qlab: { osc: { port: 53000 } }\n' },
      { file: 'b.yaml', text: 'targets:\n  other: { osc: { port: 1 } }\n  qlab: { osc: { port: 53001 } }\n' },
    ]);
    expect(result.ok ? [] : result.errors.map(String)).toEqual(['b.yaml:3:3 targets.qlab: target "qlab" is already defined in a.yaml:2:3']);
  });

  it('treats an empty file and a missing file as errors ("rules: []" is a mapping without rules)', async () => {
    const empty = parseMappingSources([{ file: 'empty.yaml', text: '' }]);
    expect(empty.ok ? [] : empty.errors.map(String)).toEqual(['empty.yaml:1:1 the file is empty (a mapping with no rules says so with "rules: []")']);
    expect(parseMappingSources([{ file: 'none.yaml', text: 'rules: []\n' }]).ok).toBe(true);
    const missing = await loadMappingPaths(['/nonexistent/show.yaml']);
    expect(missing.ok ? [] : missing.errors.map(String)).toEqual(['/nonexistent/show.yaml:1:1 cannot read: ENOENT']);
  });
});
