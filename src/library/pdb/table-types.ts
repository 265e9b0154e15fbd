/**
 * The table (page) types of rekordbox's DeviceSQL exports. export.pdb and
 * exportExt.pdb number their tables independently, so the same number means
 * different tables in the two files.
 */

/** Table types of export.pdb. */
export const TABLE = {
  tracks: 0,
  genres: 1,
  artists: 2,
  albums: 3,
  labels: 4,
  keys: 5,
  colors: 6,
  playlistTree: 7,
  playlistEntries: 8,
  historyPlaylists: 11,
  historyEntries: 12,
  artwork: 13,
  columns: 16,
  menu: 17,
  history: 19,
} as const;
export type TableName = keyof typeof TABLE;

/** Table types of exportExt.pdb. */
export const EXT_TABLE = {
  tags: 3,
  trackTags: 4,
} as const;
export type ExtTableName = keyof typeof EXT_TABLE;

const NAMES = new Map<number, TableName>(Object.entries(TABLE).map(([name, type]) => [type, name as TableName]));

/** A readable name for an export.pdb table type, e.g. "tracks" or "table type 9". */
export function tableName(type: number): string {
  return NAMES.get(type) ?? `table type ${type}`;
}
