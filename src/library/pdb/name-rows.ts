/**
 * Rows that give a name (or path) to an ID the track rows link to: artists,
 * albums, genres, labels, keys, colours and artwork. Offsets are from the
 * start of the row.
 */
import { readDeviceSqlString, readRowStrings } from './device-sql-string';
import type { PageReader } from './page-reader';

export interface NamedRow {
  readonly id: number;
  readonly name: string;
}

/** u16: artist subtype; 0x60 one-byte name offset, 0x64 two-byte offset. */
const ARTIST_SUBTYPE = 0x00;
/** u32: the artist's ID. */
const ARTIST_ID = 0x04;
/** The name's offset array (marker then one offset). */
const ARTIST_STRINGS = 0x08;

export function readArtistRow(page: PageReader, at: number): NamedRow {
  const subtype = page.u16(at + ARTIST_SUBTYPE, 'artist subtype');
  const [name = ''] = readRowStrings(page, at, subtype, ARTIST_STRINGS, 1, 'artist');
  return { id: page.u32(at + ARTIST_ID, 'artist id'), name };
}

/** u16: album subtype; 0x80 one-byte name offset, 0x84 two-byte offset. */
const ALBUM_SUBTYPE = 0x00;
/** u32: the album artist's ID. */
const ALBUM_ARTIST_ID = 0x08;
/** u32: the album's ID. */
const ALBUM_ID = 0x0c;
/** The name's offset array. */
const ALBUM_STRINGS = 0x14;

export interface AlbumRow extends NamedRow {
  readonly artistId: number;
}

export function readAlbumRow(page: PageReader, at: number): AlbumRow {
  const subtype = page.u16(at + ALBUM_SUBTYPE, 'album subtype');
  const [name = ''] = readRowStrings(page, at, subtype, ALBUM_STRINGS, 1, 'album');
  return { id: page.u32(at + ALBUM_ID, 'album id'), artistId: page.u32(at + ALBUM_ARTIST_ID, 'album artist id'), name };
}

/** Genre, label and artwork rows: u32 ID, then the string. */
const SIMPLE_ID = 0x00;
const SIMPLE_NAME = 0x04;

export function readGenreRow(page: PageReader, at: number): NamedRow {
  return { id: page.u32(at + SIMPLE_ID, 'genre id'), name: readDeviceSqlString(page, at + SIMPLE_NAME, 'genre name') };
}

export function readLabelRow(page: PageReader, at: number): NamedRow {
  return { id: page.u32(at + SIMPLE_ID, 'label id'), name: readDeviceSqlString(page, at + SIMPLE_NAME, 'label name') };
}

export interface ArtworkRow {
  readonly id: number;
  /** Path of the image on the USB, e.g. /PIONEER/Artwork/00001/a1.jpg. */
  readonly path: string;
}

export function readArtworkRow(page: PageReader, at: number): ArtworkRow {
  return { id: page.u32(at + SIMPLE_ID, 'artwork id'), path: readDeviceSqlString(page, at + SIMPLE_NAME, 'artwork path') };
}

/** u32: the key's ID. */
const KEY_ID = 0x00;
/** u32: a second copy of the ID. */
const KEY_ID2 = 0x04;
const KEY_NAME = 0x08;

export interface KeyRow extends NamedRow {
  readonly id2: number;
}

export function readKeyRow(page: PageReader, at: number): KeyRow {
  return {
    id: page.u32(at + KEY_ID, 'key id'),
    id2: page.u32(at + KEY_ID2, 'key id'),
    name: readDeviceSqlString(page, at + KEY_NAME, 'key name'),
  };
}

/** u8: the colour's ID (1 Pink … 8 Purple), what track rows link to. */
const COLOR_ID = 0x05;
const COLOR_NAME = 0x08;

export function readColorRow(page: PageReader, at: number): NamedRow {
  return { id: page.u8(at + COLOR_ID, 'color id'), name: readDeviceSqlString(page, at + COLOR_NAME, 'color name') };
}
