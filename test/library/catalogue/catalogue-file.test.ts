/**
 * A catalogue saved as JSON loads back unchanged, with its lookups; files
 * that are not catalogues are refused with one sentence naming them.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrackAnalysis } from '../../../src/library/anlz';
import {
  Catalogue,
  CatalogueError,
  catalogueJson,
  findDuplicates,
  loadCatalogue,
  mergeCatalogues,
  parseCatalogue,
  saveCatalogue,
  scanExports,
  type CatalogueData,
} from '../../../src/library/catalogue';
import { fixturePath } from '../../support/fixtures';

const PYREKORDBOX = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');
const now = (): Date => new Date('2026-12-03T12:00:00Z');

let tmp: string;
let data: CatalogueData;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prolink-catalogue-file-'));
  data = scanExports([PYREKORDBOX], { readAnalysis: readTrackAnalysis, now });
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

function refusal(text: string): string {
  try {
    parseCatalogue(text, 'show.json');
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogueError);
    return (error as Error).message;
  }
  throw new Error('the text was accepted');
}

describe('saving and loading', () => {
  it('writes a versioned file that loads back deep-equal, grids and phrases included', async () => {
    const file = path.join(tmp, 'library.json');
    saveCatalogue(file, data);
    const text = await fs.readFile(file, 'utf8');
    expect(JSON.parse(text)).toMatchObject({ format: 'prolink-bridge-catalogue', version: 1, createdAt: '2026-12-03T12:00:00.000Z' });
    const loaded = loadCatalogue(file);
    expect(loaded).toEqual(data);
    const catalogue = new Catalogue(loaded);
    const demo1 = catalogue.track(PYREKORDBOX, 1);
    expect(demo1?.grid).toHaveLength(368);
    expect(catalogue.withPhraseFingerprint(demo1?.phraseFingerprint ?? '')).toEqual([demo1]);
  });

  it('a missing file says how to make one', () => {
    const file = path.join(tmp, 'nothing.json');
    expect(() => loadCatalogue(file)).toThrow(`${file}: no such catalogue; write one with \`prolink-bridge library scan <usb-folder>\`.`);
  });

  it('refuses text that is not JSON', () => {
    expect(refusal('{ not json')).toMatch(/^show\.json: not a track catalogue \(not JSON: .*\); write one with `prolink-bridge library scan`\.$/);
  });

  it('refuses JSON of another format', () => {
    expect(refusal('{"rules": []}')).toBe('show.json: not a track catalogue (no "format": "prolink-bridge-catalogue"); write one with `prolink-bridge library scan`.');
  });

  it('refuses another version, saying to scan again', () => {
    expect(refusal(JSON.stringify({ ...data, version: 2 }))).toBe(
      'show.json: a catalogue of version 2, but this prolink-bridge reads version 1; scan the USB again with `prolink-bridge library scan`.',
    );
  });

  it('names the first field with the wrong shape', () => {
    const broken = JSON.parse(catalogueJson(data)) as { tracks: Array<Record<string, unknown>> };
    const third = broken.tracks[2];
    if (third === undefined) throw new Error('fixture has fewer than 3 tracks');
    third['bpm'] = 'fast';
    expect(refusal(JSON.stringify(broken))).toMatch(/^show\.json: tracks\[2\]\.bpm: .*number.*; scan the USB again/);
  });
});

describe('duplicates and merging', () => {
  it('finds the same rekordbox ID twice in one export', () => {
    const [first, second] = data.tracks;
    if (first === undefined || second === undefined) throw new Error('fixture has fewer than 2 tracks');
    const twin = { ...second, id: first.id };
    expect(findDuplicates([first, twin])).toEqual([
      { kind: 'same-id', tracks: [{ exportRoot: PYREKORDBOX, id: first.id, title: first.title }, { exportRoot: PYREKORDBOX, id: first.id, title: second.title }] },
    ]);
    // The lookup keeps the first of the two.
    expect(new Catalogue({ ...data, tracks: [first, twin] }).track(PYREKORDBOX, first.id)).toBe(first);
  });

  it('merges two catalogues into one whose summary covers both', () => {
    const demo = scanExports([DEMO], { readAnalysis: readTrackAnalysis, now });
    const merged = mergeCatalogues([data, demo], '2026-12-03T13:00:00.000Z');
    expect(merged.summary).toMatchObject({ exports: 2, tracks: 8, withGrids: 4, withPhrases: 4 });
    expect(merged.summary.duplicates.map((d) => d.kind)).toEqual(['same-track', 'same-track']);
    expect(parseCatalogue(catalogueJson(merged), 'merged.json')).toEqual(merged);
  });
});
