/**
 * Scenarios: what the simulated DJ does, as timed steps. The format is plain
 * data, so the same thing can be written as a TypeScript object, JSON or YAML:
 *
 *   name: my-set
 *   rig: opus                 # or cdj-pair (players 2 and 3, mixer 33)
 *   options: { players: cdj-3000 }   # cdj-pair only: CDJ-3000s (loops in the status, precise positions); default nxs2
 *   tracks:
 *     - { id: 101, title: Opener, bpm: 124, beats: 512, firstBeatMs: 40 }
 *     - { id: 184, title: Demo Track 1, bpm: 128, beats: 368, firstBeatMs: 25, anlz: ./ANLZ0000.EXT }
 *   steps:                    # `at` is ms from the start of the pass, never decreasing
 *     - { at: 0, do: load, deck: 1, track: 101 }
 *     - { at: 1000, do: play, deck: 1 }
 *     - { at: 1000, do: master, deck: 1 }
 *     - { at: 20000, do: pitch, deck: 1, percent: 2.5, overMs: 4000 }
 *     - { at: 30000, do: jump, deck: 1, beat: 33 }   # to a beat: a cue, a quantized hot cue
 *     - { at: 35000, do: beatJump, deck: 1, beats: -4 }   # BEAT JUMP: 4 beats back, keeping the place in the beat
 *     - { at: 37000, do: nudge, deck: 1, ms: 30, overMs: 400 }   # the jog nudged: 30 ms ahead after 400 ms, pitch unmoved
 *     - { at: 38000, do: hold, deck: 1, ms: 900 }   # the platter held 900 ms (vinyl mode): the deck stands, still playing
 *     - { at: 39000, do: double, deck: 2, from: 1 }   # instant doubles: deck 2 takes deck 1's track, place and pitch, playing as it plays
 *     - { at: 39500, do: sync, deck: 2, overMs: 100 }   # Beat Sync: the master's tempo at once, its place in the beat over the pull
 *     - { at: 40000, do: loop, deck: 1, beat: 97, beats: 8 }
 *     - { at: 50000, do: exitLoop, deck: 1 }
 *     - { at: 60000, do: opusRestart, ms: 5000 }
 *     - { at: 90000, do: repeat }   # start over (time base moves to here)
 *
 * Decks are the numbers the bridge sees: 1–4 on the OPUS-QUAD, player
 * numbers 2 and 3 on the CDJ pair. A track with `anlz` sends the PSSI tag of
 * that real analysis file; without it the track gets a generated structure.
 *
 * Tracks from a real USB export: `library: ./export` (the folder holding
 * PIONEER, relative to the scenario file) and a load step by title,
 * `{ at: 0, do: load, deck: 1, title: Demo Track 1 }`, play the export's
 * track: its beat grid (first beat, beat-in-bar, the first tempo throughout),
 * its PSSI as stored on the USB, and the ID a real player would report (a
 * CDJ the export.pdb ID; the OPUS-QUAD a Device Library Plus ID, which is not
 * that one: 50000 + the export.pdb ID unless `id` says). Listing it under
 * `libraryTracks: [{ title: Demo Track 1, cues: [...] }]` adds cues to it (a
 * simulator feature: the cues live in the scenario, on grid beats); tracks
 * in `tracks` take `cues` too:
 *
 *   cues: [{ name: DROP, beat: 129 }, { name: BUILD, beat: 97, hotCue: 1 }, { beat: 64.5 }]
 */
import { z } from 'zod';
import { ScenarioError } from './scenario-error';

const deck = z.number().int().min(1).max(4);
const at = z.number().finite().min(0);

const stepSchema = z.discriminatedUnion('do', [
  /** Exactly one of `track` (an ID in tracks) and `title` (a title in tracks or the library). */
  z.strictObject({ at, do: z.literal('load'), deck, track: z.number().int().min(1).optional(), title: z.string().min(1).optional() }),
  z.strictObject({ at, do: z.literal('play'), deck }),
  z.strictObject({ at, do: z.literal('stop'), deck }),
  z.strictObject({ at, do: z.literal('pitch'), deck, percent: z.number().min(-100).max(100), overMs: z.number().min(0).optional() }),
  /** The jog wheel nudged while playing: the deck ends `ms` ms of its music ahead (negative: behind) of where it was going, over `overMs` (default 400). */
  z.strictObject({ at, do: z.literal('nudge'), deck, ms: z.number().finite().min(-500).max(500).refine((n) => n !== 0, 'a nudge of 0 ms moves nothing'), overMs: z.number().positive().max(5000).optional() }),
  /** Beat Sync pressed: the deck takes the master's tempo and, over `overMs` (default 100), the master's place in the beat, the nearer way round; it then follows the master's pitch until its own fader moves. */
  z.strictObject({ at, do: z.literal('sync'), deck, overMs: z.number().positive().max(5000).optional() }),
  /** The platter held (vinyl mode) for `ms`: the deck stands, still playing, and goes on from there. */
  z.strictObject({ at, do: z.literal('hold'), deck, ms: z.number().positive().max(60_000) }),
  z.strictObject({ at, do: z.literal('jump'), deck, beat: z.number().int().min(1) }),
  z.strictObject({ at, do: z.literal('beatJump'), deck, beats: z.number().finite().min(-1024).max(1024).refine((n) => n !== 0, 'a jump of 0 beats moves nothing') }),
  /** Instant doubles: the deck takes the track, place and pitch of deck `from`, and plays if it plays. */
  z.strictObject({ at, do: z.literal('double'), deck, from: deck }),
  z.strictObject({ at, do: z.literal('master'), deck }),
  z.strictObject({ at, do: z.literal('loop'), deck, beat: z.number().int().min(1), beats: z.number().positive() }),
  z.strictObject({ at, do: z.literal('exitLoop'), deck }),
  z.strictObject({ at, do: z.literal('opusRestart'), ms: z.number().positive() }),
  z.strictObject({ at: z.number().finite().positive(), do: z.literal('repeat') }),
]);

/** A cue the scenario puts on a track: a grid beat (fractions lie between beats), a name, a hot cue number (1 = A) or none for a memory cue. */
const cueSchema = z.strictObject({
  beat: z.number().min(1),
  name: z.string().optional(),
  hotCue: z.number().int().min(1).max(16).optional(),
});

const cues = z.array(cueSchema).max(64).optional();

const trackSchema = z.strictObject({
  /** rekordbox / Device Library Plus ID, never 0. */
  id: z.number().int().min(1).max(0xffffffff),
  title: z.string().optional(),
  bpm: z.number().min(20).max(300),
  beats: z.number().int().min(1).max(0xfffe),
  firstBeatMs: z.number().min(0).optional(),
  firstBeatInBar: z.number().int().min(1).max(4).optional(),
  /** An ANLZ .EXT file whose PSSI tag is sent as it is stored. */
  anlz: z.string().min(1).optional(),
  /** Generated structures are masked like exported files unless this is false. */
  maskPhrases: z.boolean().optional(),
  /** Send placeholder album art after a load (default true; OPUS-QUAD only). */
  art: z.boolean().optional(),
  cues,
});

/** A track of the scenario's `library` export, by title. */
const exportTrackSchema = z.strictObject({
  title: z.string().min(1),
  /** The ID the deck reports; default: the export.pdb ID on CDJs, 50000 + it on the OPUS-QUAD. */
  id: z.number().int().min(1).max(0xffffffff).optional(),
  art: z.boolean().optional(),
  cues,
});

const optionsSchema = z.strictObject({
  seed: z.number().int().optional(),
  /** OPUS-QUAD: chance that a status packet has a zeroed flag byte. */
  zeroFlagProbability: z.number().min(0).max(1).optional(),
  statusMs: z.number().min(10).optional(),
  /** CDJ pair: the mixer's metronome beat packets. */
  mixerBeats: z.boolean().optional(),
  /** CDJ pair: the players' model (nxs2, the default, or cdj-3000: loops in the status, precise positions). */
  players: z.enum(['nxs2', 'cdj-3000']).optional(),
});

export const scenarioSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  rig: z.enum(['opus', 'cdj-pair']),
  /** A rekordbox USB export (the folder holding PIONEER) whose tracks load steps and libraryTracks name by title. */
  library: z.string().min(1).optional(),
  tracks: z.array(trackSchema),
  /** Tracks of the library with what the scenario adds to them (cues, a reported ID). */
  libraryTracks: z.array(exportTrackSchema).optional(),
  steps: z.array(stepSchema).min(1),
  options: optionsSchema.optional(),
});

export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioStep = z.infer<typeof stepSchema>;
export type TrackSpec = z.infer<typeof trackSchema>;
export type ExportTrackSpec = z.infer<typeof exportTrackSchema>;
export type CueSpec = z.infer<typeof cueSchema>;
export type ScenarioOptions = z.infer<typeof optionsSchema>;

export { ScenarioError, type ScenarioErrorCode } from './scenario-error';

function pathText(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The decks a rig has (§3.5: OPUS decks 1–4; the CDJ pair's players 2 and 3). */
export function rigDecks(rig: Scenario['rig']): readonly number[] {
  return rig === 'opus' ? [1, 2, 3, 4] : [2, 3];
}

/** Checks a scenario given as plain data; `source` names it in messages (a file name, "club"). */
export function parseScenario(raw: unknown, source: string): Scenario | ScenarioError {
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${source}: ${pathText(i.path) || '(top)'}: ${i.message}`);
    return new ScenarioError('invalid', lines.join('\n'));
  }
  const scenario = parsed.data;
  const problems: string[] = [];
  const ids = new Set<number>();
  const titles = new Set<string>();
  (scenario.libraryTracks ?? []).forEach((t, i) => {
    if (scenario.library === undefined) problems.push(`libraryTracks[${i}]: tracks from the library need \`library:\` (the export folder)`);
    if (titles.has(t.title)) problems.push(`libraryTracks[${i}].title: "${t.title}" is listed twice`);
    titles.add(t.title);
  });
  scenario.tracks.forEach((t, i) => {
    if (ids.has(t.id)) problems.push(`tracks[${i}].id: track ${t.id} is defined twice`);
    ids.add(t.id);
    titles.add(t.title ?? `Track ${t.id}`);
  });
  const decks = rigDecks(scenario.rig);
  let previous = 0;
  scenario.steps.forEach((step, i) => {
    const where = `steps[${i}]`;
    if (step.at < previous) problems.push(`${where}.at: ${step.at} comes before the previous step's ${previous}; list steps in time order`);
    previous = Math.max(previous, step.at);
    if ('deck' in step && !decks.includes(step.deck)) {
      problems.push(`${where}.deck: the ${scenario.rig} rig has no deck ${step.deck} (decks: ${decks.join(', ')})`);
    }
    if (step.do === 'load') {
      if ((step.track === undefined) === (step.title === undefined)) problems.push(`${where}: a load names a track by \`track\` (its id) or by \`title\`, one of the two`);
      else if (step.track !== undefined && !ids.has(step.track)) problems.push(`${where}.track: no track with id ${step.track} in tracks`);
      else if (step.title !== undefined && !titles.has(step.title) && scenario.library === undefined) {
        problems.push(`${where}.title: no track titled "${step.title}" in tracks, and no \`library:\` export to find it in`);
      }
    }
    if (step.do === 'double') {
      if (!decks.includes(step.from)) problems.push(`${where}.from: the ${scenario.rig} rig has no deck ${step.from} (decks: ${decks.join(', ')})`);
      else if (step.from === step.deck) problems.push(`${where}.from: a deck doubles another deck, not itself`);
    }
    if (step.do === 'opusRestart' && scenario.rig !== 'opus') problems.push(`${where}: only the opus rig can restart`);
    if (step.do === 'repeat' && i !== scenario.steps.length - 1) problems.push(`${where}: repeat must be the last step (later steps would never run)`);
  });
  if (scenario.rig !== 'cdj-pair' && scenario.options?.players !== undefined) problems.push('options.players: only the cdj-pair rig has players to choose');
  if (problems.length > 0) return new ScenarioError('invalid', problems.map((p) => `${source}: ${p}`).join('\n'));
  return scenario;
}
