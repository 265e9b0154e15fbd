/**
 * The stream layer hands some of its internal messages over in objects it
 * rewrites for the next one (deck signals, phrase positions): nothing per
 * status packet is left for the garbage collector. A message handed over
 * while another is still being delivered (a consumer that synchronously
 * leads to the next input) must get an object of its own, so the one under
 * way stays whole for whoever reads it after the nested delivery.
 */
import { Subject } from 'rxjs';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { DeckState } from '../../src/events/deck-state';
import { deckSignals, type DeckSignal } from '../../src/streams/deck-signals';
import { phrasePositions } from '../../src/streams/phrase-positions';
import type { PhraseInput } from '../../src/streams/phrase-tracker';

function state(deck: number, beat: number, at: number): DeckState {
  return {
    deck,
    device: deck + 8,
    deviceName: 'OPUS-QUAD',
    trackId: 100 + deck,
    trackDevice: deck + 8,
    slot: 'usb',
    playState: 'playing',
    playing: true,
    moving: true,
    master: deck === 1,
    handingTo: null,
    sync: false,
    onAir: true,
    bpm: 120,
    pitch: 1,
    effectiveBpm: 120,
    beat,
    beatInBar: ((beat - 1) % 4) + 1,
    phrase: null,
    track: null,
    updatedAt: at,
  };
}

function beatEvent(deck: number, n: number, at: number): BeatEvent {
  return { type: 'beat', at, deck, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: 120, estimated: true, late: false, coasting: false };
}

const describeSignal = (s: DeckSignal): string => (s.kind === 'status' ? `status ${s.state.deck}:${s.state.beat}` : `${s.kind} ${s.beat.deck}:${s.beat.beat}`);

describe('deck signals', () => {
  it('wrap each state and beat as it comes, in order', () => {
    const decks = new Subject<DeckState>();
    const beats = new Subject<BeatEvent>();
    const seen: string[] = [];
    const sub = deckSignals(decks, beats).subscribe((s) => seen.push(describeSignal(s)));
    decks.next(state(1, 5, 0));
    beats.next(beatEvent(1, 6, 100));
    decks.next(state(2, 9, 150));
    decks.next(state(1, 6, 200));
    sub.unsubscribe();
    expect(seen).toEqual(['status 1:5', 'beat 1:6', 'status 2:9', 'status 1:6']);
  });

  it('keep a signal under way whole while a nested one is delivered', () => {
    const decks = new Subject<DeckState>();
    const beats = new Subject<BeatEvent>();
    const seen: string[] = [];
    let nested = false;
    const sub = deckSignals(decks, beats).subscribe((s) => {
      const before = describeSignal(s);
      if (!nested && s.kind === 'status') {
        nested = true;
        decks.next(state(2, 40, 10)); // delivered inside the delivery of deck 1's state
        beats.next(beatEvent(3, 7, 11));
      }
      // Read again after the nested deliveries: still the signal this call was handed.
      seen.push(`${before} -> ${describeSignal(s)}`);
    });
    decks.next(state(1, 5, 0));
    decks.next(state(1, 6, 200));
    sub.unsubscribe();
    expect(seen).toEqual(['status 2:40 -> status 2:40', 'beat 3:7 -> beat 3:7', 'status 1:5 -> status 1:5', 'status 1:6 -> status 1:6']);
  });

  it('give every subscription its own wrappers', () => {
    const decks = new Subject<DeckState>();
    const signals = deckSignals(decks, new Subject<BeatEvent>());
    const a: DeckSignal[] = [];
    const b: DeckSignal[] = [];
    const subA = signals.subscribe((s) => a.push(s));
    const subB = signals.subscribe((s) => b.push(s));
    decks.next(state(1, 5, 0));
    subA.unsubscribe();
    subB.unsubscribe();
    expect(a[0]).not.toBe(b[0]);
  });
});

describe('phrase positions', () => {
  const positionOf = (p: PhraseInput): string => (p.kind === 'position' ? `${p.deck}:${p.beat}@${p.at}${p.late ? ' late' : ''}` : p.kind);

  it('keep a position under way whole while a nested one is delivered', () => {
    const signals = new Subject<DeckSignal>();
    const seen: string[] = [];
    let nested = false;
    const sub = signals.pipe(phrasePositions()).subscribe((p) => {
      const before = positionOf(p);
      if (!nested) {
        nested = true;
        signals.next({ kind: 'beat', beat: beatEvent(2, 17, 300) });
      }
      seen.push(`${before} -> ${positionOf(p)}`);
    });
    signals.next({ kind: 'status', state: state(1, 5, 0) });
    signals.next({ kind: 'beat', beat: beatEvent(1, 6, 480) });
    sub.unsubscribe();
    expect(seen).toEqual(['2:17@300 -> 2:17@300', '1:5@0 late -> 1:5@0 late', '1:6@480 -> 1:6@480']);
  });
});
