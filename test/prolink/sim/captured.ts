/**
 * Real datagrams picked out of the shared captures (PROVENANCE §1–§2), for
 * byte-exact encoder tests.
 */
import { collectUdpDatagrams, type UdpDatagram } from '../../../src/capture';
import { CAPTURES, readFixture } from '../../support/fixtures';

const cache = new Map<string, readonly UdpDatagram[]>();

function datagrams(capture: keyof typeof CAPTURES): readonly UdpDatagram[] {
  let list = cache.get(capture);
  if (list === undefined) {
    list = collectUdpDatagrams(readFixture(...CAPTURES[capture])).datagrams;
    cache.set(capture, list);
  }
  return list;
}

/** The first datagram to `port` whose type byte is `type` and that passes `accept`. */
export function firstCaptured(
  capture: keyof typeof CAPTURES,
  port: number,
  type: number,
  accept: (payload: Buffer, datagram: UdpDatagram) => boolean = () => true,
): { readonly payload: Buffer; readonly datagram: UdpDatagram } {
  for (const d of datagrams(capture)) {
    if (d.dstPort === port && d.payload.length > 0x0a && d.payload[0x0a] === type && accept(d.payload, d)) {
      return { payload: Buffer.from(d.payload), datagram: d };
    }
  }
  throw new Error(`no type 0x${type.toString(16)} datagram to port ${port} in ${capture}`);
}
