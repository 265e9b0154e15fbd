/**
 * Phrase kinds and rekordbox display labels per mood (protocol doc §8.3).
 */
import type { Mood, PhraseKind } from './song-structure';

export interface PhraseName {
  readonly kind: PhraseKind;
  readonly label: string;
}

export const UNKNOWN_PHRASE: PhraseName = { kind: 'unknown', label: 'Unknown' };

function name(kind: PhraseKind, label: string): PhraseName {
  return { kind, label };
}

/** Mid mood (2): kind ids 1–10. */
const MID: readonly (PhraseName | undefined)[] = [
  undefined,
  name('intro', 'Intro'),
  name('verse1', 'Verse 1'),
  name('verse2', 'Verse 2'),
  name('verse3', 'Verse 3'),
  name('verse4', 'Verse 4'),
  name('verse5', 'Verse 5'),
  name('verse6', 'Verse 6'),
  name('bridge', 'Bridge'),
  name('chorus', 'Chorus'),
  name('outro', 'Outro'),
];

/**
 * Low mood (3): rekordbox has no Verse 3; ids 2–4 all read "Verse 1" and 5–7 all
 * read "Verse 2". The kind keeps them apart (verse1, verse1b, verse1c …).
 */
const LOW: readonly (PhraseName | undefined)[] = [
  undefined,
  name('intro', 'Intro'),
  name('verse1', 'Verse 1'),
  name('verse1b', 'Verse 1'),
  name('verse1c', 'Verse 1'),
  name('verse2', 'Verse 2'),
  name('verse2b', 'Verse 2'),
  name('verse2c', 'Verse 2'),
  name('bridge', 'Bridge'),
  name('chorus', 'Chorus'),
  name('outro', 'Outro'),
];

/** High mood (1) kind ids. */
const HIGH_INTRO = 1;
const HIGH_UP = 2;
const HIGH_DOWN = 3;
const HIGH_CHORUS = 5;
const HIGH_OUTRO = 6;

const HIGH_NAMES = {
  intro1: name('intro', 'Intro 1'),
  intro2: name('intro', 'Intro 2'),
  up1: name('up', 'Up 1'),
  up2: name('up', 'Up 2'),
  up3: name('up', 'Up 3'),
  down: name('down', 'Down'),
  chorus1: name('chorus', 'Chorus 1'),
  chorus2: name('chorus', 'Chorus 2'),
  outro1: name('outro', 'Outro 1'),
  outro2: name('outro', 'Outro 2'),
} as const;

/**
 * High mood: Intro/Chorus/Outro are "1" when k1 = 1, else "2". Up is "Up 3" when
 * k2 = 1, otherwise "Up 2" when k3 = 1, otherwise "Up 1" (k2 is checked first).
 */
function highName(kindRaw: number, k1: number, k2: number, k3: number): PhraseName {
  switch (kindRaw) {
    case HIGH_INTRO:
      return k1 === 1 ? HIGH_NAMES.intro1 : HIGH_NAMES.intro2;
    case HIGH_UP:
      if (k2 === 1) return HIGH_NAMES.up3;
      return k3 === 1 ? HIGH_NAMES.up2 : HIGH_NAMES.up1;
    case HIGH_DOWN:
      return HIGH_NAMES.down;
    case HIGH_CHORUS:
      return k1 === 1 ? HIGH_NAMES.chorus1 : HIGH_NAMES.chorus2;
    case HIGH_OUTRO:
      return k1 === 1 ? HIGH_NAMES.outro1 : HIGH_NAMES.outro2;
    default:
      return UNKNOWN_PHRASE;
  }
}

/** Kind id and display label of one phrase entry; unknown moods or ids give UNKNOWN_PHRASE. */
export function phraseName(mood: Mood, kindRaw: number, k1: number, k2: number, k3: number): PhraseName {
  switch (mood) {
    case 'high':
      return highName(kindRaw, k1, k2, k3);
    case 'mid':
      return MID[kindRaw] ?? UNKNOWN_PHRASE;
    case 'low':
      return LOW[kindRaw] ?? UNKNOWN_PHRASE;
    default:
      return UNKNOWN_PHRASE;
  }
}
