/**
 * Messages that wait for an OSC target to take them (TCP reconnecting or not
 * taking data, a UDP host name not yet resolved), each stamped with the time
 * it was produced. Bounded in count and in bytes, the oldest going first, and
 * a message older than the deadline is never handed out: it is dropped and
 * counted, so a cue never fires long after its moment.
 */
import type { Timers } from '../reporter';

/** Connection settings the OSC targets share. */
export interface OscConnectionOptions {
  readonly timers?: Timers;
  /** First wait before trying again (ms), doubling up to maxBackoffMs. */
  readonly initialBackoffMs?: number;
  readonly maxBackoffMs?: number;
  /** How long a message may take to leave (ms); older ones are dropped, never sent late. */
  readonly deadlineMs?: number;
  /** The most messages waiting at once; past it the oldest are dropped. */
  readonly maxQueueLength?: number;
  /** The most encoded bytes waiting at once; past it the oldest are dropped. */
  readonly maxQueueBytes?: number;
}

export const DEFAULT_INITIAL_BACKOFF_MS = 250;
export const DEFAULT_MAX_BACKOFF_MS = 10_000;
export const DEFAULT_DEADLINE_MS = 1000;
export const DEFAULT_MAX_QUEUE_LENGTH = 1024;
export const DEFAULT_MAX_QUEUE_BYTES = 256 * 1024;

export interface Waiting<T> {
  /** When the message was produced (the timers' clock). */
  readonly at: number;
  readonly bytes: number;
  readonly message: T;
}

export class WaitingMessages<T> {
  private items: Waiting<T>[] = [];
  private head = 0;
  private totalBytes = 0;
  readonly deadlineMs: number;
  private readonly maxLength: number;
  private readonly maxBytes: number;

  constructor(options: OscConnectionOptions) {
    this.deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    this.maxLength = options.maxQueueLength ?? DEFAULT_MAX_QUEUE_LENGTH;
    this.maxBytes = options.maxQueueBytes ?? DEFAULT_MAX_QUEUE_BYTES;
  }

  get length(): number {
    return this.items.length - this.head;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /**
   * Adds a message of `bytes` encoded bytes produced at `now`. Returns how many
   * waiting messages had to go: those past the deadline, then the oldest while
   * over the bounds.
   */
  push(message: T, bytes: number, now: number): number {
    let dropped = this.expire(now);
    this.items.push({ at: now, bytes, message });
    this.totalBytes += bytes;
    while (this.length > this.maxLength || (this.totalBytes > this.maxBytes && this.length > 1)) {
      this.removeHead();
      dropped++;
    }
    return dropped;
  }

  /** Drops the messages past the deadline at `now`; returns how many. */
  expire(now: number): number {
    let dropped = 0;
    for (let first = this.peek(); first !== null && this.isLate(first, now); first = this.peek()) {
      this.removeHead();
      dropped++;
    }
    return dropped;
  }

  /** Takes the oldest message still within its deadline (null when none), after dropping the late ones. */
  shift(now: number): { readonly item: Waiting<T> | null; readonly expired: number } {
    const expired = this.expire(now);
    return { item: this.removeHead(), expired };
  }

  /** Empties the queue: the messages still young enough to send, and how many were too old. */
  release(now: number): { readonly fresh: T[]; readonly stale: number } {
    const stale = this.expire(now);
    const fresh = this.items.slice(this.head).map((item) => item.message);
    this.clear();
    return { fresh, stale };
  }

  /** Empties the queue without sending; returns how many were waiting. */
  clear(): number {
    const count = this.length;
    this.items = [];
    this.head = 0;
    this.totalBytes = 0;
    return count;
  }

  private isLate(item: Waiting<T>, now: number): boolean {
    return now - item.at > this.deadlineMs;
  }

  private peek(): Waiting<T> | null {
    return this.items[this.head] ?? null;
  }

  private removeHead(): Waiting<T> | null {
    const item = this.items[this.head];
    if (item === undefined) return null;
    this.head++;
    this.totalBytes -= item.bytes;
    // Compact now and then, so taking from the front stays cheap and the array does not grow.
    if (this.head >= 64 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}
