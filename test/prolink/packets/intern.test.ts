import { StringInterner } from '../../../src/prolink/packets/intern';

function field(text: string, width = 8): Buffer {
  const buf = Buffer.alloc(width + 2, 0);
  buf.write(text, 1, 'latin1');
  return buf;
}

describe('StringInterner', () => {
  it('returns the NUL-terminated text of the field', () => {
    const names = new StringInterner(8, 4);
    expect(names.intern(field('CDJ'), 1)).toBe('CDJ');
    expect(names.intern(field(''), 1)).toBe('');
    expect(names.intern(Buffer.from('xABCDEFGHIJ', 'latin1'), 1)).toBe('ABCDEFGH');
  });

  it('stops at the end of a short buffer', () => {
    const names = new StringInterner(20, 4);
    expect(names.intern(Buffer.from('xyOPUS', 'latin1'), 2)).toBe('OPUS');
    expect(names.intern(Buffer.from('xy', 'latin1'), 2)).toBe('');
    expect(names.intern(Buffer.from('xy', 'latin1'), 9)).toBe('');
  });

  it('tells apart names that share a prefix or differ only in length', () => {
    const names = new StringInterner(8, 4);
    const seen = ['CDJ', 'CDJ-3000', 'CDJ-300', 'CDK'].map((t) => names.intern(field(t), 1));
    expect(seen).toEqual(['CDJ', 'CDJ-3000', 'CDJ-300', 'CDK']);
    expect(['CDK', 'CDJ', 'CDJ-300'].map((t) => names.intern(field(t), 1))).toEqual(['CDK', 'CDJ', 'CDJ-300']);
  });

  it('stays correct when more names than its capacity rotate through', () => {
    const names = new StringInterner(8, 2);
    const cycle = ['A1', 'B2', 'C3', 'A1', 'C3', 'B2', 'D4', 'A1'];
    expect(cycle.map((t) => names.intern(field(t), 1))).toEqual(cycle);
  });

  it('keeps bytes outside printable ASCII as latin1', () => {
    const names = new StringInterner(8, 2);
    expect(names.intern(Buffer.from([0x00, 0x41, 0xe9, 0xff, 0x00]), 1)).toBe('A\u00e9\u00ff');
  });
});
