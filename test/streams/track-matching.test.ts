/**
 * trackMatching: an OPUS deck's track.load waits for the deck's phrase data
 * (here the real PSSI of Demo Track 1) and goes out exactly once, with the
 * track, or without it on failure, timeout, or the deck's next move.
 */
import { map, merge, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { DeckState } from '../../src/events/deck-state';
import { readTrackAnalysis } from '../../src/library/anlz';
import { Catalogue, scanExports } from '../../src/library/catalogue';
import { DeckTrackMatches } from '../../src/library/match/deck-track-matches';
import { isPhraseError } from '../../src/prolink/phrases/errors';
import { songStructureFromAnlz } from '../../src/prolink/phrases/anlz-file';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import { trackMatching, type TrackMatchingOutput, type TrackSignal } from '../../src/streams/track-matching';
import { deck } from '../mapping/engine-support';
import { fixturePath, readFixture } from '../support/fixtures';
import { ANLZ } from '../prolink/phrases/anlz-fixtures';

const library = new Catalogue(scanExports([fixturePath('dylanljones__pyrekordbox', '.testdata', 'export')], { readAnalysis: readTrackAnalysis, now: () => new Date(0) }));
const demo1 = ((): SongStructure => {
  const s = songStructureFromAnlz(readFixture(...ANLZ.demo1Export));
  if (s === null || isPhraseError(s)) throw new Error('no PSSI');
  return s;
})();

type Step = { readonly state: Partial<DeckState> } | { readonly signal: TrackSignal };

/** Six frames per input: room for a group of up to four outputs. */
const SPACING = 6;
const spaced = (letters: readonly string[]): string => letters.map((l) => (l.length > 1 ? `(${l})` : l).padEnd(SPACING, '-')).join('');

/**
 * Runs the inputs (one letter each, SPACING frames apart) through the
 * operator, calling the matcher for each status as deck-states.ts does; the
 * outputs of each input are a group of letters at the input's frame.
 */
function run(inputs: string, steps: Record<string, Step>, outputs: readonly string[], values: Record<string, string>, holdMs = 1000): void {
  const marble = spaced(inputs.split(''));
  const expected = spaced(outputs);
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold, expectObservable }) => {
    const matches = new DeckTrackMatches(library);
    const input: Observable<DeckState | TrackSignal> = cold(marble, steps).pipe(
      map((step: Step, i) => {
        if ('signal' in step) return step.signal;
        const s = deck(1, { playing: false, onAir: false, beat: null, beatInBar: null, updatedAt: i, ...step.state });
        return { ...s, track: matches.observeStatus(s.deck, s.deviceName, s.trackId, s.bpm) };
      }),
    );
    const out = merge(input).pipe(
      trackMatching(matches, { holdMs }),
      map((o: TrackMatchingOutput) => ('type' in o ? `${o.type}${o.type === 'track.load' ? `:${o.track?.title ?? 'null'}` : ''}` : `state:${o.track?.title ?? 'null'}`)),
    );
    expectObservable(out).toBe(expected, values);
  });
}

const at = (ms: number, state: Partial<DeckState>): Step => ({ state: { updatedAt: ms, ...state } });

describe('trackMatching', () => {
  it('holds an OPUS track.load (and the tempo change behind it) until its phrase data, then sends the refreshed state and the load with the track', () => {
    run(
      'abs',
      { a: at(0, { trackId: null, bpm: null, effectiveBpm: null }), b: at(200, { trackId: 5001 }), s: { signal: { kind: 'structure', deck: 1, trackId: 5001, structure: demo1 } } },
      ['a', 'b', 'slt'],
      { a: 'state:null', b: 'state:null', t: 'tempo', s: 'state:Demo Track 1', l: 'track.load:Demo Track 1' },
    );
  });

  it('lets the load go without a track when the transfer fails, and on play (tempo changes queue behind it)', () => {
    run(
      'abf',
      { a: at(0, { trackId: null, bpm: null, effectiveBpm: null }), b: at(200, { trackId: 5001 }), f: { signal: { kind: 'phrases-failed', deck: 1, trackId: 5001 } } },
      ['a', 'b', 'lt'],
      { a: 'state:null', b: 'state:null', l: 'track.load:null', t: 'tempo' },
    );
    run(
      'abp',
      { a: at(0, { trackId: null, bpm: null, effectiveBpm: null }), b: at(200, { trackId: 5001 }), p: at(400, { trackId: 5001, playing: true }) },
      ['a', 'b', 'pltq'],
      { a: 'state:null', b: 'state:null', p: 'state:null', l: 'track.load:null', t: 'tempo', q: 'play' },
    );
  });

  it('lets the load go after holdMs of status time, once', () => {
    run(
      'abcds',
      {
        a: at(0, { trackId: null, bpm: null, effectiveBpm: null }),
        b: at(200, { trackId: 5001 }),
        c: at(1100, { trackId: 5001 }),
        d: at(1300, { trackId: 5001 }),
        s: { signal: { kind: 'structure', deck: 1, trackId: 5001, structure: demo1 } },
      },
      ['a', 'b', 'c', 'ltd', 's'],
      { a: 'state:null', b: 'state:null', c: 'state:null', d: 'state:null', l: 'track.load:null', t: 'tempo', s: 'state:Demo Track 1' },
    );
  });

  it('lets the load go with its track once its tempo and length match it, without phrase data (CDJ mode)', () => {
    // The length came before the load's status (precise positions first); the load's status has no tempo yet, the next one has.
    run(
      'aLbc',
      {
        a: at(0, { trackId: null, bpm: null, effectiveBpm: null }),
        L: { signal: { kind: 'length', deck: 1, seconds: 172 } },
        b: at(200, { trackId: 5001, bpm: null, effectiveBpm: null }),
        c: at(400, { trackId: 5001 }),
      },
      ['a', '', 'b', 'clt'],
      { a: 'state:null', b: 'state:null', c: 'state:Demo Track 1', l: 'track.load:Demo Track 1', t: 'tempo' },
    );
    // The length after the load's status, which had the tempo: the length signal lets it go.
    run(
      'abL',
      { a: at(0, { trackId: null, bpm: null, effectiveBpm: null }), b: at(200, { trackId: 5001 }), L: { signal: { kind: 'length', deck: 1, seconds: 172 } } },
      ['a', 'b', 'slt'],
      { a: 'state:null', b: 'state:null', s: 'state:Demo Track 1', l: 'track.load:Demo Track 1', t: 'tempo' },
    );
  });

  it('does not hold a CDJ load matched by its ID', () => {
    run(
      'ab',
      { a: at(0, { deviceName: 'CDJ-2000NXS2', device: 1, trackId: null, bpm: null, effectiveBpm: null }), b: at(200, { deviceName: 'CDJ-2000NXS2', device: 1, trackId: 1 }) },
      ['a', 'blt'],
      { a: 'state:null', b: 'state:Demo Track 1', l: 'track.load:Demo Track 1', t: 'tempo' },
    );
  });
});
