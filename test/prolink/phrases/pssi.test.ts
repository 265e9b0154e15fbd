import fc from 'fast-check';
import { findPssiTag, songStructureFromAnlz } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { parsePssiBody, parsePssiTag } from '../../../src/prolink/phrases/pssi';
import { xorPssiMaskInPlace } from '../../../src/prolink/phrases/pssi-mask';
import type { Phrase, SongStructure } from '../../../src/prolink/phrases/song-structure';
import { readFixture } from '../../support/fixtures';
import { ANLZ, DEMO1_PHRASES, DEMO2_PHRASES, HIGH_BODY, HIGH_PHRASES, readAnlz } from './anlz-fixtures';

/** Formats phrases the way PROVENANCE §6/§7 writes its oracle. */
function oracleFormat(phrases: readonly Phrase[]): string {
  return phrases
    .map((p) => {
      let s = `${p.index}:${p.beat}:${p.kindRaw}`;
      if (p.fillBeat !== null) s += `/f${p.fillBeat}`;
      if (p.k1 !== 0 || p.k2 !== 0 || p.k3 !== 0) s += `/k${p.k1}${p.k2}${p.k3}`;
      if (p.b !== 0 || p.beat2 !== 0 || p.beat3 !== 0 || p.beat4 !== 0) s += `/b${p.beat2},${p.beat3},${p.beat4}`;
      return s;
    })
    .join(' ');
}

function structureOf(parts: readonly string[]): SongStructure {
  const result = songStructureFromAnlz(readAnlz(parts));
  if (result === null || result instanceof PhraseError) throw new Error(`no song structure in ${parts.join('/')}`);
  return result;
}

function pssiTagOf(parts: readonly string[]): Buffer {
  const lookup = findPssiTag(readAnlz(parts));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
}

function parsed(result: SongStructure | PhraseError): SongStructure {
  if (result instanceof PhraseError) throw new Error(result.toString());
  return result;
}

function errorOf(result: SongStructure | PhraseError): PhraseError {
  if (!(result instanceof PhraseError)) throw new Error('expected a PhraseError');
  return result;
}

const MID_KINDS_DEMO1 = [
  'chorus', 'verse1', 'verse1', 'verse2', 'verse3', 'verse4', 'verse3', 'verse4', 'verse5', 'bridge',
  'verse5', 'verse5', 'bridge', 'chorus', 'chorus', 'chorus', 'chorus', 'chorus', 'chorus',
];
const MID_KINDS_DEMO2 = [
  'intro', 'verse1', 'verse2', 'verse2', 'verse3', 'bridge', 'bridge', 'verse4', 'verse5', 'verse4', 'outro',
];

describe('PSSI from real rekordbox 6 analysis files (PROVENANCE §6)', () => {
  it.each([
    ['Demo Track 1 export (masked)', ANLZ.demo1Export, true],
    ['Demo Track 1 rekordcrate copy (masked)', ANLZ.demo1Rekordcrate, true],
    ['Demo Track 1 local (unmasked)', ANLZ.demo1Local, false],
  ])('%s: MID, 19 phrases ending at 353', (_name, parts, masked) => {
    const s = structureOf(parts);
    expect(s.masked).toBe(masked);
    expect(s.mood).toBe('mid');
    expect(s.moodRaw).toBe(2);
    expect(s.bank).toBe('default');
    expect(s.bankRaw).toBe(0);
    expect(s.endBeat).toBe(353);
    expect(s.phrases).toHaveLength(19);
    expect(oracleFormat(s.phrases)).toBe(DEMO1_PHRASES);
    expect(s.phrases.map((p) => p.kind)).toEqual(MID_KINDS_DEMO1);
    expect(s.phrases.every((p) => !p.fill && p.fillBeat === null)).toBe(true);
  });

  it.each([
    ['Demo Track 2 export (masked)', ANLZ.demo2Export, true],
    ['Demo Track 2 rekordcrate copy (masked)', ANLZ.demo2Rekordcrate, true],
    ['Demo Track 2 local (unmasked)', ANLZ.demo2Local, false],
  ])('%s: MID, 11 phrases ending at 257', (_name, parts, masked) => {
    const s = structureOf(parts);
    expect(s.masked).toBe(masked);
    expect(s.mood).toBe('mid');
    expect(s.bank).toBe('default');
    expect(s.endBeat).toBe(257);
    expect(oracleFormat(s.phrases)).toBe(DEMO2_PHRASES);
    expect(s.phrases.map((p) => p.kind)).toEqual(MID_KINDS_DEMO2);
    expect(s.phrases.map((p) => p.label)).toEqual([
      'Intro', 'Verse 1', 'Verse 2', 'Verse 2', 'Verse 3', 'Bridge', 'Bridge', 'Verse 4', 'Verse 5', 'Verse 4', 'Outro',
    ]);
  });

  it('gives identical phrases for the masked and unmasked copies of the same analysis', () => {
    for (const [masked, plain] of [
      [ANLZ.demo1Export, ANLZ.demo1Local],
      [ANLZ.demo2Export, ANLZ.demo2Local],
    ] as const) {
      const a = structureOf(masked);
      const b = structureOf(plain);
      expect(a.masked).toBe(true);
      expect(b.masked).toBe(false);
      expect({ ...a, masked: null }).toEqual({ ...b, masked: null });
    }
  });

  it('reads the bare body of a real tag the same as the whole tag', () => {
    const tag = pssiTagOf(ANLZ.demo1Export);
    expect(parsed(parsePssiBody(tag.subarray(12)))).toEqual(parsed(parsePssiTag(tag)));
  });

  it('ignores bytes after len_tag', () => {
    const tag = pssiTagOf(ANLZ.demo2Export);
    const padded = Buffer.concat([tag, Buffer.alloc(40), Buffer.from('junk')]);
    expect(parsed(parsePssiTag(padded))).toEqual(parsed(parsePssiTag(tag)));
  });

  it('never modifies the caller’s buffer', () => {
    const tag = pssiTagOf(ANLZ.demo1Export);
    const before = Buffer.from(tag);
    parsePssiTag(tag);
    expect(tag.equals(before)).toBe(true);
  });
});

describe('PSSI body from beat-link-trigger sample track 2 (PROVENANCE §7, HIGH mood)', () => {
  const body = readFixture(...HIGH_BODY);
  const s = parsed(parsePssiBody(body));

  it('decodes mood, end beat, bank and every entry as the oracle lists them', () => {
    expect(body.length).toBe(380);
    expect(s.masked).toBe(true);
    expect(s.mood).toBe('high');
    expect(s.moodRaw).toBe(1);
    expect(s.bank).toBe('default');
    expect(s.endBeat).toBe(465);
    expect(s.phrases).toHaveLength(15);
    expect(oracleFormat(s.phrases)).toBe(HIGH_PHRASES);
  });

  it('has fills on entries 8 and 10 only', () => {
    const fills = s.phrases.filter((p) => p.fill).map((p) => [p.index, p.beat, p.fillBeat]);
    expect(fills).toEqual([
      [8, 197, 225],
      [10, 245, 323],
    ]);
  });

  it('carries the three "Up 3" beats of entry 5 with b = 1', () => {
    const up = s.phrases[4] as Phrase;
    expect([up.index, up.b, up.beat2, up.beat3, up.beat4]).toEqual([5, 1, 69, 69, 77]);
  });

  it('labels phrases by the high-mood k1/k2/k3 rules', () => {
    // Intro/Chorus/Outro: "1" when k1 = 1, else "2". Up: k2 = 1 → "Up 3", else k3 = 1 → "Up 2", else "Up 1".
    expect(s.phrases.map((p) => p.label)).toEqual([
      'Intro 2', 'Up 1', 'Chorus 1', 'Chorus 1', 'Up 3', 'Chorus 1', 'Chorus 1', 'Chorus 2', 'Up 1',
      'Chorus 1', 'Chorus 1', 'Chorus 1', 'Chorus 2', 'Down', 'Outro 1',
    ]);
    expect(s.phrases.map((p) => p.kind)).toEqual([
      'intro', 'up', 'chorus', 'chorus', 'up', 'chorus', 'chorus', 'chorus', 'up', 'chorus', 'chorus', 'chorus',
      'chorus', 'down', 'outro',
    ]);
  });

  it('parses the same when given a whole tag built around the body', () => {
    const header = Buffer.alloc(12);
    header.write('PSSI', 0, 'latin1');
    header.writeUInt32BE(0x20, 4);
    header.writeUInt32BE(12 + body.length, 8);
    expect(parsed(parsePssiTag(Buffer.concat([header, body])))).toEqual(s);
  });
});

describe('PSSI variants built from real tags', () => {
  /** The unmasked Demo Track 1 tag with its mood (and optionally bank) changed. */
  function withMood(mood: number, bank = 0): Buffer {
    const tag = pssiTagOf(ANLZ.demo1Local);
    tag.writeUInt16BE(mood, 0x12);
    tag[0x1e] = bank;
    return tag;
  }

  it('names LOW-mood phrases with the Verse 1 / Verse 2 quirk but keeps the variants apart', () => {
    const s = parsed(parsePssiTag(withMood(3)));
    expect(s.mood).toBe('low');
    const byRaw = new Map(s.phrases.map((p) => [p.kindRaw, [p.kind, p.label]]));
    expect(Object.fromEntries(byRaw)).toEqual({
      2: ['verse1', 'Verse 1'],
      3: ['verse1b', 'Verse 1'],
      4: ['verse1c', 'Verse 1'],
      5: ['verse2', 'Verse 2'],
      6: ['verse2b', 'Verse 2'],
      8: ['bridge', 'Bridge'],
      9: ['chorus', 'Chorus'],
    });
  });

  it('detects the mask on a tag that was masked after editing', () => {
    const tag = withMood(3, 7);
    xorPssiMaskInPlace(tag, 0x12, tag.length, tag.readUInt16BE(0x10));
    const s = parsed(parsePssiTag(tag));
    expect([s.masked, s.mood, s.bank, s.bankRaw, s.endBeat]).toEqual([true, 'low', 'club1', 7, 353]);
    expect(oracleFormat(s.phrases)).toBe(DEMO1_PHRASES);
  });

  it('maps banks 0–8 and reports unexpected bank bytes as unknown', () => {
    const names = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0xf6, 0xf9].map((b) => parsed(parsePssiTag(withMood(2, b))).bank);
    expect(names).toEqual([
      'default', 'cool', 'natural', 'hot', 'subtle', 'warm', 'vivid', 'club1', 'club2', 'unknown', 'unknown', 'unknown',
    ]);
  });

  it('reports an invalid mood as unknown, with unknown phrase kinds, instead of failing', () => {
    const small = parsed(parsePssiTag(withMood(7)));
    expect([small.mood, small.moodRaw, small.masked]).toEqual(['unknown', 7, false]);
    expect(small.phrases.every((p) => p.kind === 'unknown' && p.label === 'Unknown')).toBe(true);
    expect(oracleFormat(small.phrases)).toBe(DEMO1_PHRASES);
    // Above 20 and not a mood either way: treated as masked (the raw > 20 rule), mood unknown.
    const big = parsed(parsePssiTag(withMood(0x9999)));
    expect([big.mood, big.masked]).toEqual(['unknown', true]);
  });

  it('sorts entries by beat and keeps each entry’s own index', () => {
    const tag = pssiTagOf(ANLZ.demo2Local);
    const first = Buffer.from(tag.subarray(0x20, 0x38));
    tag.copy(tag, 0x20, 0x38, 0x50);
    first.copy(tag, 0x38);
    const s = parsed(parsePssiTag(tag));
    expect(s.phrases.slice(0, 3).map((p) => `${p.index}:${p.beat}`)).toEqual(['1:1', '2:33', '3:61']);
  });
});

describe('PSSI length guards', () => {
  const tag = pssiTagOf(ANLZ.demo1Export);

  it('rejects short buffers, foreign fourccs and impossible lengths with typed errors', () => {
    expect(errorOf(parsePssiTag(Buffer.alloc(10))).code).toBe('too-short');
    expect(errorOf(parsePssiTag(tag.subarray(0, 0x1f))).code).toBe('too-short');
    const foreign = Buffer.from(tag);
    foreign.write('PSSX', 0, 'latin1');
    expect(errorOf(parsePssiTag(foreign)).code).toBe('bad-fourcc');
    expect(errorOf(parsePssiTag(tag.subarray(0, 100))).code).toBe('too-short');

    const tiny = Buffer.from(tag);
    tiny.writeUInt32BE(0x10, 8);
    expect(errorOf(parsePssiTag(tiny)).code).toBe('bad-length');
    const fewer = Buffer.from(tag);
    fewer.writeUInt32BE(0x20 + 18 * 24, 8);
    expect(errorOf(parsePssiTag(fewer)).code).toBe('bad-length');
    const entrySize = Buffer.from(tag);
    entrySize.writeUInt32BE(0, 0x0c);
    expect(errorOf(parsePssiTag(entrySize)).code).toBe('bad-entry-size');
  });

  it('rejects a body whose entries run past the buffer', () => {
    const body = readFixture(...HIGH_BODY);
    expect(errorOf(parsePssiBody(body.subarray(0, body.length - 1))).code).toBe('too-short');
    expect(errorOf(parsePssiBody(body.subarray(0, 5))).code).toBe('too-short');
    const more = Buffer.from(body);
    more.writeUInt16BE(16, 4);
    expect(errorOf(parsePssiBody(more)).code).toBe('too-short');
  });

  it('never throws on random bytes or on mutations of a real tag', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const buf = Buffer.from(bytes);
        for (const r of [parsePssiTag(buf), parsePssiBody(buf)]) {
          expect(r instanceof PhraseError || Array.isArray(r.phrases)).toBe(true);
        }
      }),
    );
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: tag.length - 1 }), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat({ max: tag.length }),
        (edits, cut) => {
          const buf = Buffer.from(tag);
          for (const [at, value] of edits) buf[at] = value;
          const r = parsePssiTag(buf.subarray(0, cut));
          if (!(r instanceof PhraseError)) expect(r.phrases.length).toBe(buf.readUInt16BE(0x10));
        },
      ),
    );
  });
});
