/**
 * The cue list tag PCOB (in .DAT and .EXT files): memory cues or hot cues,
 * one fixed-size PCPT entry each, without names or colours. Players send the
 * same tag bodies over the network, so a bare body (from tag offset 0x0c on)
 * is read as well.
 */
import {
  CUE_LIST_HOT,
  CUE_LIST_MEMORY,
  PCOB_CUES,
  PCOB_FOURCC,
  PCOB_LEN_CUES,
  PCOB_TYPE,
  PCPT_ENTRY_HOT_CUE,
  PCPT_ENTRY_LOOP_TIME,
  PCPT_ENTRY_TIME,
  PCPT_ENTRY_TYPE,
  PCPT_FOURCC,
  TAG_LEN_TAG,
  TAG_PREFIX,
} from './anlz-layout';
import { cueFromRaw, listKind, type CueListReading } from './cue-entry';
import type { LibraryCue } from '../library-track';
import { TagFault } from './errors';
import { bareBody, fits, u16, u32, u8, wholeTag, type TagView } from './tag-view';

/** A PCPT entry must reach at least past its loop time. */
const PCPT_MIN = PCPT_ENTRY_LOOP_TIME + 4;

export function parseCueListTag(tag: Buffer): CueListReading | TagFault {
  const view = wholeTag(tag, PCOB_FOURCC, PCOB_CUES);
  return view instanceof TagFault ? view : readCueList(view);
}

export function parseCueListBody(body: Buffer): CueListReading | TagFault {
  const view = bareBody(body, PCOB_FOURCC, PCOB_CUES);
  return view instanceof TagFault ? view : readCueList(view);
}

function readCueList(view: TagView): CueListReading | TagFault {
  const type = u32(view, PCOB_TYPE);
  const count = u16(view, PCOB_LEN_CUES);
  const cues: LibraryCue[] = [];
  const skipped: string[] = [];
  let at = PCOB_CUES;
  for (let i = 0; i < count; i++) {
    const entry = entryAt(view, at, i);
    if (entry instanceof TagFault) return entry;
    const reading = cueFromRaw({
      hotCue: u32(view, at + PCPT_ENTRY_HOT_CUE),
      type: u8(view, at + PCPT_ENTRY_TYPE),
      time: u32(view, at + PCPT_ENTRY_TIME),
      loopTime: u32(view, at + PCPT_ENTRY_LOOP_TIME),
      name: '',
      color: null,
      colorCode: 0,
    });
    if ('cue' in reading) cues.push(reading.cue);
    else if ('skipped' in reading) skipped.push(`entry ${i + 1}: ${reading.skipped}`);
    at += entry;
  }
  if (type !== CUE_LIST_MEMORY && type !== CUE_LIST_HOT)
    skipped.push(`list type ${type} is neither memory (0) nor hot cues (1)`);
  return { list: listKind(type), cues, skipped };
}

/** Checks the PCPT header at `at` and returns the entry's length. */
function entryAt(view: TagView, at: number, index: number): number | TagFault {
  if (!fits(view, at, TAG_PREFIX)) {
    return new TagFault(
      'truncated',
      PCOB_FOURCC,
      `entry ${index + 1} at ${at} lies past the tag's ${view.length} bytes`,
    );
  }
  const fourcc = view.buf.toString('latin1', view.base + at, view.base + at + 4);
  if (fourcc !== PCPT_FOURCC) {
    return new TagFault(
      'bad-entry',
      PCOB_FOURCC,
      `entry ${index + 1} at ${at} starts with ${JSON.stringify(fourcc)}, not "${PCPT_FOURCC}"`,
    );
  }
  const length = u32(view, at + TAG_LEN_TAG);
  if (length < PCPT_MIN || !fits(view, at, length)) {
    return new TagFault(
      'bad-entry',
      PCOB_FOURCC,
      `entry ${index + 1} at ${at} declares ${length} bytes (${PCPT_MIN} or more, inside the tag, expected)`,
    );
  }
  return length;
}
