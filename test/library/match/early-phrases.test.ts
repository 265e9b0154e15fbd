/**
 * Phrase data that reaches the bridge before the status showing its track:
 * the OPUS-QUAD answers one phrase request with the PSSI of every loaded deck,
 * so at start-up a deck's phrase data can come before its first status. It is
 * kept for that track, and the deck is matched on that status.
 */
import { readTrackAnalysis } from '../../../src/library/anlz';
import { Catalogue, scanExports } from '../../../src/library/catalogue';
import { DeckTrackMatches } from '../../../src/library/match/deck-track-matches';
import { songStructureFromAnlz } from '../../../src/prolink/phrases/anlz-file';
import { isPhraseError } from '../../../src/prolink/phrases/errors';
import type { SongStructure } from '../../../src/prolink/phrases/song-structure';
import { fixturePath, readFixture } from '../../support/fixtures';
import { ANLZ } from '../../prolink/phrases/anlz-fixtures';

const library = new Catalogue(
  scanExports([fixturePath('dylanljones__pyrekordbox', '.testdata', 'export')], { readAnalysis: readTrackAnalysis, now: () => new Date('2026-12-03T12:00:00Z') }),
);

function structureOf(parts: readonly string[]): SongStructure {
  const s = songStructureFromAnlz(readFixture(...parts));
  if (s === null || isPhraseError(s)) throw new Error(`${parts.join('/')} has no usable PSSI`);
  return s;
}

describe('phrase data before the deck’s status', () => {
  it('matches the deck on its first status when the early phrase data is for the track it shows', () => {
    const matches = new DeckTrackMatches(library);
    expect(matches.observeStructure(4, 50_001, structureOf(ANLZ.demo1Export))).toBe(false);
    expect(matches.observeStatus(4, 'OPUS-QUAD', 50_001, 128)).toMatchObject({ title: 'Demo Track 1', match: 'phrase-fingerprint' });
    expect(matches.awaitingPhrases(4)).toBe(false);
  });

  it('does not use it for another track, nor twice', () => {
    const matches = new DeckTrackMatches(library);
    matches.observeStructure(4, 50_001, structureOf(ANLZ.demo1Export));
    expect(matches.observeStatus(4, 'OPUS-QUAD', 50_002, 120)).toBeNull();
    expect(matches.awaitingPhrases(4)).toBe(true);
    expect(matches.observeStatus(4, 'OPUS-QUAD', 50_001, 128)).toBeNull();
  });

  it('keeps phrase data for the deck’s next track that comes before the status showing it', () => {
    const matches = new DeckTrackMatches(library);
    matches.observeStatus(1, 'OPUS-QUAD', 50_002, 120);
    matches.observeStructure(1, 50_002, structureOf(ANLZ.demo2Export));
    expect(matches.trackOn(1)).toMatchObject({ track: { title: 'Demo Track 2' } });
    expect(matches.observeStructure(1, 50_001, structureOf(ANLZ.demo1Export))).toBe(false);
    expect(matches.observeStatus(1, 'OPUS-QUAD', 50_001, 128)).toMatchObject({ title: 'Demo Track 1', match: 'phrase-fingerprint' });
  });
});
