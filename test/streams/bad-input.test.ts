import { Subject, VirtualTimeScheduler } from 'rxjs';
import fc from 'fast-check';
import { createBridgeStreams } from '../../src/streams/bridge-streams';
import type { TimedDatagram } from '../../src/streams/received';
import type { DeviceChange } from '../../src/streams/devices';
import { encodeCdjKeepAlive } from '../../src/prolink/packets/keep-alive';
import { MAGIC } from '../../src/prolink/packets/header';
import { statusBytes } from './status-bytes';

describe('the stream layer under bad input', () => {
  it('counts and skips a flood of junk and mutated packets without erroring or stopping', () => {
    const virtual = new VirtualTimeScheduler(undefined, 100_000);
    const input = new Subject<TimedDatagram>();
    const streams = createBridgeStreams(input, { scheduler: virtual });
    let malformed = 0;
    let received = 0;
    let errors = 0;
    let decks = 0;
    streams.malformed$.subscribe(() => malformed++);
    streams.received$.subscribe(() => received++);
    streams.events$.subscribe({ error: () => errors++ });
    streams.decks$.subscribe(() => decks++);

    const good = statusBytes({ name: 'OPUS-QUAD', device: 9, trackId: 5, playing: true, bpm: 128, beat: 10, beatInBar: 2 });
    const junk = fc.sample(
      fc.oneof(
        fc.uint8Array({ maxLength: 1500 }).map((b) => Buffer.from(b)),
        fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.concat([MAGIC, Buffer.from(b)])),
        fc.tuple(fc.nat(good.length), fc.nat(255), fc.nat(255)).map(([i, byte, cut]) => {
          const b = Buffer.from(good);
          b[i % b.length] = byte;
          return b.subarray(0, Math.max(11, b.length - cut));
        }),
      ),
      { numRuns: 20_000, seed: 42 },
    );
    junk.forEach((data, i) => input.next({ port: [50000, 50001, 50002][i % 3] as number, address: '169.254.66.6', data, at: i }));
    input.next({ port: 50002, address: '169.254.9.9', data: good, at: 30_000 });
    virtual.flush();

    expect(errors).toBe(0);
    expect(malformed + received).toBe(junk.length + 1);
    expect(malformed).toBeGreaterThan(5_000);
    expect(decks).toBeGreaterThan(0); // the good packet still gets through after the flood
  });

  it('treats a device that changes its number as one appearing and the old number lost after 10 s', () => {
    const virtual = new VirtualTimeScheduler(undefined, 60_000);
    const input = new Subject<TimedDatagram>();
    const streams = createBridgeStreams(input, { scheduler: virtual });
    const changes: string[] = [];
    streams.devices$.subscribe((c: DeviceChange) => changes.push(`${c.type} ${c.device.device}@${Math.round(c.at / 1000)}s`));
    const keepAlive = (device: number): Buffer => encodeCdjKeepAlive({ name: 'CDJ-3000', device, mac: '02:00:00:00:00:05', ip: '169.254.5.5' });
    for (let t = 0; t < 5000; t += 1500) virtual.schedule(() => input.next({ port: 50000, address: '169.254.5.5', data: keepAlive(2), at: virtual.now() }), t);
    for (let t = 6000; t < 30_000; t += 1500) virtual.schedule(() => input.next({ port: 50000, address: '169.254.5.5', data: keepAlive(5), at: virtual.now() }), t);
    virtual.schedule(() => input.complete(), 30_000);
    virtual.flush();
    // Its keep-alives end at 28.5 s, so the new number goes too, 10 s later.
    expect(changes).toEqual(['appeared 2@0s', 'appeared 5@6s', 'lost 2@15s', 'lost 5@39s']);
  });
});
