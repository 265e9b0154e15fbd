/**
 * Whole export.pdb files: row counts and track fields asserted by the
 * fixtures' publishers (test/fixtures/PROVENANCE.md §5 and §6).
 */
import { readPdb, readPdbExt } from '../../../src/library/pdb';
import { readFixture } from '../../support/fixtures';

const NUM_ROWS = ['Holzhaus__rekordcrate', 'data', 'pdb', 'num_rows', 'export.pdb'];
const DEMO = ['Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks', 'PIONEER', 'rekordbox'];
const EMPTY = ['Holzhaus__rekordcrate', 'data', 'complete_export', 'empty', 'PIONEER', 'rekordbox'];
const PYREKORDBOX = ['dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'rekordbox'];

describe('rekordcrate num_rows/export.pdb (a real 3,886-track library)', () => {
  const db = readPdb(readFixture(...NUM_ROWS), 'export.pdb');

  it('has the row counts rekordcrate asserts for every table', () => {
    const counts = Object.fromEntries(Object.entries(db.tables).map(([name, rows]) => [name, rows.length]));
    expect(counts).toMatchObject({
      tracks: 3886,
      artists: 2216,
      albums: 2226,
      artwork: 2178,
      colors: 8,
      genres: 315,
      historyPlaylists: 1,
      historyEntries: 73,
      history: 1,
      keys: 67,
      labels: 688,
      playlistTree: 104,
      playlistEntries: 7440,
      columns: 27,
    });
  });

  it('reads the history row of device "ZAKS BACKUP", 2024-04-18 (rekordcrate quotes an older copy of it, with 12 tracks)', () => {
    // The present row counts every track of the export; the quoted 12-track copy is a deleted row.
    expect(db.tables.history[0]).toEqual({ trackCount: db.tables.tracks.length, date: '2024-04-18', version: '1000', label: 'ZAKS BACKUP' });
  });

  it('gives every track a unique ID and a file path', () => {
    const ids = new Set(db.tables.tracks.map((t) => t.id));
    expect(ids.size).toBe(3886);
    for (const track of db.tables.tracks) expect(track.filePath.length).toBeGreaterThan(0);
  });
});

describe('rekordcrate complete_export/demo_tracks', () => {
  const db = readPdb(readFixture(...DEMO, 'export.pdb'), 'export.pdb');

  it('has the header crate-digger decodes: 4096-byte pages, 20 tables, sequence 34', () => {
    expect(db.header.pageSize).toBe(4096);
    expect(db.header.tables).toHaveLength(20);
    expect(db.header.sequence).toBe(34);
  });

  it('holds the two demo tracks with title, tempo, length, analysis path and file path', () => {
    expect(db.tables.tracks.map((t) => [t.id, t.title, t.bpm, t.durationSeconds, t.analyzePath, t.filePath])).toEqual([
      [1, 'Demo Track 1', 128, 172, '/PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT', '/Contents/Loopmasters/UnknownAlbum/Demo Track 1.mp3'],
      [2, 'Demo Track 2', 120, 128, '/PIONEER/USBANLZ/P053/0001D21F/ANLZ0000.DAT', expect.stringMatching(/Demo Track 2\.mp3$/)],
    ]);
  });

  it('has 1 artist, 1 label, 5 keys, 8 colours, 27 columns, 1 history row', () => {
    const t = db.tables;
    expect([t.artists.length, t.labels.length, t.keys.length, t.colors.length, t.columns.length, t.history.length]).toEqual([1, 1, 5, 8, 27, 1]);
  });

  it('reads exportExt.pdb: 9 tables, 28 tag rows', () => {
    const ext = readPdbExt(readFixture(...DEMO, 'exportExt.pdb'), 'exportExt.pdb');
    expect(ext.header.tables).toHaveLength(9);
    expect(ext.tables.tags).toHaveLength(28);
  });
});

describe('rekordcrate complete_export/empty', () => {
  it('has no tracks but still 8 colours, 27 columns and 1 history row', () => {
    const t = readPdb(readFixture(...EMPTY, 'export.pdb'), 'export.pdb').tables;
    expect([t.tracks.length, t.colors.length, t.columns.length, t.history.length]).toEqual([0, 8, 27, 1]);
  });
});

describe('pyrekordbox .testdata/export', () => {
  const db = readPdb(readFixture(...PYREKORDBOX, 'export.pdb'), 'export.pdb');

  it('holds the six demo tracks with the titles, lengths and analysis folders pyrekordbox lists', () => {
    const byId = [...db.tables.tracks].sort((a, b) => a.id - b.id);
    expect(byId.map((t) => [t.id, t.title, t.durationSeconds, t.analyzePath])).toEqual([
      [1, 'Demo Track 1', 172, '/PIONEER/USBANLZ/P016/0000875E/ANLZ0000.DAT'],
      [2, 'Demo Track 2', 128, '/PIONEER/USBANLZ/P053/0001D21F/ANLZ0000.DAT'],
      [3, 'HORN', 7, '/PIONEER/USBANLZ/P021/00006D2B/ANLZ0000.DAT'],
      [4, 'NOISE', 5, '/PIONEER/USBANLZ/P019/00020AA9/ANLZ0000.DAT'],
      [5, 'SINEWAVE', 5, '/PIONEER/USBANLZ/P043/00011517/ANLZ0000.DAT'],
      [6, 'SIREN', 7, '/PIONEER/USBANLZ/P017/00009B77/ANLZ0000.DAT'],
    ]);
    expect(byId.slice(0, 2).map((t) => t.bpm)).toEqual([128, 120]);
  });

  it('has 3 playlist-tree rows, 4 playlist entries, 1 artist and 1 key', () => {
    const t = db.tables;
    expect([t.playlistTree.length, t.playlistEntries.length, t.artists.length, t.keys.length]).toEqual([3, 4, 1, 1]);
  });
});
