import { RateLimiter, OVERFLOW_KEY, formatCount, withSuppressed } from '../../src/log/rate-limited';
import { LimitedLog } from '../../src/log/limited-log';
import { RateLimitedReporter, type OutputReport } from '../../src/outputs/reporter';
import { recordingLogger, standsFor } from './recording-logger';

function virtualClock(): { now: () => number; set: (t: number) => void } {
  let time = 0;
  return { now: () => time, set: (t) => (time = t) };
}

describe('RateLimiter', () => {
  it('lets one line per key per interval through and counts what it holds back', () => {
    const clock = virtualClock();
    const limiter = new RateLimiter<string>(clock.now);
    expect(limiter.admit('a', 'first')).toEqual({ key: 'a', payload: 'first', suppressed: 0, spanMs: 0 });
    clock.set(100);
    expect(limiter.admit('a', 'second')).toBeNull();
    expect(limiter.admit('b', 'other key')).not.toBeNull(); // another problem is not held back by the first
    clock.set(4999);
    expect(limiter.admit('a', 'third')).toBeNull();
    clock.set(5000);
    expect(limiter.admit('a', 'fourth')).toEqual({ key: 'a', payload: 'fourth', suppressed: 2, spanMs: 5000 });
    clock.set(5001);
    expect(limiter.admit('a', 'fifth')).toBeNull();
  });

  it('hands out what was held back once its interval is over, as one line with the count', () => {
    const clock = virtualClock();
    const limiter = new RateLimiter<string>(clock.now);
    limiter.admit('a', 'm0');
    for (let t = 1; t <= 300; t++) {
      clock.set(t);
      limiter.admit('a', `m${t}`);
    }
    clock.set(4000);
    expect(limiter.due()).toEqual([]); // the interval is not over yet
    clock.set(5200);
    expect(limiter.due()).toEqual([{ key: 'a', payload: 'm300', suppressed: 299, spanMs: 5200 }]);
    expect(limiter.due()).toEqual([]); // handed out once
    clock.set(5300);
    expect(limiter.admit('a', 'again')).toBeNull(); // the flushed line opened a new interval
    clock.set(20_000);
    expect(limiter.due()).toHaveLength(1);
    clock.set(40_000);
    expect(limiter.due()).toEqual([]);
    expect(limiter.size).toBe(0); // quiet for a whole interval: forgotten
  });

  it('lets a burst through per interval when asked, then holds back', () => {
    const clock = virtualClock();
    const limiter = new RateLimiter<number>(clock.now);
    const passed = [1, 2, 3, 4, 5].filter((n) => limiter.admit('devices', n, 3) !== null);
    expect(passed).toEqual([1, 2, 3]);
    clock.set(6000);
    expect(limiter.admit('devices', 6, 3)?.suppressed).toBe(2);
  });

  it('stays bounded when every occurrence names a new problem', () => {
    const clock = virtualClock();
    const limiter = new RateLimiter<number>(clock.now, { maxKeys: 10 });
    let printed = 0;
    for (let i = 0; i < 10_000; i++) if (limiter.admit(`device-${i}`, i) !== null) printed++;
    expect(limiter.size).toBeLessThanOrEqual(11);
    expect(printed).toBe(11); // ten keys, then one line for all the rest
    clock.set(5000);
    const due = limiter.due();
    expect(due).toEqual([{ key: OVERFLOW_KEY, payload: 9999, suppressed: 9988, spanMs: 5000 }]);
  });

  it('forgets a solved problem and returns what it held back', () => {
    const clock = virtualClock();
    const limiter = new RateLimiter<string>(clock.now);
    limiter.admit('a', 'x');
    limiter.admit('a', 'y');
    limiter.admit('a', 'z');
    clock.set(10);
    expect(limiter.resolve('a')).toEqual({ key: 'a', payload: 'z', suppressed: 1, spanMs: 10 });
    expect(limiter.admit('a', 'again')).not.toBeNull();
  });

  it('says when something is held back, and when the first held-back line is due', () => {
    const clock = virtualClock();
    let holds = 0;
    const limiter = new RateLimiter<string>(clock.now, { onHold: () => holds++ });
    expect(limiter.nextDue()).toBeNull();
    limiter.admit('a', 'a0');
    expect(limiter.nextDue()).toBeNull(); // shown, nothing held
    expect(holds).toBe(0);
    clock.set(300);
    limiter.admit('b', 'b0');
    clock.set(700);
    limiter.admit('b', 'b1');
    limiter.admit('a', 'a1');
    expect(holds).toBe(2);
    expect(limiter.nextDue()).toBe(5000); // a's interval began at 0, b's at 300
    clock.set(5000);
    expect(limiter.due().map((l) => l.key)).toEqual(['a']);
    expect(limiter.nextDue()).toBe(5300);
    clock.set(5300);
    expect(limiter.due().map((l) => l.key)).toEqual(['b']);
    expect(limiter.nextDue()).toBeNull();
  });

  it('words the count the way the log shows it', () => {
    expect(formatCount(11916)).toBe('11,916');
    expect(formatCount(7)).toBe('7');
    expect(withSuppressed('int argument is null', 312, 5000)).toBe('int argument is null (and 312 more like this in the last 5 s)');
    expect(withSuppressed('int argument is null', 0, 0)).toBe('int argument is null');
  });
});

describe('LimitedLog', () => {
  it('turns 10,000 identical warnings in 10 s into a handful of lines that account for every one', () => {
    const clock = virtualClock();
    const { logger, lines } = recordingLogger();
    const log = new LimitedLog(logger, clock.now);
    for (let i = 0; i < 10_000; i++) {
      clock.set(i); // one a millisecond, for 10 s
      if (i % 1000 === 0) log.flush(); // the app flushes every second
      log.warn('rule beat: int', 'int argument is null', { rule: 'beat' });
    }
    clock.set(10_000);
    log.flush();
    clock.set(11_000);
    log.flush();

    expect(lines.length).toBeGreaterThanOrEqual(2);
    expect(lines.length).toBeLessThanOrEqual(4);
    expect(lines.every((l) => l.level === 40 && l.rule === 'beat' && l.msg.startsWith('int argument is null'))).toBe(true);
    expect(lines.slice(1).every((l) => /\(and [\d,]+ more like this in the last \d+ s\)$/.test(l.msg))).toBe(true);
    expect(lines.reduce((n, l) => n + standsFor(l.msg), 0)).toBe(10_000); // nothing hidden
  });

  it('prints a single occurrence as it is, and nothing below the logger level', () => {
    const clock = virtualClock();
    const { logger, lines } = recordingLogger('warn');
    const log = new LimitedLog(logger, clock.now);
    log.warn('k', 'device number 3 is taken');
    log.info('i', 'device appeared: CDJ-3000 #2');
    clock.set(60_000);
    log.flush();
    expect(lines.map((l) => l.msg)).toEqual(['device number 3 is taken']);
  });
});

describe('RateLimitedReporter (target errors)', () => {
  it('reports a repeating target problem once per interval, then its held-back count when the interval ends', () => {
    const clock = virtualClock();
    const reports: OutputReport[] = [];
    const reporter = new RateLimitedReporter((r) => reports.push(r), clock.now);
    for (let t = 0; t < 3000; t += 10) {
      clock.set(t);
      reporter.report('warn', 'qlab', 'refused', 'nothing is listening on 127.0.0.1:53000');
    }
    expect(reports).toHaveLength(1);
    clock.set(5000);
    reporter.flush();
    expect(reports[1]).toEqual({ level: 'warn', target: 'qlab', code: 'refused', message: 'nothing is listening on 127.0.0.1:53000', suppressed: 298, spanMs: 5000 });
    reporter.resolve('qlab', 'refused');
    reporter.report('warn', 'qlab', 'refused', 'again');
    expect(reports[2]?.suppressed).toBe(0);
  });
});
