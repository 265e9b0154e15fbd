/**
 * `library scan` and `library show` with Device Library Plus: the key from
 * --library-key (or PROLINK_LIBRARY_KEY), one sentence without it, one
 * sentence with a wrong one, and the IDs in the catalogue and in `show`.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLibraryWithDeviceLibraries, runLibraryScan, runLibraryShow, type LibraryDeps } from '../../../src/cli/library-command';
import { readTrackAnalysis } from '../../../src/library/anlz';
import { loadCatalogue } from '../../../src/library/catalogue';
import { DeviceLibraryError, locateModule, SQLCIPHER_MODULE } from '../../../src/library/dlp';
import { fixturePath } from '../../support/fixtures';

const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');
const KEY = 'prolink-bridge-test-key';
const installed = !(locateModule() instanceof DeviceLibraryError);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(`library command tests with a Device Library Plus key are skipped: the optional module ${SQLCIPHER_MODULE} is not installed (npm install ${SQLCIPHER_MODULE}).`);
}
const withModule = installed ? it : it.skip;

let tmp: string;
let usb: string;
let dbFile: string;
let deps: LibraryDeps;
const savedKey = process.env['PROLINK_LIBRARY_KEY'];
beforeAll(async () => {
  delete process.env['PROLINK_LIBRARY_KEY'];
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prolink-dlp-cli-'));
  usb = path.join(tmp, 'usb');
  await fs.cp(DEMO, usb, { recursive: true });
  dbFile = path.join(usb, 'PIONEER', 'rekordbox', 'exportLibrary.db');
  await fs.copyFile(fixturePath('device-library-plus', 'exportLibrary.db'), dbFile);
  deps = { cwd: tmp, readAnalysis: readTrackAnalysis, now: () => new Date('2026-12-03T12:00:00Z') };
});
afterAll(async () => {
  if (savedKey !== undefined) process.env['PROLINK_LIBRARY_KEY'] = savedKey;
  await fs.rm(tmp, { recursive: true, force: true });
});

function run(): { out: string[]; err: string[]; print: (l: string) => void; printError: (l: string) => void } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, print: (l) => out.push(l), printError: (l) => err.push(l) };
}

it('scan without a key: one sentence, the export.pdb catalogue as before', async () => {
  const r = run();
  expect(await runLibraryScan([usb], { out: 'none.json', json: false }, r.print, r.printError, deps)).toBe(0);
  expect(r.out.filter((l) => l.includes('exportLibrary.db'))).toEqual([
    `${dbFile}: Device Library Plus is not read without its key (give --library-key or PROLINK_LIBRARY_KEY); tracks are matched from export.pdb as before.`,
  ]);
  expect(loadCatalogue(path.join(tmp, 'none.json')).tracks.map((t) => t.deviceLibraryId)).toEqual([undefined, undefined]);
});

withModule('scan with --library-key writes the IDs; show prints them', async () => {
  const r = run();
  expect(await runLibraryScan([usb], { out: 'dlp.json', json: false, libraryKey: KEY }, r.print, r.printError, deps)).toBe(0);
  expect(r.out).toContain(`${dbFile}: Device Library Plus IDs added to 2 tracks.`);
  expect(r.err).toEqual([]);
  expect(loadCatalogue(path.join(tmp, 'dlp.json')).tracks.map((t) => t.deviceLibraryId)).toEqual([101, 102]);
  const s = run();
  expect(await runLibraryShow('Demo Track 2', { library: ['dlp.json'] }, s.print, s.printError, deps)).toBe(0);
  expect(s.out).toContain(`  rekordbox ID 2 (Device Library Plus ID 102) on ${usb}`);
});

withModule('the key may come from PROLINK_LIBRARY_KEY; a wrong one is one sentence on stderr, and the scan goes on', async () => {
  process.env['PROLINK_LIBRARY_KEY'] = KEY;
  try {
    const { library, notes } = await readLibraryWithDeviceLibraries([usb], undefined, deps);
    expect(notes).toEqual([{ level: 'info', message: `${dbFile}: Device Library Plus IDs added to 2 tracks.` }]);
    expect(typeof library === 'string' ? [] : library.withDeviceLibraryId(101).map((t) => t.title)).toEqual(['Demo Track 1']);
  } finally {
    delete process.env['PROLINK_LIBRARY_KEY'];
  }
  const r = run();
  expect(await runLibraryScan([usb], { json: true, libraryKey: 'wrong' }, r.print, r.printError, deps)).toBe(0);
  expect(r.err).toHaveLength(1);
  expect(r.err[0]).toContain(dbFile);
  expect(r.err[0]).toContain('does not open');
  expect(r.err[0]).not.toContain('\n');
  // stdout is the catalogue alone.
  expect(JSON.parse(r.out.join('\n')).tracks).toHaveLength(2);
});
