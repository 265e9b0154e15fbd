/**
 * What the command line loads before it does anything (the real binary):
 * --help and --version only the argument parser; nothing of the bridge
 * ever loads osc's serial-port transport, and ws waits for a WebSocket
 * target; RxJS is loaded by the parts the bridge uses. Counted from the
 * module cache at exit, not timed.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';

let dir: string;
let hook: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'startup-modules-'));
  hook = path.join(dir, 'list-modules.js');
  // Preloaded with -r: writes the files of every module loaded to a file when the process exits.
  fs.writeFileSync(hook, `process.on('exit', () => require('fs').writeFileSync(process.env.MODULES_OUT, JSON.stringify(Object.keys(require.cache))));\n`);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function loadedBy(args: readonly string[], input = ''): { status: number | null; modules: string[] } {
  const out = path.join(dir, `modules-${Math.random().toString(36).slice(2)}.json`);
  const run = spawnSync(process.execPath, ['-r', hook, ...args], { cwd: REPO, input, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1', MODULES_OUT: out } });
  return { status: run.status, modules: JSON.parse(fs.readFileSync(out, 'utf8')) as string[] };
}

/** The packages among the loaded files. */
function packages(modules: readonly string[]): Set<string> {
  const names = modules.flatMap((file) => {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*node_modules\/)/.exec(file);
    return match?.[1] === undefined ? [] : [match[1]];
  });
  return new Set(names);
}

describe('modules loaded at start', () => {
  it.each([['--help'], ['--version'], ['validate', '--help']])('%s %s loads only the argument parser and the command line itself', (...args) => {
    const { status, modules } = loadedBy([CLI, ...args]);
    expect(status).toBe(0);
    expect([...packages(modules)]).toEqual(['commander']);
    const own = modules.filter((file) => file.startsWith(path.join(REPO, 'dist')));
    expect(own.map((file) => path.relative(path.join(REPO, 'dist'), file)).sort()).toEqual(['cli.js', path.join('cli', 'compile-cache.js'), path.join('log', 'log-levels.js')]);
  });

  it('validate loads the mapping code but neither the network, the logger nor the outputs', () => {
    const { status, modules } = loadedBy([CLI, 'validate', '-'], 'targets: {}\nrules: []\n');
    expect(status).toBe(0);
    const loaded = packages(modules);
    expect(loaded.has('yaml')).toBe(true);
    for (const heavy of ['pino', 'pino-pretty', 'ws', 'osc', 'serialport', '@julusian/midi']) expect(loaded.has(heavy)).toBe(false);
  });

  it('the whole library, OSC over TCP included, uses osc without its serial-port transport', () => {
    const { modules } = loadedBy(['-e', `require(${JSON.stringify(path.join(REPO, 'dist', 'index.js'))}); require(${JSON.stringify(path.join(REPO, 'dist', 'outputs', 'osc', 'osc-tcp-target.js'))});`]);
    const loaded = packages(modules);
    expect(loaded.has('osc')).toBe(true);
    expect(loaded.has('slip')).toBe(true);
    expect([...loaded].filter((name) => name.includes('serialport'))).toEqual([]);
    expect(modules.some((file) => file.includes(path.join('osc', 'src', 'platforms')))).toBe(false);
    // ws (and the http, https, tls and zlib it brings) only once a WebSocket target is created.
    expect(loaded.has('ws')).toBe(false);
  });

  it('the whole library loads the parts of RxJS it uses, not the entry that loads every operator', () => {
    const { modules } = loadedBy(['-e', `require(${JSON.stringify(path.join(REPO, 'dist', 'index.js'))});`]);
    const rxjs = modules.filter((file) => file.includes(path.join('node_modules', 'rxjs', 'dist', 'cjs')));
    expect(rxjs.some((file) => file.endsWith(path.join('operators', 'map.js')))).toBe(true);
    expect(rxjs.filter((file) => file.endsWith(path.join('cjs', 'index.js')))).toEqual([]);
    // The entry loads 223 modules (RxJS 7.8); the parts and what they need, about 70.
    expect(rxjs.length).toBeLessThan(100);
  });
});
