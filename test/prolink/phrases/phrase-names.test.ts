import { phraseName } from '../../../src/prolink/phrases/phrase-names';

function labels(mood: 'high' | 'mid' | 'low' | 'unknown', k1 = 0, k2 = 0, k3 = 0): string[] {
  const out: string[] = [];
  for (let id = 0; id <= 11; id++) {
    const { kind, label } = phraseName(mood, id, k1, k2, k3);
    out.push(`${id}:${kind}:${label}`);
  }
  return out;
}

describe('phrase names per mood (§8.3)', () => {
  it('mid mood: Intro, Verse 1–6, Bridge, Chorus, Outro', () => {
    expect(labels('mid')).toEqual([
      '0:unknown:Unknown',
      '1:intro:Intro',
      '2:verse1:Verse 1',
      '3:verse2:Verse 2',
      '4:verse3:Verse 3',
      '5:verse4:Verse 4',
      '6:verse5:Verse 5',
      '7:verse6:Verse 6',
      '8:bridge:Bridge',
      '9:chorus:Chorus',
      '10:outro:Outro',
      '11:unknown:Unknown',
    ]);
  });

  it('low mood: no Verse 3; ids 2–4 read "Verse 1", 5–7 read "Verse 2", kinds stay distinct', () => {
    expect(labels('low')).toEqual([
      '0:unknown:Unknown',
      '1:intro:Intro',
      '2:verse1:Verse 1',
      '3:verse1b:Verse 1',
      '4:verse1c:Verse 1',
      '5:verse2:Verse 2',
      '6:verse2b:Verse 2',
      '7:verse2c:Verse 2',
      '8:bridge:Bridge',
      '9:chorus:Chorus',
      '10:outro:Outro',
      '11:unknown:Unknown',
    ]);
  });

  it('high mood with k1 = 1: Intro 1, Chorus 1, Outro 1; ids 4 and 7+ unknown', () => {
    expect(labels('high', 1)).toEqual([
      '0:unknown:Unknown',
      '1:intro:Intro 1',
      '2:up:Up 1',
      '3:down:Down',
      '4:unknown:Unknown',
      '5:chorus:Chorus 1',
      '6:outro:Outro 1',
      '7:unknown:Unknown',
      '8:unknown:Unknown',
      '9:unknown:Unknown',
      '10:unknown:Unknown',
      '11:unknown:Unknown',
    ]);
  });

  it('high mood with k1 ≠ 1: the "2" variants', () => {
    for (const k1 of [0, 2, 0xff]) {
      expect([1, 5, 6].map((id) => phraseName('high', id, k1, 0, 0).label)).toEqual(['Intro 2', 'Chorus 2', 'Outro 2']);
    }
  });

  it('high mood Up: k2 = 1 wins, then k3 = 1, else Up 1', () => {
    const up = (k2: number, k3: number): string => phraseName('high', 2, 0, k2, k3).label;
    expect([up(0, 0), up(0, 1), up(1, 0), up(1, 1), up(2, 0), up(0, 2)]).toEqual([
      'Up 1', 'Up 2', 'Up 3', 'Up 3', 'Up 1', 'Up 1',
    ]);
  });

  it('unknown mood: every id is unknown', () => {
    expect(labels('unknown', 1, 1, 1).every((l) => l.endsWith(':unknown:Unknown'))).toBe(true);
  });
});
