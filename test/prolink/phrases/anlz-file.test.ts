import fc from 'fast-check';
import {
  findAnlzTag,
  findPssiTag,
  songStructureFromAnlz,
  type AnlzTagLookup,
} from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { ANLZ, RB5_DEMO_EXT, readAnlz, SAMPLER_EXT } from './anlz-fixtures';

function lookupOf(result: AnlzTagLookup | PhraseError): AnlzTagLookup {
  if (result instanceof PhraseError) throw new Error(result.toString());
  return result;
}

function errorCode(result: unknown): string {
  if (!(result instanceof PhraseError)) throw new Error('expected a PhraseError');
  return result.code;
}

/** PROVENANCE §6 tag lists. */
const EXT_TAGS_WITHOUT_PSSI = ['PPTH', 'PWV3', 'PCOB', 'PCOB', 'PCO2', 'PCO2', 'PQT2', 'PWV5', 'PWV4'];
const SAMPLER_EXT_TAGS = ['PPTH', 'PWV3', 'PCOB', 'PCOB', 'PCO2', 'PCO2', 'PWV5', 'PWV4'];
const DAT_TAGS = ['PPTH', 'PVBR', 'PQTZ', 'PWAV', 'PWV2', 'PCOB', 'PCOB'];

describe('ANLZ tag walk', () => {
  it('finds the PSSI tag of an exported .EXT file', () => {
    const file = readAnlz(ANLZ.demo1Export);
    const found = lookupOf(findPssiTag(file));
    if (found.status !== 'found') throw new Error('PSSI not found');
    expect(found.offset).toBe(85898);
    expect(found.tag.length).toBe(488);
    expect(found.tag.toString('latin1', 0, 4)).toBe('PSSI');
    expect(found.offset + found.tag.length).toBe(file.length);
  });

  it('lists the .DAT tags and reports no PSSI there', () => {
    const file = readAnlz(ANLZ.demo1Dat);
    expect(lookupOf(findPssiTag(file))).toEqual({ status: 'absent', fourcc: 'PSSI', tagsSeen: DAT_TAGS });
    const beatGrid = lookupOf(findAnlzTag(file, 'PQTZ'));
    expect(beatGrid.status).toBe('found');
  });

  it.each(RB5_DEMO_EXT.map((parts) => [parts.slice(-3, -1).join('/'), parts]))(
    'rekordbox 5 demo track %s.EXT has no PSSI',
    (_name, parts) => {
      const file = readAnlz(parts);
      expect(songStructureFromAnlz(file)).toBeNull();
      const expected = { status: 'absent', fourcc: 'PSSI', tagsSeen: EXT_TAGS_WITHOUT_PSSI };
      expect(lookupOf(findPssiTag(file))).toEqual(expected);
    },
  );

  it.each(SAMPLER_EXT.map((parts) => [parts.slice(-3, -1).join('/'), parts]))(
    'sampler sound %s.EXT has no PSSI',
    (_name, parts) => {
      const file = readAnlz(parts);
      expect(songStructureFromAnlz(file)).toBeNull();
      expect(lookupOf(findPssiTag(file))).toEqual({ status: 'absent', fourcc: 'PSSI', tagsSeen: SAMPLER_EXT_TAGS });
    },
  );
});

describe('ANLZ guards', () => {
  const file = readAnlz(ANLZ.demo2Export);
  /** Offset of the second tag (PWV3), after PPTH. */
  const second = file.readUInt32BE(4) + file.readUInt32BE(file.readUInt32BE(4) + 8);

  it('rejects short files, foreign magic and impossible headers', () => {
    expect(errorCode(findPssiTag(Buffer.alloc(4)))).toBe('too-short');
    const foreign = Buffer.from(file);
    foreign.write('PMAX', 0, 'latin1');
    expect(errorCode(findPssiTag(foreign))).toBe('bad-fourcc');
    const header = Buffer.from(file);
    header.writeUInt32BE(4, 4);
    expect(errorCode(findPssiTag(header))).toBe('bad-anlz');
    const beyond = Buffer.from(file);
    beyond.writeUInt32BE(file.length + 1, 4);
    expect(errorCode(findPssiTag(beyond))).toBe('bad-anlz');
  });

  it('stops with an error on len_tag 0 instead of looping', () => {
    const zero = Buffer.from(file);
    zero.writeUInt32BE(0, second + 8);
    expect(errorCode(findPssiTag(zero))).toBe('bad-anlz');
  });

  it('stops with an error when a tag runs past the end', () => {
    const huge = Buffer.from(file);
    huge.writeUInt32BE(0xffffffff, second + 8);
    expect(errorCode(findPssiTag(huge))).toBe('bad-anlz');
    expect(errorCode(findPssiTag(file.subarray(0, file.length - 10)))).toBe('bad-anlz');
  });

  it('walks only up to len_file and a truncated file only as far as its bytes', () => {
    const pssiAt = lookupOf(findPssiTag(file));
    if (pssiAt.status !== 'found') throw new Error('PSSI not found');
    const short = Buffer.from(file);
    short.writeUInt32BE(pssiAt.offset, 8);
    expect(lookupOf(findPssiTag(short)).status).toBe('absent');
    expect(lookupOf(findPssiTag(file.subarray(0, pssiAt.offset))).status).toBe('absent');
    const padded = Buffer.concat([file, Buffer.alloc(30, 0xee)]);
    expect(lookupOf(findPssiTag(padded)).status).toBe('found');
  });

  it('always ends, with a result or an error, on mutated files (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: 200 }), fc.integer({ min: 0, max: 255 })), { maxLength: 12 }),
        fc.nat({ max: file.length }),
        (edits, cut) => {
          const buf = Buffer.from(file.subarray(0, 400));
          for (const [at, value] of edits) buf[at] = value;
          const result = songStructureFromAnlz(Buffer.concat([buf, file.subarray(400, Math.max(400, cut))]));
          expect(result === null || result instanceof PhraseError || Array.isArray(result.phrases)).toBe(true);
        },
      ),
    );
  });
});
