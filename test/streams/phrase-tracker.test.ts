import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import * as path from 'node:path';
import { trackPhrases, phraseFamily, phraseTracker, type PhraseInput, type PhraseTrackerOptions } from '../../src/streams/phrase-tracker';
import type { PhraseEvent } from '../../src/events/bridge-event';
import { songStructureFromAnlz } from '../../src/prolink/phrases/anlz-file';
import { parsePssiBody } from '../../src/prolink/phrases/pssi';
import { isPhraseError } from '../../src/prolink/phrases/errors';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import { readFixture } from '../support/fixtures';

function demoTrack1(): SongStructure {
  const file = readFixture(...path.join('dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const structure = songStructureFromAnlz(file);
  if (structure === null || isPhraseError(structure)) throw new Error('Demo Track 1 has no PSSI');
  return structure;
}

function highMood(): SongStructure {
  const body = readFixture('Deep-Symmetry__beat-link-trigger', 'resources', 'beat_link_trigger', 'sampleTracks', '2', 'song-structure.kaitai');
  const structure = parsePssiBody(body);
  if (isPhraseError(structure)) throw new Error(String(structure));
  return structure;
}

const pos = (beat: number | null, trackId: number | null = 1, deck = 1, at = 0, playing = true, estimated = false, late = false): PhraseInput => ({ kind: 'position', deck, trackId, beat, at, playing, estimated, late, coasting: false });

function run(inputs: Record<string, PhraseInput>, marbles: string): string[] {
  const seen: string[] = [];
  new TestScheduler(() => undefined).run(({ cold }) => {
    cold(marbles, inputs)
      .pipe(
        trackPhrases(),
        map((e) => `${e.type}:${e.deck}:${e.phrase.index}:${e.phrase.label}${e.type === 'phrase.start' ? `[${e.phrase.startBeat}-${e.phrase.endBeat})` : ''}`),
      )
      .subscribe((s) => seen.push(s));
  });
  return seen;
}

describe('phrase tracking', () => {
  const structure = demoTrack1();
  const s: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure };

  it('starts and ends phrases at the PSSI beats of Demo Track 1 (half-open ranges)', () => {
    const seen = run({ s, a: pos(1), b: pos(36), c: pos(37), d: pos(72), e: pos(73), f: pos(352), g: pos(353) }, 'sabcdefg');
    expect(seen).toEqual([
      'phrase.start:1:1:Chorus[1-37)',
      'phrase.end:1:1:Chorus',
      'phrase.start:1:2:Verse 1[37-73)',
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:3:Verse 1[73-121)',
      'phrase.end:1:3:Verse 1',
      'phrase.start:1:19:Chorus[337-353)',
      'phrase.end:1:19:Chorus', // beat 353 = end_beat: past the last phrase
    ]);
  });

  it('re-emits when a jump or loop goes back', () => {
    const seen = run({ s, a: pos(40), b: pos(80), c: pos(45), d: pos(37), e: pos(40), f: pos(37) }, 'sabcdef');
    expect(seen).toEqual([
      'phrase.start:1:2:Verse 1[37-73)',
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:3:Verse 1[73-121)',
      'phrase.end:1:3:Verse 1',
      'phrase.start:1:2:Verse 1[37-73)', // jumped back into phrase 2
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:2:Verse 1[37-73)', // looped back to its first beat: it starts again
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:2:Verse 1[37-73)',
    ]);
  });

  it('starts a phrase again when a loop of one beat on its first beat wraps (the same beat again), not for a status there', () => {
    const again: PhraseInput = { ...(pos(37) as Extract<PhraseInput, { kind: 'position' }>), again: true };
    const seen = run({ s, a: pos(36), b: pos(37), c: pos(37), d: again, e: again }, 'sabcde');
    expect(seen).toEqual([
      'phrase.start:1:1:Chorus[1-37)',
      'phrase.end:1:1:Chorus',
      'phrase.start:1:2:Verse 1[37-73)', // the deck reached 37; a status there (c) moves nothing
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:2:Verse 1[37-73)', // wrapped back onto 37
      'phrase.end:1:2:Verse 1',
      'phrase.start:1:2:Verse 1[37-73)',
    ]);
  });

  it('starts the current phrase when the structure arrives after the positions, and only for the same track', () => {
    const other: PhraseInput = { kind: 'structure', deck: 1, trackId: 99, structure };
    expect(run({ a: pos(100), o: other, s }, 'aos')).toEqual(['phrase.start:1:3:Verse 1[73-121)']);
  });

  it('ends the phrase when the track changes and keeps decks apart', () => {
    const s2: PhraseInput = { kind: 'structure', deck: 2, trackId: 5, structure };
    const seen = run({ s, t: s2, a: pos(40), b: pos(1, 5, 2), c: pos(null, 2) }, 'stabc');
    expect(seen).toEqual(['phrase.start:1:2:Verse 1[37-73)', 'phrase.start:2:1:Chorus[1-37)', 'phrase.end:1:2:Verse 1']);
  });

  it('signals fill-ins of the HIGH-mood sample once per pass', () => {
    const high = highMood();
    const h: PhraseInput = { kind: 'structure', deck: 3, trackId: 2, structure: high };
    const seen = run({ h, a: pos(224, 2, 3), b: pos(225, 2, 3), c: pos(226, 2, 3), d: pos(224, 2, 3), e: pos(225, 2, 3) }, 'habcde');
    expect(seen.filter((e) => e.startsWith('phrase.fill'))).toEqual(['phrase.fill:3:8:Chorus 2', 'phrase.fill:3:8:Chorus 2']);
  });

  it('names phrase families for rules that say "verse"', () => {
    expect(['verse1', 'verse2b', 'verse6', 'intro', 'chorus', 'up'].map(phraseFamily)).toEqual(['verse', 'verse', 'verse', 'intro', 'chorus', 'up']);
  });
});

/** Every tracker output as text: events with their flags, current phrases, unconfirmed events. */
function outputs(inputs: Record<string, PhraseInput>, marbles: string, options: PhraseTrackerOptions = {}): string[] {
  const seen: string[] = [];
  const flags = (e: PhraseEvent): string => [e.estimated ? 'estimated' : '', e.late ? 'late' : '', e.confirmed ? 'confirmed' : ''].filter((f) => f !== '').join(',');
  new TestScheduler(() => undefined).run(({ cold }) => {
    cold(marbles, inputs)
      .pipe(phraseTracker(options))
      .subscribe((o) => {
        if (o.kind === 'current') seen.push(`current ${o.deck} ${o.phrase === null ? '-' : o.phrase.label}`);
        else if (o.kind === 'event') seen.push(`${o.event.type} ${o.event.deck} ${o.event.phrase.label} @${o.event.at} [${flags(o.event)}]`);
        else seen.push(`unconfirmed(${o.reason}) ${o.event.type} ${o.event.deck} ${o.event.phrase.label} @${o.event.at}`);
      });
  });
  return seen;
}

describe('phrase data that arrives again', () => {
  const structure = demoTrack1();
  const s: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure };
  // The same content, parsed anew: what the OPUS sends for every loaded deck when any deck asks.
  const again: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure: demoTrack1() };

  it('does not start the current phrase again when the same structure is delivered again', () => {
    expect(run({ s, r: again, a: pos(40), b: pos(41), c: pos(42) }, 'sarbrc')).toEqual(['phrase.start:1:2:Verse 1[37-73)']);
  });

  it('changes nothing for a stopped deck either, and starts its phrase once when it plays', () => {
    const stopped = (beat: number, at: number): PhraseInput => pos(beat, 1, 1, at, false);
    expect(outputs({ a: stopped(40, 0), s, r: again, b: stopped(40, 3), c: pos(40, 1, 1, 4), d: pos(41, 1, 1, 5), e: again }, 'asrbcde')).toEqual([
      'current 1 Verse 1', // the deck state shows the phrase; no cue while nothing plays
      'phrase.start 1 Verse 1 @4 [late,confirmed]', // the deck plays from the middle of the phrase
    ]);
  });

  it('takes new content for the same track as new: only a different phrase at the deck\'s position ends and starts', () => {
    // Phrase 4 moves from beat 121 to 125: phrase 2 [37-73) is the same, phrase 3 becomes [73-125).
    const shifted: SongStructure = { ...structure, phrases: structure.phrases.map((p) => (p.beat === 121 ? { ...p, beat: 125 } : p)) };
    const n: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure: shifted };
    expect(run({ s, n, a: pos(40) }, 'san')).toEqual(['phrase.start:1:2:Verse 1[37-73)']);
    expect(run({ s, n, a: pos(122) }, 'san')).toEqual(['phrase.start:1:4:Verse 2[121-129)', 'phrase.end:1:4:Verse 2', 'phrase.start:1:3:Verse 1[73-125)']);
  });
});

describe('a deck that is stopped', () => {
  const structure = demoTrack1();
  const s: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure };
  const stopped = (beat: number, at: number): PhraseInput => pos(beat, 1, 1, at, false);

  it('shows the phrase it is cued in, fires no cue until it plays, then plays on as usual', () => {
    expect(outputs({ s, a: stopped(37, 1), b: pos(37, 1, 1, 2), c: pos(72, 1, 1, 3), d: pos(73, 1, 1, 4) }, 'sabcd')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @2 [late,confirmed]', // reported when the deck plays
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @4 [confirmed]',
      'phrase.start 1 Verse 1 @4 [confirmed]', // entered by playing: on time
    ]);
  });

  it('put back by the CUE button on the first beat of the phrase it played (within the beat it was in) ends it then, and starts it again on play', () => {
    const cued = (beat: number, at: number): PhraseInput => ({ ...pos(beat, 1, 1, at, false), cued: true } as PhraseInput);
    // Phrase 2 starts on 37: played from there, CUE pressed within beat 37, PLAY again.
    expect(outputs({ s, a: pos(37, 1, 1, 1), b: cued(37, 2), c: pos(37, 1, 1, 3), d: pos(38, 1, 1, 4) }, 'sabcd')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @1 [confirmed]',
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @2 [confirmed]', // the deck left the phrase for its first beat
      'phrase.start 1 Verse 1 @3 [late,confirmed]', // and enters it again when it plays
    ]);
    // Paused within that beat (not at the cue point): nothing happened to the phrase.
    expect(outputs({ s, a: pos(37, 1, 1, 1), b: stopped(37, 2), c: pos(37, 1, 1, 3), d: pos(38, 1, 1, 4) }, 'sabcd')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @1 [confirmed]',
    ]);
  });

  it('stopped short of a phrase a predicted beat entered: back in the phrase it left, still started; the change fires again when the deck plays into it', () => {
    const est = (beat: number, at: number): PhraseInput => pos(beat, 1, 1, at, true, true);
    // Playing in phrase 2 [37-73); beat 73 predicted (phrase 3); the next status shows the deck stopped in 72.
    expect(outputs({ s, a: pos(72, 1, 1, 1), b: est(73, 2), c: stopped(72, 3), d: stopped(72, 4), e: est(73, 6), f: est(74, 7) }, 'sabcdef')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @1 [confirmed]',
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @2 [estimated]', // predicted: the stop was not known yet
      'phrase.start 1 Verse 1 @2 [estimated]',
      'current 1 Verse 1', // phrase 2 again, and nothing said: it never ended, phrase 3 never began
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @6 [estimated]', // the deck really leaves phrase 2 now
      'phrase.start 1 Verse 1 @6 [estimated]',
    ]);
  });

  it('moved between phrases while stopped (cue jumps) neither starts nor ends the phrases it passes; it ends the one that played', () => {
    expect(outputs({ s, a: pos(40, 1, 1, 1), b: stopped(40, 2), c: stopped(80, 3), d: stopped(10, 4), e: pos(10, 1, 1, 5) }, 'sabcde')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @1 [confirmed]',
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @3 [confirmed]', // the phrase that was playing ended when the DJ moved away
      'current 1 Chorus',
      'phrase.start 1 Chorus @5 [late,confirmed]',
    ]);
  });
});

describe('how phrase events were made', () => {
  const structure = demoTrack1();
  const s: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure };

  it('marks events from estimated beats as estimated and unconfirmed, and a start learned with the structure as late', () => {
    const est = (beat: number, at: number): PhraseInput => pos(beat, 1, 1, at, true, true);
    expect(outputs({ a: est(40, 1), s, b: est(72, 2), c: est(73, 3) }, 'asbc')).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @1 [estimated,late]', // the structure came after the deck entered the phrase
      'current 1 Verse 1',
      'phrase.end 1 Verse 1 @3 [estimated]',
      'phrase.start 1 Verse 1 @3 [estimated]',
    ]);
  });

  it('marks events from a beat reported after its instant as late', () => {
    const lateBeat = pos(73, 1, 1, 3, true, true, true); // e.g. the first beat after play, emitted once known
    expect(outputs({ s, a: pos(72, 1, 1, 2, false), b: lateBeat }, 'sab')).toEqual([
      'current 1 Verse 1',
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @3 [estimated,late]',
    ]);
  });

  it('marks every event confirmed in a tracker of confirmed positions, and reports what an unconfirmed beat would have caused without moving the deck', () => {
    const est = (beat: number, at: number): PhraseInput => pos(beat, 1, 1, at, true, true);
    const dropped: PhraseInput = { kind: 'unconfirmed', deck: 1, beat: 73, at: 3, reason: 'jump' };
    const status = pos(200, 1, 1, 4); // the status that showed the jump
    expect(outputs({ s, a: est(72, 2), u: dropped, j: status }, 'sauj', { confirmed: true })).toEqual([
      'current 1 Verse 1',
      'phrase.start 1 Verse 1 @2 [estimated,confirmed]',
      'unconfirmed(jump) phrase.end 1 Verse 1 @3',
      'unconfirmed(jump) phrase.start 1 Verse 1 @3',
      'current 1 Verse 5',
      'phrase.end 1 Verse 1 @4 [confirmed]', // from phrase 2 straight to the jump's target: phrase 3 never started
      'phrase.start 1 Verse 5 @4 [confirmed]',
    ]);
  });
});
