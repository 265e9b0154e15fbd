/**
 * Content equality of song structures and phrase infos, so that phrase data
 * delivered again (a new object with the same content) can be told apart
 * from new data. Whether the tag was XOR-masked is how it travelled, not what
 * it says, so it does not count.
 */
import type { Phrase, SongStructure } from '../prolink/phrases/song-structure';
import type { PhraseInfo } from '../events/deck-state';

function samePhrase(a: Phrase, b: Phrase): boolean {
  return (
    a.index === b.index &&
    a.beat === b.beat &&
    a.kindRaw === b.kindRaw &&
    a.kind === b.kind &&
    a.label === b.label &&
    a.k1 === b.k1 &&
    a.k2 === b.k2 &&
    a.k3 === b.k3 &&
    a.b === b.b &&
    a.beat2 === b.beat2 &&
    a.beat3 === b.beat3 &&
    a.beat4 === b.beat4 &&
    a.fill === b.fill &&
    a.fillBeat === b.fillBeat
  );
}

export function sameStructure(a: SongStructure, b: SongStructure): boolean {
  if (a === b) return true;
  if (a.endBeat !== b.endBeat || a.moodRaw !== b.moodRaw || a.mood !== b.mood || a.bankRaw !== b.bankRaw || a.bank !== b.bank) return false;
  if (a.phrases.length !== b.phrases.length) return false;
  return a.phrases.every((p, i) => {
    const q = b.phrases[i];
    return q !== undefined && samePhrase(p, q);
  });
}

export function samePhraseInfo(a: PhraseInfo | null, b: PhraseInfo | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return (
    a.index === b.index &&
    a.kind === b.kind &&
    a.family === b.family &&
    a.label === b.label &&
    a.mood === b.mood &&
    a.bank === b.bank &&
    a.startBeat === b.startBeat &&
    a.endBeat === b.endBeat &&
    a.bars === b.bars &&
    a.fillBeat === b.fillBeat
  );
}
