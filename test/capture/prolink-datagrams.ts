/**
 * The Pro DJ Link datagrams of the real captures, decoded once per test file.
 */
import { collectUdpDatagrams, type UdpDatagram } from '../../src/capture';
import { decodePacket, PacketError, type Packet } from '../../src/prolink/packets';
import { hasMagic } from '../../src/prolink/packets/header';
import { CAPTURES, readFixture } from '../support/fixtures';

export type CaptureName = keyof typeof CAPTURES;
export const CAPTURE_NAMES = Object.keys(CAPTURES) as CaptureName[];

export interface DecodedDatagram {
  readonly datagram: UdpDatagram;
  readonly result: Packet | PacketError;
}

/** Datagrams sent to ports 50000–50002, with or without the magic. */
export function proDjLinkPortDatagrams(name: CaptureName): UdpDatagram[] {
  return collectUdpDatagrams(readFixture(...CAPTURES[name])).datagrams.filter(
    (d) => d.dstPort >= 50000 && d.dstPort <= 50002,
  );
}

export function decodeCapture(name: CaptureName): DecodedDatagram[] {
  return proDjLinkPortDatagrams(name)
    .filter((d) => hasMagic(d.payload))
    .map((datagram) => ({ datagram, result: decodePacket(datagram.dstPort, datagram.payload) }));
}

/** Decoded packets only; fails the calling test if any datagram did not decode. */
export function packetsOf(decoded: readonly DecodedDatagram[]): { readonly frame: number; readonly packet: Packet; readonly payload: Buffer }[] {
  return decoded.map(({ datagram, result }) => {
    if (result instanceof PacketError) throw new Error(`frame ${datagram.frame}: ${result.toString()}`);
    return { frame: datagram.frame, packet: result, payload: datagram.payload };
  });
}
