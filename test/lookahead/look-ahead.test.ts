import { LookAhead, type FiredHow } from '../../src/lookahead/look-ahead';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { CompiledRule } from '../../src/mapping/compiled-mapping';
import type { SongStructure } from '../../src/prolink/phrases/song-structure';
import { gridPositionAt, type BeatGrid } from '../../src/timing/beat-grid';
import { VirtualTime } from '../../src/timing/virtual-time';
import { compileYaml } from '../mapping/engine-support';
import { phraseBoundaries, type PredictedEvent } from '../../src/lookahead/predict-instants';
import { demoTrack1 } from './structures';

interface Fired {
  readonly rule: string;
  readonly how: FiredHow;
  readonly firedAt: number;
  readonly event: PredictedEvent;
}

/** A deck at 120 BPM whose beat n falls at (n − 1) × 500 ms; tests move, stop and retime it. */
class Harness {
  readonly time = new VirtualTime(0);
  readonly fired: Fired[] = [];
  grids = new Map<number, BeatGrid | null>([[1, { at: 0, playing: true, position: 1, bpm: 120, barOffset: 1, uncertaintyMs: 1 }]]);
  master: number | null = 1;
  structure: SongStructure | null = null;
  readonly lookAhead: LookAhead;

  constructor(rules: string) {
    this.lookAhead = new LookAhead({
      clock: this.time,
      wait: this.time.strategy(),
      gridFor: (deck) => this.grids.get(deck) ?? null,
      structureFor: () => this.structure,
      masterDeck: () => this.master,
      fire: (rule: CompiledRule, event, how) => this.fired.push({ rule: rule.name, how, firedAt: this.time.now(), event }),
    });
    this.lookAhead.setRules(compileYaml(rules).leadRules);
  }

  /** Runs virtual time to `until`, telling the look-ahead about deck 1 every 200 ms (the status cadence). */
  run(until: number, deck = 1): void {
    while (this.time.now() < until) {
      this.lookAhead.update(deck);
      this.time.runUntil(Math.min(until, this.time.now() + 200));
    }
  }

  /** Re-anchors deck 1 at the current time: position `position` at `bpm`. */
  retime(position: number, bpm: number): void {
    this.grids.set(1, { at: this.time.now(), playing: true, position, bpm, barOffset: 1, uncertaintyMs: 1 });
  }

  positionNow(): number {
    const g = this.grids.get(1);
    return g === null || g === undefined ? NaN : (gridPositionAt(g, this.time.now()) ?? NaN);
  }

  beat(n: number, at: number, deck = 1): BeatEvent {
    return { type: 'beat', at, deck, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: 120, estimated: false, late: false, coasting: false };
  }
}

const BEAT_RULE = `  - { name: flash, on: beat, lead: 80ms, send: [{ osc: { to: resolume, address: /flash } }] }`;

describe('look-ahead firing', () => {
  it('reads neither the clock nor the master on each status while no rule has a lead', () => {
    let reads = 0;
    const lookAhead = new LookAhead({
      clock: { now: () => ++reads },
      wait: new VirtualTime(0).strategy(),
      gridFor: () => null,
      structureFor: () => null,
      masterDeck: () => ++reads,
      fire: () => undefined,
    });
    lookAhead.setRules([]);
    lookAhead.update(1);
    lookAhead.update(2);
    expect(reads).toBe(0);
    // The decks seen are kept: lead rules loaded later are planned for them at once.
    lookAhead.setRules(compileYaml(BEAT_RULE).leadRules);
    expect(reads).toBeGreaterThan(0);
    lookAhead.stop();
  });

  it('fires every beat at its predicted instant minus the lead, once each', () => {
    const h = new Harness(BEAT_RULE);
    h.run(3000);
    expect(h.fired.map((f) => f.event.type === 'beat' && f.event.beat)).toEqual([2, 3, 4, 5, 6, 7]);
    for (const f of h.fired) {
      expect(f.how).toBe('ahead');
      expect(f.firedAt).toBeCloseTo(f.event.at - 80, 9);
      expect(f.event.at).toBeCloseTo(((f.event.type === 'beat' ? (f.event.beat ?? 0) : 0) - 1) * 500, 9);
    }
    expect(h.lookAhead.stats).toMatchObject({ ahead: 6, late: 0, cancelled: 0 });
  });

  it('cancels the pending firing when the DJ stops before it is due', () => {
    const h = new Harness(BEAT_RULE);
    h.run(1300); // beats 2 and 3 fired; beat 4 (1500 ms) is due at 1420
    expect(h.lookAhead.pending()).toEqual([expect.objectContaining({ rule: 'flash', deck: 1, fireAt: 1420 })]);
    h.grids.set(1, { at: 1300, playing: false, position: 3.6, bpm: 120, barOffset: 1, uncertaintyMs: null });
    h.run(4000);
    expect(h.fired.map((f) => f.event.type === 'beat' && f.event.beat)).toEqual([2, 3]);
    expect(h.lookAhead.pending()).toEqual([]);
    expect(h.lookAhead.stats.cancelled).toBe(1);
  });

  it('moves the firing when the tempo changes, and fires on the new prediction', () => {
    const h = new Harness(BEAT_RULE);
    h.run(1300);
    h.retime(h.positionNow(), 120 * 1.08); // +8 % in one step
    h.run(2400);
    const afterStep = h.fired.filter((f) => f.firedAt > 1300);
    expect(afterStep.length).toBeGreaterThan(1);
    const g = h.grids.get(1) as BeatGrid;
    for (const f of afterStep) {
      const beat = f.event.type === 'beat' ? (f.event.beat ?? 0) : 0;
      expect(f.event.at).toBeCloseTo(1300 + ((beat - g.position!) * 60_000) / g.bpm!, 6);
      expect(f.firedAt).toBeCloseTo(f.event.at - 80, 9);
    }
    expect(h.lookAhead.stats.moved).toBe(1);
    expect(h.fired.map((f) => f.event.type === 'beat' && f.event.beat)).toEqual([2, 3, 4, 5, 6]);
  });

  it('drops the old beat on a jump and predicts from the new position', () => {
    const h = new Harness(BEAT_RULE);
    h.run(1300);
    h.retime(64.4, 120); // cue jump: beat 65 is now 300 ms away
    h.run(2100);
    expect(h.fired.map((f) => f.event.type === 'beat' && f.event.beat)).toEqual([2, 3, 65, 66]);
    expect(h.fired[2]?.firedAt).toBeCloseTo(1300 + 300 - 80, 9);
    expect(h.lookAhead.stats.cancelled).toBe(1);
  });

  it('passes over the real beat a look-ahead firing covered', () => {
    const h = new Harness(BEAT_RULE);
    h.run(501);
    h.lookAhead.actual(h.beat(2, 501));
    h.run(1002);
    h.lookAhead.actual(h.beat(3, 1002));
    expect(h.fired.map((f) => [f.how, f.event.type === 'beat' && f.event.beat])).toEqual([['ahead', 2], ['ahead', 3]]);
  });

  it('with a lead longer than a beat, passes over real beats that arrive after later beats fired', () => {
    const h = new Harness(`  - { name: far, on: beat, lead: 1.2s, send: [{ osc: { to: resolume, address: /far } }] }`);
    for (let n = 2; n <= 6; n++) {
      h.run((n - 1) * 500 + 1);
      h.lookAhead.actual(h.beat(n, (n - 1) * 500 + 1));
    }
    expect(h.fired.every((f) => f.how === 'ahead')).toBe(true);
    expect(h.fired.map((f) => f.event.type === 'beat' && f.event.beat)).toEqual([4, 5, 6, 7, 8]);
    expect(h.fired[0]?.firedAt).toBeCloseTo(1500 - 1200, 9);
    // Beats 2 and 3 were already inside the lead when the deck started: passed over, not sent after beat 4.
    expect(h.lookAhead.stats).toMatchObject({ ahead: 5, late: 0, superseded: 2 });
  });

  it('fires an unpredicted beat on arrival, once, marked late', () => {
    const h = new Harness(BEAT_RULE);
    h.grids.set(1, null); // no grid yet: the first beat after play
    h.run(400);
    h.lookAhead.actual(h.beat(1, 400));
    h.lookAhead.actual(h.beat(1, 400)); // the same beat seen twice
    expect(h.fired.map((f) => [f.how, f.firedAt, f.event.late])).toEqual([['late', 400, true]]);
    expect(h.lookAhead.stats.late).toBe(1);
  });

  it('fires once when the beat itself arrives before its look-ahead firing', () => {
    const h = new Harness(`  - { name: slow, on: beat, lead: 5ms, send: [{ osc: { to: resolume, address: /x } }] }`);
    h.run(450); // beat 2 (500 ms) pending at 495
    h.lookAhead.actual(h.beat(2, 490)); // an early packet
    h.run(600);
    expect(h.fired.map((f) => [f.how, f.event.type === 'beat' && f.event.beat])).toEqual([['late', 2]]);
    h.run(1100);
    expect(h.fired.map((f) => [f.how, f.event.type === 'beat' && f.event.beat])).toEqual([['late', 2], ['ahead', 3]]);
    // The beat was on time, the rule's promise (5 ms ahead) was not: it says so; the firing ahead does not.
    expect(h.fired.map((f) => f.event.late)).toEqual([true, false]);
  });

  it('predicts master-only rules for the master deck alone, and follows a hand-off', () => {
    const h = new Harness(`  - { name: m, on: downbeat, lead: 100ms, when: { deck: master }, send: [{ osc: { to: resolume, address: /x } }] }`);
    h.grids.set(2, { at: 0, playing: true, position: 1.25, bpm: 120, barOffset: 1, uncertaintyMs: 1 });
    h.lookAhead.update(2);
    expect(h.lookAhead.pending().map((p) => p.deck)).toEqual([]);
    h.run(100);
    expect(h.lookAhead.pending().map((p) => [p.deck, p.event.type === 'beat' && p.event.beat])).toEqual([[1, 5]]);
    h.master = 2;
    h.lookAhead.update(1);
    h.lookAhead.update(2);
    expect(h.lookAhead.pending().map((p) => [p.deck, p.event.type === 'beat' && p.event.beat, p.fireAt])).toEqual([[2, 5, 1875 - 100]]);
  });

  it('keeps what fired across a reload, so the real beat does not fire the reloaded rule again', () => {
    const h = new Harness(BEAT_RULE);
    h.run(450);
    expect(h.fired).toHaveLength(1);
    h.lookAhead.setRules(compileYaml(`  - { name: other, on: bar, lead: 10ms, send: [{ osc: { to: resolume, address: /y } }] }\n${BEAT_RULE}`).leadRules);
    h.lookAhead.actual(h.beat(2, 500));
    expect(h.fired).toHaveLength(1);
    h.run(1000);
    expect(h.fired.map((f) => `${f.rule}:${f.event.type === 'beat' && f.event.beat}`)).toEqual(['flash:2', 'flash:3']);
  });

  it('fires a phrase start its lead before the phrase begins, with the phrase it starts', () => {
    const h = new Harness(`  - { name: cue, on: phrase.start, lead: 250ms, send: [{ osc: { to: qlab, address: /cue/go } }] }`);
    h.structure = demoTrack1();
    const second = phraseBoundaries(h.structure).filter((b) => b.type === 'phrase.start')[1];
    if (second === undefined) throw new Error('no second phrase');
    h.retime(second.beat - 3, 120);
    h.run(h.time.now() + 1600);
    expect(h.fired).toHaveLength(1);
    expect(h.fired[0]?.event).toEqual({ type: 'phrase.start', at: 1500, deck: 1, phrase: second.phrase, estimated: true, late: false, coasting: false, confirmed: false });
    expect(h.fired[0]?.firedAt).toBeCloseTo(1250, 9);
    h.lookAhead.actual({ type: 'phrase.start', at: 1502, deck: 1, phrase: second.phrase, estimated: true, late: false, coasting: false, confirmed: false });
    expect(h.fired).toHaveLength(1);
  });

  it('stops: nothing pending fires', () => {
    const h = new Harness(BEAT_RULE);
    h.run(300);
    h.lookAhead.stop();
    h.time.runUntil(3000);
    h.lookAhead.update(1);
    h.lookAhead.actual(h.beat(6, 2500));
    expect(h.fired).toHaveLength(0);
  });
});
