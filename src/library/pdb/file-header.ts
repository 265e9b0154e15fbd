/**
 * The file header of a DeviceSQL database, at the start of page 0: the page
 * size and one pointer per table to the chain of pages holding its rows.
 * Field meanings follow the rekordbox export analyses of Deep Symmetry
 * (crate-digger) and rekordcrate.
 */
import { PdbError } from './pdb-error';

/** u32, always 0. */
const HEADER_ZERO = 0x00;
/** u32: size of every page in bytes; page n starts at n × page size. */
const HEADER_PAGE_SIZE = 0x04;
/** u32: how many table pointers follow. */
const HEADER_TABLE_COUNT = 0x08;
/** u32: the first page index never used yet (points past the end of the file). */
const HEADER_NEXT_UNUSED_PAGE = 0x0c;
/** u32: rekordbox's write sequence number, incremented on each change. */
const HEADER_SEQUENCE = 0x14;
/** Start of the table pointers. */
const HEADER_TABLES = 0x1c;

/** One table pointer is 16 bytes. */
const TABLE_POINTER_SIZE = 0x10;
/** u32: the table's type (see table-types). */
const TABLE_TYPE = 0x00;
/** u32: a page rekordbox may reuse for the table; unused here. */
const TABLE_EMPTY_CANDIDATE = 0x04;
/** u32: the first page of the table's chain (an index page, no rows). */
const TABLE_FIRST_PAGE = 0x08;
/** u32: the last page of the chain; the walk stops after it. */
const TABLE_LAST_PAGE = 0x0c;

/** Pages smaller than a page header plus one row group cannot hold a row. */
export const MIN_PAGE_SIZE = 0x100;
/** The row offsets are 16-bit, so no page is larger than 64 KiB. */
export const MAX_PAGE_SIZE = 0x10000;

export interface TablePointer {
  readonly type: number;
  readonly emptyCandidate: number;
  readonly firstPage: number;
  readonly lastPage: number;
}

export interface PdbFileHeader {
  readonly pageSize: number;
  /** Whole pages in the file. */
  readonly pageCount: number;
  readonly nextUnusedPage: number;
  readonly sequence: number;
  readonly tables: readonly TablePointer[];
}

/** Reads and checks the file header of `bytes`, the whole database file named `file`. */
export function readFileHeader(bytes: Buffer, file: string): PdbFileHeader {
  const fail = (code: 'truncated' | 'bad-header', detail: string): PdbError => new PdbError(code, file, null, detail);
  if (bytes.length < HEADER_TABLES) {
    throw fail('truncated', `the file is ${bytes.length} bytes long, shorter than the ${HEADER_TABLES}-byte DeviceSQL header; it is not an export.pdb or was cut short`);
  }
  if (bytes.readUInt32LE(HEADER_ZERO) !== 0) {
    throw fail('bad-header', 'the file does not start with the four zero bytes of a DeviceSQL database');
  }
  const pageSize = bytes.readUInt32LE(HEADER_PAGE_SIZE);
  if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || pageSize % 4 !== 0) {
    throw fail('bad-header', `the header gives a page size of ${pageSize} bytes, which no DeviceSQL database uses`);
  }
  if (bytes.length % pageSize !== 0) {
    throw fail(
      'truncated',
      `the file is ${bytes.length} bytes long, not a whole number of ${pageSize}-byte pages; it was probably cut short while copying`,
    );
  }
  const tableCount = bytes.readUInt32LE(HEADER_TABLE_COUNT);
  if (tableCount > Math.floor((pageSize - HEADER_TABLES) / TABLE_POINTER_SIZE)) {
    throw fail('bad-header', `the header lists ${tableCount} tables, more than fit in the first ${pageSize}-byte page`);
  }
  const tables: TablePointer[] = [];
  for (let i = 0; i < tableCount; i++) {
    const at = HEADER_TABLES + i * TABLE_POINTER_SIZE;
    tables.push({
      type: bytes.readUInt32LE(at + TABLE_TYPE),
      emptyCandidate: bytes.readUInt32LE(at + TABLE_EMPTY_CANDIDATE),
      firstPage: bytes.readUInt32LE(at + TABLE_FIRST_PAGE),
      lastPage: bytes.readUInt32LE(at + TABLE_LAST_PAGE),
    });
  }
  return {
    pageSize,
    pageCount: bytes.length / pageSize,
    nextUnusedPage: bytes.readUInt32LE(HEADER_NEXT_UNUSED_PAGE),
    sequence: bytes.readUInt32LE(HEADER_SEQUENCE),
    tables,
  };
}
