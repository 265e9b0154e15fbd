/**
 * Following a table's chain of pages from its first page to its last, and
 * reading single pages. The walk visits each page at most once, so a damaged
 * chain that loops or wanders ends after at most the file's page count.
 */
import type { PdbFileHeader, TablePointer } from './file-header';
import { PageReader } from './page-reader';
import { presentRowStarts, readPageHeader, type PageHeader } from './page-header';
import { PdbError } from './pdb-error';
import type { RowDecoder } from './row-decoders';

export interface DecodedPage<T> {
  readonly header: PageHeader;
  /** Present rows in row-index order; empty for index pages. */
  readonly rows: readonly T[];
}

/** The page `index` of the file, with its header checked. */
export function pageAt(bytes: Buffer, header: PdbFileHeader, index: number, file: string): { readonly reader: PageReader; readonly header: PageHeader } {
  const start = index * header.pageSize;
  const reader = new PageReader(file, index, bytes.subarray(start, start + header.pageSize));
  const pageHeader = readPageHeader(reader);
  if (pageHeader.index !== index) {
    throw reader.fail('bad-page', `the page header gives its index as ${pageHeader.index}, so the page chain or the file is damaged`);
  }
  return { reader, header: pageHeader };
}

/** Decodes the present rows of one page. */
export function decodeRows<T>(reader: PageReader, header: PageHeader, decode: RowDecoder<T>): T[] {
  return presentRowStarts(reader, header).map((at) => decode(reader, at));
}

/**
 * Decodes one page on its own, e.g. a page cut out of a database. The page's
 * own header gives its index; nothing else is checked against a file.
 */
export function decodeSinglePage<T>(page: Buffer, file: string, decode: RowDecoder<T>): DecodedPage<T> {
  const probe = new PageReader(file, 0, page);
  const index = readPageHeader(probe).index;
  const reader = new PageReader(file, index, page);
  const header = readPageHeader(reader);
  return { header, rows: decodeRows(reader, header, decode) };
}

/**
 * All present rows of a table, page after page along its chain. Pages of
 * another table or index pages on the way contribute no rows.
 */
export function readTable<T>(bytes: Buffer, header: PdbFileHeader, table: TablePointer, name: string, file: string, decode: RowDecoder<T>): T[] {
  const rows: T[] = [];
  const visited = new Set<number>();
  let index = table.firstPage;
  for (;;) {
    if (index >= header.pageCount) {
      throw new PdbError(
        'bad-chain',
        file,
        null,
        `the ${name} table's page chain leads to page ${index}, past the end of the file (${header.pageCount} pages), before reaching its last page ${table.lastPage}; the file is cut short or damaged`,
      );
    }
    if (visited.has(index)) {
      throw new PdbError('bad-chain', file, index, `the ${name} table's page chain comes back to this page without reaching its last page ${table.lastPage}`);
    }
    visited.add(index);
    const page = pageAt(bytes, header, index, file);
    if (page.header.type === table.type && page.header.isDataPage) rows.push(...decodeRows(page.reader, page.header, decode));
    if (index === table.lastPage) return rows;
    index = page.header.nextPage;
  }
}
