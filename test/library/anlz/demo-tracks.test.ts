/**
 * The rekordbox demo tracks as two independent exports hold them (pyrekordbox
 * and rekordcrate test data). Expected values: the fixtures' PROVENANCE §6,
 * decoded with crate-digger's Kaitai description and with rekordbox-parser;
 * the first beat at 25 ms also matches the tracks' rekordbox XML (TEMPO
 * Inizio 0.025), and pyrekordbox's own tests require PPTH to agree across a
 * track's three files.
 */
import * as fs from 'node:fs';
import { parsePathTag, readTrackAnalysis } from '../../../src/library/anlz';
import { findAnlzTag, listAnlzTags } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { DEMO_DIRS, pyrekordboxDat, rekordcrateDat, type DemoTrack } from './anlz-fixtures';

const DAT_TAGS = 'PPTH PVBR PQTZ PWAV PWV2 PCOB PCOB';
const DEMO_EXT_TAGS = 'PPTH PWV3 PCOB PCOB PCO2 PCO2 PQT2 PWV5 PWV4 PSSI';
const SAMPLER_EXT_TAGS = 'PPTH PWV3 PCOB PCOB PCO2 PCO2 PWV5 PWV4';
const TWO_EX_TAGS = 'PPTH PWV7 PWV6 PWVC';

function tagList(file: string): string {
  const list = listAnlzTags(fs.readFileSync(file));
  if (list instanceof PhraseError) throw new Error(list.message);
  expect(list.broken).toBeNull();
  return list.tags.map((t) => t.fourcc).join(' ');
}

const ALL = Object.keys(DEMO_DIRS) as DemoTrack[];
const SAMPLERS: DemoTrack[] = ['horn', 'noise', 'sinewave', 'siren'];

describe('demo track beat grids (PQTZ)', () => {
  it.each([
    ['pyrekordbox', pyrekordboxDat('demo1')],
    ['rekordcrate', rekordcrateDat('demo1')],
  ])('Demo Track 1 (%s): 368 beats at 128 BPM, #1 at 25 ms to #4 at 172056 ms', (_source, dat) => {
    const { grid } = readTrackAnalysis(dat);
    expect(grid).toHaveLength(368);
    expect(grid[0]).toEqual({ beatInBar: 1, timeMs: 25, bpm: 128 });
    expect(grid[367]).toEqual({ beatInBar: 4, timeMs: 172056, bpm: 128 });
    expect(new Set(grid.map((b) => b.bpm))).toEqual(new Set([128]));
  });

  it.each([
    ['pyrekordbox', pyrekordboxDat('demo2')],
    ['rekordcrate', rekordcrateDat('demo2')],
  ])('Demo Track 2 (%s): 257 beats at 120 BPM, #1 at 25 ms to #1 at 128026 ms', (_source, dat) => {
    const { grid } = readTrackAnalysis(dat);
    expect(grid).toHaveLength(257);
    expect(grid[0]).toEqual({ beatInBar: 1, timeMs: 25, bpm: 120 });
    expect(grid[256]).toEqual({ beatInBar: 1, timeMs: 128026, bpm: 120 });
    expect(new Set(grid.map((b) => b.bpm))).toEqual(new Set([120]));
  });

  it('counts the bar through 1, 2, 3, 4 and a beat lasts 60000/BPM ms (±1 ms rounding)', () => {
    for (const [track, bpm] of [
      ['demo1', 128],
      ['demo2', 120],
    ] as const) {
      const { grid } = readTrackAnalysis(pyrekordboxDat(track));
      grid.forEach((b, i) => expect(b.beatInBar).toBe((i % 4) + 1));
      for (let i = 1; i < grid.length; i++) {
        const gap = (grid[i]?.timeMs ?? 0) - (grid[i - 1]?.timeMs ?? 0);
        expect(Math.abs(gap - 60000 / bpm)).toBeLessThanOrEqual(1);
      }
    }
  });

  it.each(SAMPLERS)('%s has an empty grid, no phrases and no problems', (track) => {
    const analysis = readTrackAnalysis(pyrekordboxDat(track));
    expect(analysis.grid).toEqual([]);
    expect(analysis.phrases).toBeNull();
    expect(analysis.phraseFingerprint).toBeNull();
    expect(analysis.problems).toEqual([]);
  });
});

describe('demo track files', () => {
  it.each(ALL)('%s: the tag lists of .DAT, .EXT and .2EX', (track) => {
    const dat = pyrekordboxDat(track);
    expect(tagList(dat)).toBe(DAT_TAGS);
    expect(tagList(dat.replace(/DAT$/, 'EXT'))).toBe(SAMPLERS.includes(track) ? SAMPLER_EXT_TAGS : DEMO_EXT_TAGS);
    expect(tagList(dat.replace(/DAT$/, '2EX'))).toBe(TWO_EX_TAGS);
  });

  it.each(ALL)('%s: every cue list is empty and nothing is reported', (track) => {
    const analysis = readTrackAnalysis(pyrekordboxDat(track));
    expect(analysis.cues).toEqual([]);
    expect(analysis.problems).toEqual([]);
  });

  it.each([
    ['demo1', '/Contents/Loopmasters/UnknownAlbum/Demo Track 1.mp3'],
    ['demo2', '/Contents/Loopmasters/UnknownAlbum/Demo Track 2.mp3'],
    ['horn', '/Contents/UnknownArtist/UnknownAlbum/HORN.wav'],
    ['siren', '/Contents/UnknownArtist/UnknownAlbum/SIREN.wav'],
  ] as const)('%s: PPTH names %s in all three files', (track, audio) => {
    const dat = pyrekordboxDat(track);
    for (const file of [dat, dat.replace(/DAT$/, 'EXT'), dat.replace(/DAT$/, '2EX')]) {
      const found = findAnlzTag(fs.readFileSync(file), 'PPTH');
      if (found instanceof PhraseError || found.status !== 'found') throw new Error(`no PPTH in ${file}`);
      expect(parsePathTag(found.tag)).toBe(audio);
    }
    const analysis = readTrackAnalysis(dat);
    expect(analysis.audioPath).toBe(audio);
    expect(analysis.problems).toEqual([]);
  });

  it('reads the phrase analysis of the .EXT beside the .DAT (PROVENANCE §6 oracle)', () => {
    const one = readTrackAnalysis(pyrekordboxDat('demo1'));
    expect(one.phrases?.phrases.map((p) => `${p.index}:${p.beat}:${p.kindRaw}`).slice(0, 3)).toEqual([
      '1:1:9',
      '2:37:2',
      '3:73:2',
    ]);
    expect([one.phrases?.mood, one.phrases?.endBeat, one.phrases?.phrases.length, one.phrases?.masked]).toEqual([
      'mid',
      353,
      19,
      true,
    ]);
    const two = readTrackAnalysis(rekordcrateDat('demo2'));
    expect([two.phrases?.mood, two.phrases?.endBeat, two.phrases?.phrases.length]).toEqual(['mid', 257, 11]);
  });

  it('gives the same analysis for both exports of each demo track', () => {
    for (const track of ['demo1', 'demo2'] as const) {
      expect(readTrackAnalysis(rekordcrateDat(track))).toEqual(readTrackAnalysis(pyrekordboxDat(track)));
    }
  });
});
