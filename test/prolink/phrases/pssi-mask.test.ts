import { findPssiTag } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import {
  detectPssiMask,
  PSSI_MASK_BASE,
  pssiMaskByte,
  unmaskMood,
  xorPssiMaskInPlace,
} from '../../../src/prolink/phrases/pssi-mask';
import { ANLZ, readAnlz } from './anlz-fixtures';

function pssiTag(parts: readonly string[]): Buffer {
  const lookup = findPssiTag(readAnlz(parts));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag');
  return Buffer.from(lookup.tag);
}

describe('PSSI XOR mask (§8.2)', () => {
  it.each([
    ['Demo Track 1', ANLZ.demo1Local, ANLZ.demo1Export],
    ['Demo Track 2', ANLZ.demo2Local, ANLZ.demo2Export],
  ])('masking the local %s tag reproduces the exported tag byte for byte', (_name, local, exported) => {
    const plain = pssiTag(local);
    const masked = pssiTag(exported);
    expect(plain.equals(masked)).toBe(false);
    const lenEntries = plain.readUInt16BE(0x10);
    xorPssiMaskInPlace(plain, 0x12, plain.length, lenEntries);
    expect(plain.equals(masked)).toBe(true);
    // and back again: XOR is its own inverse
    xorPssiMaskInPlace(plain, 0x12, plain.length, lenEntries);
    expect(plain.equals(pssiTag(local))).toBe(true);
  });

  it('reads the raw masked moods PROVENANCE lists and unmasks them to MID / HIGH', () => {
    const demo1 = pssiTag(ANLZ.demo1Export);
    expect(demo1.readUInt16BE(0x12)).toBe(57078);
    expect(detectPssiMask(57078, 19)).toEqual({ masked: true, mood: 2, moodValid: true });
    expect(detectPssiMask(55022, 11)).toEqual({ masked: true, mood: 2, moodValid: true });
    expect(detectPssiMask(56049, 15)).toEqual({ masked: true, mood: 1, moodValid: true });
    expect(detectPssiMask(2, 19)).toEqual({ masked: false, mood: 2, moodValid: true });
  });

  it('prefers the raw reading and never finds both readings valid', () => {
    for (let n = 0; n <= 0xffff; n += n < 300 ? 1 : 97) {
      for (const mood of [1, 2, 3]) {
        expect(detectPssiMask(mood, n)).toEqual({ masked: false, mood, moodValid: true });
        expect(detectPssiMask(unmaskMood(mood, n), n)).toEqual({ masked: true, mood, moodValid: true });
      }
    }
  });

  it('falls back to the raw > 20 rule when neither reading is a mood', () => {
    expect(detectPssiMask(0, 19)).toEqual({ masked: false, mood: 0, moodValid: false });
    expect(detectPssiMask(20, 19)).toEqual({ masked: false, mood: 20, moodValid: false });
    const guess = detectPssiMask(0x1234, 19);
    expect(guess.masked).toBe(true);
    expect(guess.moodValid).toBe(false);
    expect(guess.mood).toBe(unmaskMood(0x1234, 19));
  });

  it('builds each key byte from the 19-byte base plus len_entries, wrapping at 256', () => {
    expect(PSSI_MASK_BASE).toHaveLength(19);
    expect(pssiMaskByte(0, 0)).toBe(0xcb);
    expect(pssiMaskByte(19, 0)).toBe(0xcb);
    expect(pssiMaskByte(18, 0x20)).toBe((0xe1 + 0x20) & 0xff);
    expect(pssiMaskByte(0, 0x35)).toBe(0x00);
  });
});
