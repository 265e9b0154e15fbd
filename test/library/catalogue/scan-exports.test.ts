/**
 * Catalogues built from real USB exports (test/fixtures/PROVENANCE.md §5, §6)
 * with the real analysis reader.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrackAnalysis } from '../../../src/library/anlz';
import { Catalogue, CatalogueError, scanExports, type AnalysisReader, type CatalogueData } from '../../../src/library/catalogue';
import { fixturePath } from '../../support/fixtures';

const PYREKORDBOX = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');
const EMPTY = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'empty');
const NUM_ROWS = fixturePath('Holzhaus__rekordcrate', 'data', 'pdb', 'num_rows');

const NOW = (): Date => new Date('2026-12-03T12:00:00Z');
const scan = (folders: readonly string[], readAnalysis: AnalysisReader = readTrackAnalysis): CatalogueData =>
  scanExports(folders, { readAnalysis, now: NOW });

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prolink-catalogue-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('the pyrekordbox export (six demo tracks)', () => {
  const data = scan([PYREKORDBOX]);
  const byTitle = new Map(data.tracks.map((t) => [t.title, t]));

  it('holds the six tracks pyrekordbox lists, with ID, length and analysis path', () => {
    const rows = [...data.tracks].sort((a, b) => a.id - b.id).map((t) => [t.id, t.title, t.durationSeconds, t.source.analyzePath]);
    expect(rows).toEqual([
      [1, 'Demo Track 1', 172, '/PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT'],
      [2, 'Demo Track 2', 128, '/PIONEER/USBANLZ/P053/0001D21F/ANLZ0000.DAT'],
      [3, 'HORN', 7, '/PIONEER/USBANLZ/P021/00006D2B/ANLZ0000.DAT'],
      [4, 'NOISE', 5, '/PIONEER/USBANLZ/P019/00020AA9/ANLZ0000.DAT'],
      [5, 'SINEWAVE', 5, '/PIONEER/USBANLZ/P043/00011517/ANLZ0000.DAT'],
      [6, 'SIREN', 7, '/PIONEER/USBANLZ/P017/00009B77/ANLZ0000.DAT'],
    ]);
  });

  it('joins the demo tracks with their one artist and gives their tempo', () => {
    // The export holds one artist; rekordbox filed the demo tracks' audio under its name.
    expect(byTitle.get('Demo Track 1')).toMatchObject({ bpm: 128, artist: 'Loopmasters', source: { exportRoot: PYREKORDBOX } });
    expect(byTitle.get('Demo Track 1')?.source.filePath).toContain('/Loopmasters/');
    expect(byTitle.get('Demo Track 2')).toMatchObject({ bpm: 120, artist: 'Loopmasters' });
  });

  it('adds the beat grids and phrases of the analysis files (§6: 368 and 257 beats, 19 and 11 phrases)', () => {
    const one = byTitle.get('Demo Track 1');
    const two = byTitle.get('Demo Track 2');
    expect(one?.grid).toHaveLength(368);
    expect(one?.grid[0]).toEqual({ beatInBar: 1, timeMs: 25, bpm: 128 });
    expect(two?.grid).toHaveLength(257);
    expect(one?.phrases?.phrases).toHaveLength(19);
    expect(two?.phrases?.phrases).toHaveLength(11);
    expect(one?.phraseFingerprint).toMatch(/^[0-9a-f]+$/);
    expect(byTitle.get('HORN')).toMatchObject({ grid: [], phrases: null, phraseFingerprint: null, cues: [] });
  });

  it('sums it up: 6 tracks, 6 titled, 2 with grids, 0 with cues, 2 with phrases, nothing missing or unreadable', () => {
    expect(data.summary).toMatchObject({
      exports: 1,
      tracks: 6,
      withTitles: 6,
      withGrids: 2,
      withCues: 0,
      withPhrases: 2,
      missingAnalysis: [],
      duplicates: [],
      unreadable: [],
    });
  });

  it('calls the analysis reader with each track\'s .DAT under the export root', () => {
    const asked: string[] = [];
    scan([PYREKORDBOX], (datPath) => {
      asked.push(datPath);
      return readTrackAnalysis(datPath);
    });
    expect(asked).toHaveLength(6);
    expect(asked).toContain(path.join(PYREKORDBOX, 'PIONEER', 'USBANLZ', 'P053', '0001D21F', 'ANLZ0000.DAT'));
  });

  it('accepts the PIONEER folder itself and finds the same export root', () => {
    const again = scan([path.join(PYREKORDBOX, 'PIONEER')]);
    expect(again.exports).toEqual(data.exports);
    expect(again.tracks).toHaveLength(6);
  });
});

describe('several exports', () => {
  const data = scan([PYREKORDBOX, DEMO, EMPTY]);
  const catalogue = new Catalogue(data);

  it('lists the demo tracks held by both USB exports as duplicates, and the empty export adds nothing', () => {
    expect(data.summary.exports).toBe(3);
    expect(data.summary.tracks).toBe(6 + 2);
    const duplicates = data.summary.duplicates.map((d) => [d.kind, d.tracks.map((t) => [t.title, t.exportRoot])]);
    expect(duplicates).toEqual([
      ['same-track', [['Demo Track 1', PYREKORDBOX], ['Demo Track 1', DEMO]]],
      ['same-track', [['Demo Track 2', PYREKORDBOX], ['Demo Track 2', DEMO]]],
    ]);
  });

  it('finds a track by export and ID, by ID alone, and by phrase fingerprint across exports', () => {
    const demo2 = catalogue.track(DEMO, 2);
    expect(demo2?.title).toBe('Demo Track 2');
    expect(catalogue.track(EMPTY, 2)).toBeNull();
    expect(catalogue.withId(1).map((t) => t.source.exportRoot)).toEqual([PYREKORDBOX, DEMO]);
    // Byte-identical analysis files on both USBs: one fingerprint, two tracks.
    const same = catalogue.withPhraseFingerprint(demo2?.phraseFingerprint ?? '');
    expect(same.map((t) => [t.title, t.source.exportRoot])).toEqual([
      ['Demo Track 2', PYREKORDBOX],
      ['Demo Track 2', DEMO],
    ]);
    expect(catalogue.withPhraseFingerprint('0000000000000000')).toEqual([]);
  });

  it('searches titles and artists ignoring case, and IDs', () => {
    expect(catalogue.search('demo track 2').map((t) => t.title)).toEqual(['Demo Track 2', 'Demo Track 2']);
    expect(catalogue.search('SIREN').map((t) => t.id)).toEqual([6]);
    expect(catalogue.search('loopmasters')).toHaveLength(4);
    expect(catalogue.search('5').map((t) => t.title)).toEqual(['SINEWAVE']);
    expect(catalogue.search('no such track')).toEqual([]);
  });

  it('scans a folder given twice once, and says so', () => {
    const twice = scan([PYREKORDBOX, path.join(PYREKORDBOX, 'PIONEER')]);
    expect(twice.summary.tracks).toBe(6);
    expect(twice.summary.problems).toEqual([`${PYREKORDBOX}: given more than once; scanned once`]);
  });
});

describe('the 3,886-track export without analysis files', () => {
  it('catalogues every track and reports each one\'s analysis as missing instead of failing', () => {
    const data = scan([NUM_ROWS], () => {
      throw new Error('the reader must not be called for files that do not exist');
    });
    expect(data.summary.tracks).toBe(3886);
    expect(data.summary.missingAnalysis).toHaveLength(3886);
    expect(data.summary.unreadable).toEqual([]);
    expect(data.summary.withGrids).toBe(0);
  });
});

describe('folders and files that are not usable exports', () => {
  it('a folder without PIONEER/rekordbox/export.pdb is one sentence naming it', () => {
    const error = (() => {
      try {
        scan([tmp]);
      } catch (e) {
        return e;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(CatalogueError);
    expect((error as CatalogueError).code).toBe('no-export');
    expect((error as CatalogueError).message).toBe(
      `${tmp}: holds no PIONEER/rekordbox/export.pdb; give the folder of a USB drive that rekordbox exported to (the one holding PIONEER).`,
    );
  });

  it('a damaged export.pdb is listed as unreadable with its error, and other exports are still read', async () => {
    const root = path.join(tmp, 'damaged-usb');
    await fs.mkdir(path.join(root, 'PIONEER', 'rekordbox'), { recursive: true });
    const pdb = await fs.readFile(path.join(PYREKORDBOX, 'PIONEER', 'rekordbox', 'export.pdb'));
    const pdbPath = path.join(root, 'PIONEER', 'rekordbox', 'export.pdb');
    await fs.writeFile(pdbPath, pdb.subarray(0, 10_000));
    const data = scan([root, DEMO]);
    expect(data.summary.tracks).toBe(2);
    expect(data.summary.unreadable).toEqual([{ file: pdbPath, error: expect.stringMatching(/^.*export\.pdb: the file is 10000 bytes long, not a whole number of 4096-byte pages/) }]);
    expect(data.exports.map((e) => e.root)).toEqual([DEMO]);
  });

  it('a damaged analysis file is listed with the reader\'s error; the track stays, without a grid', async () => {
    const root = path.join(tmp, 'damaged-anlz');
    await fs.cp(DEMO, root, { recursive: true });
    const dat = path.join(root, 'PIONEER', 'USBANLZ', 'P053', '0001D21F', 'ANLZ0000.DAT');
    await fs.writeFile(dat, (await fs.readFile(dat)).subarray(0, 40));
    const data = scan([root]);
    expect(data.tracks.map((t) => [t.title, t.grid.length])).toEqual([
      ['Demo Track 1', 368],
      ['Demo Track 2', 0],
    ]);
    expect(data.summary.unreadable).toHaveLength(1);
    expect(data.summary.unreadable[0]?.file).toBe(dat);
    expect(data.summary.unreadable[0]?.error).toContain(dat);
  });
});
