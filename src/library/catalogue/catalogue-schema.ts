/**
 * The shape a saved catalogue must have, checked when it is loaded so that a
 * hand-edited or foreign file gives a clear sentence instead of odd lookups.
 */
import { z } from 'zod';
import { BANKS, MOODS, PHRASE_KINDS } from '../../prolink/phrases/song-structure';
import { CATALOGUE_FORMAT, CATALOGUE_VERSION } from './catalogue-data';

const count = z.number().int().nonnegative();

const gridBeat = z.strictObject({ beatInBar: z.number().int(), timeMs: z.number(), bpm: z.number() });

const cue = z.strictObject({
  kind: z.enum(['memory', 'hot']),
  hotCue: z.number().int().nullable(),
  hotCueLetter: z.string().nullable(),
  timeMs: z.number(),
  loopEndMs: z.number().nullable(),
  name: z.string(),
  color: z.string().nullable(),
  colorCode: z.number().int(),
});

const phrase = z.strictObject({
  index: z.number().int(),
  beat: z.number().int(),
  kindRaw: z.number().int(),
  kind: z.enum(PHRASE_KINDS),
  label: z.string(),
  k1: z.number().int(),
  k2: z.number().int(),
  k3: z.number().int(),
  b: z.number().int(),
  beat2: z.number().int(),
  beat3: z.number().int(),
  beat4: z.number().int(),
  fill: z.boolean(),
  fillBeat: z.number().int().nullable(),
});

const songStructure = z.strictObject({
  mood: z.enum([...MOODS, 'unknown']),
  moodRaw: z.number().int(),
  bank: z.enum([...BANKS, 'unknown']),
  bankRaw: z.number().int(),
  endBeat: z.number().int(),
  masked: z.boolean(),
  phrases: z.array(phrase),
});

const track = z.strictObject({
  id: count,
  deviceLibraryId: count.exactOptional(),
  title: z.string(),
  artist: z.string(),
  album: z.string(),
  genre: z.string(),
  label: z.string(),
  key: z.string(),
  color: z.string(),
  rating: count,
  comment: z.string(),
  durationSeconds: z.number().nonnegative(),
  bpm: z.number().nonnegative(),
  artworkPath: z.string(),
  source: z.strictObject({ exportRoot: z.string(), analyzePath: z.string(), filePath: z.string() }),
  grid: z.array(gridBeat),
  cues: z.array(cue),
  phrases: songStructure.nullable(),
  phraseFingerprint: z.string().nullable(),
});

const trackRef = z.strictObject({ exportRoot: z.string(), id: count, title: z.string() });

const summary = z.strictObject({
  exports: count,
  tracks: count,
  withTitles: count,
  withGrids: count,
  withCues: count,
  withPhrases: count,
  missingAnalysis: z.array(trackRef.extend({ analyzePath: z.string() })),
  duplicates: z.array(z.strictObject({ kind: z.enum(['same-id', 'same-track']), tracks: z.array(trackRef) })),
  unreadable: z.array(z.strictObject({ file: z.string(), error: z.string() })),
  problems: z.array(z.string()),
});

export const catalogueSchema = z.strictObject({
  format: z.literal(CATALOGUE_FORMAT),
  version: z.literal(CATALOGUE_VERSION),
  createdAt: z.string(),
  exports: z.array(z.strictObject({ root: z.string(), pdbPath: z.string(), tracks: count, sequence: count })),
  tracks: z.array(track),
  summary,
});
