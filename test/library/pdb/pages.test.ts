/**
 * Single DeviceSQL pages cut from real exports, checked against the values
 * their publishers assert (test/fixtures/PROVENANCE.md §4 and §5).
 */
import { decodeSinglePage, EXT_ROW_DECODERS, EXT_TABLE, PageReader, presentRowStarts, ROW_DECODERS, TABLE, type RowDecoder, type TableName } from '../../../src/library/pdb';
import { readFixture } from '../../support/fixtures';

const UNIT = ['Holzhaus__rekordcrate', 'data', 'pdb', 'unit_tests'];
const BLOBS = ['flesniak__python-prodj-link', 'tests', 'blobs'];

function page<T>(parts: readonly string[], decode: RowDecoder<T>): ReturnType<typeof decodeSinglePage<T>> {
  const name = parts[parts.length - 1] ?? '';
  return decodeSinglePage(readFixture(...parts), name, decode);
}

function unit<K extends TableName>(file: string, table: K): ReturnType<typeof decodeSinglePage<ReturnType<(typeof ROW_DECODERS)[K]>>> {
  return page([...UNIT, file], ROW_DECODERS[table] as RowDecoder<ReturnType<(typeof ROW_DECODERS)[K]>>);
}

describe('rekordcrate unit-test pages (§5)', () => {
  it('track_page: index 2, tracks, 5 rows; first track 1 "NOISE" with its file path, 44100 Hz, 2116 kbit/s', () => {
    const { header, rows } = unit('track_page.bin', 'tracks');
    expect(header).toMatchObject({ index: 2, type: TABLE.tracks, isDataPage: true, rowSlots: 5, validRows: 5 });
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ id: 1, title: 'NOISE', filePath: '/Contents/UnknownArtist/UnknownAlbum/NOISE.wav', sampleRate: 44100, bitrate: 2116 });
    expect(rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it('genres_page: index 48, 18 rows in two row groups, first 168 "#techno #deep #beatdown"', () => {
    const { header, rows } = unit('genres_page.bin', 'genres');
    expect(header).toMatchObject({ index: 48, type: TABLE.genres, rowSlots: 18, validRows: 18 });
    expect(rows).toHaveLength(18);
    expect(rows[0]).toEqual({ id: 168, name: '#techno #deep #beatdown' });
  });

  it('artists_page: index 6, 120 rows', () => {
    const { header, rows } = unit('artists_page.bin', 'artists');
    expect(header).toMatchObject({ index: 6, type: TABLE.artists });
    expect(rows).toHaveLength(120);
  });

  it('artist_page_long: a 256-character name behind a two-byte offset, then short names', () => {
    const { header, rows } = unit('artist_page_long.bin', 'artists');
    expect(header).toMatchObject({ index: 6, rowSlots: 6, validRows: 6 });
    expect(rows[0]).toEqual({ id: 1, name: 'D'.repeat(256) });
    expect(rows[1]).toEqual({ id: 2, name: 'Insert 2' });
  });

  it('albums_page: index 8, 82 rows', () => {
    const { header, rows } = unit('albums_page.bin', 'albums');
    expect(header).toMatchObject({ index: 8, type: TABLE.albums });
    expect(rows).toHaveLength(82);
    for (const row of rows) expect(row.id).toBeGreaterThan(0);
  });

  it('labels_page: index 10, 177 rows', () => {
    const { header, rows } = unit('labels_page.bin', 'labels');
    expect(header).toMatchObject({ index: 10, type: TABLE.labels });
    expect(rows).toHaveLength(177);
  });

  it('keys_page: index 12, 52 rows, first 1 "Emin"', () => {
    const { header, rows } = unit('keys_page.bin', 'keys');
    expect(header).toMatchObject({ index: 12, type: TABLE.keys });
    expect(rows).toHaveLength(52);
    expect(rows[0]).toMatchObject({ id: 1, name: 'Emin' });
  });

  it('colors_page: index 14, the 8 rekordbox colours, first "Pink"', () => {
    const { header, rows } = unit('colors_page.bin', 'colors');
    expect(header).toMatchObject({ index: 14, type: TABLE.colors });
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({ id: 1, name: 'Pink' });
  });

  it('playlist_tree_page: index 16, 27 rows, first 1 the folder "folderb"', () => {
    const { header, rows } = unit('playlist_tree_page.bin', 'playlistTree');
    expect(header).toMatchObject({ index: 16, type: TABLE.playlistTree });
    expect(rows).toHaveLength(27);
    expect(rows[0]).toMatchObject({ id: 1, name: 'folderb', isFolder: true });
  });

  it('playlist_entries_page: index 18, 284 rows', () => {
    const { header, rows } = unit('playlist_entries_page.bin', 'playlistEntries');
    expect(header).toMatchObject({ index: 18, type: TABLE.playlistEntries, rowSlots: 284, validRows: 284 });
    expect(rows).toHaveLength(284);
  });

  it('artworks_page: index 28, 106 rows', () => {
    const { header, rows } = unit('artworks_page.bin', 'artwork');
    expect(header).toMatchObject({ index: 28, type: TABLE.artwork });
    expect(rows).toHaveLength(106);
    for (const row of rows) expect(row.path).toMatch(/^\/PIONEER\/Artwork\//);
  });

  it('history_playlists_page: index 24, 1 row "HISTORY 001"', () => {
    const { header, rows } = unit('history_playlists_page.bin', 'historyPlaylists');
    expect(header).toMatchObject({ index: 24, type: TABLE.historyPlaylists });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.name).toBe('HISTORY 001');
  });

  it('history_entries_page: index 60, 7 rows', () => {
    const { header, rows } = unit('history_entries_page.bin', 'historyEntries');
    expect(header).toMatchObject({ index: 60, type: TABLE.historyEntries });
    expect(rows).toHaveLength(7);
  });

  it('menu_page: index 36, 22 rows', () => {
    const { header, rows } = unit('menu_page.bin', 'menu');
    expect(header).toMatchObject({ index: 36, type: TABLE.menu });
    expect(rows).toHaveLength(22);
  });

  it('index_page: index 1 of the tracks table, an index page with no rows', () => {
    const { header, rows } = unit('index_page.bin', 'tracks');
    expect(header).toMatchObject({ index: 1, type: TABLE.tracks, isDataPage: false });
    expect(rows).toEqual([]);
  });

  it('exportExt tag_page: index 8, 23 rows, first the category "TagCategory1"', () => {
    const { header, rows } = page([...UNIT, 'tag_page.bin'], EXT_ROW_DECODERS.tags);
    expect(header).toMatchObject({ index: 8, type: EXT_TABLE.tags });
    expect(rows).toHaveLength(23);
    expect(rows[0]).toMatchObject({ id: 1, name: 'TagCategory1', isCategory: true });
    expect(rows[1]).toMatchObject({ id: 3456350885, parentId: 1 });
  });

  it('exportExt track_tag_page: index 10, 52 rows', () => {
    const { header, rows } = page([...UNIT, 'track_tag_page.bin'], EXT_ROW_DECODERS.trackTags);
    expect(header).toMatchObject({ index: 10, type: EXT_TABLE.trackTags });
    expect(rows).toHaveLength(52);
  });
});

describe('python-prodj-link pages (§4)', () => {
  // python-prodj-link lists a group's rows in the order their offsets are stored
  // (last slot first), so its "first row" is the one whose row starts at the byte it gives.
  function rowStartingAt<T>(parts: readonly string[], decode: RowDecoder<T>, start: number): T | undefined {
    const bytes = readFixture(...parts);
    const { header } = decodeSinglePage(bytes, 'page', decode);
    const reader = new PageReader('page', header.index, bytes);
    const starts = presentRowStarts(reader, header);
    expect(starts).toContain(start);
    return decode(reader, start);
  }

  it('pdb_artists_common: page 165, artists, 115 rows (both counters); the row at byte 496 is 768 "Gerwin ft. LaMeduza"', () => {
    const { header, rows } = page([...BLOBS, 'pdb_artists_common.bin'], ROW_DECODERS.artists);
    expect(header).toMatchObject({ index: 165, type: TABLE.artists, rowSlots: 115, validRows: 115 });
    expect(rows).toHaveLength(115);
    expect(rowStartingAt([...BLOBS, 'pdb_artists_common.bin'], ROW_DECODERS.artists, 496)).toEqual({ id: 768, name: 'Gerwin ft. LaMeduza' });
  });

  it('pdb_artists_strange_string: page 725, 4 row slots in one group; the row at byte 184 is 1446 with a long ASCII name far from its row', () => {
    const { header, rows } = page([...BLOBS, 'pdb_artists_strange_string.bin'], ROW_DECODERS.artists);
    expect(header).toMatchObject({ index: 725, type: TABLE.artists, rowSlots: 4 });
    // Three of the four slots are deleted rows (flags 0x34, presence bits 0x0008): only one is read.
    expect(rows).toHaveLength(1);
    expect(rowStartingAt([...BLOBS, 'pdb_artists_strange_string.bin'], ROW_DECODERS.artists, 184)).toEqual(rows[0]);
    expect(rows[0]).toEqual({
      id: 1446,
      name: 'Nasri Atweh/Louis Bell/Hiten Bharadia/Mark Bradford/Frank Buelles/Clifton Dillon/Ryan Dillon/Björn Djupström/Sly Dunbar/Nathan',
    });
  });
});

describe('row decoders', () => {
  it('has a decoder for every table type it names, and a test page above for each', () => {
    expect(Object.keys(ROW_DECODERS).sort()).toEqual(Object.keys(TABLE).sort());
    expect(Object.keys(EXT_ROW_DECODERS).sort()).toEqual(Object.keys(EXT_TABLE).sort());
  });
});
