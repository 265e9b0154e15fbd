import * as fc from 'fast-check';
import { CaptureError, readUdpDatagrams, writePcapng, LINKTYPE_RAW } from '../../src/capture';
import { CAPTURES, readFixture } from '../support/fixtures';
import { pcapHeader, pcapRecord, ipv4, udp } from './builders';

/** Drains the iterator; checks the error contract on the way. */
function drain(file: Buffer): void {
  const it = readUdpDatagrams(file);
  let fatalSeen = false;
  for (;;) {
    const step = it.next();
    if (step.done === true) {
      expect(step.value.fatal === null).toBe(!fatalSeen);
      return;
    }
    expect(fatalSeen).toBe(false); // nothing after a fatal error
    const value = step.value;
    if (value instanceof CaptureError) {
      expect(value.offset).toBeGreaterThanOrEqual(0);
      expect(value.offset).toBeLessThanOrEqual(file.length);
      fatalSeen = value.fatal;
    } else {
      expect(value.payload.buffer).toBe(file.buffer); // a view, never a copy
    }
  }
}

describe('damaged input never throws', () => {
  const real = readFixture(...CAPTURES.toVirtual);
  const pcap = Buffer.concat([
    pcapHeader('le', false, LINKTYPE_RAW),
    pcapRecord('le', 1, 2, ipv4(udp(1, 50001, Buffer.alloc(60, 1)))),
    pcapRecord('le', 1, 3, ipv4(udp(1, 50002, Buffer.alloc(30, 2)), { options: Buffer.alloc(8, 1) })),
  ]);
  const written = writePcapng(
    [{ timestampNs: 5n, srcIp: '1.2.3.4', dstIp: '5.6.7.8', srcPort: 9, dstPort: 50000, payload: Buffer.alloc(54, 3) }],
    {},
  ) as Buffer;

  it.each([
    ['a real pcapng', real],
    ['a classic pcap', pcap],
    ['a written pcapng', written],
  ])('%s with random bytes overwritten', (_name, original) => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(original.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 12 }),
        (edits) => {
          const copy = Buffer.from(original);
          for (const [at, value] of edits) copy[at] = value;
          drain(copy);
        },
      ),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a real pcapng', real],
    ['a classic pcap', pcap],
  ])('%s cut at any length', (_name, original) => {
    fc.assert(fc.property(fc.nat(original.length), (length) => drain(original.subarray(0, length))), { numRuns: 300 });
  });

  it('arbitrary bytes behind a valid magic', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (tail, ng) => {
        const magic = ng ? real.subarray(0, 12) : pcap.subarray(0, 24);
        drain(Buffer.concat([magic, Buffer.from(tail)]));
      }),
      { numRuns: 500 },
    );
  });
});
