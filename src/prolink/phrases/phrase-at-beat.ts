/**
 * Which phrase a beat falls in (protocol doc §8.5). Runs for every status
 * packet, so the sorted beat table of a structure is built once and cached;
 * each lookup is a binary search with one small result object.
 */
import type { Phrase, SongStructure } from './song-structure';

/** §8.5: beat 0 (parked at the start) and 0xffffffff mean "no position". */
export const BEAT_NONE = 0xffffffff;

const BEATS_PER_BAR = 4;

export interface NoPosition {
  readonly where: 'none';
}

export interface BeforeFirstPhrase {
  readonly where: 'before-first';
  /** Where the first phrase starts. */
  readonly firstBeat: number;
}

export interface InPhrase {
  readonly where: 'in-phrase';
  readonly phrase: Phrase;
  /** Position in the beat-sorted phrase list, 0-based (not the entry's own index field). */
  readonly sortedIndex: number;
  readonly startBeat: number;
  /** Exclusive: the next phrase's beat, or the structure's end beat for the last one. */
  readonly endBeat: number;
  /** Phrase length in bars of four beats, (endBeat − startBeat) / 4; may be fractional. */
  readonly bars: number;
  /** 1-based: the phrase's first beat is beat 1. */
  readonly beatInPhrase: number;
  /** 1-based bar of four beats counted from the phrase start. */
  readonly barInPhrase: number;
  /** True from the phrase's fill beat on (only when the phrase has a fill). */
  readonly inFill: boolean;
}

export interface AfterLastPhrase {
  readonly where: 'after-last';
  /** The structure's end beat; the given beat is at or past it. */
  readonly endBeat: number;
}

export type PhrasePosition = NoPosition | BeforeFirstPhrase | InPhrase | AfterLastPhrase;

export const NO_POSITION: NoPosition = Object.freeze({ where: 'none' });

interface Timeline {
  readonly phrases: readonly Phrase[];
  /** Start beats, ascending. */
  readonly starts: Float64Array;
  /** Exclusive end beats, each clamped to the structure's end beat. */
  readonly ends: Float64Array;
  readonly beforeFirst: BeforeFirstPhrase | null;
  readonly afterLast: AfterLastPhrase;
  readonly endBeat: number;
}

const timelines = new WeakMap<SongStructure, Timeline>();

function isSorted(phrases: readonly Phrase[]): boolean {
  for (let i = 1; i < phrases.length; i++) {
    if ((phrases[i] as Phrase).beat < (phrases[i - 1] as Phrase).beat) return false;
  }
  return true;
}

function buildTimeline(structure: SongStructure): Timeline {
  const phrases = isSorted(structure.phrases)
    ? structure.phrases
    : [...structure.phrases].sort((a, b) => a.beat - b.beat);
  const n = phrases.length;
  const starts = new Float64Array(n);
  const ends = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = (phrases[i] as Phrase).beat;
    const next = i + 1 < n ? (phrases[i + 1] as Phrase).beat : structure.endBeat;
    ends[i] = Math.min(next, structure.endBeat);
  }
  const first = phrases[0];
  return {
    phrases,
    starts,
    ends,
    beforeFirst: first === undefined ? null : Object.freeze({ where: 'before-first', firstBeat: first.beat }),
    afterLast: Object.freeze({ where: 'after-last', endBeat: structure.endBeat }),
    endBeat: structure.endBeat,
  };
}

function timelineOf(structure: SongStructure): Timeline {
  let timeline = timelines.get(structure);
  if (timeline === undefined) {
    timeline = buildTimeline(structure);
    timelines.set(structure, timeline);
  }
  return timeline;
}

/** Index of the last start ≤ beat; the caller guarantees starts[0] ≤ beat. */
function lastStartAtOrBefore(starts: Float64Array, beat: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >>> 1;
    if ((starts[mid] as number) <= beat) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Where `beat` (the status beat counter, §3.1 offset 0xa0) falls in the
 * structure. Phrase i covers [beat_i, beat_i+1); the last covers
 * [beat_last, endBeat). null, 0, 0xffffffff, negative or non-finite beats give
 * 'none'. With no phrases every real beat is 'after-last'.
 */
export function phraseAtBeat(structure: SongStructure, beat: number | null): PhrasePosition {
  if (beat === null || !(beat > 0) || beat === BEAT_NONE || !Number.isFinite(beat)) return NO_POSITION;
  const t = timelineOf(structure);
  if (t.beforeFirst !== null && beat < t.beforeFirst.firstBeat) return t.beforeFirst;
  if (t.beforeFirst === null || beat >= t.endBeat) return t.afterLast;

  const i = lastStartAtOrBefore(t.starts, beat);
  const phrase = t.phrases[i] as Phrase;
  const startBeat = t.starts[i] as number;
  const endBeat = t.ends[i] as number;
  const offset = beat - startBeat;
  return {
    where: 'in-phrase',
    phrase,
    sortedIndex: i,
    startBeat,
    endBeat,
    bars: (endBeat - startBeat) / BEATS_PER_BAR,
    beatInPhrase: offset + 1,
    barInPhrase: Math.floor(offset / BEATS_PER_BAR) + 1,
    inFill: phrase.fillBeat !== null && beat >= phrase.fillBeat,
  };
}
