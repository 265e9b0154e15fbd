import { TestScheduler } from 'rxjs/testing';
import { takeUntil, timer } from 'rxjs';
import { createBridgeStreams } from '../../src/streams/bridge-streams';
import type { PhraseEvent } from '../../src/events/bridge-event';
import { deckStatuses, playOut, pssiChunks } from './opus-timeline';

const BPM = 125; // 480 ms a beat

function label(e: PhraseEvent): string {
  return `${e.deck} ${e.type} ${e.phrase.label} [${e.phrase.startBeat}-${e.phrase.endBeat})`;
}

describe('phrase cues from an OPUS-QUAD through the stream layer', () => {
  it('starts a playing deck\'s phrase once, when another deck\'s load makes the OPUS send its phrase data again; a stopped deck shows its phrase and fires no cue', () => {
    const phrases: string[] = [];
    const deck2: (string | null)[] = [];
    const testScheduler = new TestScheduler(() => undefined);
    testScheduler.run(() => {
      const timeline = [
        // Deck 1 plays track 184 from beat 2 (Chorus [1-37)); deck 2 loads track 185 at 2.8 s and stays stopped at beat 1.
        ...deckStatuses(1, BPM, [{ from: 0, to: 4000, trackId: 184, beat: 2, playing: true }]),
        ...deckStatuses(2, BPM, [{ from: 2800, to: 4000, trackId: 185, beat: 1, playing: false }], 50),
        ...pssiChunks(1, 184, 300),
        // The answer to deck 2's request carries the data of both loaded decks.
        ...pssiChunks(1, 184, 3000),
        ...pssiChunks(2, 185, 3000),
      ];
      const streams = createBridgeStreams(playOut(timeline), { scheduler: testScheduler, phraseRetryMs: 60_000 });
      streams.phrases$.pipe(takeUntil(timer(4000))).subscribe((e) => phrases.push(label(e)));
      streams.deck(2).pipe(takeUntil(timer(4000))).subscribe((d) => deck2.push(d.phrase === null ? null : d.phrase.label));
    });
    expect(phrases).toEqual(['1 phrase.start Chorus [1-37)']);
    // Deck 2's state shows the phrase it is cued in once its data has arrived.
    expect(deck2.at(0)).toBeNull();
    expect(deck2.at(-1)).toBe('Chorus');
  });

  it('marks a phrase start predicted from estimated beats; for rules with confirm, drops it when the deck jumps instead of playing it', () => {
    const phrases: PhraseEvent[] = [];
    const confirmed: { readonly event: PhraseEvent; readonly sentAt: number }[] = [];
    const dropped: string[] = [];
    const testScheduler = new TestScheduler(() => undefined);
    testScheduler.run(() => {
      // Deck 1 plays from beat 60; beat 73 (Verse 1 [73-121)) is due at 6240 ms, but at 6230 ms the DJ jumps to beat 200.
      const timeline = [
        ...deckStatuses(1, BPM, [
          { from: 0, to: 6230, trackId: 184, beat: 60, playing: true },
          { from: 6230, to: 8000, trackId: 184, beat: 200, playing: true },
        ], 10),
        ...pssiChunks(1, 184, 100),
      ];
      const streams = createBridgeStreams(playOut(timeline), { scheduler: testScheduler, phraseRetryMs: 60_000 });
      const until = timer(8000);
      streams.phrases$.pipe(takeUntil(until)).subscribe((e) => phrases.push(e));
      streams.confirmedPhrases$.pipe(takeUntil(until)).subscribe((event) => confirmed.push({ event, sentAt: testScheduler.now() }));
      streams.unconfirmed$.pipe(takeUntil(until)).subscribe((u) => dropped.push(`${u.reason} ${u.event.type === 'beat' ? `beat ${u.event.beat}` : label(u.event)}`));
    });
    // The predictive default fires "Verse 1 at 73" on time, marked as a prediction, then follows the status to the jump.
    const late = phrases.filter((e) => e.at > 6000 && e.at < 6500);
    expect(late.map((e) => `${label(e)} estimated=${e.estimated} confirmed=${e.confirmed}`)).toEqual([
      '1 phrase.end Verse 1 [37-73) estimated=true confirmed=false',
      '1 phrase.start Verse 1 [73-121) estimated=true confirmed=false',
      '1 phrase.end Verse 1 [73-121) estimated=false confirmed=true',
      '1 phrase.start Verse 5 [193-201) estimated=false confirmed=true',
    ]);
    // Rules with confirm: true never see the phrase the deck skipped: the status that shows the jump moves them on.
    const jump = confirmed.filter((c) => c.event.at > 6000 && c.event.at < 6700);
    expect(jump.map((c) => label(c.event))).toEqual(['1 phrase.end Verse 1 [37-73)', '1 phrase.start Verse 5 [193-201)']);
    expect(jump.every((c) => c.event.at === c.sentAt && c.event.at >= 6240 && !c.event.estimated)).toBe(true);
    expect(confirmed.every((c) => c.event.confirmed)).toBe(true);
    // Counted: the beat and what it would have caused.
    expect([...dropped].sort()).toEqual(['jump 1 phrase.end Verse 1 [37-73)', 'jump 1 phrase.start Verse 1 [73-121)', 'jump beat 73']);
  });

  it('fires confirmed phrase changes and beats in steady play within one status period of their instant, dropping none', () => {
    const beats: number[] = [];
    const confirmedBeats: { readonly beat: number | null; readonly delay: number; readonly confirmed: boolean }[] = [];
    const confirmed: { readonly event: PhraseEvent; readonly delay: number }[] = [];
    let dropped = 0;
    const testScheduler = new TestScheduler(() => undefined);
    testScheduler.run(() => {
      const timeline = [...deckStatuses(1, BPM, [{ from: 0, to: 8000, trackId: 184, beat: 60, playing: true }], 10), ...pssiChunks(1, 184, 100)];
      const streams = createBridgeStreams(playOut(timeline), { scheduler: testScheduler, phraseRetryMs: 60_000 });
      const until = timer(8000);
      streams.beats$.pipe(takeUntil(until)).subscribe((b) => beats.push(b.beat ?? -1));
      streams.confirmedBeats$.pipe(takeUntil(until)).subscribe((b) => confirmedBeats.push({ beat: b.beat, delay: testScheduler.now() - b.at, confirmed: b.confirmed }));
      streams.confirmedPhrases$.pipe(takeUntil(until)).subscribe((event) => confirmed.push({ event, delay: testScheduler.now() - event.at }));
      streams.unconfirmed$.pipe(takeUntil(until)).subscribe(() => dropped++);
    });
    expect(dropped).toBe(0);
    expect(beats.length).toBeGreaterThan(10);
    // Every beat but those still waiting for a status when the show ends.
    expect(confirmedBeats.map((b) => b.beat)).toEqual(beats.slice(0, confirmedBeats.length));
    expect(beats.length - confirmedBeats.length).toBeLessThanOrEqual(1);
    // Held until the next status: late by one status period at most, once the estimate has settled (a status
    // sent just before an early-predicted beat still shows the beat before, and the next one confirms it).
    expect(confirmedBeats.every((b) => b.confirmed && b.delay >= 0 && b.delay <= 400)).toBe(true);
    expect(confirmedBeats.filter((b) => (b.beat ?? 0) >= 64).every((b) => b.delay <= 200)).toBe(true);
    const changes = confirmed.filter((c) => c.event.at > 6000);
    expect(changes.map((c) => `${label(c.event)} estimated=${c.event.estimated} late=${c.event.late}`)).toEqual([
      '1 phrase.end Verse 1 [37-73) estimated=true late=false',
      '1 phrase.start Verse 1 [73-121) estimated=true late=false',
    ]);
    expect(changes.every((c) => c.delay > 0 && c.delay <= 200)).toBe(true);
  });
});
