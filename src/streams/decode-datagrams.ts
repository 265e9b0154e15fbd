import type { OperatorFunction } from 'rxjs';
import { map } from '../rx';
import { decodePacket } from '../prolink/packets/dispatch';
import { isPacketError } from '../prolink/packets/errors';
import type { Decoded, TimedDatagram } from './received';

/** One datagram decoded; a malformed one becomes a DecodeFailure value, never an exception. */
export function decodeDatagram(d: TimedDatagram): Decoded {
  const packet = decodePacket(d.port, d.data);
  return isPacketError(packet) ? { error: packet, address: d.address, at: d.at } : { packet, address: d.address, at: d.at, data: d.data };
}

/** Decodes every datagram; malformed ones become DecodeFailure values, never errors in the stream. */
export function decodeDatagrams(): OperatorFunction<TimedDatagram, Decoded> {
  return map(decodeDatagram);
}
