/**
 * `run --simulate` (the real binary) decodes its first packet before the
 * mapping's modules load: the link is taken and decoded from when it opens
 * (app/ingestion), and the mapping, the YAML parser and the schema validator
 * come after. What came meanwhile still reaches the mapping: its rules fire.
 * Which modules were loaded is read from the module cache at the moment the
 * "first packet decoded" line is written; nothing is timed.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';

let dir: string;
let hook: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-early-decode-'));
  hook = path.join(dir, 'modules-at-first-packet.js');
  // Preloaded with -r: when the first packet decoded is logged, writes the files of every module loaded by then as one more line.
  fs.writeFileSync(
    hook,
    `const write = process.stderr.write.bind(process.stderr);
process.stderr.write = (chunk, ...rest) => {
  const done = write(chunk, ...rest);
  if (String(chunk).includes('first packet decoded')) write(JSON.stringify({ modulesAtFirstPacket: Object.keys(require.cache) }) + '\\n');
  return done;
};
`,
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface LogLine {
  readonly msg?: string;
  readonly modulesAtFirstPacket?: string[];
}

describe('run --simulate decodes before the mapping loads', () => {
  it('logs its first packet decoded with neither yaml nor zod loaded, then loads the mapping, and its rules fire', async () => {
    const child = spawn(process.execPath, ['-r', hook, CLI, 'run', '--simulate', '--no-monitor', '--log-level', 'debug'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const lines = (): LogLine[] => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as LogLine);
    try {
      for (let i = 0; i < 100 && !lines().some((l) => l.msg === 'rule fired'); i++) await new Promise((r) => setTimeout(r, 100));
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.on('exit', r));
    }
    const log = lines();
    const messages = log.map((l) => l.msg);
    const decodedAt = messages.indexOf('first packet decoded');
    expect(decodedAt).toBeGreaterThanOrEqual(0);
    expect(messages.indexOf('mapping loaded')).toBeGreaterThan(decodedAt);
    expect(messages.indexOf('rule fired')).toBeGreaterThan(decodedAt);
    const modules = log.find((l) => l.modulesAtFirstPacket !== undefined)?.modulesAtFirstPacket ?? [];
    expect(modules.some((file) => file.endsWith(path.join('dist', 'streams', 'decode-datagrams.js')))).toBe(true);
    for (const name of ['yaml', 'zod']) expect(modules.filter((file) => file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`))).toEqual([]);
    expect(modules.some((file) => file.endsWith(path.join('dist', 'mapping', 'mapping-runtime.js')))).toBe(false);
  });
});
