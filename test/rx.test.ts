/**
 * src/rx.ts: each part of RxJS the bridge uses comes from its own module and
 * is the very value the package's entry exports (an Observable made by the
 * bridge is an Observable to code that imports `rxjs`).
 */
import * as Rx from 'rxjs';
import * as parts from '../src/rx';
import { RX_PARTS, rxPart } from '../src/rx';

const names = Object.keys(RX_PARTS) as (keyof typeof RX_PARTS)[];

describe('the parts of RxJS', () => {
  it.each(names)('%s comes from its own module and is the entry’s own', (name) => {
    const own = (require(`rxjs/internal/${RX_PARTS[name]}`) as Record<string, unknown>)[name];
    expect(own).toBeDefined();
    expect(own).toBe(Rx[name]);
    expect(parts[name]).toBe(Rx[name]);
  });

  it('every value the bridge exports from src/rx.ts is a listed part', () => {
    const exported = Object.keys(parts).filter((key) => key !== 'RX_PARTS' && key !== 'rxPart');
    expect(exported.sort()).toEqual([...names].sort());
  });

  it('a part its module does not have comes from the entry', () => {
    const table = RX_PARTS as Record<string, string>;
    const path = table['map'];
    table['map'] = 'operators/no-such-operator';
    try {
      expect(rxPart('map')).toBe(Rx.map);
    } finally {
      table['map'] = path as string;
    }
  });

  it('parts work together with the entry’s operators', () => {
    const seen: number[] = [];
    new parts.Observable<number>((subscriber) => {
      [1, 2, 3, 4].forEach((n) => subscriber.next(n));
      subscriber.complete();
    })
      .pipe(parts.filter((n) => n % 2 === 0), Rx.map((n) => n * 10))
      .subscribe((n) => seen.push(n));
    expect(seen).toEqual([20, 40]);
  });
});
