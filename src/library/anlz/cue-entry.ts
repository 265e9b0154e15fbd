/**
 * What PCOB and PCO2 entries share: turning the raw fields of one entry into
 * a LibraryCue, or saying why the entry holds none.
 */
import type { LibraryCue } from '../library-track';
import { CUE_TYPE_LOOP, CUE_TYPE_POINT, TIME_UNSET } from './anlz-layout';

const LETTER_A = 'A'.charCodeAt(0);
const LETTERS = 26;

/** 1 → 'A', 2 → 'B', …; past 'Z' the number itself. */
export function hotCueLetter(hotCue: number): string {
  return hotCue >= 1 && hotCue <= LETTERS ? String.fromCharCode(LETTER_A + hotCue - 1) : String(hotCue);
}

export interface RawCue {
  readonly hotCue: number;
  readonly type: number;
  readonly time: number;
  readonly loopTime: number;
  readonly name: string;
  readonly color: string | null;
  readonly colorCode: number;
}

/** A cue, 'unset' for an empty slot (no type, or no time), or a sentence saying why it was skipped. */
export type CueReading = { readonly cue: LibraryCue } | { readonly unset: true } | { readonly skipped: string };

export function cueFromRaw(raw: RawCue): CueReading {
  if (raw.time === TIME_UNSET || raw.type === 0) return { unset: true };
  if (raw.type !== CUE_TYPE_POINT && raw.type !== CUE_TYPE_LOOP) {
    return { skipped: `skipped a cue at ${raw.time} ms of unknown type ${raw.type} (1 cue and 2 loop are known)` };
  }
  const hot = raw.hotCue !== 0;
  const isLoop = raw.type === CUE_TYPE_LOOP && raw.loopTime !== TIME_UNSET;
  return {
    cue: {
      kind: hot ? 'hot' : 'memory',
      hotCue: hot ? raw.hotCue : null,
      hotCueLetter: hot ? hotCueLetter(raw.hotCue) : null,
      timeMs: raw.time,
      loopEndMs: isLoop ? raw.loopTime : null,
      name: raw.name,
      color: raw.color,
      colorCode: raw.colorCode,
    },
  };
}

/** The cues of one list tag, and sentences for entries that held something unreadable. */
export interface CueListReading {
  /** 'memory' or 'hot', from the tag's type field ('unknown' for other values). */
  readonly list: 'memory' | 'hot' | 'unknown';
  readonly cues: readonly LibraryCue[];
  readonly skipped: readonly string[];
}

export function listKind(type: number): CueListReading['list'] {
  return type === 0 ? 'memory' : type === 1 ? 'hot' : 'unknown';
}
