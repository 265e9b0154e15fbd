/**
 * The beat grid tag PQTZ of a .DAT file: every beat rekordbox found, with its
 * place in the bar, its tempo and its time. Pure: bytes in, GridBeat[] or a
 * TagFault out.
 */
import type { GridBeat } from '../library-track';
import {
  PQTZ_BEAT_NUMBER,
  PQTZ_BEAT_SIZE,
  PQTZ_BEAT_TEMPO,
  PQTZ_BEAT_TIME,
  PQTZ_BEATS,
  PQTZ_FOURCC,
  PQTZ_LEN_BEATS,
} from './anlz-layout';
import { TagFault } from './errors';
import { wholeTag, u16, u32, type TagView } from './tag-view';

/** The tag stores BPM × 100. */
const TEMPO_SCALE = 100;
const BEATS_IN_BAR_MAX = 4;

export function parseBeatGridTag(tag: Buffer): GridBeat[] | TagFault {
  const view = wholeTag(tag, PQTZ_FOURCC, PQTZ_BEATS);
  return view instanceof TagFault ? view : readBeats(view);
}

function readBeats(view: TagView): GridBeat[] | TagFault {
  const count = u32(view, PQTZ_LEN_BEATS);
  const room = Math.floor((view.length - PQTZ_BEATS) / PQTZ_BEAT_SIZE);
  if (count > room) {
    return new TagFault('truncated', view.fourcc, `len_beats says ${count} beats, the tag has room for ${room}`);
  }
  const beats: GridBeat[] = [];
  let previousTime = 0;
  for (let i = 0; i < count; i++) {
    const at = PQTZ_BEATS + i * PQTZ_BEAT_SIZE;
    const beatInBar = u16(view, at + PQTZ_BEAT_NUMBER);
    const timeMs = u32(view, at + PQTZ_BEAT_TIME);
    if (beatInBar < 1 || beatInBar > BEATS_IN_BAR_MAX) {
      return new TagFault(
        'bad-grid',
        view.fourcc,
        `beat ${i + 1} says it is beat ${beatInBar} of its bar (1–4 expected)`,
      );
    }
    if (timeMs < previousTime) {
      return new TagFault(
        'bad-grid',
        view.fourcc,
        `beat ${i + 1} at ${timeMs} ms comes before beat ${i} at ${previousTime} ms`,
      );
    }
    previousTime = timeMs;
    beats.push({ beatInBar, timeMs, bpm: u16(view, at + PQTZ_BEAT_TEMPO) / TEMPO_SCALE });
  }
  return beats;
}
