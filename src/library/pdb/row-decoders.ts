/**
 * One row decoder per table: adding a table is a decoder here plus a test on
 * a real page of it.
 */
import { readTagRow, readTrackTagRow, type TagRow, type TrackTagRow } from './ext-rows';
import {
  readColumnRow,
  readHistoryEntryRow,
  readHistoryPlaylistRow,
  readHistoryRow,
  readMenuRow,
  readPlaylistEntryRow,
  readPlaylistTreeRow,
  type ColumnRow,
  type HistoryEntryRow,
  type HistoryPlaylistRow,
  type HistoryRow,
  type MenuRow,
  type PlaylistEntryRow,
  type PlaylistTreeRow,
} from './list-rows';
import {
  readAlbumRow,
  readArtistRow,
  readArtworkRow,
  readColorRow,
  readGenreRow,
  readKeyRow,
  readLabelRow,
  type AlbumRow,
  type ArtworkRow,
  type KeyRow,
  type NamedRow,
} from './name-rows';
import type { PageReader } from './page-reader';
import type { ExtTableName, TableName } from './table-types';
import { readTrackRow, type TrackRow } from './track-row';

export type RowDecoder<T> = (page: PageReader, at: number) => T;

/** The row type of each export.pdb table. */
export interface PlainRows {
  readonly tracks: TrackRow;
  readonly genres: NamedRow;
  readonly artists: NamedRow;
  readonly albums: AlbumRow;
  readonly labels: NamedRow;
  readonly keys: KeyRow;
  readonly colors: NamedRow;
  readonly playlistTree: PlaylistTreeRow;
  readonly playlistEntries: PlaylistEntryRow;
  readonly historyPlaylists: HistoryPlaylistRow;
  readonly historyEntries: HistoryEntryRow;
  readonly artwork: ArtworkRow;
  readonly columns: ColumnRow;
  readonly menu: MenuRow;
  readonly history: HistoryRow;
}

export const ROW_DECODERS: { readonly [K in TableName]: RowDecoder<PlainRows[K]> } = {
  tracks: readTrackRow,
  genres: readGenreRow,
  artists: readArtistRow,
  albums: readAlbumRow,
  labels: readLabelRow,
  keys: readKeyRow,
  colors: readColorRow,
  playlistTree: readPlaylistTreeRow,
  playlistEntries: readPlaylistEntryRow,
  historyPlaylists: readHistoryPlaylistRow,
  historyEntries: readHistoryEntryRow,
  artwork: readArtworkRow,
  columns: readColumnRow,
  menu: readMenuRow,
  history: readHistoryRow,
};

/** The row type of each exportExt.pdb table. */
export interface ExtRows {
  readonly tags: TagRow;
  readonly trackTags: TrackTagRow;
}

export const EXT_ROW_DECODERS: { readonly [K in ExtTableName]: RowDecoder<ExtRows[K]> } = {
  tags: readTagRow,
  trackTags: readTrackTagRow,
};
