import fc from 'fast-check';
import { findPssiTag } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { parsePssiBody, parsePssiTag } from '../../../src/prolink/phrases/pssi';
import type { SongStructure } from '../../../src/prolink/phrases/song-structure';
import { encodePssiTag, type PssiInput } from '../../../src/prolink/sim/encode';
import { readFixture } from '../../support/fixtures';
import { ANLZ, DEMO1_PHRASES, DEMO2_PHRASES, HIGH_BODY, HIGH_PHRASES, readAnlz } from '../phrases/anlz-fixtures';

function tagOf(parts: readonly string[]): Buffer {
  const lookup = findPssiTag(readAnlz(parts));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
}

function parsed(tag: Buffer): SongStructure {
  const s = parsePssiTag(tag);
  if (s instanceof PhraseError) throw new Error(s.toString());
  return s;
}

function summary(s: SongStructure): string {
  return s.phrases.map((p) => `${p.index}:${p.beat}:${p.kindRaw}`).join(' ');
}

describe('PSSI tag encoder', () => {
  it.each([
    ['Demo Track 1, exported (masked)', ANLZ.demo1Export, true, DEMO1_PHRASES],
    ['Demo Track 1, local (clear)', ANLZ.demo1Local, false, DEMO1_PHRASES],
    ['Demo Track 2, exported (masked)', ANLZ.demo2Export, true, DEMO2_PHRASES],
    ['Demo Track 2, local (clear)', ANLZ.demo2Local, false, DEMO2_PHRASES],
  ] as const)('rebuilds the real tag of %s byte for byte', (_name, path, masked, phrases) => {
    const real = tagOf(path);
    const structure = parsed(real);
    expect(structure.masked).toBe(masked);
    expect(summary(structure)).toBe(phrases);
    const ours = encodePssiTag(structure, { masked });
    expect(ours.toString('hex')).toBe(real.toString('hex'));
  });

  it('round-trips the HIGH-mood structure with fills, k flags and Up-3 beats', () => {
    const high = parsePssiBody(readFixture(...HIGH_BODY));
    if (high instanceof PhraseError) throw new Error(high.toString());
    for (const masked of [true, false]) {
      const again = parsed(encodePssiTag(high, { masked }));
      expect(again).toEqual({ ...high, masked });
    }
    const line = high.phrases
      .map((p) => {
        let s = `${p.index}:${p.beat}:${p.kindRaw}`;
        if (p.fill) s += `/f${p.fillBeat ?? ''}`;
        if (p.k1 + p.k2 + p.k3 > 0) s += `/k${p.k1}${p.k2}${p.k3}`;
        if (p.b !== 0) s += `/b${p.beat2},${p.beat3},${p.beat4}`;
        return s;
      })
      .join(' ');
    expect(line).toBe(HIGH_PHRASES);
  });

  it('parses back whatever it encodes, masked or not', () => {
    const phrase = fc.record({
      beat: fc.integer({ min: 1, max: 2000 }),
      kindRaw: fc.integer({ min: 1, max: 10 }),
      k1: fc.integer({ min: 0, max: 1 }),
      k2: fc.integer({ min: 0, max: 1 }),
      k3: fc.integer({ min: 0, max: 1 }),
      fill: fc.boolean(),
      fillBeat: fc.integer({ min: 1, max: 2000 }),
    });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(phrase, { minLength: 0, maxLength: 60 }),
        fc.boolean(),
        (moodRaw, bankRaw, list, masked) => {
          const sorted = [...list].sort((a, b) => a.beat - b.beat);
          const input: PssiInput = { moodRaw, bankRaw, endBeat: 2001, phrases: sorted };
          const out = parsed(encodePssiTag(input, { masked }));
          expect(out).toMatchObject({ moodRaw, bankRaw, endBeat: 2001, masked });
          expect(out.phrases.map((p) => [p.index, p.beat, p.kindRaw, p.k1, p.k2, p.k3, p.fill, p.fillBeat])).toEqual(
            sorted.map((p, i) => [i + 1, p.beat, p.kindRaw, p.k1, p.k2, p.k3, p.fill, p.fill ? p.fillBeat : null]),
          );
        },
      ),
    );
  });

  it('refuses values that do not fit their fields', () => {
    expect(() => encodePssiTag({ moodRaw: 2, endBeat: 70000, phrases: [] }, { masked: false })).toThrow(/end beat/);
  });
});
