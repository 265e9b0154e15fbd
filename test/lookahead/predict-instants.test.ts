import { from, toArray, lastValueFrom } from 'rxjs';
import { nextTarget, phraseBoundaries, sameInstance, type PredictInput } from '../../src/lookahead/predict-instants';
import { trackPhrases, type PhraseInput } from '../../src/streams/phrase-tracker';
import type { BeatGrid } from '../../src/timing/beat-grid';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import { demoTrack1, highMood } from './structures';

/** 120 BPM: beat n at (n − 1) × 500 ms, downbeats on 1, 5, 9 … */
const grid = (over: Partial<BeatGrid> = {}): BeatGrid => ({ at: 0, playing: true, position: 1, bpm: 120, barOffset: 1, uncertaintyMs: 2, ...over });
const input = (over: Partial<PredictInput>): PredictInput => ({ on: 'beat', leadMs: 80, deck: 1, now: 0, grid: grid(), structure: null, fired: null, ...over });

describe('predicting beats', () => {
  it('finds the first beat that can still fire its lead ahead', () => {
    const t = nextTarget(input({ now: 100 }));
    expect(t?.instance).toEqual({ key: 2, at: 500 });
    expect(t?.fireAt).toBe(420);
    expect(t?.event).toEqual({ type: 'beat', at: 500, deck: 1, beat: 2, beatInBar: 2, effectiveBpm: 120, estimated: true, late: false, coasting: false });
    // Too late for beat 2 (its firing time has passed): beat 3.
    expect(nextTarget(input({ now: 430 }))?.instance).toEqual({ key: 3, at: 1000 });
  });

  it('says late and coasting as the event itself would: a phase known to within more than 50 ms, a grid coasting through an outage', () => {
    expect(nextTarget(input({ now: 100, grid: grid({ uncertaintyMs: 50 }) }))?.event).toMatchObject({ late: false, coasting: false });
    expect(nextTarget(input({ now: 100, grid: grid({ uncertaintyMs: 80 }) }))?.event).toMatchObject({ late: true, coasting: false });
    expect(nextTarget(input({ now: 100, grid: grid({ coasting: true }) }))?.event).toMatchObject({ late: false, coasting: true });
    const structure = demoTrack1();
    const phrase = nextTarget(input({ on: 'phrase.start', now: 100, structure, grid: grid({ uncertaintyMs: 120, coasting: true }) }));
    expect(phrase?.event).toMatchObject({ type: 'phrase.start', late: true, coasting: true });
  });

  it('looks further than one beat when the lead is longer than a beat', () => {
    const t = nextTarget(input({ now: 100, leadMs: 1200 }));
    expect(t?.instance.key).toBe(4);
    expect(t?.fireAt).toBe(300);
  });

  it('skips the instance that already fired, but not the same beat number met again later (a loop)', () => {
    expect(nextTarget(input({ now: 420, fired: { key: 2, at: 500 } }))?.instance.key).toBe(3);
    expect(nextTarget(input({ now: 420, fired: { key: 2, at: 500 - 3 } }))?.instance.key).toBe(3);
    expect(nextTarget(input({ now: 420, fired: { key: 2, at: -4000 } }))?.instance.key).toBe(2);
  });

  it('puts downbeats and bars on beat 1 of the bar, and needs the bar phase for them', () => {
    expect(nextTarget(input({ on: 'downbeat', now: 100 }))?.instance).toEqual({ key: 5, at: 2000 });
    expect(nextTarget(input({ on: 'bar', now: 100, grid: grid({ barOffset: 3 }) }))?.event).toMatchObject({ beat: 3, beatInBar: 1 });
    expect(nextTarget(input({ on: 'bar', now: 100, fired: { key: 5, at: 2000 } }))?.instance.key).toBe(9);
    expect(nextTarget(input({ on: 'downbeat', now: 100, grid: grid({ barOffset: null }) }))).toBeNull();
  });

  it('predicts nothing while paused or without tempo or position', () => {
    expect(nextTarget(input({ grid: grid({ playing: false }) }))).toBeNull();
    expect(nextTarget(input({ grid: grid({ bpm: null }) }))).toBeNull();
    expect(nextTarget(input({ grid: grid({ bpm: 0 }) }))).toBeNull();
    expect(nextTarget(input({ grid: grid({ position: null }) }))).toBeNull();
    expect(nextTarget(input({ grid: null }))).toBeNull();
  });

  it('follows the grid tempo (pitch included)', () => {
    const t = nextTarget(input({ now: 0, leadMs: 0, grid: grid({ position: 10.5, bpm: 150 }) }));
    expect(t?.instance).toEqual({ key: 11, at: 200 });
  });
});

describe('same instance', () => {
  it('matches numbered sightings within a beat and unnumbered ones within half a beat', () => {
    expect(sameInstance({ key: 5, at: 1000 }, { key: 5, at: 1400 }, 120)).toBe(true);
    expect(sameInstance({ key: 5, at: 1000 }, { key: 6, at: 1000 }, 120)).toBe(false);
    expect(sameInstance({ key: 5, at: 1000 }, { key: 5, at: 1600 }, 120)).toBe(false);
    expect(sameInstance({ key: null, at: 1000 }, { key: 5, at: 1200 }, 120)).toBe(true);
    expect(sameInstance({ key: null, at: 1000 }, { key: 5, at: 1300 }, 120)).toBe(false);
  });
});

/** Every phrase event the live tracker emits when a deck plays the track beat by beat, as (beat, type, phrase index). */
async function trackerEvents(structure: SongStructure): Promise<string[]> {
  const inputs: PhraseInput[] = [{ kind: 'structure', deck: 1, trackId: 1, structure }];
  for (let beat = 1; beat <= structure.endBeat + 2; beat++) inputs.push({ kind: 'position', deck: 1, trackId: 1, beat, at: beat, playing: true, estimated: false, late: false, coasting: false });
  const events = await lastValueFrom(from(inputs).pipe(trackPhrases(), toArray()));
  return events.map((e) => `${e.at} ${e.type} ${e.phrase.index} ${e.phrase.label}`);
}

describe('phrase boundaries', () => {
  it.each([
    ['Demo Track 1', demoTrack1],
    ['the high-mood sample with fill-ins', highMood],
  ])('are exactly where the phrase tracker emits its events, for %s', async (_name, load) => {
    const structure = load();
    const predicted = phraseBoundaries(structure).map((b) => `${b.beat} ${b.type} ${b.phrase.index} ${b.phrase.label}`);
    const seen = await trackerEvents(structure);
    // Events on the same beat may come in either order.
    expect([...predicted].sort()).toEqual([...seen].sort());
    expect(predicted.length).toBeGreaterThan(structure.phrases.length);
  });

  it('predicts the next chorus start and the end of the current phrase', () => {
    const structure = demoTrack1();
    const start = nextTarget(input({ on: 'phrase.start', now: 0, leadMs: 100, grid: grid({ position: 30 }), structure }));
    const boundaries = phraseBoundaries(structure).filter((b) => b.type === 'phrase.start' && b.beat >= 31);
    expect(start?.instance.key).toBe(boundaries[0]?.beat);
    expect(start?.event).toMatchObject({ type: 'phrase.start', deck: 1, phrase: boundaries[0]?.phrase });
    expect(start?.fireAt).toBeCloseTo(((boundaries[0]?.beat ?? 0) - 30) * 500 - 100, 6);
    const end = nextTarget(input({ on: 'phrase.end', now: 0, leadMs: 100, grid: grid({ position: 30 }), structure }));
    expect(end?.event).toMatchObject({ type: 'phrase.end', phrase: { startBeat: expect.any(Number) } });
    expect(end?.instance.key).toBe(end?.event.type === 'phrase.end' ? end.event.phrase.endBeat : -1);
  });

  it('predicts fill-ins, and nothing past the last phrase or without a structure', () => {
    const structure = highMood();
    const fills = phraseBoundaries(structure).filter((b) => b.type === 'phrase.fill');
    expect(fills.length).toBeGreaterThan(0);
    const first = fills[0];
    if (first === undefined) throw new Error('no fill');
    expect(nextTarget(input({ on: 'phrase.fill', leadMs: 0, grid: grid({ position: first.beat - 2 }), structure }))?.instance.key).toBe(first.beat);
    expect(nextTarget(input({ on: 'phrase.start', grid: grid({ position: structure.endBeat + 1 }), structure }))).toBeNull();
    expect(nextTarget(input({ on: 'phrase.start', grid: grid({ position: 3 }), structure: null }))).toBeNull();
  });
});
