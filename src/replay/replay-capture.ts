/**
 * Plays the Pro DJ Link datagrams of a pcap/pcapng capture as a datagram
 * stream, spaced as they were recorded (divided by `speed`) on the given
 * scheduler. The same pipeline as live gear consumes it, so a show can be
 * rehearsed from a recording; with a virtual-time scheduler a 33-minute
 * capture replays in well under a second.
 */
import type { Observable, SchedulerLike } from 'rxjs';
import { defer, EMPTY, from, mergeMap, timer, map } from '../rx';
import { readUdpDatagrams, type UdpDatagram } from '../capture';
import { isProDjLinkPayload } from '../prolink/packets/header';
import type { TimedDatagram } from '../streams/received';

export interface ReplayOptions {
  readonly scheduler: SchedulerLike;
  /** 1 = real time, 10 = ten times faster. */
  readonly speed?: number;
  /** Only datagrams sent to this address (e.g. what one host received); all when null. */
  readonly onlyTo?: string | null;
}

export interface CaptureDatagrams {
  readonly datagrams: readonly UdpDatagram[];
  readonly problems: readonly string[];
}

export function proDjLinkDatagrams(file: Buffer): CaptureDatagrams {
  const datagrams: UdpDatagram[] = [];
  const problems: string[] = [];
  for (const item of readUdpDatagrams(file)) {
    if ('payload' in item) {
      if (isProDjLinkPayload(item.dstPort, item.payload)) datagrams.push(item);
    } else {
      problems.push(item.message);
    }
  }
  return { datagrams, problems };
}

export function replayDatagrams(datagrams: readonly UdpDatagram[], options: ReplayOptions): Observable<TimedDatagram> {
  const speed = options.speed ?? 1;
  const onlyTo = options.onlyTo ?? null;
  return defer(() => {
    const first = datagrams.find((d) => d.timestampNs !== null)?.timestampNs ?? null;
    if (first === null) return EMPTY;
    const start = options.scheduler.now();
    return from(datagrams.filter((d) => onlyTo === null || d.dstIp === onlyTo || d.dstIp.endsWith('.255'))).pipe(
      mergeMap((d) => {
        const offsetMs = d.timestampNs === null ? 0 : Number(d.timestampNs - first) / 1e6 / speed;
        return timer(Math.max(0, start + offsetMs - options.scheduler.now()), options.scheduler).pipe(
          map((): TimedDatagram => ({ port: d.dstPort, address: d.srcIp, data: d.payload, at: options.scheduler.now() })),
        );
      }),
    );
  });
}
