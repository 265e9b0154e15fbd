/**
 * Beat Link Trigger's two sample tracks: what real CDJs sent about them
 * (fixtures PROVENANCE §7). The cue lists are raw PCOB tag bodies; their
 * times are checked against the players' own beat grid (beat-grid.edn) and
 * track data (metadata.edn), read with the test's EDN reader, not with the
 * code under test.
 */
import { nearestBeat, parseCueListBody, parseCueListTag, type CueListReading } from '../../../src/library/anlz';
import { TagFault } from '../../../src/library/anlz/errors';
import type { LibraryCue } from '../../../src/library/library-track';
import { readEdn, readEdnMap, readEdnNumberVectors } from '../../support/edn';
import { bltSample, bltSampleText, ednGrid, tagOf } from './anlz-fixtures';

function cueList(track: 1 | 2, n: 0 | 1): CueListReading {
  const reading = parseCueListBody(bltSample(track, `cue-list-${n}.kaitai`));
  if (reading instanceof TagFault) throw new Error(reading.toString());
  return reading;
}

const brief = (cues: readonly LibraryCue[]): string[] =>
  cues.map(
    (c) =>
      `${c.kind}${c.hotCueLetter === null ? '' : ` ${c.hotCueLetter}`} @${c.timeMs}${c.loopEndMs === null ? '' : `-${c.loopEndMs}`}`,
  );

describe('Beat Link Trigger sample track data', () => {
  it('reads the beat grids PROVENANCE §7 describes: 927 beats from 704 ms and 478 from 105 ms', () => {
    const one = ednGrid(1);
    const two = ednGrid(2);
    expect([one.length, one[0]?.timeMs, two.length, two[0]?.timeMs]).toEqual([927, 704, 478, 105]);
    // metadata.edn: tempo 13000 and 12700, duration 429 s and 226 s.
    const meta1 = readEdnMap(bltSampleText(1, 'metadata.edn'));
    const meta2 = readEdnMap(bltSampleText(2, 'metadata.edn'));
    expect([meta1.get(':title'), meta1.get(':tempo'), meta2.get(':title'), meta2.get(':tempo')]).toEqual([
      'Concrete Angel (Original Mix)',
      13000,
      'Transcendence',
      12700,
    ]);
    expect(new Set(one.map((b) => b.bpm))).toEqual(new Set([(meta1.get(':tempo') as number) / 100]));
    expect(new Set(two.map((b) => b.bpm))).toEqual(new Set([(meta2.get(':tempo') as number) / 100]));
    expect(one.at(-1)?.timeMs).toBeLessThan((meta1.get(':duration') as number) * 1000);
    expect(two.at(-1)?.timeMs).toBeLessThan((meta2.get(':duration') as number) * 1000);
  });

  it('has an EDN reader that refuses what it does not understand', () => {
    expect(readEdn('[1 2, 3]')).toEqual([1, 2, 3]);
    expect(() => readEdn('[1 2')).toThrow('missing "]"');
    expect(() => readEdn('[1.5]')).toThrow('unsupported token');
    expect(() => readEdnNumberVectors('[[1] ["a"]]')).toThrow('item 1');
  });
});

describe('cue lists a CDJ sent (PCOB bodies)', () => {
  it('track 1: hot cues A and C, and two memory cues at the same places', () => {
    const hot = cueList(1, 0);
    const memory = cueList(1, 1);
    expect([hot.list, memory.list]).toEqual(['hot', 'memory']);
    // Entries are kept in the order the tag lists them.
    expect(brief(hot.cues)).toEqual(['hot C @369935', 'hot A @704']);
    expect(brief(memory.cues)).toEqual(['memory @369935', 'memory @704']);
    expect(hot.cues.map((c) => c.hotCue)).toEqual([3, 1]);
    expect([...hot.cues, ...memory.cues].every((c) => c.name === '' && c.color === null && c.colorCode === 0)).toBe(
      true,
    );
    expect([hot.skipped, memory.skipped]).toEqual([[], []]);
  });

  it('track 2: hot cue A, and memory cues at the first beat and later', () => {
    expect(brief(cueList(2, 0).cues)).toEqual(['hot A @105']);
    expect(brief(cueList(2, 1).cues)).toEqual(['memory @211758', 'memory @105']);
  });

  it("places every cue on a downbeat of the players' beat grid (within 1 ms)", () => {
    const expected = {
      1: [
        [369935, 801],
        [704, 1],
      ],
      2: [
        [211758, 449],
        [105, 1],
      ],
    } as const;
    for (const track of [1, 2] as const) {
      const grid = ednGrid(track);
      const cues = [...cueList(track, 0).cues, ...cueList(track, 1).cues];
      for (const cue of cues) {
        const near = nearestBeat(grid, cue.timeMs);
        expect(near?.beatInBar).toBe(1);
        expect(Math.abs(near?.offsetMs ?? Infinity)).toBeLessThanOrEqual(1);
      }
      const found = new Map(cues.map((c) => [c.timeMs, nearestBeat(grid, c.timeMs)?.beat]));
      for (const [time, beat] of expected[track]) expect(found.get(time)).toBe(beat);
    }
  });

  it('reads the same cues from the body wrapped as a whole tag', () => {
    for (const track of [1, 2] as const) {
      for (const n of [0, 1] as const) {
        const tag = parseCueListTag(tagOf('PCOB', 0x18, bltSample(track, `cue-list-${n}.kaitai`)));
        expect(tag).toEqual(cueList(track, n));
      }
    }
  });
});
