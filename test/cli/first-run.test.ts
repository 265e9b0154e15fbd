/**
 * The first run of an installed bridge, in a folder with nothing in it:
 * `run` falls back to the mapping the package carries and says so; with a
 * ./mappings folder (what `init` writes) it uses that instead.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';
import { chooseMappingPaths, LOCAL_MAPPINGS, PACKAGED_DEFAULT_MAPPING } from '../../src/cli/package-files';

interface Logged {
  readonly msg: string;
  readonly files?: readonly string[];
  readonly level: number;
}

/** Runs `run --simulate` in `cwd` until the mapping is loaded and the simulated gear is heard, then Ctrl-C. */
async function firstRun(cwd: string): Promise<{ lines: Logged[]; code: number | null }> {
  const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--no-monitor'], { cwd, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 15_000;
  while (!/OPUS-QUAD found|mapping has errors/.test(stderr) && Date.now() < deadline && child.exitCode === null) {
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGINT');
  const code = await exited;
  const lines = stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Logged);
  return { lines, code };
}

describe('the mapping a run uses', () => {
  it('is --mapping when given, else ./mappings when it exists, else the packaged default with one line saying so', () => {
    expect(chooseMappingPaths(['show.yaml'], () => true)).toEqual({ paths: ['show.yaml'], note: null });
    expect(chooseMappingPaths(undefined, (file) => file === LOCAL_MAPPINGS)).toEqual({ paths: [LOCAL_MAPPINGS], note: null });
    const fallback = chooseMappingPaths(undefined, () => false, '/usr/lib/node_modules/prolink-bridge/mappings/default.yaml');
    expect(fallback.paths).toEqual(['/usr/lib/node_modules/prolink-bridge/mappings/default.yaml']);
    expect(fallback.note).toBe(
      'no --mapping given and no ./mappings folder here: using the packaged default mapping /usr/lib/node_modules/prolink-bridge/mappings/default.yaml ' +
        '(OSC to 127.0.0.1:9000; "prolink-bridge init" writes a mapping of your own to edit)',
    );
    expect(fallback.note).not.toContain('\n');
  });

  it('finds the packaged default from where the code is installed, not from the working directory', () => {
    expect(PACKAGED_DEFAULT_MAPPING).toBe(path.join(REPO, 'mappings', 'default.yaml'));
    expect(fs.existsSync(PACKAGED_DEFAULT_MAPPING)).toBe(true);
  });
});

describe('prolink-bridge run --simulate in a folder of its own (the real binary)', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('runs on the packaged default mapping when the folder is empty, says so once, and stops cleanly on Ctrl-C', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-run-'));
    dirs.push(dir);
    const { lines, code } = await firstRun(dir);
    const notes = lines.filter((l) => l.msg.startsWith('no --mapping given'));
    expect(notes).toHaveLength(1);
    expect(notes[0]?.msg).toContain(`using the packaged default mapping ${PACKAGED_DEFAULT_MAPPING} `);
    expect(lines.find((l) => l.msg === 'mapping loaded')?.files).toEqual([PACKAGED_DEFAULT_MAPPING]);
    expect(lines.some((l) => l.msg.startsWith('OPUS-QUAD found'))).toBe(true);
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(code).toBe(0);
  }, 30_000);

  it('runs on ./mappings when the folder has one, without the note', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-run-'));
    dirs.push(dir);
    fs.mkdirSync(path.join(dir, 'mappings'));
    fs.writeFileSync(path.join(dir, 'mappings', 'show.yaml'), 'targets:\n  vj: { osc: { port: 9 } }\nrules:\n  - { on: beat, send: [{ osc: { to: vj, address: /beat } }] }\n');
    const { lines, code } = await firstRun(dir);
    expect(lines.find((l) => l.msg === 'mapping loaded')?.files).toEqual([path.join('mappings', 'show.yaml')]);
    expect(lines.some((l) => l.msg.startsWith('no --mapping given'))).toBe(false);
    expect(code).toBe(0);
  }, 30_000);
});
