import type { Packet, PacketKind, PacketOf } from '../prolink/packets/packet';
import type { PacketError } from '../prolink/packets/errors';

/** A datagram as the network layer (or a replay, or the simulator) hands it over. */
export interface TimedDatagram {
  /** Local port it arrived on: 50000, 50001 or 50002. */
  readonly port: number;
  /** Sender's IPv4 address. */
  readonly address: string;
  readonly data: Buffer;
  /** Monotonic arrival time in ms. */
  readonly at: number;
}

/** A decoded packet with where and when it came from. */
export interface Received<P extends Packet = Packet> {
  readonly packet: P;
  readonly address: string;
  readonly at: number;
  /** The datagram's bytes, where the decoder had them: plausibility checks read fields the codec leaves out. */
  readonly data?: Buffer;
}

export interface DecodeFailure {
  readonly error: PacketError;
  readonly address: string;
  readonly at: number;
}

export type Decoded = Received | DecodeFailure;

export function isReceived(value: Decoded): value is Received {
  return 'packet' in value;
}

export function isKindReceived<K extends PacketKind>(kind: K): (value: Received) => value is Received<PacketOf<K>> {
  return (value): value is Received<PacketOf<K>> => value.packet.kind === kind;
}
