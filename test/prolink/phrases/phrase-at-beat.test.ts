import fc from 'fast-check';
import { songStructureFromAnlz } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import {
  NO_POSITION,
  phraseAtBeat,
  type InPhrase,
  type PhrasePosition,
} from '../../../src/prolink/phrases/phrase-at-beat';
import { parsePssiBody } from '../../../src/prolink/phrases/pssi';
import type { SongStructure } from '../../../src/prolink/phrases/song-structure';
import { readFixture } from '../../support/fixtures';
import { ANLZ, HIGH_BODY, readAnlz } from './anlz-fixtures';

function load(result: SongStructure | PhraseError | null): SongStructure {
  if (result === null || result instanceof PhraseError) throw new Error('no song structure');
  return result;
}

const demo1 = load(songStructureFromAnlz(readAnlz(ANLZ.demo1Export)));
const high = load(parsePssiBody(readFixture(...HIGH_BODY)));

function inPhrase(position: PhrasePosition): InPhrase {
  if (position.where !== 'in-phrase') throw new Error(`expected in-phrase, got ${position.where}`);
  return position;
}

/** Compact view of a lookup for table assertions. */
function summary(position: PhrasePosition): string {
  switch (position.where) {
    case 'none':
      return 'none';
    case 'before-first':
      return `before-first(${position.firstBeat})`;
    case 'after-last':
      return `after-last(${position.endBeat})`;
    case 'in-phrase':
      return (
        `#${position.sortedIndex} idx${position.phrase.index} [${position.startBeat},${position.endBeat}) ` +
        `bars ${position.bars} beat ${position.beatInPhrase} bar ${position.barInPhrase}` +
        (position.inFill ? ' fill' : '')
      );
  }
}

describe('phraseAtBeat (§8.5) on Demo Track 1 (19 phrases, end 353)', () => {
  it.each([
    [1, '#0 idx1 [1,37) bars 9 beat 1 bar 1'],
    [36, '#0 idx1 [1,37) bars 9 beat 36 bar 9'],
    [37, '#1 idx2 [37,73) bars 9 beat 1 bar 1'],
    [72, '#1 idx2 [37,73) bars 9 beat 36 bar 9'],
    [73, '#2 idx3 [73,121) bars 12 beat 1 bar 1'],
    [128, '#3 idx4 [121,129) bars 2 beat 8 bar 2'],
    [129, '#4 idx5 [129,141) bars 3 beat 1 bar 1'],
    [337, '#18 idx19 [337,353) bars 4 beat 1 bar 1'],
    [352, '#18 idx19 [337,353) bars 4 beat 16 bar 4'],
    [353, 'after-last(353)'],
    [354, 'after-last(353)'],
    [0xfffffffe, 'after-last(353)'],
  ])('beat %d → %s', (beat, expected) => {
    expect(summary(phraseAtBeat(demo1, beat))).toBe(expected);
  });

  it('treats null, 0, 0xffffffff, negative and non-finite beats as no position', () => {
    for (const beat of [null, 0, 0xffffffff, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(phraseAtBeat(demo1, beat)).toBe(NO_POSITION);
    }
  });

  it('answers jumps backwards and forwards the same as fresh lookups (no hidden state)', () => {
    const sequence = [300, 40, 300, 1, 352, 200, 353, 36, 37];
    const fresh = sequence.map((b) => summary(phraseAtBeat(load(songStructureFromAnlz(readAnlz(ANLZ.demo1Local))), b)));
    expect(sequence.map((b) => summary(phraseAtBeat(demo1, b)))).toEqual(fresh);
    expect(inPhrase(phraseAtBeat(demo1, 300)).phrase.index).toBe(16);
    expect(inPhrase(phraseAtBeat(demo1, 40)).phrase.index).toBe(2);
  });

  it('reports before-first when the first phrase starts later', () => {
    const late: SongStructure = { ...demo1, phrases: demo1.phrases.slice(2) };
    expect(summary(phraseAtBeat(late, 1))).toBe('before-first(73)');
    expect(summary(phraseAtBeat(late, 72))).toBe('before-first(73)');
    expect(summary(phraseAtBeat(late, 73))).toBe('#0 idx3 [73,121) bars 12 beat 1 bar 1');
  });

  it('sorts a hand-built structure whose phrases are out of order', () => {
    const shuffled: SongStructure = { ...demo1, phrases: [...demo1.phrases].reverse() };
    for (const beat of [1, 36, 37, 200, 337, 352, 353]) {
      expect(summary(phraseAtBeat(shuffled, beat))).toBe(summary(phraseAtBeat(demo1, beat)));
    }
  });

  it('gives after-last for every real beat when there are no phrases', () => {
    const empty: SongStructure = { ...demo1, phrases: [] };
    expect(summary(phraseAtBeat(empty, 1))).toBe('after-last(353)');
    expect(phraseAtBeat(empty, 0)).toBe(NO_POSITION);
  });

  it('agrees with a linear scan for every beat (property)', () => {
    const starts = demo1.phrases.map((p) => p.beat);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), (beat) => {
        const position = phraseAtBeat(demo1, beat);
        let expected = -1;
        for (let i = 0; i < starts.length; i++) if ((starts[i] as number) <= beat) expected = i;
        if (beat >= demo1.endBeat) expect(position.where).toBe('after-last');
        else expect(inPhrase(position).sortedIndex).toBe(expected);
      }),
    );
  });
});

describe('phraseAtBeat fills on the HIGH-mood sample (§8.5)', () => {
  it.each([
    [197, '#7 idx8 [197,229) bars 8 beat 1 bar 1'],
    [224, '#7 idx8 [197,229) bars 8 beat 28 bar 7'],
    [225, '#7 idx8 [197,229) bars 8 beat 29 bar 8 fill'],
    [228, '#7 idx8 [197,229) bars 8 beat 32 bar 8 fill'],
    [229, '#8 idx9 [229,245) bars 4 beat 1 bar 1'],
    [322, '#9 idx10 [245,325) bars 20 beat 78 bar 20'],
    [323, '#9 idx10 [245,325) bars 20 beat 79 bar 20 fill'],
    [324, '#9 idx10 [245,325) bars 20 beat 80 bar 20 fill'],
    [325, '#10 idx11 [325,341) bars 4 beat 1 bar 1'],
    [401, '#14 idx15 [401,465) bars 16 beat 1 bar 1'],
    [464, '#14 idx15 [401,465) bars 16 beat 64 bar 16'],
    [465, 'after-last(465)'],
  ])('beat %d → %s', (beat, expected) => {
    expect(summary(phraseAtBeat(high, beat))).toBe(expected);
  });

  it('hands back the phrase itself with its label', () => {
    const p = inPhrase(phraseAtBeat(high, 70));
    expect([p.phrase.index, p.phrase.label, p.phrase.beat2, p.phrase.beat4]).toEqual([5, 'Up 3', 69, 77]);
  });

  it('reuses the same object for repeated out-of-phrase answers', () => {
    expect(phraseAtBeat(high, 465)).toBe(phraseAtBeat(high, 1000));
    expect(phraseAtBeat(high, null)).toBe(phraseAtBeat(demo1, 0));
  });
});
