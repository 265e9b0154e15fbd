/**
 * A song structure as the blocks of a deck's phrase timeline: each phrase
 * from its first beat to the first beat of the next, as the phrase tracker
 * places them (phraseAtBeat), with its family for the colour.
 */
import { phraseAtBeat } from '../prolink/phrases/phrase-at-beat';
import type { SongStructure } from '../prolink/phrases/song-structure';
import { phraseFamily } from '../streams/phrase-tracker';
import type { PhraseBlock, PhrasesMessage } from './feed-protocol';

export function phraseBlocks(structure: SongStructure): PhraseBlock[] {
  const blocks: PhraseBlock[] = [];
  const seen = new Set<number>();
  for (const p of structure.phrases) {
    const at = phraseAtBeat(structure, p.beat);
    if (at.where !== 'in-phrase' || at.startBeat !== p.beat || at.endBeat <= at.startBeat || seen.has(at.sortedIndex)) continue;
    seen.add(at.sortedIndex);
    const phrase = at.phrase;
    blocks.push({
      kind: phrase.kind,
      family: phraseFamily(phrase.kind),
      label: phrase.label,
      startBeat: at.startBeat,
      endBeat: at.endBeat,
      fillBeat: phrase.fill && phrase.fillBeat !== null && phrase.fillBeat < at.endBeat ? Math.max(phrase.fillBeat, at.startBeat) : null,
    });
  }
  return blocks;
}

export function phrasesMessage(deck: number, trackId: number, structure: SongStructure): PhrasesMessage {
  return { t: 'phrases', deck, trackId, mood: structure.mood, endBeat: structure.endBeat, phrases: phraseBlocks(structure) };
}
