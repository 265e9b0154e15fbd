/**
 * The shows the scorer plays: what DJs do, on the OPUS-QUAD in lighting and
 * CDJ mode and on a CDJ pair. Tracks are the simulator's synthetic ones, so
 * the truth knows their phrases; the `cues` show plays the demo tracks of a
 * real USB export (fixture), with cues the scenario adds to them.
 */
import { fixturePath } from '../support/fixtures';
import { BUILTIN_SCENARIOS } from '../../src/prolink/sim/scenario-builtins';
import * as path from 'node:path';
import { ScenarioError, type Scenario } from '../../src/prolink/sim/scenario';
import { loadScenarioFile } from '../../src/prolink/sim/scenario-file';
import { repositoryRoot } from '../support/repository-root';
import type { SessionMode } from '../../src/prolink/network/session-types';
import { syntheticSongStructure } from '../../src/prolink/sim/tracks/synthetic-phrases';
import type { Window } from './score';
import type { Busy } from './run-show';

export interface ShowCase {
  readonly name: string;
  readonly what: string;
  readonly scenario: Scenario;
  readonly mode: SessionMode;
  readonly durationMs: number;
  readonly outages?: readonly Window[];
  /** Packets for the bridge held a random while: late and out of order. */
  readonly busy?: Busy;
  /** False where the bridge cannot know phrases (CDJ mode, CDJs), or the truth does not (real exports' tracks): they are left out. */
  readonly phrases: boolean;
}

/** The same scenario on two CDJs (players 2 and 3, for its decks 1 and 2) and a DJM. */
function onCdjPair(scenario: Scenario): Scenario {
  const player = (deck: number): number => deck + 1;
  const steps = scenario.steps.map((s) => (s.do === 'double' ? { ...s, deck: player(s.deck), from: player(s.from) } : 'deck' in s ? { ...s, deck: player(s.deck) } : s));
  return { ...scenario, name: `${scenario.name}-cdj-pair`, rig: 'cdj-pair', steps };
}

/** The scenario on CDJ-3000-like players (the CDJ pair's rig), which say in their status which loop they play and send precise positions. */
function withCdj3000s(scenario: Scenario): Scenario {
  return { ...scenario, name: `${scenario.name}-cdj-3000`, options: { ...scenario.options, players: 'cdj-3000' } };
}

/** The same scenario with every step `ms` later: for CDJ mode, where the bridge first claims a player number (a few seconds). */
function delayed(scenario: Scenario, ms: number): Scenario {
  return { ...scenario, name: `${scenario.name}+${ms / 1000}s`, steps: scenario.steps.map((s) => ({ ...s, at: s.at + ms })) };
}

/** A scenario file of the examples folder, as `run --simulate` reads it. */
function example(file: string): Scenario {
  const s = loadScenarioFile(path.join(repositoryRoot(), 'examples', 'scenarios', file));
  if (s instanceof ScenarioError) throw new Error(s.message);
  return s;
}

function builtin(name: string): Scenario {
  const s = BUILTIN_SCENARIOS.get(name);
  if (s === undefined) throw new Error(`no built-in scenario ${name}`);
  return s;
}

/** The first beat of the n-th phrase (0-based) of a synthetic track. */
function phraseStart(trackId: number, beats: number, n: number): number {
  const phrase = syntheticSongStructure(trackId, beats).phrases[n];
  if (phrase === undefined) throw new Error(`track ${trackId} has no phrase ${n}`);
  return phrase.beat;
}

const TRACKS = [
  { id: 701, title: 'Hand-off A', bpm: 126, beats: 640, firstBeatMs: 40 },
  { id: 702, title: 'Hand-off B', bpm: 126, beats: 640, firstBeatMs: 10 },
  { id: 703, title: 'Fast One', bpm: 150, beats: 704, firstBeatMs: 25 },
  { id: 704, title: 'Idle Loader', bpm: 122, beats: 512, firstBeatMs: 60 },
];

/** When deck 1, playing track 701 from 1 s as opening() starts it, reaches the n-th phrase's first beat, nudges aside (ms). */
function phraseStartAt(n: number): number {
  return Math.round(1000 + 40 + ((phraseStart(701, 640, n) - 1) * 60_000) / 126);
}

/** Deck 1 loads `track` (deck 2 `second` too, when given) and plays from 1 s as the master. */
function opening(track: number, second?: number): Scenario['steps'] {
  return [
    { at: 0, do: 'load', deck: 1, track },
    ...(second === undefined ? [] : [{ at: 0, do: 'load' as const, deck: 2, track: second }]),
    { at: 1000, do: 'master', deck: 1 },
    { at: 1000, do: 'play', deck: 1 },
  ];
}

/** Decks 1 and 2 handed back and forth; deck 3 and 4 loaded while they play. */
const handoffs: Scenario = {
  name: 'handoffs',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 15_000, do: 'play', deck: 2 },
    { at: 30_000, do: 'master', deck: 2 },
    { at: 34_000, do: 'load', deck: 3, track: 703 },
    { at: 45_000, do: 'master', deck: 1 },
    { at: 52_000, do: 'load', deck: 4, track: 704 },
    { at: 60_000, do: 'master', deck: 2 },
    { at: 75_000, do: 'master', deck: 1 },
    { at: 85_000, do: 'stop', deck: 2 },
  ],
};

/** Forward and backward jumps (one onto a phrase start), a loop, a stop mid-bar and a resume. */
const jumps: Scenario = {
  name: 'jumps',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701),
    { at: 20_000, do: 'jump', deck: 1, beat: phraseStart(701, 640, 4) },
    { at: 35_000, do: 'jump', deck: 1, beat: 57 },
    { at: 50_000, do: 'loop', deck: 1, beat: phraseStart(701, 640, 2), beats: 8 },
    { at: 62_000, do: 'exitLoop', deck: 1 },
    { at: 70_500, do: 'stop', deck: 1 },
    { at: 73_000, do: 'play', deck: 1 },
    { at: 85_000, do: 'jump', deck: 1, beat: 300 },
  ],
};

/** 150 BPM, pitch steps and ramps. */
const tempo: Scenario = {
  name: 'tempo',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    { at: 0, do: 'load', deck: 3, track: 703 },
    { at: 1000, do: 'master', deck: 3 },
    { at: 1000, do: 'play', deck: 3 },
    { at: 30_000, do: 'pitch', deck: 3, percent: 4 },
    { at: 45_000, do: 'pitch', deck: 3, percent: -3, overMs: 6000 },
    { at: 65_000, do: 'pitch', deck: 3, percent: 0 },
  ],
};

/** Two decks playing through a 12 s network outage. */
const outage: Scenario = {
  name: 'outage',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 5000, do: 'play', deck: 2 },
  ],
};

/**
 * The DJ goes on through a 12 s outage (40–52 s): hands the master over,
 * stops the old master, loads it with another track, jumps the other deck
 * ahead by two phrases and starts the new track, all while the bridge hears
 * nothing; after it, loads and jumps again.
 */
const outageActions: Scenario = {
  name: 'outage-actions',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 5000, do: 'play', deck: 2 },
    { at: 42_000, do: 'master', deck: 2 },
    { at: 44_000, do: 'stop', deck: 1 },
    { at: 46_000, do: 'load', deck: 1, track: 703 },
    { at: 48_000, do: 'jump', deck: 2, beat: 161 },
    { at: 50_500, do: 'play', deck: 1 },
    { at: 60_000, do: 'master', deck: 1 },
    { at: 64_000, do: 'jump', deck: 2, beat: 97 },
  ],
};

/** The OPUS-QUAD restarts its network (off for 5 s) while two decks play on. */
const reboot: Scenario = { ...outage, name: 'reboot', steps: [...outage.steps, { at: 40_000, do: 'opusRestart', ms: 5000 }] };

/** 126 BPM (tracks 701 and 702): one beat (ms). */
const BEAT_126 = 60_000 / 126;

/**
 * The CUE button: pressed while playing, the deck goes back to its cue
 * point and pauses there (a stop and a jump at the same instant); held, it
 * plays from the cue (cue play) and goes back again when let go; PLAY then
 * plays on from the cue. The cues sit on phrases' first beats, as DJs set
 * them; once the CUE press comes 90 ms before a phrase the deck was about to
 * enter, and once a preview is let go 60 ms after crossing a phrase's start.
 * The shortest cue play (250 ms) stays within the beat it starts, yet long
 * enough for a status packet to see it (a shorter one may go unseen: README).
 */
function backCue(at: number, beat: number): Scenario['steps'] {
  return [
    { at, do: 'stop', deck: 1 },
    { at, do: 'jump', deck: 1, beat },
  ];
}

function cuePlay(at: number, holdMs: number, beat: number): Scenario['steps'] {
  return [{ at, do: 'play', deck: 1 }, ...backCue(at + holdMs, beat)];
}

const cueing: Scenario = {
  name: 'cueing',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    ...backCue(10_000, phraseStart(701, 640, 3)),
    { at: 14_000, do: 'play', deck: 1 },
    ...backCue(20_000, phraseStart(701, 640, 5)),
    ...cuePlay(21_500, 1_600, phraseStart(701, 640, 5)),
    ...cuePlay(24_000, 400, phraseStart(701, 640, 5)),
    ...cuePlay(25_300, 250, phraseStart(701, 640, 5)),
    { at: 27_000, do: 'play', deck: 1 },
    { at: 35_000, do: 'stop', deck: 1 },
    { at: 36_000, do: 'jump', deck: 1, beat: phraseStart(701, 640, 7) },
    { at: 38_000, do: 'play', deck: 1 },
    // CUE pressed 90 ms before the phrase the deck was about to enter.
    { at: 41_000, do: 'jump', deck: 1, beat: phraseStart(701, 640, 9) - 8 },
    ...backCue(41_000 + 8 * BEAT_126 - 90, phraseStart(701, 640, 9) - 8),
    // Cue play across a phrase's first beat, let go 60 ms after it.
    ...cuePlay(45_000, 8 * BEAT_126 + 60, phraseStart(701, 640, 9) - 8),
    ...cuePlay(50_000, 8 * BEAT_126 - 200, phraseStart(701, 640, 9) - 8),
    { at: 55_000, do: 'play', deck: 1 },
    ...backCue(62_000 + 0.3 * BEAT_126, phraseStart(701, 640, 11)),
    { at: 65_000, do: 'play', deck: 1 },
  ],
};

/**
 * Rolls: beat loops shorter than a beat (1/2, 1/4, 1/8), set on a beat a
 * moment before the deck reaches it and held for one to four beats' time, as
 * in a build-up; some at a phrase's first beat, one just before one. Let go,
 * the deck plays on from where it is in the loop (slipRoll: with slip on, it
 * goes back to where it would have been).
 */
function roll(at: number, beat: number, length: number, heldBeats: number): Scenario['steps'] {
  // A jump onto beat − 4 at `at` puts the deck on a known timeline; the roll is set 150 ms before `beat`.
  const reached = at + 4 * BEAT_126;
  return [
    { at, do: 'jump', deck: 1, beat: beat - 4 },
    { at: reached - 150, do: 'loop', deck: 1, beat, beats: length },
    { at: reached + heldBeats * BEAT_126, do: 'exitLoop', deck: 1 },
  ];
}

/** The same with slip on: let go after `heldBeats` (whole), the deck is back where it would have been, on a beat. */
function slipRoll(at: number, beat: number, length: number, heldBeats: number): Scenario['steps'] {
  const steps = roll(at, beat, length, heldBeats);
  const letGo = (steps[2] as { readonly at: number }).at;
  return [...steps, { at: letGo, do: 'jump', deck: 1, beat: beat + heldBeats }];
}

const rolls: Scenario = {
  name: 'rolls',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    ...roll(10_000, 21, 0.5, 1.1),
    ...roll(16_000, phraseStart(701, 640, 2), 0.25, 4.05),
    ...roll(24_000, 49, 0.125, 2.3),
    ...roll(30_000, phraseStart(701, 640, 3), 0.5, 2.1),
    ...roll(37_000, 75, 0.25, 1.6),
    ...roll(44_000, phraseStart(701, 640, 4) - 1, 0.5, 1.2),
    ...roll(50_000, phraseStart(701, 640, 5), 1 / 3, 3.1),
    // A slip roll of a bar let go on the drop (the next phrase's first beat).
    ...slipRoll(56_000, phraseStart(701, 640, 6) - 4, 0.5, 4),
  ],
};

/**
 * A build-up: a loop set on a beat, halved again and again while it plays
 * (each time 20 ms after a wrap, so the deck stays inside the shorter loop),
 * down to `shortest` beats, each length played for `passes` passes. Let go,
 * the deck plays on from where it is in the loop, or (dropOn) a hot cue puts
 * it on the drop at that instant. Starts with a jump onto `beat − 4` at `at`.
 */
function buildUp(at: number, beat: number, lengths: readonly (readonly [number, number])[], dropOn?: number): Scenario['steps'] {
  const reached = at + 4 * BEAT_126;
  const steps: Scenario['steps'][number][] = [{ at, do: 'jump', deck: 1, beat: beat - 4 }];
  let t = reached;
  lengths.forEach(([length, passes], i) => {
    steps.push({ at: i === 0 ? reached - 150 : t + 20, do: 'loop', deck: 1, beat, beats: length });
    t += length * passes * BEAT_126;
  });
  steps.push({ at: t + 20, do: 'exitLoop', deck: 1 });
  if (dropOn !== undefined) steps.push({ at: t + 20, do: 'jump', deck: 1, beat: dropOn });
  return steps;
}

const buildUps: Scenario = {
  name: 'build-ups',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    // 8 beats halved down to a quarter, then a hot cue on the drop (the next phrase's first beat).
    ...buildUp(10_000, phraseStart(701, 640, 2) - 8, [[8, 2], [4, 2], [2, 2], [1, 4], [0.5, 4], [0.25, 8]], phraseStart(701, 640, 2)),
    // Four beats before a phrase, halved down to one, let go: the deck plays on into the phrase.
    ...buildUp(40_000, phraseStart(701, 640, 5) - 4, [[4, 2], [2, 2], [1, 4]]),
    // On a phrase's first beat, down to half a beat, let go.
    ...buildUp(58_000, phraseStart(701, 640, 7), [[4, 2], [2, 2], [1, 2], [0.5, 4]]),
  ],
};

/**
 * The pause before the drop: the DJ stops deck 1 just short of a phrase's
 * first beat (30, 120 and 250 ms short: before or after the status that
 * shows it), waits, and plays into the phrase. Once the stop comes 40 ms
 * late, inside the new phrase. Each time a jump first puts the deck two bars
 * before the phrase, on a beat.
 */
function pauseBeforeDrop(at: number, phrase: number, shortMs: number): Scenario['steps'] {
  const first = phraseStart(701, 640, phrase);
  return [
    { at, do: 'jump', deck: 1, beat: first - 8 },
    { at: at + 8 * BEAT_126 - shortMs, do: 'stop', deck: 1 },
    { at: at + 11_000, do: 'play', deck: 1 },
  ];
}

const drop: Scenario = {
  name: 'drop',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    ...pauseBeforeDrop(10_000, 3, 30),
    ...pauseBeforeDrop(30_000, 5, 120),
    ...pauseBeforeDrop(50_000, 7, 250),
    ...pauseBeforeDrop(70_000, 9, -40),
    // And a jump away 100 ms short of a phrase (a hot cue back to the second phrase).
    { at: 85_000, do: 'jump', deck: 1, beat: phraseStart(701, 640, 11) - 8 },
    { at: 85_000 + 8 * BEAT_126 - 100, do: 'jump', deck: 1, beat: phraseStart(701, 640, 1) },
  ],
};

/**
 * Hot cues juggled: deck 1 jumps back and forth between a cue a beat before
 * one phrase and one two beats before another, every 1.7 to 1.96 s (so the
 * jumps fall at many places in the beat), then loops of two beats and of one
 * across phrase starts.
 */
const juggle: Scenario = {
  name: 'juggle',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701),
    ...Array.from({ length: 24 }, (_, i): Scenario['steps'][number] => ({
      at: 10_000 + i * 1_700 + (i % 3) * 130,
      do: 'jump',
      deck: 1,
      beat: i % 2 === 0 ? phraseStart(701, 640, 3) - 1 : phraseStart(701, 640, 5) - 2,
    })),
    { at: 60_000, do: 'loop', deck: 1, beat: phraseStart(701, 640, 6) - 2, beats: 2 },
    { at: 66_000, do: 'exitLoop', deck: 1 },
    { at: 70_000, do: 'loop', deck: 1, beat: phraseStart(701, 640, 7) - 1, beats: 1 },
    { at: 74_000, do: 'exitLoop', deck: 1 },
  ],
};

/**
 * BEAT JUMP: deck 1 jumps whole beats both ways (1 to 64), keeping its place
 * in the beat, at many places in the beat; some jumps cross phrases, one
 * lands just before a phrase's first beat. Deck 2 plays on beside it.
 */
const beatJumps: Scenario = {
  name: 'beat-jumps',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 2000, do: 'play', deck: 2 },
    ...[16, -4, 32, -32, 1, -1, 8, 64, -16, 4, -8, 2, 16, -64, 32, -2].map((beats, i): Scenario['steps'][number] => ({ at: 8_000 + i * 4_140, do: 'beatJump', deck: 1, beats })),
  ],
};

/** Deck 1 plays a short track to its end (it stops there), deck 2 takes over, and deck 1 gets the next track. */
const ending: Scenario = {
  name: 'ending',
  rig: 'opus',
  tracks: [{ id: 705, title: 'Short One', bpm: 124, beats: 96, firstBeatMs: 30 }, ...TRACKS],
  steps: [
    ...opening(705, 702),
    { at: 20_000, do: 'play', deck: 2 },
    { at: 30_000, do: 'master', deck: 2 },
    { at: 60_000, do: 'load', deck: 1, track: 704 },
    { at: 62_000, do: 'play', deck: 1 },
  ],
};

/** pyrekordbox's test export: Demo Track 1 (128 BPM, first beat at 25 ms, 368 beats) and Demo Track 2 (120 BPM). */
export const FIXTURE_EXPORT = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');

/**
 * Demo Track 1 from the export on deck 1 with cues (on beats, one between
 * beats, a hot cue): played across, one jumped over (SKIPPED at 129), a loop
 * over two (LOOP on its first beat, IN-LOOP inside: every pass), a jump onto
 * one (JUMP at 225), a pause and play; Demo Track 2 on deck 2 with one cue.
 * Beats of Demo Track 1 come every 468.75 ms from 25 ms into the track.
 */
const cues: Scenario = {
  name: 'cues',
  rig: 'opus',
  library: FIXTURE_EXPORT,
  tracks: [],
  libraryTracks: [
    {
      title: 'Demo Track 1',
      cues: [
        { name: 'BUILD', beat: 33, hotCue: 1 },
        { name: 'DROP', beat: 65 },
        { name: 'HALF', beat: 97.5 },
        { name: 'SKIPPED', beat: 129 },
        { name: 'LOOP', beat: 157 },
        { name: 'IN-LOOP', beat: 159, hotCue: 2 },
        { name: 'JUMP', beat: 225, hotCue: 3 },
        { name: 'AFTER-PAUSE', beat: 250 },
      ],
    },
    { title: 'Demo Track 2', cues: [{ name: 'MIX', beat: 17 }] },
  ],
  steps: [
    { at: 0, do: 'load', deck: 1, title: 'Demo Track 1' },
    { at: 1000, do: 'master', deck: 1 },
    { at: 1000, do: 'play', deck: 1 },
    { at: 5000, do: 'load', deck: 2, title: 'Demo Track 2' },
    { at: 20_000, do: 'play', deck: 2 },
    // Deck 1 is near beat 106: over SKIPPED to 145.
    { at: 50_000, do: 'jump', deck: 1, beat: 145 },
    // Near beat 157.8: loops 157–161 (LOOP on each pass from the first wrap, IN-LOOP every pass).
    { at: 56_000, do: 'loop', deck: 1, beat: 157, beats: 4 },
    { at: 64_000, do: 'exitLoop', deck: 1 },
    { at: 70_000, do: 'stop', deck: 2 },
    { at: 70_000, do: 'jump', deck: 1, beat: 225 },
    { at: 74_500, do: 'stop', deck: 1 },
    { at: 76_000, do: 'play', deck: 1 },
  ],
};

/**
 * Beatmatching by ear: the DJ nudges the jog wheel, a deck runs ahead or
 * falls behind by some milliseconds over a fraction of a second, and the
 * pitch fader (all the status packets carry) does not move. On the master
 * deck: single nudges both ways, taps in a row, a slow bend of two seconds,
 * a big correction, and nudges that end just before a phrase's first beat
 * or span it. Deck 2 drifts on a pitch a little off and is nudged back.
 */
function nudge(at: number, deck: number, ms: number, overMs: number): Scenario['steps'][number] {
  return { at, do: 'nudge', deck, ms, overMs };
}

const nudges: Scenario = {
  name: 'nudges',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    { at: 6000, do: 'pitch', deck: 2, percent: 0.4 },
    nudge(8000, 1, 20, 300),
    nudge(9000, 2, -30, 400),
    nudge(12_000, 1, -35, 500),
    nudge(14_000, 2, 25, 400),
    // Ends 80 ms before the second phrase's first beat: it comes 40 ms sooner than it was heading.
    nudge(phraseStartAt(1) - 480, 1, 40, 400),
    nudge(20_000, 2, -15, 300),
    nudge(22_000, 1, 12, 200),
    nudge(22_600, 1, 12, 200),
    nudge(23_200, 1, 12, 200),
    nudge(27_000, 2, 40, 600),
    // Spans the third phrase's first beat, which comes 50 ms later than it was heading.
    nudge(phraseStartAt(2) - 300, 1, -50, 600),
    { at: 35_000, do: 'pitch', deck: 2, percent: 0 },
    nudge(38_000, 1, 60, 2000),
    nudge(42_000, 2, -45, 500),
    nudge(phraseStartAt(3) - 280, 1, -25, 250),
    nudge(55_000, 1, 100, 800),
    nudge(phraseStartAt(4) - 100, 1, 30, 300),
    nudge(68_000, 2, 20, 300),
    nudge(70_000, 1, -20, 300),
  ],
};

/**
 * The platter held (vinyl mode): the DJ's hand stops the deck, which still
 * plays (its play state says so, its motion byte says it stands), and lets
 * go. Held for 300 ms inside a beat, for a beat from just before one, from
 * 100 ms before a phrase's first beat for 1.5 s, for 3 s, a tap shorter than
 * a status period, and on deck 2.
 */
function hold(at: number, deck: number, ms: number): Scenario['steps'][number] {
  return { at, do: 'hold', deck, ms };
}

const holds: Scenario = {
  name: 'holds',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 702),
    { at: 3000, do: 'play', deck: 2 },
    hold(8200, 1, 300),
    hold(12_000, 1, Math.round(BEAT_126)),
    hold(phraseStartAt(1) - 100, 1, 1500),
    hold(24_000, 2, 700),
    hold(30_000, 1, 3000),
    hold(38_000, 1, 120),
    hold(phraseStartAt(3) - 40, 1, 600),
    hold(56_000, 2, 2000),
    hold(62_000, 1, 450),
  ],
};

/**
 * Instant doubles: a deck takes the track, place and pitch of the other deck
 * and plays in step with it (no loading state shows). Onto an empty deck,
 * onto one whose own track is stopped 300 ms before a phrase's first beat
 * on the source, onto one playing another track 5 ms after one (its track
 * changes while it plays), onto one with another pitch, and from a stopped
 * deck (the double stands where the source stands, and plays later).
 */
function double(at: number, deck: number, from: number): Scenario['steps'][number] {
  return { at, do: 'double', deck, from };
}

const doubles: Scenario = {
  name: 'doubles',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701),
    double(7000, 2, 1),
    { at: 12_000, do: 'stop', deck: 1 },
    { at: 14_000, do: 'master', deck: 2 },
    { at: 18_000, do: 'load', deck: 1, track: 702 },
    // Deck 2 plays in step with where deck 1 was heading, so deck 1's phrase instants are deck 2's.
    double(phraseStartAt(2) - 300, 1, 2),
    { at: 36_000, do: 'stop', deck: 2 },
    { at: 38_000, do: 'load', deck: 2, track: 703 },
    { at: 40_000, do: 'play', deck: 2 },
    double(phraseStartAt(3) + 5, 2, 1),
    { at: 50_000, do: 'master', deck: 2 },
    { at: 54_000, do: 'pitch', deck: 2, percent: 3 },
    { at: 56_000, do: 'stop', deck: 1 },
    { at: 57_000, do: 'load', deck: 1, track: 704 },
    double(60_000, 1, 2),
    { at: 64_000, do: 'master', deck: 1 },
    { at: 66_000, do: 'stop', deck: 2 },
    { at: 67_000, do: 'load', deck: 2, track: 702 },
    { at: 70_000, do: 'stop', deck: 1 },
    double(72_000, 2, 1),
    { at: 74_000, do: 'play', deck: 2 },
  ],
};

/**
 * Beat Sync: a deck playing its own tempo and phase is synced to the master:
 * its tempo jumps to the master's and, within a fraction of a second, its
 * beat is pulled onto the master's beat, the nearer way round, at half to one
 * and a half times its tempo (the pitch the
 * status packets carry is the new tempo; the pull shows in no field). From
 * 122 BPM up, from 150 BPM down 16 %, pulled over 20 to 300 ms; the master's
 * tempo ramped with a deck synced to it; a synced deck nudged 40 ms off the
 * master's beat (BPM sync only, §3.3); its fader moved (sync off) and synced
 * again; hand-offs to and from synced decks, one by the
 * master stopping (it hands over, unasked, to the synced deck).
 */
function sync(at: number, deck: number, overMs?: number): Scenario['steps'][number] {
  return overMs === undefined ? { at, do: 'sync', deck } : { at, do: 'sync', deck, overMs };
}

const syncs: Scenario = {
  name: 'syncs',
  rig: 'opus',
  tracks: TRACKS,
  steps: [
    ...opening(701, 704),
    { at: 4300, do: 'play', deck: 2 },
    sync(9000, 2),
    { at: 20_000, do: 'master', deck: 2 },
    { at: 24_000, do: 'stop', deck: 1 },
    { at: 25_000, do: 'load', deck: 1, track: 703 },
    { at: 27_650, do: 'play', deck: 1 },
    sync(32_000, 1, 60),
    { at: 40_000, do: 'pitch', deck: 2, percent: 3, overMs: 4000 },
    // Nudged off the master's beat: BPM sync only, the tempo still the master's.
    { at: 45_000, do: 'nudge', deck: 1, ms: 40, overMs: 300 },
    { at: 50_000, do: 'pitch', deck: 1, percent: -13 },
    sync(56_000, 1, 20),
    // The master stops: it hands over, unasked, to the synced deck that plays (§6.3).
    { at: 64_000, do: 'stop', deck: 2 },
    { at: 65_000, do: 'load', deck: 2, track: 702 },
    { at: 66_900, do: 'play', deck: 2 },
    sync(71_000, 2, 300),
  ],
};

export const SHOW_CASES: readonly ShowCase[] = [
  { name: 'club', what: 'built-in OPUS set: hand-offs, pitch ramps, jump back, loop', scenario: builtin('club'), mode: 'lighting', durationMs: 181_000, phrases: true },
  { name: 'handoffs', what: 'OPUS: hand-offs both ways, loads on other decks', scenario: handoffs, mode: 'lighting', durationMs: 95_000, phrases: true },
  { name: 'jumps', what: 'OPUS: jumps both ways, to a phrase start, loop, stop mid-bar', scenario: jumps, mode: 'lighting', durationMs: 95_000, phrases: true },
  { name: 'drop', what: 'OPUS: the pause before the drop: stopped just short of a phrase, played into it', scenario: drop, mode: 'lighting', durationMs: 100_000, phrases: true },
  { name: 'juggle', what: 'OPUS: hot cues juggled every few beats near phrase starts, short loops across them', scenario: juggle, mode: 'lighting', durationMs: 85_000, phrases: true },
  { name: 'beat-jumps', what: 'OPUS: beat jumps of 1 to 64 beats both ways, keeping the place in the beat', scenario: beatJumps, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'rolls', what: 'OPUS: rolls (loops of 1/2, 1/4, 1/8 beat) held a beat or more, at and near phrase starts; a slip roll let go on the drop', scenario: rolls, mode: 'lighting', durationMs: 66_000, phrases: true },
  { name: 'build-ups', what: 'OPUS: build-ups: a loop halved while it plays from 8 beats down to 1/4, let go onto the drop by a hot cue, or into the next phrase', scenario: buildUps, mode: 'lighting', durationMs: 85_000, phrases: true },
  { name: 'cueing', what: 'OPUS: the CUE button: back to the cue and paused, cue play held and let go, played from the cue', scenario: cueing, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'ending', what: 'OPUS: a track played to its end, the next one loaded on that deck', scenario: ending, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'tempo', what: 'OPUS: 150 BPM, pitch steps and a ramp', scenario: tempo, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'nudges', what: 'OPUS: beatmatching by ear: jog nudges of 12–100 ms both ways, at and across phrase starts; the pitch reported unmoved', scenario: nudges, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'holds', what: 'OPUS: the platter held (vinyl mode) 120 ms to 3 s, inside a beat, across a beat and a phrase start; the deck still playing', scenario: holds, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'outage', what: 'OPUS: 12 s network outage, decks play on', scenario: outage, mode: 'lighting', durationMs: 80_000, outages: [{ from: 40_000, to: 52_000 }], phrases: true },
  { name: 'reboot', what: 'OPUS: network restart (5 s off), decks play on', scenario: reboot, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'outage-actions', what: 'OPUS: 12 s network outage while the DJ hands over, stops, loads, jumps and plays', scenario: outageActions, mode: 'lighting', durationMs: 80_000, outages: [{ from: 40_000, to: 52_000 }], phrases: true },
  { name: 'cdj-mode', what: 'OPUS in CDJ mode: precise positions, no phrases', scenario: delayed(handoffs, 8000), mode: 'cdj', durationMs: 103_000, phrases: false },
  { name: 'beat-jumps-cdj', what: 'OPUS in CDJ mode: the beat-jumps show, precise positions', scenario: delayed(beatJumps, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'cdj-pair', what: 'two CDJs and a DJM: real beat packets', scenario: delayed(builtin('cdj-pair'), 8000), mode: 'auto', durationMs: 137_000, phrases: false },
  { name: 'cues', what: 'OPUS: Demo Track 1 of a real export with cues: across, jumped over, in a loop, jumped onto', scenario: cues, mode: 'lighting', durationMs: 90_000, phrases: false },
  { name: 'busy', what: 'OPUS: the jumps show over a busy link (each packet 0–20 ms late, out of order)', scenario: jumps, mode: 'lighting', durationMs: 95_000, busy: { minMs: 0, maxMs: 20 }, phrases: true },
  { name: 'busy-cues', what: 'OPUS: the cues show over a busy link (each packet 0–20 ms late, out of order)', scenario: cues, mode: 'lighting', durationMs: 90_000, busy: { minMs: 0, maxMs: 20 }, phrases: false },
  { name: 'lossy-cdj-pair', what: 'two CDJs and a DJM over a link that loses 5 % of packets', scenario: delayed(builtin('cdj-pair'), 8000), mode: 'auto', durationMs: 137_000, busy: { minMs: 0, maxMs: 0, loss: 0.05 }, phrases: false },
  { name: 'cueing-cdj', what: 'OPUS in CDJ mode: the cueing show, precise positions', scenario: delayed(cueing, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'cueing-pair', what: 'two CDJs and a DJM: the cueing show, real beat packets', scenario: delayed(onCdjPair(cueing), 8000), mode: 'auto', durationMs: 88_000, phrases: false },
  { name: 'rolls-cdj', what: 'OPUS in CDJ mode: the rolls show, precise positions', scenario: delayed(rolls, 8000), mode: 'cdj', durationMs: 74_000, phrases: false },
  { name: 'rolls-pair', what: 'two CDJs and a DJM: the rolls show, real beat packets', scenario: delayed(onCdjPair(rolls), 8000), mode: 'auto', durationMs: 74_000, phrases: false },
  { name: 'cues-cdj', what: 'OPUS in CDJ mode: the cues show, tracks matched to the library: beats from its grids', scenario: delayed(cues, 8000), mode: 'cdj', durationMs: 98_000, phrases: false },
  { name: 'nudges-cdj', what: 'OPUS in CDJ mode: the nudges show, precise positions', scenario: delayed(nudges, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'nudges-pair', what: 'two CDJs and a DJM: the nudges show, real beat packets', scenario: delayed(onCdjPair(nudges), 8000), mode: 'auto', durationMs: 88_000, phrases: false },
  { name: 'holds-cdj', what: 'OPUS in CDJ mode: the holds show, precise positions', scenario: delayed(holds, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'doubles', what: 'OPUS: instant doubles onto an empty deck, a stopped one, one playing another track, from a stopped deck, near phrase starts', scenario: doubles, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'doubles-cdj', what: 'OPUS in CDJ mode: the doubles show, precise positions', scenario: delayed(doubles, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'doubles-pair', what: 'two CDJs and a DJM: the doubles show, real beat packets', scenario: delayed(onCdjPair(doubles), 8000), mode: 'auto', durationMs: 88_000, phrases: false },
  { name: 'build-ups-cdj', what: 'OPUS in CDJ mode: the build-ups show, precise positions', scenario: delayed(buildUps, 8000), mode: 'cdj', durationMs: 93_000, phrases: false },
  { name: 'build-ups-pair', what: 'two CDJs and a DJM: the build-ups show, real beat packets', scenario: delayed(onCdjPair(buildUps), 8000), mode: 'auto', durationMs: 93_000, phrases: false },
  { name: 'syncs', what: 'OPUS: Beat Sync: tempo matched at once and the beat pulled onto the master’s over 20–300 ms (at least twice the pull), the master ramped with a deck synced, a synced deck nudged (BPM sync only), sync off and on again, hand-offs (one by a master that stops)', scenario: syncs, mode: 'lighting', durationMs: 80_000, phrases: true },
  { name: 'syncs-cdj', what: 'OPUS in CDJ mode: the syncs show, precise positions', scenario: delayed(syncs, 8000), mode: 'cdj', durationMs: 88_000, phrases: false },
  { name: 'syncs-pair', what: 'two CDJs and a DJM: the syncs show, real beat packets', scenario: delayed(onCdjPair(syncs), 8000), mode: 'auto', durationMs: 88_000, phrases: false },
  { name: 'cdj-3000-pair', what: 'two CDJ-3000s and a DJM: the cdj-pair show; the status says which loop is played', scenario: withCdj3000s(delayed(builtin('cdj-pair'), 8000)), mode: 'auto', durationMs: 137_000, phrases: false },
  { name: 'build-ups-3000', what: 'two CDJ-3000s and a DJM: the build-ups show; the status says which loop is played', scenario: withCdj3000s(delayed(onCdjPair(buildUps), 8000)), mode: 'auto', durationMs: 93_000, phrases: false },
  { name: 'cdj-3000-loops', what: 'two CDJ-3000s and a DJM: examples/scenarios/cdj-3000-loops.yaml (loops of whole bars, one halved)', scenario: delayed(example('cdj-3000-loops.yaml'), 8000), mode: 'auto', durationMs: 105_000, phrases: false },
  { name: 'lossy-3000-pair', what: 'two CDJ-3000s and a DJM over a link that loses 5 % of packets (status, beat and position packets alike)', scenario: withCdj3000s(delayed(builtin('cdj-pair'), 8000)), mode: 'auto', durationMs: 137_000, busy: { minMs: 0, maxMs: 0, loss: 0.05 }, phrases: false },
  { name: 'rolls-3000', what: 'two CDJ-3000s and a DJM: the rolls show; the status says when the player rolls (a loop shorter than a beat)', scenario: withCdj3000s(delayed(onCdjPair(rolls), 8000)), mode: 'auto', durationMs: 74_000, phrases: false },
  { name: 'holds-pair', what: 'two CDJs and a DJM: the holds show, real beat packets', scenario: delayed(onCdjPair(holds), 8000), mode: 'auto', durationMs: 88_000, phrases: false },
];

export const SHOW_SEEDS: readonly number[] = [1, 2, 3];
