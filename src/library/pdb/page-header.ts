/**
 * The header of a table page and the row index built backwards from the end
 * of the page. Rows live in the heap after the header; the index holds, per
 * group of 16 rows, their heap offsets and a bit per row saying whether the
 * row is present (deleted rows keep their slot with the bit cleared).
 */
import { PageReader } from './page-reader';

/** u32, always 0. */
const PAGE_ZERO = 0x00;
/** u32: the page's own index, equal to the index used to find it. */
const PAGE_INDEX = 0x04;
/** u32: the table type of the page's rows. */
const PAGE_TYPE = 0x08;
/** u32: the next page of the same table; past the end of the file on the last one. */
const PAGE_NEXT = 0x0c;
/** u32: rekordbox's write sequence of the page. */
const PAGE_SEQUENCE = 0x10;
/**
 * 24 bits, little-endian: the low 13 bits count the row slots in the row
 * index (present or deleted), the high 11 bits count the present rows.
 */
const PAGE_ROW_COUNTS = 0x18;
const ROW_SLOTS_MASK = 0x1fff;
const VALID_ROWS_SHIFT = 13;
/** u8: page flags; 0x40 marks an index page, which holds no rows. */
const PAGE_FLAGS = 0x1b;
const FLAG_INDEX_PAGE = 0x40;
/** u16: free bytes in the heap. */
const PAGE_FREE_SIZE = 0x1c;
/** u16: bytes in use in the heap. */
const PAGE_USED_SIZE = 0x1e;
/** Rows' heap offsets count from here (the end of the data page header). */
export const PAGE_HEAP = 0x28;

/** A row group: up to 16 u16 row offsets, then u16 presence bits, then a u16 left unread. */
const ROW_GROUP_SIZE = 0x24;
const ROWS_PER_GROUP = 16;
/** From a group's end: the presence bits sit 4 bytes before it, row 0's offset 6 bytes before. */
const GROUP_PRESENCE_BACK = 4;
const GROUP_FIRST_OFFSET_BACK = 6;

export interface PageHeader {
  readonly index: number;
  readonly type: number;
  readonly nextPage: number;
  readonly sequence: number;
  /** Slots in the row index, deleted rows included. */
  readonly rowSlots: number;
  /** Rows marked present. */
  readonly validRows: number;
  readonly flags: number;
  /** False for index pages (flag 0x40), whose bytes are not rows. */
  readonly isDataPage: boolean;
  readonly freeSize: number;
  readonly usedSize: number;
}

export function readPageHeader(page: PageReader): PageHeader {
  if (page.size < PAGE_HEAP) throw page.fail('truncated', 'the page is shorter than a page header');
  if (page.u32(PAGE_ZERO, 'page header') !== 0) {
    throw page.fail('bad-page', 'the page does not start with the four zero bytes of a table page');
  }
  const counts = page.u8(PAGE_ROW_COUNTS, 'row counts') | (page.u8(PAGE_ROW_COUNTS + 1, 'row counts') << 8) | (page.u8(PAGE_ROW_COUNTS + 2, 'row counts') << 16);
  const flags = page.u8(PAGE_FLAGS, 'page flags');
  return {
    index: page.u32(PAGE_INDEX, 'page index'),
    type: page.u32(PAGE_TYPE, 'page type'),
    nextPage: page.u32(PAGE_NEXT, 'next page'),
    sequence: page.u32(PAGE_SEQUENCE, 'page sequence'),
    rowSlots: counts & ROW_SLOTS_MASK,
    validRows: counts >>> VALID_ROWS_SHIFT,
    flags,
    isDataPage: (flags & FLAG_INDEX_PAGE) === 0,
    freeSize: page.u16(PAGE_FREE_SIZE, 'free size'),
    usedSize: page.u16(PAGE_USED_SIZE, 'used size'),
  };
}

/**
 * The page-relative start of every present row, in row-index order. Checks
 * that the index fits in the page, that every present row starts inside the
 * heap, and that the count of present rows agrees with the header.
 */
export function presentRowStarts(page: PageReader, header: PageHeader): number[] {
  if (!header.isDataPage || header.rowSlots === 0) return [];
  const groups = Math.ceil(header.rowSlots / ROWS_PER_GROUP);
  // The last group only uses the slots it needs; the bytes of its unused slots belong to the heap.
  const lastGroupSlots = header.rowSlots - (groups - 1) * ROWS_PER_GROUP;
  const heapEnd = page.size - (groups - 1) * ROW_GROUP_SIZE - GROUP_FIRST_OFFSET_BACK - 2 * (lastGroupSlots - 1);
  if (heapEnd < PAGE_HEAP) {
    throw page.fail('bad-page', `the header counts ${header.rowSlots} row slots, whose index does not fit in the page`);
  }
  const starts: number[] = [];
  for (let group = 0; group < groups; group++) {
    const end = page.size - group * ROW_GROUP_SIZE;
    const present = page.u16(end - GROUP_PRESENCE_BACK, 'row presence bits');
    const slots = Math.min(ROWS_PER_GROUP, header.rowSlots - group * ROWS_PER_GROUP);
    for (let slot = 0; slot < slots; slot++) {
      if ((present & (1 << slot)) === 0) continue;
      const start = PAGE_HEAP + page.u16(end - GROUP_FIRST_OFFSET_BACK - 2 * slot, 'row offset');
      if (start >= heapEnd) {
        throw page.fail('bad-page', `row ${group * ROWS_PER_GROUP + slot} starts at byte ${start}, outside the page's heap`);
      }
      starts.push(start);
    }
  }
  if (starts.length !== header.validRows) {
    throw page.fail('bad-page', `the row index marks ${starts.length} rows present but the header counts ${header.validRows}`);
  }
  return starts;
}
