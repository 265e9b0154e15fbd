/**
 * What every simulated device has in common. A device is a state machine on
 * injected time: the simulator polls it when its nextDue() comes, hands it
 * every decoded datagram that reaches its host, and sends what both return.
 * No device touches a socket or a timer.
 */
import type { Outgoing } from '../../network/session-types';
import type { Packet } from '../../packets/packet';

export type { Outgoing };

/** Where a device sits on the network. */
export interface HostIdentity {
  readonly address: string;
  readonly mac: string;
  readonly broadcast: string;
}

export type SimEventCode =
  | 'device-up'
  | 'peer'
  | 'peer-lost'
  | 'greeting'
  | 'handshake'
  | 'track-load'
  | 'play'
  | 'stop'
  | 'pitch'
  | 'jump'
  | 'hold'
  | 'loop'
  | 'master'
  | 'art'
  | 'phrases'
  | 'restart'
  | 'back'
  | 'scenario';

/** Something a person watching the simulator would want to see. */
export interface SimEvent {
  readonly at: number;
  /** The device (or "scenario") it happened on, e.g. "OPUS-QUAD", "CDJ-2000NXS2 #2". */
  readonly source: string;
  readonly code: SimEventCode;
  readonly message: string;
  /** The deck a deck command or master change concerns (1–4 on the OPUS-QUAD, player numbers on CDJs). */
  readonly deck?: number;
  /** track-load: the track loaded. */
  readonly trackId?: number;
  /** master: the deck that handed over, or null when there was no master. */
  readonly previousDeck?: number | null;
}

export type EventSink = (event: SimEvent) => void;

export interface SimDevice {
  /** Name and number for logs, e.g. "CDJ-2000NXS2 #3". */
  readonly label: string;
  readonly host: HostIdentity;
  /** Everything due at or before `now`. */
  poll(now: number): readonly Outgoing[];
  /** When poll() next has something to do (Infinity: only on receive). */
  nextDue(): number;
  /** A decoded datagram from `from`; the answer, if any. */
  receive(packet: Packet, from: string, now: number): readonly Outgoing[];
}
