/**
 * Cue events from beats and statuses, on virtual time. The cue points come
 * from Demo Track 1 of the pyrekordbox export (its real PQTZ grid: first beat
 * at 25 ms, 128 BPM) with cues added at chosen beats, as a DJ would place
 * them in rekordbox.
 */
import { TestScheduler } from 'rxjs/testing';
import { merge, timer, map, type Observable } from 'rxjs';
import { cueEvents } from '../../src/streams/cue-events';
import type { DeckSignal } from '../../src/streams/deck-signals';
import { deckStateOf } from '../../src/streams/deck-states';
import type { BeatEvent, CueEvent } from '../../src/events/bridge-event';
import { cuePointsOf, type CuePoint } from '../../src/library/cue-points';
import type { GridBeat, LibraryCue } from '../../src/library/library-track';
import { readTrackAnalysis } from '../../src/library/anlz';
import { received } from './status-bytes';
import { fixturePath } from '../support/fixtures';

const BPM = 128;
const PERIOD = 60_000 / BPM; // 468.75 ms
const TRACK = 1;

function demoGrid(): readonly GridBeat[] {
  const analysis = readTrackAnalysis(fixturePath('dylanljones__pyrekordbox', '.testdata', 'export', 'PIONEER', 'USBANLZ', 'P016', '0000875E', 'ANLZ0000.DAT'));
  return analysis.grid;
}

const grid = demoGrid();

/** A cue at beat `beat` of the grid (fractional: between beats), as rekordbox stores it: ms from the track start. */
function cueAt(name: string, beat: number, kind: LibraryCue['kind'] = 'memory'): LibraryCue {
  const whole = Math.floor(beat);
  const start = grid[whole - 1];
  if (start === undefined) throw new Error(`no beat ${whole}`);
  const timeMs = Math.round(start.timeMs + (beat - whole) * PERIOD);
  return { kind, hotCue: kind === 'hot' ? 1 : null, hotCueLetter: kind === 'hot' ? 'A' : null, timeMs, loopEndMs: null, name, color: null, colorCode: 0 };
}

const points: readonly CuePoint[] = cuePointsOf([cueAt('DROP', 5), cueAt('MID', 6.5), cueAt('HOT', 5, 'hot'), cueAt('LATER', 12)], grid);

const status = (beat: number, at: number, playing = true, trackId = TRACK): DeckSignal => ({
  kind: 'status',
  state: deckStateOf(received({ name: 'OPUS-QUAD', device: 9, trackId, playing, bpm: BPM, beat, beatInBar: ((beat - 1) % 4) + 1 }, at)),
});
const beat = (n: number, at: number, late = false): DeckSignal => {
  const b: BeatEvent = { type: 'beat', at, deck: 1, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: BPM, estimated: true, late, coasting: false };
  return { kind: 'beat', beat: b };
};

/** Feeds each signal at its time (ms of virtual time) and lists the cue events: name@at, when emitted, late flag. */
function run(signals: readonly (readonly [number, DeckSignal])[], cues: readonly CuePoint[] | null = points): string[] {
  const seen: string[] = [];
  const testScheduler = new TestScheduler((a, b) => expect(a).toEqual(b));
  testScheduler.run(() => {
    const input: Observable<DeckSignal> = merge(...signals.map(([t, s]) => timer(t).pipe(map(() => s))));
    input
      .pipe(cueEvents({ scheduler: testScheduler, cuesFor: (deck, trackId) => (deck === 1 && trackId === TRACK ? cues : null) }))
      .subscribe((e: CueEvent) => seen.push(`${e.cue.name}@${Math.round(e.at)}/${Math.round(testScheduler.now())}${e.late ? ' late' : ''}`));
  });
  return seen;
}

/** Beats n, n+1 … m, each PERIOD apart, the first at `from`. */
function beats(n: number, m: number, from: number): [number, DeckSignal][] {
  const out: [number, DeckSignal][] = [];
  for (let b = n; b <= m; b++) {
    const at = Math.round(from + (b - n) * PERIOD);
    out.push([at, beat(b, at)]);
  }
  return out;
}

describe('cue points on the grid', () => {
  it('puts cues on the beats of the real grid, and a cue between beats at its fraction', () => {
    // The cue times are whole milliseconds, as in the analysis file: MID lands within a millisecond of 6.5.
    expect(points.map((p) => [p.cue.name, Math.round(p.cue.beat * 100) / 100])).toEqual([
      ['DROP', 5],
      ['HOT', 5],
      ['MID', 6.5],
      ['LATER', 12],
    ]);
    expect(points.map((p) => p.fraction === 0)).toEqual([true, true, false, true]);
    expect(grid[0]?.timeMs).toBe(25);
  });
});

describe('cue events', () => {
  it('fires a cue on a beat with that beat, and one between beats at the fraction of the beat period, in forward play', () => {
    const seen = run([[0, status(3, 0)], ...beats(4, 8, 100)]);
    // beat 5 at 569, beat 6 at 1038: MID (6.5) at 1038 + 234.4.
    expect(seen).toEqual(['DROP@569/569', 'HOT@569/569', 'MID@1272/1272']);
  });

  it('does not fire cues a jump passes over', () => {
    // Beats 2, 3; a status shows the deck at beat 9 (a jump forward), then beats on from there.
    const seen = run([[0, status(1, 0)], ...beats(2, 3, 100), [700, status(9, 700)], ...beats(10, 13, 900)]);
    expect(seen).toEqual(['LATER@1838/1838']);
  });

  it('fires a cue the deck jumps onto at once, late, and only once when the beat stream then reports that beat too', () => {
    const seen = run([[0, status(1, 0)], ...beats(2, 3, 100), [700, status(5, 700)], [710, beat(5, 690, true)], ...beats(6, 7, 1159)]);
    expect(seen).toEqual(['DROP@700/700 late', 'HOT@700/700 late', 'MID@1393/1393']);
  });

  it('drops a cue between beats when the deck stops before it, and fires nothing again when it plays on inside the beat it fired in', () => {
    // MID would be due at 569 + 234 = 803: the deck stops at 700 and stays stopped.
    expect(run([[0, status(4, 0)], ...beats(5, 6, 100), [700, status(6, 700, false)], [1500, status(6, 1500, false)]])).toEqual(['DROP@100/100', 'HOT@100/100']);
    // Paused inside beat 5 after DROP and HOT fired, played on: they do not fire again.
    expect(run([[0, status(4, 0)], ...beats(5, 5, 100), [300, status(5, 300, false)], [900, status(5, 900, true)], ...beats(6, 6, 1200)])).toEqual(['DROP@100/100', 'HOT@100/100']);
    // Paused before MID and played on: beat 7 at 1200 shows the deck crossed MID at 1200 − 234 = 966, after it played on: late.
    const seen = run([[0, status(4, 0)], ...beats(5, 6, 100), [700, status(6, 700, false)], [900, status(6, 900, true)], ...beats(7, 7, 1200)]);
    expect(seen).toEqual(['DROP@100/100', 'HOT@100/100', 'MID@965/1200 late']);
  });

  it('cancels a planned cue when the deck jumps before it', () => {
    const seen = run([[0, status(5, 0)], ...beats(6, 6, 100), [200, status(20, 200)], ...beats(21, 22, 400)]);
    expect(seen).toEqual(['DROP@0/0 late', 'HOT@0/0 late']);
  });

  it('fires a cue inside a loop on every pass', () => {
    // A two-bar loop over beats 5–12 played twice, then on: the beat stream numbers the second pass 5, 6, … again.
    const pass1 = beats(5, 12, 100);
    const pass2 = beats(5, 12, 100 + 8 * PERIOD);
    const seen = run([[0, status(4, 0)], ...pass1, ...pass2]);
    expect(seen).toEqual(['DROP@100/100', 'HOT@100/100', 'MID@803/803', 'LATER@3381/3381', 'DROP@3850/3850', 'HOT@3850/3850', 'MID@4553/4553', 'LATER@7131/7131']);
  });

  it('fires a cue on a loop start once per pass when a status sent before the wrap arrives after the predicted wrap', () => {
    // A one-bar loop 5–8 whose wraps are predicted: beat 5 comes again where 9 would have. A status the deck
    // sent in beat 8, just before the wrap, arrives 30 ms after it (a busy network or host); the next status shows 5.
    const wrap = Math.round(100 + 4 * PERIOD);
    const seen = run([[0, status(4, 0)], ...beats(5, 8, 100), [wrap, beat(5, wrap)], [wrap + 30, status(8, wrap + 30)], [wrap + 200, status(5, wrap + 200)], ...beats(6, 7, Math.round(wrap + PERIOD))]);
    expect(seen).toEqual(['DROP@100/100', 'HOT@100/100', 'MID@803/803', `DROP@${wrap}/${wrap}`, `HOT@${wrap}/${wrap}`, `MID@${Math.round(wrap + 1.5 * PERIOD)}/${Math.round(wrap + 1.5 * PERIOD)}`]);
  });

  it('fires a cue of a one-beat loop on every pass, and a beat reported twice once', () => {
    const seen = run([[0, status(4, 0)], [100, beat(5, 100)], [105, beat(5, 100)], [569, beat(5, 569)], [1038, beat(5, 1038)]]);
    expect(seen).toEqual(['DROP@100/100', 'HOT@100/100', 'DROP@569/569', 'HOT@569/569', 'DROP@1038/1038', 'HOT@1038/1038']);
  });

  it('fires a cue between beats in the beat a jump lands in when the next beat shows the deck crossed it after the jump, late', () => {
    // Jump onto beat 6 at 700 (status), next beat 7 at 1000: MID (6.5) was crossed at 1000 − 235 = 765, after the jump.
    const seen = run([[0, status(1, 0)], ...beats(2, 3, 100), [700, status(6, 700)], [1000, beat(7, 1000)]]);
    expect(seen).toEqual(['MID@765/1000 late']);
    // The next beat comes so soon that the deck must have landed past MID: nothing.
    expect(run([[0, status(1, 0)], ...beats(2, 3, 100), [700, status(6, 700)], [800, beat(7, 800)]])).toEqual([]);
  });

  it('fires cues late when the deck starts playing from one (cued at a memory cue)', () => {
    const seen = run([[0, status(5, 0, false)], [300, status(5, 300, true)], ...beats(6, 7, 500)]);
    expect(seen).toEqual(['DROP@300/300 late', 'HOT@300/300 late', 'MID@734/734']);
  });

  it('forgets the cues of a track the deck unloads, and fires nothing for a track the library does not know', () => {
    expect(run([[0, status(4, 0, true, 7)], ...beats(5, 7, 100)])).toEqual([]);
    expect(run([[0, status(4, 0)], ...beats(5, 5, 100), [300, status(5, 300, true, 7)], ...beats(6, 7, 500)])).toEqual(['DROP@100/100', 'HOT@100/100']);
    expect(run([[0, status(4, 0)], ...beats(5, 7, 100)], null)).toEqual([]);
  });
});
