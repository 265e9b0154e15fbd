/**
 * The scorer must notice what it is there to notice: on a perfect stream it
 * finds nothing, and each deliberate break (a beat dropped, a phrase start
 * repeated, a cue fired late without saying so, a master change that never
 * happened) shows up as exactly that, also on a real bridge's stream.
 */
import type { BeatEvent, BridgeEvent, CueEvent, MasterEvent, PhraseEvent } from '../../src/events/bridge-event';
import type { PhraseInfo } from '../../src/events/deck-state';
import type { TruthEvent } from '../../src/prolink/sim/show-truth';
import { runShow, type ShowRun } from './run-show';
import { SHOW_CASES } from './scenarios';
import { scoreShow, type Observed, type ShowScore } from './score';

function phraseInfo(startBeat: number): PhraseInfo {
  return { index: 1, kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'mid', bank: 'default', startBeat, endBeat: startBeat + 32, bars: 8, fillBeat: null };
}

/** The events a perfect bridge would fire for these truth events, on the instant (a jump or a hold is owed none). */
function perfect(truth: readonly TruthEvent[]): Observed[] {
  return truth.flatMap((t): Observed[] => {
    const base = { at: t.at };
    let event: BridgeEvent;
    switch (t.type) {
      case 'jump':
      case 'hold':
        return [];
      case 'beat':
        event = { ...base, type: 'beat', deck: t.deck, beat: t.beat, beatInBar: t.beatInBar, effectiveBpm: 120, estimated: true, late: false } as BeatEvent;
        break;
      case 'phrase.start':
      case 'phrase.end':
      case 'phrase.fill':
        event = { ...base, type: t.type, deck: t.deck, phrase: phraseInfo(t.startBeat) } as PhraseEvent;
        break;
      case 'master.change':
        event = { ...base, type: 'master.change', deck: t.deck, previousDeck: t.previousDeck, effectiveBpm: 120 } as MasterEvent;
        break;
      case 'track.load':
        event = { ...base, type: 'track.load', deck: t.deck, trackId: t.trackId, previousTrackId: null, track: null };
        break;
      case 'play':
      case 'stop':
        event = { ...base, type: t.type, deck: t.deck };
        break;
      case 'cue':
        event = {
          ...base,
          type: 'cue',
          deck: t.deck,
          cue: { name: t.name, kind: t.hotCue === null ? 'memory' : 'hot', hotCue: t.hotCue, hotCueLetter: null, color: null, timeMs: 0, beat: t.beat },
          estimated: true,
          late: false,
          confirmed: false,
          coasting: false,
        } as CueEvent;
        break;
    }
    return [{ event, firedAt: t.at }];
  });
}

const TRUTH: TruthEvent[] = [
  { type: 'track.load', at: 0, deck: 1, trackId: 7 },
  { type: 'master.change', at: 1000, deck: 1, previousDeck: null },
  { type: 'play', at: 1000, deck: 1 },
  ...Array.from({ length: 40 }, (_, i): TruthEvent => ({ type: 'beat', at: 1000 + i * 500, deck: 1, trackId: 7, beat: i + 1, beatInBar: (i % 4) + 1, cause: i === 0 ? 'action' : 'flow', flowBeats: i })),
  { type: 'phrase.start', at: 1000, deck: 1, trackId: 7, startBeat: 1, kindRaw: 1, cause: 'action' },
  { type: 'phrase.end', at: 9000, deck: 1, trackId: 7, startBeat: 1, kindRaw: 1, cause: 'flow' },
  { type: 'phrase.start', at: 9000, deck: 1, trackId: 7, startBeat: 17, kindRaw: 2, cause: 'flow' },
];

type TypeScoreLike = { readonly extra: number; readonly overtaken: number };

function totals(score: ShowScore): { missing: number; extra: number; duplicates: number; unflaggedLate: number } {
  const all = [...score.types.values()];
  return {
    missing: all.reduce((a, t) => a + t.missing, 0),
    extra: all.reduce((a, t) => a + t.extra, 0),
    duplicates: all.reduce((a, t) => a + t.duplicates, 0),
    unflaggedLate: all.reduce((a, t) => a + t.unflaggedLate, 0),
  };
}

describe('the show scorer', () => {
  it('finds nothing wrong with a perfect stream, and times it at zero', () => {
    const score = scoreShow(TRUTH, perfect(TRUTH));
    expect(totals(score)).toEqual({ missing: 0, extra: 0, duplicates: 0, unflaggedLate: 0 });
    expect(score.types.get('beat')?.matched).toBe(40);
    expect(score.settledBeatErrors).toHaveLength(40 - 32);
    expect(score.settledBeatErrors.every((e) => e === 0)).toBe(true);
  });

  it('counts a beat dropped in forward play as skipped, and one fired twice as repeated', () => {
    const observed = perfect(TRUTH).filter((o) => !(o.event.type === 'beat' && o.event.beat === 20));
    const twice = observed.find((o) => o.event.type === 'beat' && o.event.beat === 30) as Observed;
    const score = scoreShow(TRUTH, [...observed, { ...twice, firedAt: twice.firedAt + 40 }]);
    expect(score.skippedBeats).toBe(1);
    expect(score.repeatedBeats).toBe(1);
    expect(totals(score)).toMatchObject({ missing: 1, extra: 1, duplicates: 1 });
  });

  it('takes an unnumbered beat for the true beat nearest to it, not an earlier one that went missing', () => {
    // Beat 20 never fires; beat 21 fires on time without a number (a jump's first beat, say).
    const observed = perfect(TRUTH)
      .filter((o) => !(o.event.type === 'beat' && o.event.beat === 20))
      .map((o) => (o.event.type === 'beat' && o.event.beat === 21 ? { ...o, event: { ...o.event, beat: null } as BridgeEvent } : o));
    const score = scoreShow(TRUTH, observed);
    expect(score.skippedBeats).toBe(1);
    expect(totals(score)).toEqual({ missing: 1, extra: 0, duplicates: 0, unflaggedLate: 0 });
  });

  it('takes an unnumbered beat at the instant of a true beat over a numbered one a loop pass later', () => {
    // A two-beat loop of beats 5 and 6 from 3 s: its first wrap fires unnumbered (nothing showed the loop yet), the later ones as 5.
    const looped: TruthEvent[] = [
      ...TRUTH.filter((t) => t.type !== 'beat' || t.beat <= 6),
      ...Array.from({ length: 6 }, (_, i): TruthEvent => ({ type: 'beat', at: 4000 + i * 500, deck: 1, trackId: 7, beat: 5 + (i % 2), beatInBar: 1 + (i % 2), cause: i % 2 === 0 ? 'action' : 'flow', flowBeats: i % 2 })),
    ].filter((t) => !t.type.startsWith('phrase.'));
    const observed = perfect(looped).map((o) => (o.event.type === 'beat' && o.firedAt === 4000 ? { ...o, event: { ...o.event, beat: null } as BridgeEvent } : o));
    const score = scoreShow(looped, observed);
    expect(totals(score)).toEqual({ missing: 0, extra: 0, duplicates: 0, unflaggedLate: 0 });
    expect(score.types.get('beat')?.errors.every((e) => e === 0)).toBe(true);
  });

  it('flags a phrase start fired 200 ms late without saying so, but not one that says late', () => {
    const shifted = perfect(TRUTH).map((o) => (o.event.type === 'phrase.start' && o.event.phrase.startBeat === 17 ? { ...o, firedAt: o.firedAt + 200 } : o));
    expect(totals(scoreShow(TRUTH, shifted)).unflaggedLate).toBe(1);
    const honest = shifted.map((o) => (o.event.type === 'phrase.start' && o.event.phrase.startBeat === 17 ? { ...o, event: { ...o.event, late: true } as unknown as BridgeEvent } : o));
    expect(totals(scoreShow(TRUTH, honest)).unflaggedLate).toBe(0);
  });

  it('counts a firing that says late but came on time: caution that was not needed', () => {
    const cautious = perfect(TRUTH).map((o) => (o.event.type === 'beat' && (o.event.beat === 5 || o.event.beat === 6) ? { ...o, firedAt: o.firedAt + (o.event.beat === 6 ? 80 : 10), event: { ...o.event, late: true } as BridgeEvent } : o));
    const score = scoreShow(TRUTH, cautious);
    // Beat 5 (10 ms off) needed no flag; beat 6 (80 ms late) did.
    expect(score.types.get('beat')?.lateOnTime).toBe(1);
    expect(totals(score).unflaggedLate).toBe(0);
    expect(scoreShow(TRUTH, perfect(TRUTH)).types.get('beat')?.lateOnTime).toBe(0);
  });

  it('counts an event beyond the window as missing plus extra, and a master change that never happened as extra', () => {
    const observed = perfect(TRUTH).map((o) => (o.event.type === 'play' ? { ...o, firedAt: o.firedAt + 5000 } : o));
    observed.push({ event: { type: 'master.change', at: 3000, deck: 2, previousDeck: 1, effectiveBpm: 120 }, firedAt: 3000 });
    const score = scoreShow(TRUTH, observed);
    expect(score.types.get('play')).toMatchObject({ missing: 1, extra: 1, duplicates: 0 });
    expect(score.types.get('master.change')).toMatchObject({ matched: 1, extra: 1, duplicates: 0 });
  });

  it('tells predicted extras a stop overtook from extras for nothing', () => {
    // The deck stops at 8 970, 30 ms short of beat 17 (and phrase 17's start): the truth ends there.
    const truth = TRUTH.filter((t) => t.at < 8970 || t.type === 'track.load');
    const stopped: TruthEvent[] = [...truth, { type: 'stop', at: 8970, deck: 1 }];
    const predicted = (firedAt: number, estimated: boolean): Observed => ({
      event: { type: 'phrase.start', at: 9000, deck: 1, phrase: phraseInfo(17), estimated, late: false, confirmed: !estimated, coasting: false },
      firedAt,
    });
    const base = perfect(stopped);
    const at = (o: Observed): TypeScoreLike => scoreShow(stopped, [...base, o]).types.get('phrase.start') as TypeScoreLike;
    // Predicted for 9 000 and fired then, before the stop could be heard: overtaken.
    expect(at(predicted(9000, true))).toMatchObject({ extra: 1, overtaken: 1 });
    // The same firing 400 ms after the stop: a status would have shown it by then.
    expect(at(predicted(9370, true))).toMatchObject({ extra: 1, overtaken: 0 });
    // One not predicted (from a status, say): an extra for nothing.
    expect(at(predicted(9000, false))).toMatchObject({ extra: 1, overtaken: 0 });
    // Nothing at all for a stop nobody overtook.
    expect(scoreShow(stopped, base).types.get('phrase.start')).toMatchObject({ extra: 0, overtaken: 0 });
  });

  it('takes the end that retracts an overtaken phrase start, and a predicted end a jump brought forward, for what the jump overtook', () => {
    // At 8 900 the deck jumps to beat 3 (no phrase change: phrase 1 goes on), 100 ms short of phrase 17.
    const before = TRUTH.filter((t) => t.at < 8900);
    const jumped: TruthEvent[] = [
      ...before,
      ...Array.from({ length: 4 }, (_, i): TruthEvent => ({ type: 'beat', at: 8900 + i * 500, deck: 1, trackId: 7, beat: 3 + i, beatInBar: ((2 + i) % 4) + 1, cause: i === 0 ? 'action' : 'flow', flowBeats: i })),
    ];
    const phrase = (type: 'phrase.start' | 'phrase.end', startBeat: number, firedAt: number, estimated: boolean): Observed => ({
      event: { type, at: firedAt, deck: 1, phrase: phraseInfo(startBeat), estimated, late: false, confirmed: !estimated, coasting: false },
      firedAt,
    });
    // Predicted at 9 000: phrase 1 ends, 17 starts; the status at 9 050 shows the jump, and 17 ends.
    const observed = [...perfect(jumped), phrase('phrase.end', 1, 9000, true), phrase('phrase.start', 17, 9000, true), phrase('phrase.end', 17, 9050, false)];
    const score = scoreShow(jumped, observed);
    expect(score.types.get('phrase.start')).toMatchObject({ extra: 1, overtaken: 1 });
    // Both ends: 1's, predicted (the jump kept the deck in 1), and 17's, taking back its start.
    expect(score.types.get('phrase.end')).toMatchObject({ extra: 2, overtaken: 2 });
    // Where the jump did end phrase 1 (at 8 900), its predicted end at 9 000 is matched, 100 ms after, and not taken for late.
    const ended: TruthEvent[] = [...jumped, { type: 'phrase.end', at: 8900, deck: 1, trackId: 7, startBeat: 1, kindRaw: 1, cause: 'action' }];
    const endScore = scoreShow(ended, observed).types.get('phrase.end');
    expect(endScore).toMatchObject({ matched: 1, extra: 1, overtaken: 1, unflaggedLate: 0 });
    // Not so for one that was not predicted (a status's): that one was late.
    const fromStatus = observed.map((o) => (o.event.type === 'phrase.end' && o.firedAt === 9000 ? phrase('phrase.end', 1, 9000, false) : o));
    expect(scoreShow(ended, fromStatus).types.get('phrase.end')).toMatchObject({ matched: 1, unflaggedLate: 1 });
    // Phrase 1 started again (a CUE press left the deck in it, and it plays on there): its last end was the overtaken prediction.
    const reopened = [...observed, phrase('phrase.start', 1, 9400, false)];
    expect(scoreShow(jumped, reopened).types.get('phrase.start')).toMatchObject({ extra: 2, overtaken: 2 });
    // Where that end was real (matched), starting phrase 1 again is an extra for nothing.
    expect(scoreShow(ended, reopened).types.get('phrase.start')).toMatchObject({ extra: 2, overtaken: 1 });
  });

  it("counts apart the missing events a roll's wrap made, which no status packet can show", () => {
    // Beat 10 reached again twice by a half-beat roll (at 5 750 and 6 000), neither fired.
    const wraps: TruthEvent[] = [5750, 6000].map((at) => ({ type: 'beat', at, deck: 1, trackId: 7, beat: 10, beatInBar: 2, cause: 'action', flowBeats: 0, rollWrap: true }));
    const rolled = [...TRUTH, ...wraps].sort((x, y) => x.at - y.at);
    const beats = scoreShow(rolled, perfect(TRUTH)).types.get('beat');
    expect(beats).toMatchObject({ missing: 2, rollWraps: 2 });
    // A missing beat that is not a wrap is not one of them.
    const without = perfect(TRUTH).filter((o) => !(o.event.type === 'beat' && o.event.beat === 12));
    expect(scoreShow(rolled, without).types.get('beat')).toMatchObject({ missing: 3, rollWraps: 2 });
  });

  it("lets a roll's wrap take only what fired about then, and holds none of its timing against the bridge", () => {
    // Beat 10 reached again by a half-beat roll at 5 750; the bridge fires 10 once more, 600 ms later, as it says nothing late.
    const wrap: TruthEvent = { type: 'beat', at: 5750, deck: 1, trackId: 7, beat: 10, beatInBar: 2, cause: 'action', flowBeats: 0, rollWrap: true };
    const rolled = [...TRUTH, wrap].sort((x, y) => x.at - y.at);
    const again = (firedAt: number): Observed => ({ event: { type: 'beat', at: firedAt, deck: 1, beat: 10, beatInBar: 2, effectiveBpm: 120, estimated: true, late: false } as BeatEvent, firedAt });
    // Too long after the wrap to be it: the wrap is missed (counted apart) and the firing is an extra.
    expect(scoreShow(rolled, [...perfect(TRUTH), again(6350)]).types.get('beat')).toMatchObject({ missing: 1, rollWraps: 1, extra: 1 });
    // 100 ms after it, without `late`: the wrap, matched, and no late firing held against the bridge.
    expect(scoreShow(rolled, [...perfect(TRUTH), again(5850)]).types.get('beat')).toMatchObject({ missing: 0, extra: 0, unflaggedLate: 0 });
  });

  it('takes a beat number fired again after the deck went back (a loop wrapped) for no repeat: overtaken when a wrap came with it', () => {
    // A 2-beat loop over beats 9 and 10 wraps at 6 000 and 7 000; at 7 990 the DJ has made it a loop of one beat, which
    // wraps at 7 500 and 8 000 instead. The bridge predicted 10 for 7 500 (the longer loop) and fired it then.
    const looped: TruthEvent[] = [
      ...TRUTH.filter((t) => t.at < 5000),
      ...[5000, 6000, 7000].flatMap((at): TruthEvent[] => [
        { type: 'beat', at, deck: 1, trackId: 7, beat: 9, beatInBar: 1, cause: at === 5000 ? 'flow' : 'action', flowBeats: 0 },
        ...(at < 7000 ? [{ type: 'beat', at: at + 500, deck: 1, trackId: 7, beat: 10, beatInBar: 2, cause: 'flow', flowBeats: 1 } as TruthEvent] : []),
      ]),
      { type: 'beat', at: 7500, deck: 1, trackId: 7, beat: 9, beatInBar: 1, cause: 'action', flowBeats: 0 },
    ];
    const ten = (firedAt: number, estimated: boolean): Observed => ({ event: { type: 'beat', at: firedAt, deck: 1, beat: 10, beatInBar: 2, effectiveBpm: 120, estimated, late: false } as BeatEvent, firedAt });
    const beats = (o: Observed): TypeScoreLike & { duplicates: number } => scoreShow(looped, [...perfect(looped), o]).types.get('beat') as never;
    // Predicted for the next pass, overtaken by the wrap of the shorter loop at 7 500: not a repeat of 10 at 6 500.
    expect(beats(ten(7495, true))).toMatchObject({ extra: 1, duplicates: 0, overtaken: 1 });
    // Fired twice within a pass (no wrap between): a repeat.
    expect(beats(ten(6540, true))).toMatchObject({ extra: 1, duplicates: 1 });
    // After the deck went back but with no action at hand: an extra for nothing, neither a repeat nor overtaken.
    expect(beats(ten(7400, true))).toMatchObject({ extra: 1, duplicates: 0, overtaken: 0 });
  });

  it('tells the beat a jump landed inside, fired late as its first beat, from a beat fired twice', () => {
    // At 9 100 the deck beat-jumps from 17.2 back to 13.2, keeping its place in the beat: beat 14 comes at 9 500.
    const jumped: TruthEvent[] = [
      ...TRUTH.filter((t) => t.at <= 9100),
      { type: 'jump', at: 9100, deck: 1, trackId: 7, position: 13.2 },
      ...Array.from({ length: 4 }, (_, i): TruthEvent => ({ type: 'beat', at: 9500 + i * 500, deck: 1, trackId: 7, beat: 14 + i, beatInBar: ((13 + i) % 4) + 1, cause: i === 0 ? 'action' : 'flow', flowBeats: i })),
    ];
    const beat13 = (firedAt: number, late: boolean): Observed => ({
      event: { type: 'beat', at: 9100, deck: 1, beat: 13, beatInBar: 1, effectiveBpm: 120, estimated: true, late } as BeatEvent,
      firedAt,
    });
    const beats = (o: Observed): TypeScoreLike & { duplicates: number; landedInside: number } => scoreShow(jumped, [...perfect(jumped), o]).types.get('beat') as never;
    // Fired as the jump's first beat when the status showed it: the landing, not a repeat of the beat 13 played at 7 000.
    expect(beats(beat13(9250, true))).toMatchObject({ extra: 1, duplicates: 0, landedInside: 1 });
    // Not so without `late`, nor long after the jump.
    expect(beats(beat13(9250, false))).toMatchObject({ extra: 1, landedInside: 0 });
    expect(beats(beat13(9900, true))).toMatchObject({ extra: 1, landedInside: 0 });
  });

  it('lets an event inside an outage arrive after it, and tells whether it said late', () => {
    const outages = [{ from: 8000, to: 12_000 }];
    const observed = perfect(TRUTH).map((o) => (o.event.type.startsWith('phrase.') && o.event.at === 9000 ? { ...o, firedAt: 12_300, event: { ...o.event, late: true } as unknown as BridgeEvent } : o));
    const score = scoreShow(TRUTH, observed, { outages });
    expect(score.types.get('phrase.start')).toMatchObject({ matched: 2, missing: 0 });
    expect(score.outage.flagged).toBe(2);
    expect(score.recoveryMs[0]).toBeCloseTo(0, 6); // a beat at 12 000 fired on time, right as the outage ended
  });

  describe('what the DJ did inside an outage', () => {
    // Deck 1 plays beats 1–40 from 1 000; the link is down 8 000–14 000. Inside it the DJ stops at 9 100 and plays
    // again at 11 100 (the deck plays before and after: nothing after the outage shows either), or only stops.
    const outages = [{ from: 8000, to: 14_000 }];
    const stopPlay = (playAt: number | null): TruthEvent[] => {
      const before = TRUTH.filter((t) => t.type !== 'beat' || t.at < 9100);
      // Played again from where it stopped (in beat 17): beats 18, 19 … every 500 ms from 11 500.
      const resumed = playAt === null ? [] : Array.from({ length: 12 }, (_, i): TruthEvent => ({ type: 'beat', at: playAt + 400 + i * 500, deck: 1, trackId: 7, beat: 18 + i, beatInBar: ((17 + i) % 4) + 1, cause: i === 0 ? 'action' : 'flow', flowBeats: i }));
      return [...before, ...resumed, { type: 'stop' as const, at: 9100, deck: 1 }, ...(playAt === null ? [] : [{ type: 'play' as const, at: playAt, deck: 1 }])].sort((a, b) => a.at - b.at);
    };
    /** What the bridge fires: coasting beats on the old grid through the outage, then from the packets from 14 200. */
    const coastingThenHeard = (truth: readonly TruthEvent[]): Observed[] => {
      const heardAt = 14_200;
      const coasting = perfect(TRUTH.filter((t) => t.type === 'beat' && t.at >= 9100 && t.at < heardAt)).map((o) => ({ ...o, event: { ...o.event, coasting: true } as unknown as BridgeEvent }));
      const packets = perfect(truth.filter((t) => t.at < 8000 || t.at >= heardAt || t.type === 'track.load' || t.type === 'master.change'));
      return [...packets, ...coasting].sort((a, b) => a.firedAt - b.firedAt);
    };

    it('owes nothing for a stop and a play both inside it, nor for the beats from the stop until the deck is heard again', () => {
      const truth = stopPlay(11_100);
      const score = scoreShow(truth, coastingThenHeard(truth), { outages });
      expect(score.types.get('stop')).toMatchObject({ missing: 0, truth: 0 });
      expect(score.types.get('play')).toMatchObject({ missing: 0 });
      // The stop, the play, and the beats from 11 500 to 14 000: the first event from the packets is beat 25 at 14 500.
      expect(score.outage.unseen).toBe(2 + 6);
      expect(score.skippedBeats).toBe(0);
      // The coasting beats fired for the stopped deck are predictions the stop overtook, not unexplained extras.
      const beats = score.types.get('beat') as TypeScoreLike;
      expect(beats.extra).toBeGreaterThan(0);
      expect(beats.overtaken).toBe(beats.extra);
    });

    it('still owes a stop the deck is in when it is heard again, late', () => {
      const truth = stopPlay(null);
      const observed = [...coastingThenHeard(truth).filter((o) => o.event.type !== 'stop'), { event: { type: 'stop', at: 14_200, deck: 1 } as BridgeEvent, firedAt: 14_200 }];
      const score = scoreShow(truth, observed, { outages });
      expect(score.types.get('stop')).toMatchObject({ truth: 1, matched: 1, missing: 0 });
      expect(score.outage.unseen).toBe(0);
      // Without the late stop it is missing.
      expect(scoreShow(truth, coastingThenHeard(truth).filter((o) => o.event.type !== 'stop'), { outages }).types.get('stop')).toMatchObject({ missing: 1 });
    });

    it('takes `coasting` for saying how an event inside it was made, not for firing late unflagged', () => {
      const truth = TRUTH.map((t) => (t.type === 'phrase.end' || (t.type === 'phrase.start' && t.startBeat === 17) ? { ...t, at: 9000 } : t));
      const coastedLate = (coasting: boolean): Observed[] =>
        perfect(truth).map((o) => (o.event.type === 'phrase.end' ? { ...o, firedAt: 9600, event: { ...o.event, coasting } as unknown as BridgeEvent } : o));
      expect(totals(scoreShow(truth, coastedLate(true), { outages })).unflaggedLate).toBe(0);
      expect(totals(scoreShow(truth, coastedLate(false), { outages })).unflaggedLate).toBe(1);
    });
  });

  it('does not judge what happens after `until`, but still matches firings of what came before it', () => {
    const observed = perfect(TRUTH).filter((o) => !(o.event.type === 'beat' && (o.event.beat === 39 || o.event.beat === 40)));
    const lateLast = observed.find((o) => o.event.type === 'beat' && o.event.beat === 38) as Observed;
    const shifted = observed.map((o) => (o === lateLast ? { ...o, firedAt: o.firedAt + 300, event: { ...o.event, late: true } as unknown as BridgeEvent } : o));
    const until = 1000 + 37 * 500 + 100; // just after beat 38's instant
    const score = scoreShow(TRUTH, shifted, { until });
    expect(score.types.get('beat')).toMatchObject({ truth: 38, matched: 38, missing: 0, extra: 0 });
    // Without it, the two beats the run stopped before are missing.
    expect(scoreShow(TRUTH, shifted).types.get('beat')).toMatchObject({ missing: 2 });
  });

  describe('on a real bridge stream (the hand-offs show, virtual time)', () => {
    let run: ShowRun;
    let baseline: ShowScore;
    beforeAll(async () => {
      const show = SHOW_CASES.find((c) => c.name === 'handoffs');
      if (show === undefined) throw new Error('no handoffs case');
      run = await runShow({ scenario: show.scenario, seed: 1, mode: show.mode, durationMs: show.durationMs });
      baseline = scoreShow(run.truth, run.observed);
    });

    it('sees the rules fire through the output path', () => {
      expect(run.observed.length).toBeGreaterThan(300);
      // Every firing sent its MIDI message (the run plays on a little past the end, so there may be more).
      expect(run.sent).toBeGreaterThanOrEqual(run.observed.length);
      expect(baseline.types.get('beat')?.matched).toBeGreaterThan(300);
    });

    it('notices one settled beat dropped, one phrase start repeated, one fired late and one master change invented', () => {
      const settledBeat = run.truth.find((t) => t.type === 'beat' && t.flowBeats > 40);
      const phrase = run.observed.find((o) => o.event.type === 'phrase.start' && o.firedAt > 20_000) as Observed;
      const otherPhrase = run.observed.find((o) => o.event.type === 'phrase.start' && o.firedAt > 40_000) as Observed;
      if (settledBeat?.type !== 'beat') throw new Error('no settled beat');
      const broken = run.observed
        .filter((o) => !(o.event.type === 'beat' && o.event.deck === settledBeat.deck && o.event.beat === settledBeat.beat && Math.abs(o.firedAt - settledBeat.at) < 100))
        .map((o) => (o === otherPhrase ? { ...o, firedAt: o.firedAt + 300 } : o));
      broken.push({ ...phrase, firedAt: phrase.firedAt + 150 });
      broken.push({ event: { type: 'master.change', at: 50_000, deck: 4, previousDeck: 1, effectiveBpm: 122 }, firedAt: 50_000 });
      const score = scoreShow(run.truth, broken);
      expect(score.skippedBeats).toBe(baseline.skippedBeats + 1);
      expect((score.types.get('phrase.start')?.duplicates ?? 0) - (baseline.types.get('phrase.start')?.duplicates ?? 0)).toBe(1);
      expect(totals(score).unflaggedLate).toBe(totals(baseline).unflaggedLate + 1);
      expect((score.types.get('master.change')?.extra ?? 0) - (baseline.types.get('master.change')?.extra ?? 0)).toBe(1);
    });
  });
});
