/**
 * Rows of the playlist, history, column and menu tables. Offsets are from the
 * start of the row.
 */
import { readDeviceSqlString } from './device-sql-string';
import type { PageReader } from './page-reader';

/** u32: ID of the folder holding this node, 0 at the root. */
const TREE_PARENT_ID = 0x00;
/** u32: position among its siblings. */
const TREE_SORT_ORDER = 0x08;
/** u32: the node's ID. */
const TREE_ID = 0x0c;
/** u32: non-zero for a folder. */
const TREE_IS_FOLDER = 0x10;
const TREE_NAME = 0x14;

export interface PlaylistTreeRow {
  readonly id: number;
  readonly parentId: number;
  readonly sortOrder: number;
  readonly isFolder: boolean;
  readonly name: string;
}

export function readPlaylistTreeRow(page: PageReader, at: number): PlaylistTreeRow {
  return {
    id: page.u32(at + TREE_ID, 'playlist id'),
    parentId: page.u32(at + TREE_PARENT_ID, 'playlist parent id'),
    sortOrder: page.u32(at + TREE_SORT_ORDER, 'playlist sort order'),
    isFolder: page.u32(at + TREE_IS_FOLDER, 'playlist folder flag') !== 0,
    name: readDeviceSqlString(page, at + TREE_NAME, 'playlist name'),
  };
}

/** Playlist entry: u32 position, u32 track ID, u32 playlist ID. */
const ENTRY_INDEX = 0x00;
const ENTRY_TRACK_ID = 0x04;
const ENTRY_PLAYLIST_ID = 0x08;

export interface PlaylistEntryRow {
  readonly entryIndex: number;
  readonly trackId: number;
  readonly playlistId: number;
}

export function readPlaylistEntryRow(page: PageReader, at: number): PlaylistEntryRow {
  return {
    entryIndex: page.u32(at + ENTRY_INDEX, 'playlist entry index'),
    trackId: page.u32(at + ENTRY_TRACK_ID, 'playlist entry track id'),
    playlistId: page.u32(at + ENTRY_PLAYLIST_ID, 'playlist entry playlist id'),
  };
}

/** History playlist: u32 ID, then its name ("HISTORY 001"). */
const HISTORY_PLAYLIST_ID = 0x00;
const HISTORY_PLAYLIST_NAME = 0x04;

export interface HistoryPlaylistRow {
  readonly id: number;
  readonly name: string;
}

export function readHistoryPlaylistRow(page: PageReader, at: number): HistoryPlaylistRow {
  return {
    id: page.u32(at + HISTORY_PLAYLIST_ID, 'history playlist id'),
    name: readDeviceSqlString(page, at + HISTORY_PLAYLIST_NAME, 'history playlist name'),
  };
}

/** History entry: u32 track ID, u32 history playlist ID, u32 position. */
const HISTORY_ENTRY_TRACK_ID = 0x00;
const HISTORY_ENTRY_PLAYLIST_ID = 0x04;
const HISTORY_ENTRY_INDEX = 0x08;

export interface HistoryEntryRow {
  readonly trackId: number;
  readonly playlistId: number;
  readonly entryIndex: number;
}

export function readHistoryEntryRow(page: PageReader, at: number): HistoryEntryRow {
  return {
    trackId: page.u32(at + HISTORY_ENTRY_TRACK_ID, 'history entry track id'),
    playlistId: page.u32(at + HISTORY_ENTRY_PLAYLIST_ID, 'history entry playlist id'),
    entryIndex: page.u32(at + HISTORY_ENTRY_INDEX, 'history entry index'),
  };
}

/**
 * History (sync) row: u32 track count at 0x04, then from 0x0c three strings
 * one after another: the date, a u16 0x1e19 between date and version, the
 * version ("1000"), and the device label.
 */
const HISTORY_TRACK_COUNT = 0x04;
const HISTORY_DATE = 0x0c;
const HISTORY_VERSION_GAP = 2;

export interface HistoryRow {
  readonly trackCount: number;
  readonly date: string;
  readonly version: string;
  readonly label: string;
}

/** Bytes a DeviceSQL string occupies, read from its header. */
function stringSpan(page: PageReader, at: number, what: string): number {
  const kind = page.u8(at, what);
  return (kind & 1) === 1 ? kind >> 1 : page.u16(at + 1, what);
}

export function readHistoryRow(page: PageReader, at: number): HistoryRow {
  const dateAt = at + HISTORY_DATE;
  const versionAt = dateAt + stringSpan(page, dateAt, 'history date') + HISTORY_VERSION_GAP;
  const labelAt = versionAt + stringSpan(page, versionAt, 'history version');
  return {
    trackCount: page.u32(at + HISTORY_TRACK_COUNT, 'history track count'),
    date: readDeviceSqlString(page, dateAt, 'history date'),
    version: readDeviceSqlString(page, versionAt, 'history version'),
    label: readDeviceSqlString(page, labelAt, 'history label'),
  };
}

/** Column (browse category): u16 ID, u16 flags, then its name (UTF-16, in U+FFFA…U+FFFB brackets). */
const COLUMN_ID = 0x00;
const COLUMN_NAME = 0x04;

export interface ColumnRow {
  readonly id: number;
  readonly name: string;
}

export function readColumnRow(page: PageReader, at: number): ColumnRow {
  return { id: page.u16(at + COLUMN_ID, 'column id'), name: readDeviceSqlString(page, at + COLUMN_NAME, 'column name') };
}

/** Menu item: u16 category, u16 content pointer, u8 unknown, u8 visibility (0 shown, 1 hidden), u16 sort order. */
const MENU_CATEGORY_ID = 0x00;
const MENU_CONTENT = 0x02;
const MENU_VISIBILITY = 0x05;
const MENU_SORT_ORDER = 0x06;

export interface MenuRow {
  readonly categoryId: number;
  readonly contentPointer: number;
  readonly visible: boolean;
  readonly sortOrder: number;
}

export function readMenuRow(page: PageReader, at: number): MenuRow {
  return {
    categoryId: page.u16(at + MENU_CATEGORY_ID, 'menu category'),
    contentPointer: page.u16(at + MENU_CONTENT, 'menu content'),
    visible: page.u8(at + MENU_VISIBILITY, 'menu visibility') === 0,
    sortOrder: page.u16(at + MENU_SORT_ORDER, 'menu sort order'),
  };
}
