import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import * as path from 'node:path';
import { trackPhrases, phraseFamily, type PhraseInput } from '../../src/streams/phrase-tracker';
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

const pos = (beat: number | null, trackId: number | null = 1, deck = 1, at = 0): PhraseInput => ({ kind: 'position', deck, trackId, beat, at });

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
