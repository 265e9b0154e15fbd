/**
 * `run --simulate` with the real binary: without --library the bridge gets
 * the simulated DJ's USB (said in one line), and a mapping's track.load rule
 * sends the synthetic tracks' titles; with --library that library is used
 * instead. A scenario whose export is missing fails in one sentence.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';
import { fixturePath } from '../support/fixtures';
import { decodeOsc } from '../support/osc-decode';

const EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
// As logged: JSON, its quotes escaped.
const SIMULATED = /library: the simulated tracks of scenario \\"club\\" are used as the library \(4 tracks; --library gives another\)/;

describe('prolink-bridge run --simulate, and the library (the real binary)', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-sim-library-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['no --library: the simulated tracks, with their titles', [], true],
    ['--library: that library, which does not know the synthetic tracks', ['--library', EXPORT], false],
  ])('%s', async (_what, extra, simulated) => {
    const receiver = dgram.createSocket('udp4');
    const titles: string[] = [];
    receiver.on('message', (m) => {
      const message = decodeOsc(m);
      if (message.address === '/load') titles.push(String(message.args[0]?.value));
    });
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const mapping = path.join(dir, 'show.yaml');
    fs.writeFileSync(
      mapping,
      `targets:\n  vj: { osc: { port: ${receiver.address().port} } }\nrules:\n  - { on: track.load, send: [{ osc: { to: vj, address: /load, args: ["{{ event.track.title ?? 'unknown' }}"] } }] }\n`,
    );
    const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--mapping', mapping, '--no-monitor', '--log-level', 'info', ...extra], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1' },
    });
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    try {
      for (let i = 0; i < 80 && titles.length < 3; i++) await new Promise((r) => setTimeout(r, 100));
      if (simulated) {
        expect(output).toMatch(SIMULATED);
        expect(titles.sort()).toEqual(['Closing Loop', 'Night Drive', 'Warehouse Opener']);
      } else {
        expect(output).not.toMatch(/simulated tracks/);
        expect(output).toMatch(/library: 6 tracks from 1 exports/);
        expect(titles).toEqual(['unknown', 'unknown', 'unknown']);
      }
    } finally {
      child.kill('SIGINT');
      await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      receiver.close();
    }
  }, 20_000);

  it('fails in one sentence when the example scenario’s export is not there (as in a package installed from npm)', () => {
    const copy = path.join(dir, 'usb-demo.yaml');
    fs.copyFileSync(path.join(REPO, 'examples', 'scenarios', 'usb-demo.yaml'), copy);
    const run = spawnSync(process.execPath, [CLI, 'run', '--simulate', copy, '--no-monitor'], { cwd: REPO, encoding: 'utf8', timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } });
    expect(run.status).toBe(2);
    const lines = (run.stdout + run.stderr).trim().split('\n');
    expect(lines).toHaveLength(1);
    const message = (JSON.parse(lines[0] ?? '{}') as { msg: string }).msg;
    expect(message).toBe(
      `usb-demo: cannot read the export ${path.resolve(dir, '../../test/fixtures/dylanljones__pyrekordbox/.testdata/export')}: no such folder; give the USB drive's folder (the one holding PIONEER)`,
    );
  });
});
