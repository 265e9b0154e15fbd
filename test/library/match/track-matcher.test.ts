/**
 * Matching decks' tracks to real USB exports (PROVENANCE §5, §6): by
 * rekordbox ID, by the fingerprint of real PSSI tags (masked on the USB,
 * unmasked in rekordbox 6's local copies), by tempo and length, and what
 * happens with two exports holding the same tracks.
 */
import { readTrackAnalysis } from '../../../src/library/anlz';
import { Catalogue, scanExports, type CatalogueData } from '../../../src/library/catalogue';
import { DeckTrackMatches } from '../../../src/library/match/deck-track-matches';
import { LengthIndex, matchTrack, type DeckTrackFacts } from '../../../src/library/match/track-matcher';
import { isPhraseError } from '../../../src/prolink/phrases/errors';
import { songStructureFromAnlz } from '../../../src/prolink/phrases/anlz-file';
import { phraseFingerprint } from '../../../src/prolink/phrases/phrase-fingerprint';
import type { SongStructure } from '../../../src/prolink/phrases/song-structure';
import { fixturePath, readFixture } from '../../support/fixtures';
import { ANLZ } from '../../prolink/phrases/anlz-fixtures';

const PYREKORDBOX = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const DEMO = fixturePath('Holzhaus__rekordcrate', 'data', 'complete_export', 'demo_tracks');
const scan = (roots: readonly string[]): CatalogueData => scanExports(roots, { readAnalysis: readTrackAnalysis, now: () => new Date('2026-12-03T12:00:00Z') });

function structureOf(parts: readonly string[]): SongStructure {
  const s = songStructureFromAnlz(readFixture(...parts));
  if (s === null || isPhraseError(s)) throw new Error(`${parts.join('/')} has no usable PSSI`);
  return s;
}

const one = new Catalogue(scan([PYREKORDBOX]));
const both = new Catalogue(scan([PYREKORDBOX, DEMO]));
const match = (catalogue: Catalogue, facts: Partial<DeckTrackFacts>) =>
  matchTrack(catalogue, new LengthIndex(catalogue), { kind: 'cdj', trackId: 0, bpm: null, fingerprint: null, durationSeconds: null, ...facts });

describe('CDJs: by rekordbox ID', () => {
  it('finds Demo Track 1 by ID 1 at its 128 BPM, and Demo Track 2 by ID 2 at 120 BPM with its 128 s', () => {
    expect(match(one, { trackId: 1, bpm: 128 })).toMatchObject({ ok: true, method: 'rekordbox-id', track: { title: 'Demo Track 1', artist: 'Loopmasters' } });
    expect(match(one, { trackId: 2, bpm: 120.5, durationSeconds: 128 })).toMatchObject({ ok: true, track: { title: 'Demo Track 2' } });
  });

  it('refuses an ID at the wrong tempo or length, and an ID no export has', () => {
    expect(match(one, { trackId: 1, bpm: 140 })).toMatchObject({ ok: false, reason: 'tempo' });
    expect(match(one, { trackId: 1, bpm: 128, durationSeconds: 60 })).toMatchObject({ ok: false, reason: 'length' });
    expect(match(one, { trackId: 99, bpm: 128 })).toMatchObject({ ok: false, reason: 'unknown-id' });
  });

  it('takes copies of one track on two exports as that track, and calls different tracks under one ID ambiguous', () => {
    const copies = match(both, { trackId: 1, bpm: 128 });
    expect(copies).toMatchObject({ ok: true, copies: 2, track: { title: 'Demo Track 1' } });
    // The second export's track 1 retitled: two different tracks now hold ID 1 at the same tempo and length.
    const data = scan([PYREKORDBOX, DEMO]);
    const edited = new Catalogue({ ...data, tracks: data.tracks.map((t) => (t.source.exportRoot === DEMO && t.id === 1 ? { ...t, title: 'Demo Track 1 (edit)' } : t)) });
    const result = match(edited, { trackId: 1, bpm: 128 });
    expect(result).toMatchObject({ ok: false, reason: 'ambiguous' });
    expect(result.ok ? [] : result.candidates.map((t) => t.title).sort()).toEqual(['Demo Track 1', 'Demo Track 1 (edit)']);
    // A different tempo picks the one that fits.
    const slower = new Catalogue({ ...data, tracks: data.tracks.map((t) => (t.source.exportRoot === DEMO && t.id === 1 ? { ...t, title: 'Slow', bpm: 90, grid: [] } : t)) });
    expect(match(slower, { trackId: 1, bpm: 90 })).toMatchObject({ ok: true, track: { title: 'Slow', source: { exportRoot: DEMO } } });
  });
});

describe('OPUS-QUAD: by the fingerprint of the phrase data', () => {
  it.each([
    ['the masked PSSI of the USB export', ANLZ.demo1Export, 'Demo Track 1'],
    ['the unmasked PSSI of rekordbox 6\'s local copy', ANLZ.demo1Local, 'Demo Track 1'],
    ['the masked PSSI of the rekordcrate export', ANLZ.demo2Rekordcrate, 'Demo Track 2'],
    ['the unmasked local PSSI of Demo Track 2', ANLZ.demo2Local, 'Demo Track 2'],
  ])('finds the track from %s', (_what, file, title) => {
    const fingerprint = phraseFingerprint(structureOf(file));
    // The OPUS's own track ID (Device Library Plus) means nothing to export.pdb: 4242 is in no export.
    expect(match(one, { kind: 'opus', trackId: 4242, fingerprint, bpm: null })).toMatchObject({ ok: true, method: 'phrase-fingerprint', track: { title } });
  });

  it('refuses a fingerprint whose track plays at another tempo', () => {
    const fingerprint = phraseFingerprint(structureOf(ANLZ.demo1Export));
    expect(match(one, { kind: 'opus', trackId: 4242, fingerprint, bpm: 100 })).toMatchObject({ ok: false, reason: 'tempo' });
  });

  it('falls back to tempo and length, and does not guess with less', () => {
    expect(match(one, { kind: 'opus', trackId: 7, bpm: 120, durationSeconds: 128 })).toMatchObject({ ok: true, method: 'tempo-and-length', track: { title: 'Demo Track 2' } });
    expect(match(one, { kind: 'opus', trackId: 7, bpm: 120, durationSeconds: null })).toMatchObject({ ok: false, reason: 'too-little-known' });
    expect(match(one, { kind: 'opus', trackId: 7, bpm: 175, durationSeconds: 128 })).toMatchObject({ ok: false, reason: 'not-found' });
    // The OPUS's ID is never read as an export.pdb ID.
    expect(match(one, { kind: 'opus', trackId: 1, bpm: 128 })).toMatchObject({ ok: false });
  });
});

describe('DeckTrackMatches', () => {
  it('works a match out per change of what is known, and hands back the same TrackInfo per status', () => {
    const matches = new DeckTrackMatches(one);
    expect(matches.observeStatus(1, 'OPUS-QUAD', 4242, 128)).toBeNull();
    expect(matches.awaitingPhrases(1)).toBe(true);
    const counted = matches.matchCount;
    for (let i = 0; i < 50; i++) matches.observeStatus(1, 'OPUS-QUAD', 4242, 128.01);
    expect(matches.matchCount).toBe(counted);
    expect(matches.observeStructure(1, 4242, structureOf(ANLZ.demo1Export))).toBe(true);
    const info = matches.observeStatus(1, 'OPUS-QUAD', 4242, 128);
    expect(info).toMatchObject({ title: 'Demo Track 1', artist: 'Loopmasters', key: 'Fm', durationSeconds: 172, match: 'phrase-fingerprint', source: PYREKORDBOX });
    expect(matches.observeStatus(1, 'OPUS-QUAD', 4242, 127.5)).toBe(info);
    expect(matches.trackOn(1)).toMatchObject({ trackId: 4242, method: 'phrase-fingerprint', track: { id: 1 } });
    expect(matches.awaitingPhrases(1)).toBe(false);
    // Unloading forgets it; a CDJ's ID matches at once.
    expect(matches.observeStatus(1, 'OPUS-QUAD', null, null)).toBeNull();
    expect(matches.trackOn(1)).toBeNull();
    expect(matches.observeStatus(2, 'CDJ-2000NXS2', 2, 120)).toMatchObject({ title: 'Demo Track 2', match: 'rekordbox-id' });
  });

  it("keeps a length heard before the deck's first status (CDJ mode: positions come first, and say the length once)", () => {
    const matches = new DeckTrackMatches(one);
    expect(matches.observeLength(1, 172)).toBe(false);
    // The phrase data never comes in CDJ mode: tempo and length find the track with the first status.
    expect(matches.observeStatus(1, 'OPUS-QUAD', 50_001, 128)).toMatchObject({ title: 'Demo Track 1', match: 'tempo-and-length' });
    // Once taken, the early length is not kept for the deck's next track.
    expect(matches.observeStatus(1, 'OPUS-QUAD', 50_002, 120)).toBeNull();
    expect(matches.resultOn(1)).toMatchObject({ ok: false, reason: 'too-little-known' });
    expect(matches.observeLength(1, 128)).toBe(true);
    expect(matches.trackOn(1)).toMatchObject({ trackId: 50_002, method: 'tempo-and-length', track: { title: 'Demo Track 2' } });
  });
});
