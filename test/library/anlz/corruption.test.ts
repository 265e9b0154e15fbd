/**
 * Damaged copies of the real demo-track files: cut short at every length, or
 * with bits flipped. Whatever the damage, reading ends, and either gives an
 * analysis (with a problem sentence naming the damaged side file) or an
 * AnlzError whose message leads with the file's name; never anything else.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { AnlzError, analysisFromBuffers, readTrackAnalysis, type AnlzFiles } from '../../../src/library/anlz';
import { pyrekordboxDat } from './anlz-fixtures';

const names = { dat: 'ANLZ0000.DAT', ext: 'ANLZ0000.EXT', twoEx: 'ANLZ0000.2EX' };
const datPath = pyrekordboxDat('demo1');
const real = {
  dat: fs.readFileSync(datPath),
  ext: fs.readFileSync(datPath.replace(/DAT$/, 'EXT')),
  twoEx: fs.readFileSync(datPath.replace(/DAT$/, '2EX')),
};
type Which = keyof typeof real;

/** Reads with one file replaced; returns what a caller would see. */
function outcome(which: Which, bytes: Buffer): { error: AnlzError } | { problems: readonly string[]; beats: number } {
  const files: AnlzFiles = { ...real, [which]: bytes };
  const result = analysisFromBuffers(files, names);
  if (result instanceof AnlzError) return { error: result };
  return { problems: result.problems, beats: result.grid.length };
}

describe('truncated files', () => {
  it('a .DAT cut anywhere is an AnlzError naming it', () => {
    for (let length = 0; length < real.dat.length; length++) {
      const seen = outcome('dat', real.dat.subarray(0, length));
      if (!('error' in seen)) throw new Error(`a .DAT cut to ${length} bytes was read without an error`);
      expect(seen.error.message.startsWith('ANLZ0000.DAT: ')).toBe(true);
    }
  });

  it.each(['ext', 'twoEx'] as const)('the %s file cut anywhere keeps the .DAT grid and reports the damage', (which) => {
    const file = real[which];
    // Every length in the header and first tags, then every 97th byte.
    for (let length = 0; length < file.length; length += length < 400 ? 1 : 97) {
      const seen = outcome(which, file.subarray(0, length));
      if ('error' in seen) throw new Error(`${which} cut to ${length}: ${seen.error.message}`);
      expect(seen.beats).toBe(368);
      expect(seen.problems.length).toBeGreaterThan(0);
      expect(seen.problems.every((p) => p.startsWith(`${names[which]}: `))).toBe(true);
    }
  });

  it('says what is wrong in a sentence', () => {
    const cut = outcome('dat', real.dat.subarray(0, 2000));
    expect('error' in cut && cut.error.message).toBe(
      'ANLZ0000.DAT: the file is damaged: tag "PQTZ" at 1768 declares 2968 bytes, only 232 remain',
    );
    expect('error' in cut && cut.error.code).toBe('broken-chain');
    const ext = outcome('ext', real.ext.subarray(0, real.ext.length - 100));
    expect('problems' in ext && ext.problems).toEqual([
      'ANLZ0000.EXT: the file is damaged (tag "PSSI" at 85898 declares 488 bytes, only 388 remain); only the 9 tags before that were read',
    ]);
    const atBoundary = outcome('ext', real.ext.subarray(0, 85898));
    expect('problems' in atBoundary && atBoundary.problems).toEqual([
      'ANLZ0000.EXT: the file is damaged (the file holds 85898 bytes, its header says 86386); only the 9 tags before that were read',
    ]);
  });
});

describe('bit-flipped files', () => {
  it.each(['dat', 'ext', 'twoEx'] as const)(
    'a %s with flipped bits gives an analysis or an AnlzError naming a file',
    (which) => {
      const file = real[which];
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.nat(file.length - 1), fc.integer({ min: 0, max: 7 })), { minLength: 1, maxLength: 8 }),
          (flips) => {
            const bytes = Buffer.from(file);
            for (const [at, bit] of flips) bytes[at] = (bytes[at] as number) ^ (1 << bit);
            const seen = outcome(which, bytes);
            if ('error' in seen) expect(seen.error.message.startsWith(`${names[which]}: `)).toBe(true);
            else expect(seen.problems.every((p) => /^ANLZ0000\.(DAT|EXT|2EX): /.test(p))).toBe(true);
          },
        ),
        { numRuns: 300, seed: 20261203 },
      );
    },
  );

  it('targets the fields a reader trusts: counts and lengths set to their largest values', () => {
    // Tag offsets of Demo Track 1's .DAT: PQTZ at 1768 (len_beats at +0x14), first PCOB at 5276 (len_cues at +0x12).
    const beats = Buffer.from(real.dat);
    beats.writeUInt32BE(0xffffffff, 1768 + 0x14);
    const beatsSeen = outcome('dat', beats);
    expect('error' in beatsSeen && beatsSeen.error.message).toBe(
      'ANLZ0000.DAT: PQTZ tag: len_beats says 4294967295 beats, the tag has room for 368',
    );
    const cues = Buffer.from(real.dat);
    cues.writeUInt16BE(0xffff, 5276 + 0x12);
    const cuesSeen = outcome('dat', cues);
    expect('error' in cuesSeen && cuesSeen.error.message).toBe(
      "ANLZ0000.DAT: PCOB tag: entry 1 at 24 lies past the tag's 24 bytes",
    );
    const grid = Buffer.from(real.dat);
    grid.writeUInt16BE(9, 1768 + 0x18 + 8 * 10);
    const gridSeen = outcome('dat', grid);
    expect('error' in gridSeen && gridSeen.error.message).toBe(
      'ANLZ0000.DAT: PQTZ tag: beat 11 says it is beat 9 of its bar (1–4 expected)',
    );
  });

  it('reports a phrase tag it cannot read and keeps the rest of the .EXT', () => {
    const ext = Buffer.from(real.ext);
    ext.writeUInt16BE(0xffff, 85898 + 0x10); // len_entries of the PSSI tag
    const seen = analysisFromBuffers({ ...real, ext }, names);
    if (seen instanceof AnlzError) throw seen;
    expect(seen.phrases).toBeNull();
    expect(seen.phraseFingerprint).toBeNull();
    expect(seen.problems).toEqual([
      'ANLZ0000.EXT: the phrase analysis (PSSI tag) cannot be read: 65535 entries of 24 bytes need 1572872 tag bytes, only 488 available',
    ]);
  });
});

describe('files on disk', () => {
  let dir = '';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'anlz-damage-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (files: Partial<Record<Which, Buffer>>): string => {
    if (files.dat !== undefined) fs.writeFileSync(path.join(dir, 'ANLZ0000.DAT'), files.dat);
    if (files.ext !== undefined) fs.writeFileSync(path.join(dir, 'ANLZ0000.EXT'), files.ext);
    if (files.twoEx !== undefined) fs.writeFileSync(path.join(dir, 'ANLZ0000.2EX'), files.twoEx);
    return path.join(dir, 'ANLZ0000.DAT');
  };

  it('throws an AnlzError naming a truncated .DAT', () => {
    const dat = write({ dat: real.dat.subarray(0, 3000), ext: real.ext, twoEx: real.twoEx });
    expect(() => readTrackAnalysis(dat)).toThrow(AnlzError);
    expect(() => readTrackAnalysis(dat)).toThrow(
      `${dat}: the file is damaged: tag "PQTZ" at 1768 declares 2968 bytes, only 1232 remain`,
    );
  });

  it('throws an AnlzError for a .DAT that is not there or not a file', () => {
    const missing = path.join(dir, 'ANLZ0001.DAT');
    expect(() => readTrackAnalysis(missing)).toThrow(`${missing}: the analysis file does not exist`);
    fs.mkdirSync(path.join(dir, 'ANLZ0002.DAT'));
    expect(() => readTrackAnalysis(path.join(dir, 'ANLZ0002.DAT'))).toThrow(
      /ANLZ0002\.DAT: the analysis file cannot be read: EISDIR/,
    );
  });

  it('reports missing and unreadable side files as problems', () => {
    const dat = write({ dat: real.dat });
    fs.mkdirSync(path.join(dir, 'ANLZ0000.2EX'));
    const analysis = readTrackAnalysis(dat);
    expect(analysis.grid).toHaveLength(368);
    expect(analysis.problems).toHaveLength(2);
    expect(analysis.problems[0]).toBe(
      `${path.join(dir, 'ANLZ0000.EXT')}: missing, so the track has no phrases and no cue names from it`,
    );
    expect(analysis.problems[1]).toMatch(
      /ANLZ0000\.2EX: cannot be read \(EISDIR.*\), so the audio path could not be checked against it$/,
    );
  });

  it('finds lower-case siblings of a lower-case .dat', () => {
    fs.writeFileSync(path.join(dir, 'anlz0000.dat'), real.dat);
    fs.writeFileSync(path.join(dir, 'anlz0000.ext'), real.ext);
    fs.writeFileSync(path.join(dir, 'anlz0000.2ex'), real.twoEx);
    const analysis = readTrackAnalysis(path.join(dir, 'anlz0000.dat'));
    expect(analysis.problems).toEqual([]);
    expect(analysis.phrases?.phrases).toHaveLength(19);
  });

  it('reports side files that describe another audio file', () => {
    const other = readTrackAnalysis(pyrekordboxDat('demo2'));
    const dat = write({
      dat: real.dat,
      ext: fs.readFileSync(pyrekordboxDat('demo2').replace(/DAT$/, 'EXT')),
      twoEx: real.twoEx,
    });
    const analysis = readTrackAnalysis(dat);
    expect(analysis.problems).toEqual([
      `${path.join(dir, 'ANLZ0000.EXT')}: describes "/Contents/Loopmasters/UnknownAlbum/Demo Track 2.mp3", but ${dat} describes "/Contents/Loopmasters/UnknownAlbum/Demo Track 1.mp3"`,
    ]);
    expect(analysis.phraseFingerprint).toBe(other.phraseFingerprint);
  });
});
