/**
 * What can go wrong reading a DeviceSQL database (export.pdb, exportExt.pdb).
 * Every message names the file and, when it concerns one, the page, so a
 * user can tell which export is damaged and re-export it.
 */
export type PdbErrorCode =
  | 'truncated' // the file ends before a header, page or table the reader needs
  | 'bad-header' // the file header holds values no export has (page size, table count)
  | 'bad-page' // a page header or row index is inconsistent
  | 'bad-chain' // a table's page chain leaves the file, loops, or never reaches its last page
  | 'bad-row' // a row reaches outside its page or holds an impossible field
  | 'bad-string'; // a DeviceSQL string has an unknown kind or runs past its page

export class PdbError extends Error {
  override readonly name = 'PdbError';

  constructor(
    readonly code: PdbErrorCode,
    /** The database file, as the caller named it. */
    readonly file: string,
    /** The page the problem is on, null for the file header. */
    readonly page: number | null,
    /** What was wrong, without the file and page (they lead the message). */
    readonly detail: string,
  ) {
    super(`${file}${page === null ? '' : `, page ${page}`}: ${detail}`);
  }
}
