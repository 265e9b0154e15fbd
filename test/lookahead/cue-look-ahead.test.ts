/**
 * Rules on cue with a lead: fired that long before the cue's instant on the
 * deck's grid, once per cue (a memory cue and a hot cue on one beat are two),
 * cancelled by a jump or a stop, and fired late when nobody could predict them.
 */
import { LookAhead, type FiredHow } from '../../src/lookahead/look-ahead';
import type { CueEvent } from '../../src/events/bridge-event';
import type { PredictedEvent } from '../../src/lookahead/predict-instants';
import type { BeatGrid } from '../../src/timing/beat-grid';
import { VirtualTime } from '../../src/timing/virtual-time';
import { cuePointsOf, type CuePoint } from '../../src/library/cue-points';
import type { GridBeat, LibraryCue } from '../../src/library/library-track';
import { compileYaml } from '../mapping/engine-support';

/** A 120 BPM track grid: beat n at (n − 1) × 500 ms. */
const GRID: GridBeat[] = Array.from({ length: 64 }, (_, i) => ({ beatInBar: (i % 4) + 1, timeMs: i * 500, bpm: 120 }));
const cue = (name: string, beat: number, kind: LibraryCue['kind'] = 'memory'): LibraryCue => ({
  kind,
  hotCue: kind === 'hot' ? 2 : null,
  hotCueLetter: kind === 'hot' ? 'B' : null,
  timeMs: (beat - 1) * 500,
  loopEndMs: null,
  name,
  color: null,
  colorCode: 0,
});
const POINTS: readonly CuePoint[] = cuePointsOf([cue('DROP', 5), cue('', 5, 'hot'), cue('BREAK', 9.5)], GRID);

interface Fired {
  readonly rule: string;
  readonly how: FiredHow;
  readonly firedAt: number;
  readonly event: PredictedEvent;
}

class Harness {
  readonly time = new VirtualTime(0);
  readonly fired: Fired[] = [];
  grid: BeatGrid | null = { at: 0, playing: true, position: 1, bpm: 120, barOffset: 1, uncertaintyMs: 1 };
  readonly lookAhead: LookAhead;

  constructor(rules: string) {
    this.lookAhead = new LookAhead({
      clock: this.time,
      wait: this.time.strategy(),
      gridFor: () => this.grid,
      structureFor: () => null,
      cuesFor: (deck) => (deck === 1 ? POINTS : null),
      masterDeck: () => 1,
      fire: (rule, event, how) => this.fired.push({ rule: rule.name, how, firedAt: this.time.now(), event }),
    });
    this.lookAhead.setRules(compileYaml(rules).leadRules);
  }

  run(until: number): void {
    while (this.time.now() < until) {
      this.lookAhead.update(1);
      this.time.runUntil(Math.min(until, this.time.now() + 200));
    }
  }

  cues(): string[] {
    return this.fired.map((f) => (f.event.type === 'cue' ? `${f.rule}:${f.event.cue.name || f.event.cue.hotCueLetter}@${f.event.at}/${f.firedAt} ${f.how}` : 'not a cue'));
  }
}

const actual = (name: string, beat: number, at: number, kind: CueEvent['cue']['kind'] = 'memory'): CueEvent => ({
  type: 'cue',
  at,
  deck: 1,
  cue: { name, kind, hotCue: kind === 'hot' ? 2 : null, hotCueLetter: kind === 'hot' ? 'B' : null, color: null, timeMs: (beat - 1) * 500, beat },
  estimated: true,
  late: false,
  confirmed: false,
  coasting: false,
});

describe('look-ahead on cues', () => {
  it('fires every cue 500 ms ahead of its instant, two cues on one beat as two, and a cue between beats at its fraction', () => {
    const h = new Harness('  - { name: show, on: cue, lead: 500ms, send: [{ osc: { to: resolume, address: /cue } }] }');
    h.run(6000);
    expect(h.cues()).toEqual(['show:DROP@2000/1500 ahead', 'show:B@2000/1500 ahead', 'show:BREAK@4250/3750 ahead']);
    // The events themselves, when they come, are passed over: each cue fires the rule once.
    h.lookAhead.actual(actual('DROP', 5, 2000));
    h.lookAhead.actual(actual('', 5, 2000, 'hot'));
    h.lookAhead.actual(actual('BREAK', 9.5, 4250));
    expect(h.fired).toHaveLength(3);
    expect(h.lookAhead.stats).toMatchObject({ ahead: 3, late: 0 });
  });

  it('predicts only the cues the rule can fire on (cue: and cueKind:)', () => {
    const h = new Harness('  - { name: drop, on: cue, lead: 500ms, when: { cue: drop }, send: [{ osc: { to: resolume, address: /cue } }] }\n  - { name: hot, on: cue, lead: 100ms, when: { cueKind: hot }, send: [{ osc: { to: resolume, address: /hot } }] }');
    h.run(6000);
    expect(h.cues()).toEqual(['drop:DROP@2000/1500 ahead', 'hot:B@2000/1900 ahead']);
  });

  it('cancels the firing when the DJ jumps before it, and fires a cue reached by the jump late, on its event', () => {
    const h = new Harness('  - { name: show, on: cue, lead: 500ms, when: { cue: BREAK }, send: [{ osc: { to: resolume, address: /cue } }] }');
    h.run(3000); // BREAK (4250) is due at 3750
    expect(h.lookAhead.pending()).toEqual([expect.objectContaining({ fireAt: 3750 })]);
    h.grid = { at: 3000, playing: true, position: 20, bpm: 120, barOffset: 1, uncertaintyMs: 1 }; // jumped past it
    h.run(4500);
    expect(h.fired).toEqual([]);
    expect(h.lookAhead.stats.cancelled).toBe(1);
    // A jump back onto it: the cue event comes late, and fires the rule on the spot.
    h.lookAhead.actual({ ...actual('BREAK', 9.5, 4600), late: true });
    expect(h.cues()).toEqual(['show:BREAK@4600/4500 late']);
  });

  it('fires a cue the deck played onto with no prediction in time on its event, marked late (it promised 500 ms ahead)', () => {
    const h = new Harness('  - { name: show, on: cue, lead: 500ms, send: [{ osc: { to: resolume, address: /cue } }] }');
    h.grid = null; // the deck's phase not known yet (a loop's first wrap not yet seen)
    h.run(4300);
    expect(h.fired).toEqual([]);
    h.lookAhead.actual(actual('BREAK', 9.5, 4250)); // on time itself
    expect(h.cues()).toEqual(['show:BREAK@4250/4300 late']);
    expect(h.fired.map((f) => f.event.late)).toEqual([true]);
  });

  it('cancels the firing when the DJ stops before it', () => {
    const h = new Harness('  - { name: show, on: cue, lead: 500ms, send: [{ osc: { to: resolume, address: /cue } }] }');
    h.run(1200);
    h.grid = { at: 1200, playing: false, position: 3.4, bpm: 120, barOffset: 1, uncertaintyMs: null };
    h.run(5000);
    expect(h.fired).toEqual([]);
    expect(h.lookAhead.pending()).toEqual([]);
  });
});
