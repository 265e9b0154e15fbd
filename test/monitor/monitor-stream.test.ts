import { TestScheduler } from 'rxjs/testing';
import { map, NEVER, type Observable } from 'rxjs';
import { monitorState, type MonitorSources } from '../../src/monitor/monitor-stream';
import type { LogLine, MonitorState, TailEntry } from '../../src/monitor/monitor-state';
import { deckStateOf } from '../../src/streams/deck-states';
import type { DeckState, PhraseInfo } from '../../src/events/deck-state';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { Activity } from '../../src/app/bridge';
import type { DeviceChange } from '../../src/streams/devices';
import { received, type StatusFields } from '../streams/status-bytes';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

/** A deck state decoded from a real status packet with these fields. */
function deck(fields: StatusFields, at: number, phrase: PhraseInfo | null = null): DeckState {
  return { ...deckStateOf(received(fields, at)), phrase };
}

const CHORUS: PhraseInfo = { index: 5, kind: 'chorus', family: 'chorus', label: 'Chorus', mood: 'mid', bank: 'default', startBeat: 129, endBeat: 193, bars: 16, fillBeat: 185 };

function beat(deckNumber: number, n: number, at: number, estimated = true): BeatEvent {
  return { type: 'beat', at, deck: deckNumber, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: 124, estimated, late: false, coasting: false };
}

function sources(over: Partial<MonitorSources>): MonitorSources {
  return { decks: NEVER, beats: NEVER, devices: NEVER, master: NEVER, activity: NEVER, logs: NEVER, status: NEVER, ...over };
}

function deckSummary(s: MonitorState): string {
  return s.decks
    .map((d) => `${d.deck}:${d.beat ?? '-'}/${d.beatInBar ?? '-'}/${d.bar ?? '-'}${d.estimated === true ? '~' : ''} ${d.phrase === null ? 'no phrase' : `${d.phrase.label} ${Math.round(d.phrase.progress * 64)}/64`}`)
    .join(' | ');
}

function tailSummary(s: MonitorState): string[] {
  return s.tail.map((e: TailEntry) => (e.kind === 'fired' ? `${e.rule}×${e.count}@${e.at}: ${e.sent.join('; ')}` : `${e.level} ${e.message}@${e.at}`));
}

describe('monitor view model', () => {
  it('starts empty, then shows each deck from its status packets, in deck order', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const decks: Observable<DeckState> = cold('10ms a 9ms b 9ms c', {
        a: deck({ device: 3, trackId: 77, bpm: 128, beat: 9, beatInBar: 1, playing: true }, 10),
        b: deck({ device: 2, trackId: 55, bpm: 120, pitch: 1.02, beat: 1, beatInBar: 1 }, 20),
        c: deck({ device: 3, trackId: 77, bpm: 128, beat: 10, beatInBar: 2, playing: true }, 30),
      });
      const states = monitorState(sources({ decks }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map((s) => s.decks.map((d) => `${d.deck}:${d.trackId}:${d.playState}:${d.effectiveBpm?.toFixed(2)}:${d.pitchPercent.toFixed(2)}:${d.beat}`).join(' ')))).toBe(
        'a 9ms b 9ms c 9ms d',
        { a: '', b: '3:77:playing:128.00:0.00:9', c: '2:55:paused:122.40:2.00:1 3:77:playing:128.00:0.00:9', d: '2:55:paused:122.40:2.00:1 3:77:playing:128.00:0.00:10' },
      );
    });
  });

  it('lets a beat event lead the status beat by one, and follows the status when it jumps', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      // Status packets report beat 129 (the chorus' first beat) and 130; the estimator's beats land between them.
      const decks = cold('10ms a 199ms b 199ms c', {
        a: deck({ device: 9, name: 'OPUS-QUAD', trackId: 501, bpm: 124, beat: 129, beatInBar: 1, playing: true }, 10, CHORUS),
        b: deck({ device: 9, name: 'OPUS-QUAD', trackId: 501, bpm: 124, beat: 130, beatInBar: 2, playing: true }, 210, CHORUS),
        c: deck({ device: 9, name: 'OPUS-QUAD', trackId: 501, bpm: 124, beat: 33, beatInBar: 1, playing: true }, 410, null),
      });
      const beats = cold('110ms x 249ms y', { x: beat(1, 130, 110), y: beat(1, 131, 360) });
      const states = monitorState(sources({ decks, beats }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map(deckSummary))).toBe('a 9ms b 99ms c 99ms c 149ms d 49ms e', {
        a: '',
        b: '1:129/1/33 Chorus 1/64',
        c: '1:130/2/33~ Chorus 2/64', // the beat event leads, and the status agrees
        d: '1:131/3/33~ Chorus 3/64', // the beat event is one ahead of the status
        e: '1:33/1/9~ no phrase', // a jump back: the status wins
      });
    });
  });

  it('keeps the status beat when the last beat event is stale', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const decks = cold('10ms a 1999ms b', {
        a: deck({ device: 2, trackId: 1, bpm: 120, beat: 16, beatInBar: 4, playing: true }, 10),
        b: deck({ device: 2, trackId: 1, bpm: 120, beat: 17, beatInBar: 1, playing: false }, 2010),
      });
      const beats = cold('11ms x', { x: beat(2, 16, 11, false) });
      const states = monitorState(sources({ decks, beats }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map(deckSummary))).toBe('a 9ms b c 1998ms d', {
        a: '',
        b: '2:16/4/4 no phrase',
        c: '2:16/4/4 no phrase',
        d: '2:17/1/5 no phrase',
      });
    });
  });

  it('ignores a beat for a deck it has no status for', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const states = monitorState(sources({ beats: cold('5ms x', { x: beat(3, 1, 5) }) }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map((s) => s.decks.length))).toBe('a 4ms a', { a: 0 });
    });
  });

  it('lists the devices heard, and drops lost ones', () => {
    const info = (device: number, name: string): DeviceChange['device'] => ({ device, name, address: `169.254.1.${device}`, mac: '00:00:00:00:00:00', type: 'player', isOpus: false, lastSeen: 0 });
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const devices = cold('-a-b-c-d', {
        a: { type: 'appeared', device: info(3, 'CDJ-2000NXS2'), at: 0 } satisfies DeviceChange,
        b: { type: 'appeared', device: info(2, 'CDJ-3000'), at: 1 } satisfies DeviceChange,
        c: { type: 'changed', device: info(3, 'CDJ-3000'), at: 2 } satisfies DeviceChange,
        d: { type: 'lost', device: info(2, 'CDJ-3000'), at: 3 } satisfies DeviceChange,
      });
      const states = monitorState(sources({ devices }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map((s) => s.devices.map((d) => `${d.name}#${d.device}`).join(',')))).toBe('ab-c-d-e', {
        a: '',
        b: 'CDJ-2000NXS2#3',
        c: 'CDJ-3000#2,CDJ-2000NXS2#3',
        d: 'CDJ-3000#2,CDJ-3000#3',
        e: 'CDJ-3000#3',
      });
    });
  });

  it('moves a rule that fires again to the end of the tail, counting, with the messages it sent last', () => {
    const fired = (rule: string, n: number): Activity => ({
      kind: 'fired',
      rule,
      event: beat(1, n, n),
      commands: [{ kind: 'osc', target: 'show', rule, address: `/bridge/${rule}`, args: [{ type: 'int', value: n }] }],
    });
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const activity = cold('10ms a 9ms b 9ms c', { a: fired('beat', 1), b: fired('downbeat', 2), c: fired('beat', 3) });
      const states = monitorState(sources({ activity }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map(tailSummary))).toBe('a 9ms b 9ms c 9ms d', {
        a: [],
        b: ['beat×1@10: show /bridge/beat int:1'],
        c: ['beat×1@10: show /bridge/beat int:1', 'downbeat×1@20: show /bridge/downbeat int:2'],
        d: ['downbeat×1@20: show /bridge/downbeat int:2', 'beat×2@30: show /bridge/beat int:3'],
      });
    });
  });

  it('shows a notice once when it arrives both as activity and as a log record, but repeats of a log record each time', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const notice = 'OPUS-QUAD found at 169.254.40.9';
      const activity = cold('10ms a', { a: { kind: 'notice', level: 'info', message: notice } satisfies Activity });
      const logs = cold<LogLine>('10ms a 9ms b 9ms b', {
        a: { level: 'info', message: notice, detail: 'code=opus-found' },
        b: { level: 'warn', message: 'phrase data received', detail: 'deck=1' },
      });
      const states = monitorState(sources({ activity, logs }), { source: 'test', scheduler: ts });
      expectObservable(states.pipe(map(tailSummary))).toBe('a 9ms (bc) 6ms d 9ms e', {
        a: [],
        b: [`info ${notice}@10`],
        c: [`info ${notice}@10`],
        d: [`info ${notice}@10`, 'warn phrase data received@20'],
        e: [`info ${notice}@10`, 'warn phrase data received@20', 'warn phrase data received@30'],
      });
    });
  });

  it('keeps the last tailSize entries, and shows output reports with how many were held back', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const report = (n: number): Activity => ({
        kind: 'report',
        report: { level: 'error', target: 'lights', code: 'midi-gone', message: `problem ${n}`, suppressed: n },
      });
      const activity = cold('1ms a b c d', { a: report(0), b: report(1), c: report(2), d: report(3) });
      const states = monitorState(sources({ activity }), { source: 'test', scheduler: ts, tailSize: 2 });
      expectObservable(
        states.pipe(map((s) => s.tail.map((e) => (e.kind === 'message' ? `${e.level} ${e.message} ${e.detail}`.trim() : '')))),
      ).toBe('abcde', {
        a: [],
        b: ['error problem 0'],
        c: ['error problem 0', 'error problem 1 (1 more like it held back)'],
        d: ['error problem 1 (1 more like it held back)', 'error problem 2 (2 more like it held back)'],
        e: ['error problem 2 (2 more like it held back)', 'error problem 3 (3 more like it held back)'],
      });
    });
  });

  it('takes counters and mode from the bridge status samples, and the master from the master stream', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const status = cold('-a 249ms b', {
        a: { counters: { packets: 10, malformed: 0, events: 2, sent: 1, unsent: 0 }, mode: 'auto: listening' },
        b: { counters: { packets: 60, malformed: 1, events: 12, sent: 9, unsent: 2 }, mode: 'lighting mode' },
      });
      const master = cold('--m', { m: { deck: 2, effectiveBpm: 126, at: 0 } });
      const states = monitorState(sources({ status, master }), { source: 'test', scheduler: ts });
      expectObservable(
        states.pipe(map((s) => `${s.mode ?? 'none'} ${Object.values(s.counters).join('/')} master ${s.master?.deck ?? '-'}`)),
      ).toBe('abc 248ms d', {
        a: 'none 0/0/0/0/0 master -',
        b: 'auto: listening 10/0/2/1/0 master -',
        c: 'auto: listening 10/0/2/1/0 master 2',
        d: 'lighting mode 60/1/12/9/2 master 2',
      });
    });
  });
});
