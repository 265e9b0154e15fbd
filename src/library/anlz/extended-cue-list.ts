/**
 * The extended cue list tag PCO2 (in .EXT files, nxs2 players and later):
 * memory cues or hot cues with the name typed in rekordbox and their colours.
 * Entries (PCP2) vary in length; older ones end before the name or before
 * the colour bytes, and are read as far as they go.
 */
import type { LibraryCue } from '../library-track';
import {
  CUE_LIST_HOT,
  CUE_LIST_MEMORY,
  PCO2_CUES,
  PCO2_FOURCC,
  PCO2_LEN_CUES,
  PCO2_TYPE,
  PCP2_COLOR_BYTES,
  PCP2_COLOR_CODE_AFTER_COMMENT,
  PCP2_COLOR_RGB_AFTER_COMMENT,
  PCP2_ENTRY_COLOR_ID,
  PCP2_ENTRY_COMMENT,
  PCP2_ENTRY_HOT_CUE,
  PCP2_ENTRY_LEN_COMMENT,
  PCP2_ENTRY_LOOP_TIME,
  PCP2_ENTRY_TIME,
  PCP2_ENTRY_TYPE,
  PCP2_FOURCC,
  TAG_LEN_TAG,
  TAG_PREFIX,
} from './anlz-layout';
import { cueFromRaw, listKind, type CueListReading } from './cue-entry';
import { TagFault } from './errors';
import { bareBody, fits, u16, u32, u8, utf16be, wholeTag, type TagView } from './tag-view';

/** A PCP2 entry must reach at least past its loop time. */
const PCP2_MIN = PCP2_ENTRY_LOOP_TIME + 4;
const RGB = 3;

export function parseExtendedCueListTag(tag: Buffer): CueListReading | TagFault {
  const view = wholeTag(tag, PCO2_FOURCC, PCO2_CUES);
  return view instanceof TagFault ? view : readList(view);
}

export function parseExtendedCueListBody(body: Buffer): CueListReading | TagFault {
  const view = bareBody(body, PCO2_FOURCC, PCO2_CUES);
  return view instanceof TagFault ? view : readList(view);
}

function readList(view: TagView): CueListReading | TagFault {
  const type = u32(view, PCO2_TYPE);
  const count = u16(view, PCO2_LEN_CUES);
  const cues: LibraryCue[] = [];
  const skipped: string[] = [];
  let at = PCO2_CUES;
  for (let i = 0; i < count; i++) {
    const length = entryLength(view, at, i);
    if (length instanceof TagFault) return length;
    const reading = readEntry(view, at, length);
    if ('cue' in reading) cues.push(reading.cue);
    else if ('skipped' in reading) skipped.push(`entry ${i + 1}: ${reading.skipped}`);
    at += length;
  }
  if (type !== CUE_LIST_MEMORY && type !== CUE_LIST_HOT)
    skipped.push(`list type ${type} is neither memory (0) nor hot cues (1)`);
  return { list: listKind(type), cues, skipped };
}

function readEntry(view: TagView, at: number, length: number): ReturnType<typeof cueFromRaw> {
  const hotCue = u32(view, at + PCP2_ENTRY_HOT_CUE);
  // The name, when the entry reaches it; a len_comment running past the entry means no name.
  let commentBytes = 0;
  if (PCP2_ENTRY_COMMENT <= length) {
    const declared = u32(view, at + PCP2_ENTRY_LEN_COMMENT);
    if (PCP2_ENTRY_COMMENT + declared <= length) commentBytes = declared;
  }
  const name = commentBytes > 0 ? utf16be(view, at + PCP2_ENTRY_COMMENT, commentBytes).trim() : '';
  const colorAt = PCP2_ENTRY_COMMENT + commentBytes;
  const hasCode = PCP2_ENTRY_COMMENT <= length && colorAt + PCP2_COLOR_CODE_AFTER_COMMENT + 1 <= length;
  const hasRgb = PCP2_ENTRY_COMMENT <= length && colorAt + PCP2_COLOR_BYTES <= length;
  const colorCode = hasCode ? u8(view, at + colorAt + PCP2_COLOR_CODE_AFTER_COMMENT) : 0;
  const rgb = hasRgb
    ? view.buf.subarray(
        view.base + at + colorAt + PCP2_COLOR_RGB_AFTER_COMMENT,
        view.base + at + colorAt + PCP2_COLOR_RGB_AFTER_COMMENT + RGB,
      )
    : null;
  const color = rgb !== null && rgb.some((c) => c !== 0) ? `#${rgb.toString('hex')}` : null;
  return cueFromRaw({
    hotCue,
    type: u8(view, at + PCP2_ENTRY_TYPE),
    time: u32(view, at + PCP2_ENTRY_TIME),
    loopTime: u32(view, at + PCP2_ENTRY_LOOP_TIME),
    name,
    color,
    // Memory cues carry their colour as a row of export.pdb's colour table; hot cues as a palette code.
    colorCode: hotCue === 0 ? u8(view, at + PCP2_ENTRY_COLOR_ID) : colorCode,
  });
}

/** Checks the PCP2 header at `at` and returns the entry's length. */
function entryLength(view: TagView, at: number, index: number): number | TagFault {
  if (!fits(view, at, TAG_PREFIX)) {
    return new TagFault(
      'truncated',
      PCO2_FOURCC,
      `entry ${index + 1} at ${at} lies past the tag's ${view.length} bytes`,
    );
  }
  const fourcc = view.buf.toString('latin1', view.base + at, view.base + at + 4);
  if (fourcc !== PCP2_FOURCC) {
    return new TagFault(
      'bad-entry',
      PCO2_FOURCC,
      `entry ${index + 1} at ${at} starts with ${JSON.stringify(fourcc)}, not "${PCP2_FOURCC}"`,
    );
  }
  const length = u32(view, at + TAG_LEN_TAG);
  if (length < PCP2_MIN || !fits(view, at, length)) {
    return new TagFault(
      'bad-entry',
      PCO2_FOURCC,
      `entry ${index + 1} at ${at} declares ${length} bytes (${PCP2_MIN} or more, inside the tag, expected)`,
    );
  }
  return length;
}
