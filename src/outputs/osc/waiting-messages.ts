/**
 * Messages that wait while an OSC target is not ready to send (TCP
 * reconnecting, a UDP host name not yet resolved): at most `maxLength`, the
 * oldest going first, and on release only those younger than `maxAgeMs`, so
 * a cue never fires long after its moment. What is dropped is counted.
 */
import type { Timers } from '../reporter';

/** Connection settings the OSC targets share. */
export interface OscConnectionOptions {
  readonly timers?: Timers;
  /** First wait before trying again (ms), doubling up to maxBackoffMs. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a message may wait for the connection (ms). */
  readonly maxQueueAgeMs?: number;
  readonly maxQueueLength?: number;
}

export const DEFAULT_INITIAL_BACKOFF_MS = 250;
export const DEFAULT_MAX_BACKOFF_MS = 5000;
export const DEFAULT_MAX_QUEUE_AGE_MS = 1000;
const DEFAULT_MAX_QUEUE_LENGTH = 256;

export class WaitingMessages<T> {
  private readonly items: { readonly at: number; readonly message: T }[] = [];
  readonly maxAgeMs: number;
  private readonly maxLength: number;

  constructor(options: OscConnectionOptions) {
    this.maxAgeMs = options.maxQueueAgeMs ?? DEFAULT_MAX_QUEUE_AGE_MS;
    this.maxLength = options.maxQueueLength ?? DEFAULT_MAX_QUEUE_LENGTH;
  }

  /** Adds a message; returns how many old ones had to go to make room. */
  push(message: T, now: number): number {
    this.items.push({ at: now, message });
    let dropped = 0;
    while (this.items.length > this.maxLength) {
      this.items.shift();
      dropped++;
    }
    return dropped;
  }

  /** Empties the queue: the messages still young enough to send, and how many were too old. */
  release(now: number): { readonly fresh: T[]; readonly stale: number } {
    const fresh: T[] = [];
    let stale = 0;
    for (const item of this.items.splice(0)) {
      if (now - item.at > this.maxAgeMs) stale++;
      else fresh.push(item.message);
    }
    return { fresh, stale };
  }

  /** Empties the queue without sending; returns how many were waiting. */
  clear(): number {
    return this.items.splice(0).length;
  }
}
