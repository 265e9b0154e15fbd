/**
 * A scope shaped like the one the mapping engine builds from DeckState and
 * BridgeEvent, and a context that matches it.
 */
import type { ScopeDescription } from '../../../src/mapping/expr';

const PHRASE = {
  index: 'number',
  kind: 'string',
  family: 'string',
  label: 'string',
  mood: 'string',
  bank: 'string',
  bars: 'number',
  fillBeat: 'number|null',
} as const;

export const SCOPE: ScopeDescription = {
  deck: {
    number: 'number',
    deviceName: 'string',
    trackId: 'number|null',
    playing: 'boolean',
    onAir: 'boolean',
    master: 'boolean',
    bpm: 'number|null',
    pitch: 'number',
    effectiveBpm: 'number|null',
    beat: 'number|null',
    beatInBar: 'number|null',
    phrase: PHRASE,
  },
  master: { deck: 'number|null', effectiveBpm: 'number|null' },
  event: { type: 'string', at: 'number', beat: 'number|null', phrase: PHRASE },
  phrase: PHRASE,
  extra: 'any',
};

export function chorus(): Record<string, unknown> {
  return { index: 3, kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'high', bank: 'club1', bars: 16, fillBeat: 253 };
}

/** A deck playing a chorus at 128 BPM (pitch +2.4 %). */
export function context(): Record<string, unknown> {
  return {
    deck: {
      number: 2,
      deviceName: 'XDJ-AZ',
      trackId: 417,
      playing: true,
      onAir: true,
      master: true,
      bpm: 125,
      pitch: 1.024,
      effectiveBpm: 128,
      beat: 201,
      beatInBar: 1,
      phrase: chorus(),
    },
    master: { deck: 2, effectiveBpm: 128 },
    event: { type: 'beat', at: 123456.5, beat: 201, phrase: chorus() },
    phrase: chorus(),
    extra: null,
  };
}
