/**
 * The engine's kept views are made with their fields listed up front
 * (reused-context.ts), so the lists must name what the writers write, in the
 * order they write it: a field left off a list still works, but is stored in
 * a way that makes every read of a float a new number object.
 */
import type { BeatEvent, TempoEvent } from '../../src/events/bridge-event';
import { BEAT_VIEW_FIELDS, DECK_VIEW_FIELDS, TEMPO_VIEW_FIELDS, eventView, writeEventFields, writePlainDeckData } from '../../src/mapping/expression-context';
import { deck } from './engine-support';

describe('expression view fields', () => {
  it('name every field of a deck view, in the order it is written', () => {
    expect(Object.keys(writePlainDeckData({}, deck(1, { effectiveBpm: 128.5 })))).toEqual([...DECK_VIEW_FIELDS]);
  });

  it("name every field of a beat's view, a confirmed beat's too, in the order it is written", () => {
    const beat: BeatEvent = { type: 'beat', at: 500.5, deck: 1, beat: 5, beatInBar: 1, effectiveBpm: 128.5, estimated: true, late: false, coasting: false };
    expect(Object.keys(eventView(beat))).toEqual([...BEAT_VIEW_FIELDS]);
    expect(Object.keys(eventView({ ...beat, confirmed: true } as BeatEvent))).toEqual([...BEAT_VIEW_FIELDS]);
  });

  it("name every field of a tempo event's view", () => {
    const tempo: TempoEvent = { type: 'tempo', at: 100.5, deck: 2, effectiveBpm: 128.25, previousBpm: null };
    expect(Object.keys(writeEventFields({}, tempo))).toEqual([...TEMPO_VIEW_FIELDS]);
  });
});
