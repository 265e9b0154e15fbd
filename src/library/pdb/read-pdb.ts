/**
 * Reading a whole export.pdb (or exportExt.pdb) held in memory: the header,
 * then every known table along its page chain. Pure: the caller reads the file.
 */
import { readFileHeader, type PdbFileHeader } from './file-header';
import { EXT_ROW_DECODERS, ROW_DECODERS, type ExtRows, type PlainRows, type RowDecoder } from './row-decoders';
import { EXT_TABLE, TABLE, type ExtTableName, type TableName } from './table-types';
import { readTable } from './table-walk';

export type PdbTables = { readonly [K in TableName]: readonly PlainRows[K][] };
export type PdbExtTables = { readonly [K in ExtTableName]: readonly ExtRows[K][] };

export interface PdbDatabase {
  readonly file: string;
  readonly header: PdbFileHeader;
  readonly tables: PdbTables;
}

export interface PdbExtDatabase {
  readonly file: string;
  readonly header: PdbFileHeader;
  readonly tables: PdbExtTables;
}

function tableRows<T>(bytes: Buffer, header: PdbFileHeader, file: string, type: number, name: string, decode: RowDecoder<T>): T[] {
  const table = header.tables.find((t) => t.type === type);
  return table === undefined ? [] : readTable(bytes, header, table, name, file, decode);
}

/**
 * Reads every table of an export.pdb. `file` names the file in errors.
 * Throws PdbError when the file is cut short or damaged.
 */
export function readPdb(bytes: Buffer, file: string): PdbDatabase {
  const header = readFileHeader(bytes, file);
  const read = <K extends TableName>(name: K): PlainRows[K][] => tableRows(bytes, header, file, TABLE[name], name, ROW_DECODERS[name]);
  const tables: PdbTables = {
    tracks: read('tracks'),
    genres: read('genres'),
    artists: read('artists'),
    albums: read('albums'),
    labels: read('labels'),
    keys: read('keys'),
    colors: read('colors'),
    playlistTree: read('playlistTree'),
    playlistEntries: read('playlistEntries'),
    historyPlaylists: read('historyPlaylists'),
    historyEntries: read('historyEntries'),
    artwork: read('artwork'),
    columns: read('columns'),
    menu: read('menu'),
    history: read('history'),
  };
  return { file, header, tables };
}

/** Reads the tag tables of an exportExt.pdb. */
export function readPdbExt(bytes: Buffer, file: string): PdbExtDatabase {
  const header = readFileHeader(bytes, file);
  const read = <K extends ExtTableName>(name: K): ExtRows[K][] => tableRows(bytes, header, file, EXT_TABLE[name], name, EXT_ROW_DECODERS[name]);
  return { file, header, tables: { tags: read('tags'), trackTags: read('trackTags') } };
}
