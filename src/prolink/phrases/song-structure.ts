/**
 * The decoded song structure of one track: rekordbox's phrase analysis
 * (protocol doc §8), as the PSSI tag carries it.
 */

/** The moods rekordbox analyses a track in (§8.1), in the order of their values 1–3. */
export const MOODS = ['high', 'mid', 'low'] as const;
export type Mood = (typeof MOODS)[number] | 'unknown';

/** §8.4: the lighting banks, in the order of their byte values 0–8. */
export const BANKS = ['default', 'cool', 'natural', 'hot', 'subtle', 'warm', 'vivid', 'club1', 'club2'] as const;
export type Bank = (typeof BANKS)[number] | 'unknown';

/**
 * A stable machine id for a phrase kind. High mood uses intro/up/down/chorus/outro
 * (its numbered variants are in the label). Mid mood uses intro, verse1–verse6,
 * bridge, chorus, outro. Low mood shows ids 2–4 all as "Verse 1" and 5–7 all as
 * "Verse 2"; their ids stay distinct here as verse1/verse1b/verse1c and
 * verse2/verse2b/verse2c so rules can still tell them apart.
 */
export const PHRASE_KINDS = [
  'intro',
  'up',
  'down',
  'verse1',
  'verse1b',
  'verse1c',
  'verse2',
  'verse2b',
  'verse2c',
  'verse3',
  'verse4',
  'verse5',
  'verse6',
  'bridge',
  'chorus',
  'outro',
  'unknown',
] as const;
export type PhraseKind = (typeof PHRASE_KINDS)[number];

export interface Phrase {
  /** The entry's own index field (1, 2, 3 … in file order). */
  readonly index: number;
  /** First beat of the phrase (beat numbers of the track's beat grid, 1-based). */
  readonly beat: number;
  /** Kind id as stored; its meaning depends on the mood (§8.3). */
  readonly kindRaw: number;
  readonly kind: PhraseKind;
  /** The text rekordbox shows, e.g. "Intro 1", "Up 3", "Verse 2", "Chorus". "Unknown" when not known. */
  readonly label: string;
  readonly k1: number;
  readonly k2: number;
  readonly k3: number;
  /** 0: only beat2 is used; 1: beat2..beat4 are used (high-mood "Up 3"). Raw byte. */
  readonly b: number;
  readonly beat2: number;
  readonly beat3: number;
  readonly beat4: number;
  /** True when the phrase ends with fill-in beats. */
  readonly fill: boolean;
  /** Beat where the fill-in starts; null when there is no fill. */
  readonly fillBeat: number | null;
}

export interface SongStructure {
  readonly mood: Mood;
  /** Mood as a number after unmasking: 1 high, 2 mid, 3 low; anything else is 'unknown'. */
  readonly moodRaw: number;
  readonly bank: Bank;
  /** Bank byte after unmasking (§8.4). */
  readonly bankRaw: number;
  /** Beat at which the last phrase ends (exclusive). */
  readonly endBeat: number;
  /** True when the tag was XOR-masked (rekordbox 6+ exports, §8.2). */
  readonly masked: boolean;
  /** Phrases sorted by beat (file order among equal beats). */
  readonly phrases: readonly Phrase[];
}

/** §8.1 mood values. */
export const MOOD_HIGH = 1;
export const MOOD_MID = 2;
export const MOOD_LOW = 3;

export function moodFromRaw(raw: number): Mood {
  switch (raw) {
    case MOOD_HIGH:
      return 'high';
    case MOOD_MID:
      return 'mid';
    case MOOD_LOW:
      return 'low';
    default:
      return 'unknown';
  }
}

export function bankFromRaw(raw: number): Bank {
  return BANKS[raw] ?? 'unknown';
}
