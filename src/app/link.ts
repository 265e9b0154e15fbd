/**
 * Where datagrams come from and go to: real UDP on an interface, the
 * in-process simulator, or a capture being replayed (which cannot send).
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { asyncScheduler } from '../rx';
import { FastSubject } from '../streams/fast-share';
import { openUdpSockets, type UdpSockets } from '../prolink/network/udp-sockets';
import { NetworkError } from '../prolink/network/network-error';
import type { Identity, Outgoing } from '../prolink/network/session-types';
import type { TimedDatagram } from '../streams/received';
import { realTimers, type Timers } from '../outputs/reporter';

export interface Link {
  readonly description: string;
  readonly datagrams: Observable<TimedDatagram>;
  /** Our address and MAC on the DJ network; null when we cannot send (replay). */
  readonly identity: Identity | null;
  /** How many times faster than real time the datagrams come (a replay's speed); absent for live gear. */
  readonly timeScale?: number;
  send(datagram: Outgoing): void;
  close(): Promise<void>;
}

/**
 * Monotonic milliseconds, the clock every stream and timer of the bridge uses.
 * It is process.hrtime (CLOCK_MONOTONIC), which the MIDI clock thread reads
 * too, so beat grids cross threads without translation.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

/**
 * The bridge's scheduler: timers as asyncScheduler runs them, but `now()` on
 * the same monotonic clock that stamps arriving packets, so predicted beat
 * times and packet times can be compared.
 */
/** Timers whose now() is the bridge's monotonic clock. */
export const monotonicTimers: Timers = { setTimeout: realTimers.setTimeout, clearTimeout: realTimers.clearTimeout, now: monotonicMs };

export const monotonicScheduler: SchedulerLike = {
  now: monotonicMs,
  schedule: asyncScheduler.schedule.bind(asyncScheduler) as SchedulerLike['schedule'],
};

export async function openUdpLink(identity: Identity, options: { reuseAddr: boolean; onError: (e: NetworkError) => void }): Promise<Link | NetworkError> {
  const datagrams = new FastSubject<TimedDatagram>();
  const sockets: UdpSockets | NetworkError = await openUdpSockets({
    reuseAddr: options.reuseAddr,
    onDatagram: (d) => datagrams.next({ port: d.port, address: d.address, data: d.data, at: monotonicMs() }),
    onError: options.onError,
  });
  if (sockets instanceof NetworkError) return sockets;
  return {
    description: `UDP ports 50000–50002 on ${identity.address}`,
    datagrams,
    identity,
    send: (out) => sockets.send(out.port, out.address, out.port, out.data),
    close: async () => {
      await sockets.close();
      datagrams.complete();
    },
  };
}
