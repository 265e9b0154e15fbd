import { WaitingMessages } from '../../../src/outputs/osc/waiting-messages';

describe('WaitingMessages', () => {
  it('hands messages out oldest first and never one past its deadline', () => {
    const queue = new WaitingMessages<string>({ deadlineMs: 1000 });
    expect(queue.push('a', 10, 0)).toBe(0);
    expect(queue.push('b', 10, 400)).toBe(0);
    expect(queue.push('c', 10, 900)).toBe(0);
    expect(queue.shift(1000)).toEqual({ item: { at: 0, bytes: 10, message: 'a' }, expired: 0 }); // exactly at the deadline: still on time
    expect(queue.shift(1401)).toEqual({ item: { at: 900, bytes: 10, message: 'c' }, expired: 1 }); // b is 1001 ms old
    expect(queue.shift(1401)).toEqual({ item: null, expired: 0 });
    expect(queue.length).toBe(0);
    expect(queue.bytes).toBe(0);
  });

  it('drops late messages as new ones arrive, so a queue nobody empties holds only fresh ones', () => {
    const queue = new WaitingMessages<number>({ deadlineMs: 1000 });
    let dropped = 0;
    for (let t = 0; t <= 20_000; t += 10) dropped += queue.push(t, 40, t);
    expect(queue.length).toBe(101); // the messages of the last second
    expect(dropped).toBe(2001 - 101);
    expect(queue.release(20_000)).toEqual({ fresh: Array.from({ length: 101 }, (_, i) => 19_000 + i * 10), stale: 0 });
  });

  it('keeps within its count and byte bounds by dropping the oldest', () => {
    const byCount = new WaitingMessages<number>({ maxQueueLength: 3 });
    expect([1, 2, 3, 4, 5].map((n) => byCount.push(n, 1, 0))).toEqual([0, 0, 0, 1, 1]);
    expect(byCount.release(0).fresh).toEqual([3, 4, 5]);

    const byBytes = new WaitingMessages<number>({ maxQueueBytes: 1000 });
    expect([1, 2, 3].map((n) => byBytes.push(n, 400, 0))).toEqual([0, 0, 1]);
    expect(byBytes.bytes).toBe(800);
    expect(byBytes.push(4, 5000, 0)).toBe(2); // one message larger than the bound still goes through alone
    expect(byBytes.release(0).fresh).toEqual([4]);
  });

  it('stays correct over many pushes and takes (it compacts as it goes)', () => {
    const queue = new WaitingMessages<number>({ deadlineMs: 1_000_000, maxQueueLength: 100_000 });
    const out: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      queue.push(i, 1, i);
      if (i % 3 !== 0) out.push(queue.shift(i).item?.message ?? -1);
    }
    const rest = queue.release(10_000).fresh;
    expect([...out, ...rest]).toEqual(Array.from({ length: 10_000 }, (_, i) => i));
  });

  it('clear empties it and says how many were waiting', () => {
    const queue = new WaitingMessages<number>({});
    queue.push(1, 1, 0);
    queue.push(2, 1, 0);
    expect(queue.clear()).toBe(2);
    expect(queue.length).toBe(0);
  });
});
