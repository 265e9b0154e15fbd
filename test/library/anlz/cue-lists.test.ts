/**
 * Cue lists with names, colours and loops. No shared export holds a named
 * cue, so the PCO2 tags here are written by the test from the published
 * layout (anlz-fixtures.ts); the PCOB tags are the real bodies a CDJ sent
 * for Beat Link Trigger's sample track 1. Whole files are real demo-track
 * files with those tags put in.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  analysisFromBuffers,
  hotCueLetter,
  parseExtendedCueListBody,
  parseExtendedCueListTag,
  readTrackAnalysis,
  type CueListReading,
} from '../../../src/library/anlz';
import { TagFault } from '../../../src/library/anlz/errors';
import { bltSample, pco2Tag, pcp2Entry, pyrekordboxDat, rewriteAnlz, tagOf } from './anlz-fixtures';

function reading(result: CueListReading | TagFault): CueListReading {
  if (result instanceof TagFault) throw new Error(result.toString());
  return result;
}

describe('extended cue list (PCO2)', () => {
  it('reads names, colour codes and RGB of hot cues, and loop ends', () => {
    const tag = pco2Tag(1, [
      pcp2Entry({ hotCue: 1, type: 1, timeMs: 704, comment: 'Intro', colorCode: 0x2a, rgb: [0xe6, 0x28, 0x28] }),
      pcp2Entry({ hotCue: 2, type: 2, timeMs: 30_000, loopMs: 31_846, comment: 'DROP ✓' }),
      pcp2Entry({ hotCue: 8, type: 1, timeMs: 90_000 }),
    ]);
    const list = reading(parseExtendedCueListTag(tag));
    expect(list.list).toBe('hot');
    expect(list.cues).toEqual([
      {
        kind: 'hot',
        hotCue: 1,
        hotCueLetter: 'A',
        timeMs: 704,
        loopEndMs: null,
        name: 'Intro',
        color: '#e62828',
        colorCode: 0x2a,
      },
      {
        kind: 'hot',
        hotCue: 2,
        hotCueLetter: 'B',
        timeMs: 30_000,
        loopEndMs: 31_846,
        name: 'DROP ✓',
        color: null,
        colorCode: 0,
      },
      {
        kind: 'hot',
        hotCue: 8,
        hotCueLetter: 'H',
        timeMs: 90_000,
        loopEndMs: null,
        name: '',
        color: null,
        colorCode: 0,
      },
    ]);
    expect(list.skipped).toEqual([]);
  });

  it('gives memory cues their colour-table row as colour code', () => {
    const list = reading(
      parseExtendedCueListTag(
        pco2Tag(0, [pcp2Entry({ hotCue: 0, type: 1, timeMs: 5000, colorId: 3, comment: 'DROP' })]),
      ),
    );
    expect(list.cues).toEqual([
      {
        kind: 'memory',
        hotCue: null,
        hotCueLetter: null,
        timeMs: 5000,
        loopEndMs: null,
        name: 'DROP',
        color: null,
        colorCode: 3,
      },
    ]);
  });

  it('reads entries that end before the name or before the colours', () => {
    const beforeName = pcp2Entry({ hotCue: 3, type: 1, timeMs: 1000, comment: 'lost', colorCode: 5, cutAt: 0x28 });
    const beforeColour = pcp2Entry({
      hotCue: 4,
      type: 1,
      timeMs: 2000,
      comment: 'Kept',
      colorCode: 5,
      rgb: [1, 2, 3],
      cutAt: 0x2c + 10,
    });
    const list = reading(parseExtendedCueListTag(pco2Tag(1, [beforeName, beforeColour])));
    expect(list.cues.map((c) => [c.hotCueLetter, c.name, c.color, c.colorCode])).toEqual([
      ['C', '', null, 0],
      ['D', 'Kept', null, 0],
    ]);
  });

  it('skips unset slots silently and names entries of unknown type', () => {
    const list = reading(
      parseExtendedCueListTag(
        pco2Tag(1, [
          pcp2Entry({ hotCue: 1, type: 1, timeMs: 0xffffffff }),
          pcp2Entry({ hotCue: 2, type: 0, timeMs: 100 }),
          pcp2Entry({ hotCue: 3, type: 7, timeMs: 200 }),
          pcp2Entry({ hotCue: 4, type: 1, timeMs: 300 }),
        ]),
      ),
    );
    expect(list.cues.map((c) => c.hotCueLetter)).toEqual(['D']);
    expect(list.skipped).toEqual(['entry 3: skipped a cue at 200 ms of unknown type 7 (1 cue and 2 loop are known)']);
  });

  it('reads a bare body like a whole tag', () => {
    const tag = pco2Tag(1, [pcp2Entry({ hotCue: 1, type: 1, timeMs: 704, comment: 'A' })]);
    expect(parseExtendedCueListBody(tag.subarray(12))).toEqual(parseExtendedCueListTag(tag));
  });

  it('turns hot cue numbers into letters', () => {
    expect([1, 2, 8, 16, 26, 27].map(hotCueLetter)).toEqual(['A', 'B', 'H', 'P', 'Z', '27']);
  });
});

describe('cues of a whole track', () => {
  const datFile = fs.readFileSync(pyrekordboxDat('demo1'));
  const extFile = fs.readFileSync(pyrekordboxDat('demo1').replace(/DAT$/, 'EXT'));
  const twoExFile = fs.readFileSync(pyrekordboxDat('demo1').replace(/DAT$/, '2EX'));
  // The .DAT's two empty PCOB tags replaced by what sample track 1's CDJ sent: hot cues A, C; memory cues at 704, 369935 ms.
  const pcobs = [
    tagOf('PCOB', 0x18, bltSample(1, 'cue-list-0.kaitai')),
    tagOf('PCOB', 0x18, bltSample(1, 'cue-list-1.kaitai')),
  ];
  const dat = rewriteAnlz(datFile, (tag, fourcc) =>
    fourcc !== 'PCOB' ? [tag] : tag.readUInt32BE(12) === 1 ? [pcobs[0] as Buffer] : [pcobs[1] as Buffer],
  );
  // The .EXT names two of them and adds a loop.
  const named = [
    pco2Tag(1, [
      pcp2Entry({ hotCue: 1, type: 1, timeMs: 704, comment: 'Start', colorCode: 1, rgb: [0x30, 0x5a, 0xff] }),
    ]),
    pco2Tag(0, [
      pcp2Entry({ hotCue: 0, type: 1, timeMs: 369935, comment: 'DROP', colorId: 2 }),
      pcp2Entry({ hotCue: 0, type: 2, timeMs: 100_000, loopMs: 101_846 }),
    ]),
  ];
  let pco2 = 0;
  const ext = rewriteAnlz(extFile, (tag, fourcc) => (fourcc === 'PCO2' ? [named[pco2++] as Buffer] : [tag]));
  const names = { dat: 'ANLZ0000.DAT', ext: 'ANLZ0000.EXT', twoEx: 'ANLZ0000.2EX' };

  it('merges the .DAT cues with the named .EXT cues, each cue once, in time order', () => {
    const analysis = analysisFromBuffers({ dat, ext, twoEx: twoExFile }, names);
    if (analysis instanceof Error) throw analysis;
    expect(
      analysis.cues.map((c) => [c.kind, c.hotCueLetter, c.timeMs, c.loopEndMs, c.name, c.color, c.colorCode]),
    ).toEqual([
      ['memory', null, 704, null, '', null, 0],
      ['hot', 'A', 704, null, 'Start', '#305aff', 1],
      ['memory', null, 100_000, 101_846, '', null, 0],
      ['memory', null, 369935, null, 'DROP', null, 2],
      ['hot', 'C', 369935, null, '', null, 0],
    ]);
    expect(analysis.problems).toEqual([]);
    // Nothing else about the track changes.
    expect(analysis.grid).toHaveLength(368);
    expect(analysis.phrases?.phrases).toHaveLength(19);
  });

  it('reads the same from files on disk', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anlz-cues-'));
    try {
      fs.writeFileSync(path.join(dir, 'ANLZ0000.DAT'), dat);
      fs.writeFileSync(path.join(dir, 'ANLZ0000.EXT'), ext);
      fs.writeFileSync(path.join(dir, 'ANLZ0000.2EX'), twoExFile);
      const fromDisk = readTrackAnalysis(path.join(dir, 'ANLZ0000.DAT'));
      const fromBytes = analysisFromBuffers({ dat, ext, twoEx: twoExFile }, names);
      if (fromBytes instanceof Error) throw fromBytes;
      expect(fromDisk.cues).toEqual(fromBytes.cues);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('uses the .DAT cues alone when the .EXT is missing, and says so', () => {
    const analysis = analysisFromBuffers({ dat, ext: null, twoEx: twoExFile }, names);
    if (analysis instanceof Error) throw analysis;
    expect(analysis.cues.map((c) => `${c.kind} ${c.hotCueLetter ?? '-'} ${c.timeMs}`)).toEqual([
      'memory - 704',
      'hot A 704',
      'memory - 369935',
      'hot C 369935',
    ]);
    expect(analysis.problems).toEqual(['ANLZ0000.EXT: missing, so the track has no phrases and no cue names from it']);
    expect(analysis.phrases).toBeNull();
  });
});
