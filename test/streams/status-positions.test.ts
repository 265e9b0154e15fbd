/**
 * A status packet's beat counter says where a deck is, not when it got there:
 * the phrase changes a status makes (play heard after the fact, a jump or a
 * loop the beats did not foresee) happened up to a status period before, and
 * say `late`. Beats that lead the deck keep their own flags. Marble tests.
 */
import * as path from 'node:path';
import { map, merge, type Observable } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import type { BeatEvent, PhraseEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import { songStructureFromAnlz } from '../../src/prolink/phrases/anlz-file';
import { isPhraseError } from '../../src/prolink/phrases/errors';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import type { DeckSignal } from '../../src/streams/deck-signals';
import { phrasePositions } from '../../src/streams/phrase-positions';
import { trackPhrases, type PhraseInput } from '../../src/streams/phrase-tracker';
import { readFixture } from '../support/fixtures';

/** Demo Track 1: Chorus [1, 37), Verse 1 [37, 73), … */
function demoTrack1(): SongStructure {
  const file = readFixture(...path.join('dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.EXT').split(path.sep));
  const structure = songStructureFromAnlz(file);
  if (structure === null || isPhraseError(structure)) throw new Error('Demo Track 1 has no PSSI');
  return structure;
}

function state(beat: number | null, playing: boolean, at: number): DeckSignal {
  const s: DeckState = {
    deck: 1,
    device: 9,
    deviceName: 'OPUS-QUAD',
    trackId: 1,
    trackDevice: 9,
    slot: 'usb',
    playState: playing ? 'playing' : 'cued',
    playing,
    moving: playing,
    master: true,
    handingTo: null,
    sync: false,
    onAir: playing,
    bpm: 120,
    pitch: 1,
    effectiveBpm: 120,
    beat,
    beatInBar: beat === null || beat < 1 ? null : ((beat - 1) % 4) + 1,
    phrase: null,
    track: null,
    updatedAt: at,
  };
  return { kind: 'status', state: s };
}

function beat(n: number, at: number, late = false): DeckSignal {
  const b: BeatEvent = { type: 'beat', at, deck: 1, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: 120, estimated: true, late, coasting: false };
  return { kind: 'beat', beat: b };
}

/** Phrase events as "type label late=…", for signals on the marble line (the structure arrives first). */
function phraseEvents(marbles: string, signals: Record<string, DeckSignal>, withAt = false): string[] {
  const seen: string[] = [];
  new TestScheduler((a, b) => expect(a).toEqual(b)).run(({ cold }) => {
    const structure: PhraseInput = { kind: 'structure', deck: 1, trackId: 1, structure: demoTrack1() };
    const inputs: Observable<PhraseInput> = merge(cold<PhraseInput>('s', { s: structure }), cold(marbles, signals).pipe(phrasePositions()));
    inputs
      .pipe(
        trackPhrases(),
        map((e: PhraseEvent) => `${e.type} ${e.phrase.label} late=${e.late}${withAt ? ` @${e.at}` : ''}`),
      )
      .subscribe((e) => seen.push(e));
  });
  return seen;
}

describe('the CUE button', () => {
  it('puts the deck back on its cue point: the status shows where, whatever beat led before, and play from there starts the phrase once', () => {
    // Verse 1 starts on 37: played, beat 38 predicted; CUE takes the deck back to 37 (the status says 'cued'), PLAY again.
    const signals = { a: state(36, true, 0), b: beat(37, 500), c: beat(38, 1000), d: state(37, false, 1050), e: state(37, true, 1900), f: beat(37, 1890, true), g: beat(38, 2390) };
    expect(phraseEvents('-abcdefg', signals, true)).toEqual([
      'phrase.start Chorus late=true @0',
      'phrase.end Chorus late=false @500',
      'phrase.start Verse 1 late=false @500',
      'phrase.end Verse 1 late=true @1050', // back on the phrase's first beat
      'phrase.start Verse 1 late=true @1900', // played from there, heard from the status; the beat that follows adds nothing
    ]);
  });
});

describe('phrase changes a status makes say late', () => {
  it('a deck heard playing from the start of the track: its first phrase started before the status', () => {
    // Parked at the start (counter 0), then a status shows it playing in beat 1.
    expect(phraseEvents('-ab', { a: state(0, false, 0), b: state(1, true, 180) })).toEqual(['phrase.start Chorus late=true']);
  });

  it('a jump the beats did not foresee: the phrase it left ended, and the one it entered started, before the status', () => {
    // Beats 30 and 31 on time; then a status shows the deck on beat 37 (a cue onto Verse 1).
    const seen = phraseEvents('-abcd', { a: state(29, true, 0), b: beat(30, 100), c: beat(31, 600), d: state(37, true, 700) });
    // (The deck first heard playing inside the Chorus starts it at once, late.)
    expect(seen).toEqual(['phrase.start Chorus late=true', 'phrase.end Chorus late=true', 'phrase.start Verse 1 late=true']);
  });

  it('a status the deck sent just before a predicted loop wrap, arriving after it, enters nothing again', () => {
    // A one-bar loop over beats 35–38, across the start of Verse 1 (37), its wrap predicted: beat 35 again at 2100.
    // The status sent in beat 38 arrives 30 ms after the wrap; the next one shows beat 35.
    const seen = phraseEvents('-abcdefgh', {
      a: state(34, true, 0),
      b: beat(35, 100),
      c: beat(36, 600),
      d: beat(37, 1100),
      e: beat(38, 1600),
      f: beat(35, 2100),
      g: state(38, true, 2130),
      h: state(35, true, 2300),
    });
    expect(seen).toEqual([
      'phrase.start Chorus late=true',
      'phrase.end Chorus late=false',
      'phrase.start Verse 1 late=false',
      'phrase.end Verse 1 late=false',
      'phrase.start Chorus late=false',
    ]);
  });

  it('a phrase entered by a beat on its instant is not late; one entered by a beat emitted late is', () => {
    const first = 'phrase.start Chorus late=true'; // heard playing inside it
    expect(phraseEvents('-abc', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600) })).toEqual([first, 'phrase.end Chorus late=false', 'phrase.start Verse 1 late=false']);
    expect(phraseEvents('-abc', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600, true) })).toEqual([first, 'phrase.end Chorus late=true', 'phrase.start Verse 1 late=true']);
  });
});

describe('a loop of one beat on a phrase\'s first beat', () => {
  it('starts the phrase again at each wrap (beat 37 again), but not for a status in between, nor for a beat fired again after a status put the deck back', () => {
    // Beats 36 and 37; the loop [37, 38) wraps at 1100 and 1600; statuses inside it (led by the beats) move nothing.
    const wraps = phraseEvents('-abcdef', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600), d: state(37, true, 700), e: beat(37, 1100), f: beat(37, 1600) });
    expect(wraps).toEqual([
      'phrase.start Chorus late=true',
      'phrase.end Chorus late=false',
      'phrase.start Verse 1 late=false',
      'phrase.end Verse 1 late=false',
      'phrase.start Verse 1 late=false',
      'phrase.end Verse 1 late=false',
      'phrase.start Verse 1 late=false',
    ]);
    // The pause before the drop: 37 predicted, the deck stopped short of it (the status says 36), then plays into it
    // and 37 fires again: Verse 1 starts once more, as the deck really enters it, not twice.
    const drop = phraseEvents('-abcdef', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600), d: state(36, false, 700), e: state(37, true, 5000), f: beat(37, 4980, true) });
    expect(drop.filter((e) => e.startsWith('phrase.start Verse 1'))).toHaveLength(2);
  });
});

describe('a roll on the last beat before a phrase', () => {
  it('fired again when the deck gets there: the phrase it rolled in ends then, not the one predicted', () => {
    // 37 (Verse 1) predicted at 600, but the deck rolled in 36: statuses show 36 at 700 and at 900, 300 ms after 37
    // was due; the beat stream fires 37 again when the deck gets there (1300). Chorus ends then and Verse 1 starts.
    const seen = phraseEvents('-abcdef', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600), d: state(36, true, 700), e: state(36, true, 900), f: beat(37, 1300) }, true);
    expect(seen).toEqual([
      'phrase.start Chorus late=true @0',
      'phrase.end Chorus late=false @600', // the prediction, overtaken (as every prediction can be)
      'phrase.start Verse 1 late=false @600',
      'phrase.end Chorus late=false @1300', // not "Verse 1 ended"
      'phrase.start Verse 1 late=false @1300',
    ]);
  });

  it('a status a beat short soon after the beat (sent just before it) is no sign: a wrap of one beat there ends the phrase it restarts', () => {
    const seen = phraseEvents('-abcde', { a: state(35, true, 0), b: beat(36, 100), c: beat(37, 600), d: state(36, true, 650), e: beat(37, 1100) });
    expect(seen.slice(3)).toEqual(['phrase.end Verse 1 late=false', 'phrase.start Verse 1 late=false']);
  });
});
