/**
 * Device Library Plus (exportLibrary.db, SQLCipher 4): the reader on a
 * database this project made with Debian's sqlcipher tool
 * (test/fixtures/device-library-plus), wrong keys, a cut-short file, a
 * missing module, and OPUS-QUAD decks matched by the IDs it holds.
 *
 * The reader needs the optional module @evolu/sqlite-wasm; without it
 * (npm install --omit=optional) the tests that open the file are skipped,
 * with the reason printed.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrackAnalysis } from '../../../src/library/anlz';
import { Catalogue, scanExports, type CatalogueData, parseCatalogue, catalogueJson } from '../../../src/library/catalogue';
import {
  addDeviceLibraries,
  DeviceLibraryError,
  libraryKeyOf,
  locateModule,
  readDeviceLibrary,
  SQLCIPHER_MODULE,
} from '../../../src/library/dlp';
import { DeckTrackMatches } from '../../../src/library/match/deck-track-matches';
import { LengthIndex, matchTrack, type DeckTrackFacts } from '../../../src/library/match/track-matcher';
import { fixturePath } from '../../support/fixtures';

const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');
const DLP = fixturePath('device-library-plus', 'exportLibrary.db');
const KEY = 'prolink-bridge-test-key';
const NOW = (): Date => new Date('2026-12-03T12:00:00Z');

const installed = !(locateModule() instanceof DeviceLibraryError);
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(`Device Library Plus tests that open exportLibrary.db are skipped: the optional module ${SQLCIPHER_MODULE} is not installed (npm install ${SQLCIPHER_MODULE}).`);
}
const withModule = installed ? describe : describe.skip;

let tmp: string;
/** A copy of the rekordcrate demo export with the Device Library Plus database beside its export.pdb. */
let usb: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prolink-dlp-'));
  usb = path.join(tmp, 'usb');
  await fs.cp(DEMO, usb, { recursive: true });
  await fs.copyFile(DLP, path.join(usb, 'PIONEER', 'rekordbox', 'exportLibrary.db'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

withModule('readDeviceLibrary on the fixture', () => {
  it('reads both tracks with their content IDs, tags, tempo, length and analysis path', async () => {
    const dlp = await readDeviceLibrary(DLP, { exportRoot: DEMO, key: KEY });
    if (dlp instanceof DeviceLibraryError) throw dlp;
    expect(dlp.tracks.map((t) => [t.deviceLibraryId, t.title, t.artist, t.key, t.color, t.bpm, t.durationSeconds, t.source.analyzePath])).toEqual([
      [101, 'Demo Track 1', 'Loopmasters', 'Fm', 'Orange', 128, 172, '/PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT'],
      [102, 'Demo Track 2', 'Loopmasters', '', '', 120, 128, '/PIONEER/USBANLZ/P053/0001D21F/ANLZ0000.DAT'],
    ]);
    expect(dlp.tracks[0]).toMatchObject({ id: 0, rating: 3, comment: 'made by prolink-bridge', source: { exportRoot: DEMO, filePath: '/Contents/Loopmasters/UnknownAlbum/Demo Track 1.mp3' } });
    // Without an analysis reader, no grid.
    expect(dlp.tracks[0]?.grid).toEqual([]);
  });

  it('adds the beat grid and phrases from the ANLZ files the rows name', async () => {
    const dlp = await readDeviceLibrary(DLP, { exportRoot: DEMO, key: KEY, readAnalysis: readTrackAnalysis });
    if (dlp instanceof DeviceLibraryError) throw dlp;
    const [one, two] = dlp.tracks;
    expect(one?.grid).toHaveLength(368);
    expect(one?.grid[0]).toEqual({ beatInBar: 1, timeMs: 25, bpm: 128 });
    expect(two?.grid).toHaveLength(257);
    expect(one?.phrases?.phrases).toHaveLength(19);
    expect(one?.phraseFingerprint).toMatch(/^[0-9a-f]+$/);
    expect(dlp.problems).toEqual([]);
  });

  it('says in one sentence, naming the file, when the key is wrong', async () => {
    const result = await readDeviceLibrary(DLP, { exportRoot: DEMO, key: 'not-the-key' });
    expect(result).toBeInstanceOf(DeviceLibraryError);
    const error = result as DeviceLibraryError;
    expect(error.code).toBe('wrong-key');
    expect(error.message).toContain(DLP);
    expect(error.message).not.toContain('not-the-key');
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('says so when the file is cut short, or empty, or not there', async () => {
    const bytes = await fs.readFile(DLP);
    const codes: string[] = [];
    for (const [name, length] of [['half.db', 4096 * 4], ['first-page.db', 4096], ['stub.db', 100], ['empty.db', 0]] as const) {
      const file = path.join(tmp, name);
      await fs.writeFile(file, bytes.subarray(0, length));
      const result = await readDeviceLibrary(file, { exportRoot: DEMO, key: KEY });
      expect(result).toBeInstanceOf(DeviceLibraryError);
      expect((result as DeviceLibraryError).message).toContain(file);
      expect((result as DeviceLibraryError).message.split('\n')).toHaveLength(1);
      codes.push((result as DeviceLibraryError).code);
    }
    // A page cut off mid-way fails its HMAC, which SQLCipher cannot tell from a wrong key.
    expect(codes).toEqual(['damaged', 'damaged', 'wrong-key', 'damaged']);
    const missing = await readDeviceLibrary(path.join(tmp, 'nothing.db'), { exportRoot: DEMO, key: KEY });
    expect(missing).toMatchObject({ code: 'unreadable' });
  });
});

describe('without the module', () => {
  it('names the package to install, in one sentence', async () => {
    const result = await readDeviceLibrary(DLP, { exportRoot: DEMO, key: KEY, moduleName: 'prolink-bridge-no-such-module' });
    expect(result).toBeInstanceOf(DeviceLibraryError);
    expect((result as DeviceLibraryError).code).toBe('module-missing');
    expect((result as DeviceLibraryError).message).toBe(
      'Reading Device Library Plus (exportLibrary.db) needs the optional module "prolink-bridge-no-such-module", which is not installed: install it with "npm install prolink-bridge-no-such-module".',
    );
  });

  it('leaves the scanned catalogue as export.pdb gives it, with that sentence', async () => {
    const data = scanExports([usb], { readAnalysis: readTrackAnalysis, now: NOW });
    const result = await addDeviceLibraries(data, { key: KEY, moduleName: 'prolink-bridge-no-such-module' });
    expect(result.data).toBe(data);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]?.level).toBe('warn');
    expect(result.notes[0]?.message).toContain('npm install prolink-bridge-no-such-module');
    expect(result.notes[0]?.message).toContain('export.pdb as before');
  });
});

describe('the key', () => {
  it('comes from --library-key, else PROLINK_LIBRARY_KEY; empty counts as none', () => {
    expect(libraryKeyOf('a', { PROLINK_LIBRARY_KEY: 'b' })).toBe('a');
    expect(libraryKeyOf(undefined, { PROLINK_LIBRARY_KEY: 'b' })).toBe('b');
    expect(libraryKeyOf(undefined, {})).toBeUndefined();
    expect(libraryKeyOf('', {})).toBeUndefined();
  });

  it('missing, with an exportLibrary.db there: one info sentence, and the catalogue as export.pdb gives it', async () => {
    const data = scanExports([usb], { readAnalysis: readTrackAnalysis, now: NOW });
    const result = await addDeviceLibraries(data, { key: undefined });
    expect(result.data).toBe(data);
    expect(result.notes).toEqual([
      {
        level: 'info',
        message: `${path.join(usb, 'PIONEER', 'rekordbox', 'exportLibrary.db')}: Device Library Plus is not read without its key (give --library-key or PROLINK_LIBRARY_KEY); tracks are matched from export.pdb as before.`,
      },
    ]);
  });

  it('is not asked for when the USB has no exportLibrary.db', async () => {
    const data = scanExports([DEMO], { readAnalysis: readTrackAnalysis, now: NOW });
    expect(await addDeviceLibraries(data, { key: undefined })).toEqual({ data, notes: [] });
  });
});

withModule('a catalogue with Device Library Plus IDs', () => {
  let data: CatalogueData;
  beforeAll(async () => {
    const scanned = scanExports([usb], { readAnalysis: readTrackAnalysis, now: NOW });
    const result = await addDeviceLibraries(scanned, { key: KEY });
    expect(result.notes).toEqual([{ level: 'info', message: `${path.join(usb, 'PIONEER', 'rekordbox', 'exportLibrary.db')}: Device Library Plus IDs added to 2 tracks.` }]);
    data = result.data;
  });

  it('gives each export.pdb track the content ID of the row naming the same analysis file', () => {
    expect(data.tracks.map((t) => [t.id, t.deviceLibraryId, t.title])).toEqual([
      [1, 101, 'Demo Track 1'],
      [2, 102, 'Demo Track 2'],
    ]);
  });

  it('is saved and loaded back with the IDs', () => {
    const again = parseCatalogue(catalogueJson(data), 'prolink-library.json');
    expect(again.tracks.map((t) => t.deviceLibraryId)).toEqual([101, 102]);
  });

  it('a wrong key: one sentence with the file name, the catalogue as export.pdb gives it', async () => {
    const scanned = scanExports([usb], { readAnalysis: readTrackAnalysis, now: NOW });
    const result = await addDeviceLibraries(scanned, { key: 'wrong' });
    expect(result.data).toBe(scanned);
    expect(result.notes).toHaveLength(1);
    expect(result.notes[0]).toMatchObject({ level: 'warn' });
    expect(result.notes[0]?.message).toContain(path.join(usb, 'PIONEER', 'rekordbox', 'exportLibrary.db'));
  });

  describe('matching an OPUS-QUAD deck', () => {
    const facts = (f: Partial<DeckTrackFacts>): DeckTrackFacts => ({ kind: 'opus', trackId: 0, bpm: null, fingerprint: null, durationSeconds: null, ...f });
    const match = (catalogue: Catalogue, f: Partial<DeckTrackFacts>) => matchTrack(catalogue, new LengthIndex(catalogue), facts(f));

    it('finds the track by the ID the deck reports, checked against its tempo and length', () => {
      const catalogue = new Catalogue(data);
      expect(match(catalogue, { trackId: 102, bpm: 120 })).toMatchObject({ ok: true, method: 'device-library-id', track: { id: 2, title: 'Demo Track 2' } });
      expect(match(catalogue, { trackId: 101, bpm: 128, durationSeconds: 172 })).toMatchObject({ ok: true, method: 'device-library-id', track: { title: 'Demo Track 1' } });
      // At the wrong tempo the ID is not trusted, and nothing else finds the track.
      expect(match(catalogue, { trackId: 101, bpm: 90 })).toMatchObject({ ok: false });
      // export.pdb's IDs mean nothing to an OPUS.
      expect(match(catalogue, { trackId: 1, bpm: 128 })).toMatchObject({ ok: false });
      // A CDJ still reports export.pdb IDs.
      expect(match(catalogue, { kind: 'cdj', trackId: 1, bpm: 128 })).toMatchObject({ ok: true, method: 'rekordbox-id', track: { title: 'Demo Track 1' } });
    });

    it('matches at the first status, without waiting for phrase data', () => {
      const matches = new DeckTrackMatches(new Catalogue(data));
      expect(matches.observeStatus(1, 'OPUS-QUAD', 101, 128)).toMatchObject({ title: 'Demo Track 1', match: 'device-library-id' });
      expect(matches.awaitingPhrases(1)).toBe(false);
      expect(matches.trackOn(1)).toMatchObject({ trackId: 101, method: 'device-library-id', track: { id: 1 } });
    });
  });
});
