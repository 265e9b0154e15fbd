/**
 * `run --library` with the real binary: a library that cannot be read is one
 * sentence, and the bridge runs on without it; a real export is read at start.
 */
import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLibrary } from '../../src/cli/library-command';
import { CLI, REPO } from '../support/cli';
import { fixturePath } from '../support/fixtures';

const EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');

describe('readLibrary', () => {
  it('reads export folders and catalogue files into one library', () => {
    const library = readLibrary([EXPORT, fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks')]);
    expect(typeof library === 'string' ? library : library.tracks.length).toBe(8);
  });

  it('says in one sentence what cannot be read', () => {
    expect(readLibrary(['/no/such/usb'])).toBe('/no/such/usb does not exist (give a catalogue file from "library scan" or a USB export folder)');
    const notExport = fs.mkdtempSync(path.join(os.tmpdir(), 'not-export-'));
    try {
      const text = readLibrary([notExport]);
      expect(typeof text).toBe('string');
      expect(String(text)).toContain(notExport);
      expect(String(text).split('\n')).toHaveLength(1);
    } finally {
      fs.rmSync(notExport, { recursive: true, force: true });
    }
  });
});

describe('prolink-bridge run --library (the real binary)', () => {
  it.each([
    ['a missing library', ['/no/such/usb'], /\/no\/such\/usb does not exist .*; the bridge runs without the library/],
    ['a real export', [EXPORT], /library: 6 tracks from 1 exports/],
  ])('runs with %s and sends OSC', async (_what, library, logged) => {
    const receiver = dgram.createSocket('udp4');
    let beats = 0;
    receiver.on('message', () => beats++);
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-library-'));
    const mapping = path.join(dir, 'show.yaml');
    fs.writeFileSync(mapping, `targets:\n  vj: { osc: { port: ${receiver.address().port} } }\nrules:\n  - { on: beat, send: [{ osc: { to: vj, address: /beat } }] }\n`);
    const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--mapping', mapping, '--no-monitor', '--log-level', 'info', '--library', ...library], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    try {
      for (let i = 0; i < 80 && beats === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(beats).toBeGreaterThan(0);
      expect(output).toMatch(logged);
    } finally {
      child.kill('SIGINT');
      await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      receiver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
