import { parseMappingSources } from '../../src/mapping/load-mapping';
import { compileMapping } from '../../src/mapping/compile-mapping';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping';
import type { DeckState, PhraseInfo } from '../../src/events/deck-state';
import type { World } from '../../src/mapping/expression-context';

export const TARGETS = `targets:
  qlab: { osc: { port: 53000, protocol: tcp, passcode: "1" } }
  resolume: { osc: { port: 7000 } }
  desk: { midi: { port: MagicQ } }
  dash: { websocket: { port: 8765 } }
`;

export function compileYaml(rules: string, file = 'show.yaml'): CompiledMapping {
  const loaded = parseMappingSources([{ file, text: `${TARGETS}rules:\n${rules}` }]);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const compiled = compileMapping(loaded.mapping);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  return compiled.mapping;
}

export function compileErrors(rules: string, file = 'show.yaml'): string[] {
  const loaded = parseMappingSources([{ file, text: `${TARGETS}rules:\n${rules}` }]);
  if (!loaded.ok) return loaded.errors.map(String);
  const compiled = compileMapping(loaded.mapping);
  return compiled.ok ? [] : compiled.errors.map(String);
}

export const CHORUS: PhraseInfo = { index: 14, kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'mid', bank: 'default', startBeat: 257, endBeat: 273, bars: 4, fillBeat: null };
export const VERSE2: PhraseInfo = { index: 4, kind: 'verse2', family: 'verse', label: 'Verse 2', mood: 'mid', bank: 'cool', startBeat: 121, endBeat: 129, bars: 2, fillBeat: 127 };

export function deck(n: number, over: Partial<DeckState> = {}): DeckState {
  return {
    deck: n,
    device: n + 8,
    deviceName: 'OPUS-QUAD',
    trackId: 184,
    trackDevice: n,
    slot: 'usb',
    playState: 'playing',
    playing: true,
    moving: over.playing ?? true,
    master: false,
    handingTo: null,
    sync: false,
    onAir: true,
    bpm: 128,
    pitch: 1,
    effectiveBpm: 128,
    beat: 1,
    beatInBar: 1,
    phrase: null,
    track: null,
    updatedAt: 0,
    ...over,
  };
}

export function world(decks: DeckState[], masterDeck: number | null = null): World {
  return { decks: new Map(decks.map((d) => [d.deck, d])), masterDeck };
}
