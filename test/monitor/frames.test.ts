import { TestScheduler } from 'rxjs/testing';
import { map } from 'rxjs';
import { liveFrames, plainFrames } from '../../src/monitor/frames';
import { frameBytes } from '../../src/monitor/screen-drivers';
import { isQuitKey } from '../../src/monitor/keys';
import { initialMonitorState, type MonitorState } from '../../src/monitor/monitor-state';

function scheduler(): TestScheduler {
  return new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
}

const quiet: MonitorState = initialMonitorState('test', 0);
const busy: MonitorState = { ...quiet, counters: { packets: 5, malformed: 0, events: 1, sent: 1, unsent: 0 } };

describe('live frames', () => {
  it('draws at once, then at the frame rate only when the screen changed (new data, the uptime ticking)', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const states = cold('a 250ms b', { a: quiet, b: busy });
      const frames = liveFrames(states, { scheduler: ts, everyMs: 100, size: () => ({ width: 100, height: 30 }), look: {} });
      expectObservable(frames.pipe(map((f) => `${f.lines[0]?.slice(-40)} | ${f.lines[1]?.slice(-7)}`)), '^ 1050ms !').toBe('a 299ms b 699ms c', {
        a: 'packets 0  malformed 0  events 0  sent 0 | up 0:00',
        b: 'packets 5  malformed 0  events 1  sent 1 | up 0:00',
        c: 'packets 5  malformed 0  events 1  sent 1 | up 0:01',
      });
    });
  });

  it('draws again when the terminal is resized', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      let width = 100;
      ts.schedule(() => (width = 80), 150);
      const frames = liveFrames(cold('a', { a: quiet }), { scheduler: ts, everyMs: 100, size: () => ({ width, height: 30 }), look: {} });
      expectObservable(frames.pipe(map((f) => f.width)), '^ 450ms !').toBe('a 199ms b', { a: 100, b: 80 });
    });
  });
});

describe('plain frames', () => {
  it('writes a frame every second, separated by a rule as wide as the frame', () => {
    const ts = scheduler();
    ts.run(({ cold, expectObservable }) => {
      const states = cold('a 1500ms b', { a: quiet, b: busy });
      const frames = plainFrames(states, { scheduler: ts, everyMs: 1000, width: 60, height: 6, look: {} });
      const rule = '─'.repeat(48);
      expectObservable(frames, '^ 2500ms !').toBe('1000ms a 999ms b', {
        a: [
          'test │ starting     packets 0  malformed 0  events 0  sent 0',
          'no master │ devices none heard yet                   up 0:01',
          '',
          'waiting for deck status from the DJ gear…',
          `── activity ${rule}`,
          '',
        ].join('\n'),
        b: [
          '─'.repeat(60),
          'test │ starting     packets 5  malformed 0  events 1  sent 1',
          'no master │ devices none heard yet                   up 0:02',
          '',
          'waiting for deck status from the DJ gear…',
          `── activity ${rule}`,
          '',
        ].join('\n'),
      });
    });
  });
});

describe('frameBytes', () => {
  const frame = (lines: string[], width = 100, height = 30): { lines: string[]; width: number; height: number } => ({ lines, width, height });

  it('clears the screen for the first frame and after a resize, and rewrites each line in place', () => {
    expect(frameBytes(frame(['ab', 'c']), null)).toBe('\x1b[2J\x1b[1;1H\x1b[2Kab\x1b[2;1H\x1b[2Kc\x1b[3;1H\x1b[J');
    expect(frameBytes(frame(['ab']), frame(['ab', 'c']))).toBe('\x1b[1;1H\x1b[2Kab\x1b[2;1H\x1b[J');
    expect(frameBytes(frame(['ab'], 80), frame(['ab']))).toBe('\x1b[2J\x1b[1;1H\x1b[2Kab\x1b[2;1H\x1b[J');
  });

  it('does not clear below a frame that fills the screen (that would erase its last line)', () => {
    expect(frameBytes(frame(['a', 'b'], 10, 2), frame(['a', 'b'], 10, 2))).toBe('\x1b[1;1H\x1b[2Ka\x1b[2;1H\x1b[2Kb');
  });
});

describe('quit keys', () => {
  it.each([
    ['q', true],
    ['Q', true],
    ['\x1b', true],
    ['\x03', true],
    ['xq', true],
    ['\x1b[A', false], // arrow up
    ['\x1b[1;5Q', false],
    [' ', false],
    ['\r', false],
  ])('%j → %s', (data, quits) => {
    expect(isQuitKey(data)).toBe(quits);
  });
});
