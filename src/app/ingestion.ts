/**
 * The bridge's first stage: it takes the link's datagrams from the moment it
 * is started and decodes each as it arrives. Until it is released (once the
 * bridge runs: its mapping loaded, its streams, the monitor and the dashboard
 * subscribed) it holds them, decoded, in order; then it delivers those and, from then on, each datagram
 * as it comes. So `run` listens and decodes while the mapping's modules load
 * and its files are read, and nothing that arrives meanwhile is lost (a UDP
 * link is hot: what comes while nobody listens is gone).
 */
import type { Observable } from 'rxjs';
import { FastSubject } from '../streams/fast-share';
import { decodeDatagram } from '../streams/decode-datagrams';
import { isReceived, type Decoded, type TimedDatagram } from '../streams/received';
import type { Link } from './link';

/** Most datagrams held before the release (a busy booth for some seconds); later ones, until the release, are dropped and counted. */
export const MAX_HELD = 2000;

/** A datagram held before the release, and decoded; `decoded` is null for our own (looped back by broadcast), which are not decoded. */
interface Held {
  readonly datagram: TimedDatagram;
  readonly decoded: Decoded | null;
}

export interface Ingestion {
  /** The link it takes the datagrams of. */
  readonly link: Link;
  /** Every datagram as it came, our own too: hot; nothing before the release. Completes (or fails) as the link's datagrams do, after what was held. */
  readonly datagrams$: Observable<TimedDatagram>;
  /** The decoded datagrams, our own left out; each before the same datagram on `datagrams$`. */
  readonly decoded$: Observable<Decoded>;
  /** Delivers what was held, in order, to the subscribers of that moment, and from then on each datagram as it comes; returns how many were dropped (beyond the limit). Once. */
  release(): number;
  /** How many datagrams it has taken so far. */
  taken(): number;
  /** Stops taking the link's datagrams (a replay stops playing once nothing else takes them); what is held is dropped. */
  stop(): void;
}

/** Where the first packet decoded is said (a pino logger). */
export interface DebugLog {
  debug(fields: object, message: string): void;
}

type End = { readonly kind: 'complete' } | { readonly kind: 'error'; readonly error: unknown };

/** Starts taking and decoding the link's datagrams at once; the first packet decoded is logged at debug level with the time since the process started. */
export function startIngestion(link: Link, logger: DebugLog, maxHeld: number = MAX_HELD): Ingestion {
  const own = link.identity?.address ?? null;
  // Every datagram goes through them: FastSubjects (fast-share.ts), Subject.next without its per-value allocations,
  // and two of them rather than one of pairs, so that nothing is made per datagram once released.
  const raw = new FastSubject<TimedDatagram>();
  const decodedSubject = new FastSubject<Decoded>();
  const deliver = (datagram: TimedDatagram, decoded: Decoded | null): void => {
    if (decoded !== null) decodedSubject.next(decoded);
    raw.next(datagram);
  };
  const end = (how: End): void => {
    if (how.kind === 'complete') {
      decodedSubject.complete();
      raw.complete();
    } else {
      decodedSubject.error(how.error);
      raw.error(how.error);
    }
  };
  let held: Held[] | null = [];
  let dropped = 0;
  let ended: End | null = null;
  let firstDecoded = true;
  let taken = 0;
  const subscription = link.datagrams.subscribe({
    next: (datagram) => {
      taken++;
      const decoded = datagram.address === own ? null : decodeDatagram(datagram);
      if (firstDecoded && decoded !== null && isReceived(decoded)) {
        firstDecoded = false;
        // How long the process took to decode its first packet (cold start, `npm run bench:all`).
        logger.debug({ sinceProcessStartMs: Math.round(performance.now()) }, 'first packet decoded');
      }
      if (held === null) deliver(datagram, decoded);
      else if (held.length < maxHeld) held.push({ datagram, decoded });
      else dropped++;
    },
    error: (error: unknown) => (held === null ? end({ kind: 'error', error }) : (ended = { kind: 'error', error })),
    complete: () => (held === null ? end({ kind: 'complete' }) : (ended = { kind: 'complete' })),
  });
  return {
    link,
    datagrams$: raw,
    decoded$: decodedSubject,
    release: () => {
      if (held === null) return 0;
      // What arrives while these are delivered (a subscriber that sends, on a synchronous link) joins the end of the same list.
      const queue = held;
      for (let i = 0; i < queue.length; i++) {
        const h = queue[i] as Held;
        deliver(h.datagram, h.decoded);
      }
      held = null;
      const last = ended as End | null;
      if (last !== null) end(last);
      return dropped;
    },
    taken: () => taken,
    stop: () => {
      subscription.unsubscribe();
      held = null;
    },
  };
}
