/**
 * Rows of exportExt.pdb: My Tag categories and tags, and which track carries
 * which tag. Offsets are from the start of the row.
 */
import { readRowStrings } from './device-sql-string';
import type { PageReader } from './page-reader';

/** u16: tag subtype (bit 0x04 selects two-byte string offsets). */
const TAG_SUBTYPE = 0x00;
/** u32: the category a tag belongs to, 0 for a category. */
const TAG_PARENT_ID = 0x0c;
/** u32: position within its category. */
const TAG_POSITION = 0x10;
/** u32: the tag's ID. */
const TAG_ID = 0x14;
/** u32: non-zero for a category. */
const TAG_IS_CATEGORY = 0x18;
/** Offset array of two strings: the name, then one of unknown use. */
const TAG_STRINGS = 0x1c;

export interface TagRow {
  readonly id: number;
  readonly parentId: number;
  readonly position: number;
  readonly isCategory: boolean;
  readonly name: string;
}

export function readTagRow(page: PageReader, at: number): TagRow {
  const subtype = page.u16(at + TAG_SUBTYPE, 'tag subtype');
  const [name = ''] = readRowStrings(page, at, subtype, TAG_STRINGS, 2, 'tag');
  return {
    id: page.u32(at + TAG_ID, 'tag id'),
    parentId: page.u32(at + TAG_PARENT_ID, 'tag parent id'),
    position: page.u32(at + TAG_POSITION, 'tag position'),
    isCategory: page.u32(at + TAG_IS_CATEGORY, 'tag category flag') !== 0,
    name,
  };
}

/** Track tag: u32 zero, u32 track ID, u32 tag ID. */
const TRACK_TAG_TRACK_ID = 0x04;
const TRACK_TAG_TAG_ID = 0x08;

export interface TrackTagRow {
  readonly trackId: number;
  readonly tagId: number;
}

export function readTrackTagRow(page: PageReader, at: number): TrackTagRow {
  return {
    trackId: page.u32(at + TRACK_TAG_TRACK_ID, 'track tag track id'),
    tagId: page.u32(at + TRACK_TAG_TAG_ID, 'track tag tag id'),
  };
}
