/**
 * A made-up song structure for tracks that have no real analysis file, so the
 * simulator can answer phrase requests on any machine. This is synthetic data
 * written for the simulator, not rekordbox's analysis of any real recording:
 * mid mood, phrases of 16–64 beats in a common club-track order (intro, verses,
 * bridge, chorus … outro), varied a little by the track ID.
 */
import type { PssiInput, PssiPhraseInput } from '../encode/pssi';

/** §8.3 mid-mood kind ids. */
const INTRO = 1;
const VERSE_1 = 2;
const VERSE_2 = 3;
const VERSE_3 = 4;
const BRIDGE = 8;
const CHORUS = 9;
const OUTRO = 10;
const MOOD_MID = 2;

type Part = readonly [kind: number, beats: number];

const BODY_PLANS: readonly (readonly Part[])[] = [
  [[VERSE_1, 32], [VERSE_2, 32], [BRIDGE, 16], [CHORUS, 64], [VERSE_3, 32], [BRIDGE, 16], [CHORUS, 64]],
  [[VERSE_1, 64], [BRIDGE, 16], [CHORUS, 32], [VERSE_2, 32], [CHORUS, 64], [BRIDGE, 16], [CHORUS, 32]],
  [[VERSE_1, 32], [CHORUS, 32], [VERSE_2, 32], [BRIDGE, 32], [CHORUS, 64], [VERSE_3, 16], [CHORUS, 32]],
];
const INTRO_BEATS = 32;
const OUTRO_BEATS = 32;
const SHORTEST_PHRASE = 16;

/**
 * Phrases from beat 1 to the end of a `beats`-long grid; the body plan repeats
 * as long as there is room, then the outro takes what is left (at most 32).
 */
export function syntheticSongStructure(trackId: number, beats: number): PssiInput {
  const plan = BODY_PLANS[trackId % BODY_PLANS.length] as readonly Part[];
  const phrases: PssiPhraseInput[] = [];
  const end = beats + 1;
  let beat = 1;
  const add = (kindRaw: number, length: number): void => {
    phrases.push({ beat, kindRaw });
    beat += length;
  };
  if (end - beat >= INTRO_BEATS + SHORTEST_PHRASE) add(INTRO, INTRO_BEATS);
  for (let i = 0; end - beat - OUTRO_BEATS >= SHORTEST_PHRASE; i++) {
    const [kind, length] = plan[i % plan.length] as Part;
    add(kind, Math.min(length, end - beat - OUTRO_BEATS));
  }
  if (end - beat >= 1) add(OUTRO, Math.min(OUTRO_BEATS, end - beat));
  return { moodRaw: MOOD_MID, bankRaw: 0, endBeat: beat, phrases };
}
