import { Subject, Subscription, share, type Observable } from 'rxjs';
import { FastSubject, shareFast } from '../../src/streams/fast-share';

/** What a run of pushes into `make(source)` delivered to subscribers that come and go, as share() would. */
function trace(op: 'share' | 'fast'): string[] {
  const source = new Subject<number>();
  const out: string[] = [];
  const shared: Observable<number> = source.pipe(op === 'share' ? share() : shareFast());
  const subs = new Subscription();
  let late: Subscription | null = null;
  subs.add(
    shared.subscribe((v) => {
      out.push(`a${v}`);
      // An observer added during a delivery does not get that value; one removed during it still does (the snapshot).
      if (v === 2) late = shared.subscribe((w) => out.push(`c${w}`));
      if (v === 3) b.unsubscribe();
    }),
  );
  const b = shared.subscribe((v) => out.push(`b${v}`));
  for (const v of [1, 2, 3, 4]) source.next(v);
  (late as Subscription | null)?.unsubscribe();
  subs.unsubscribe();
  source.next(5); // nobody subscribed: the connection was reset
  shared.subscribe({ next: (v) => out.push(`d${v}`), complete: () => out.push('done') });
  source.next(6);
  source.complete();
  source.next(7);
  return out;
}

describe('shareFast', () => {
  it('delivers exactly what share() delivers, subscribers coming and going included', () => {
    expect(trace('fast')).toEqual(trace('share'));
    // b, unsubscribed while 3 goes out, is closed already; c joins during 2 and gets 3 on.
    expect(trace('fast')).toEqual(['a1', 'b1', 'a2', 'b2', 'a3', 'c3', 'a4', 'c4', 'd6', 'done']);
  });

  it('throws as Subject does once closed, and delivers nothing after complete', () => {
    const s = new FastSubject<number>();
    const seen: number[] = [];
    s.subscribe((v) => seen.push(v));
    s.next(1);
    s.complete();
    s.next(2);
    expect(seen).toEqual([1]);
    s.unsubscribe();
    expect(() => s.next(3)).toThrow('object unsubscribed');
  });
});
