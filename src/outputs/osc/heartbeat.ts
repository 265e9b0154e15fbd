/**
 * The heartbeat of an OSC-over-TCP target: a harmless message sent every so
 * often on the connection, and the answer that proves the receiving
 * application (not only its operating system) is alive. An application that
 * hangs while its computer still accepts the data would otherwise take every
 * cue written meanwhile and fire them all late when it wakes.
 *
 * ReplyWatch is the judgement, pure (the clock is passed in): a connection
 * is 'awaiting' until its first answer, 'answering' while the last answer is
 * at most staleMs old, and 'silent' once it is older, or once a new
 * connection has gone staleMs without any answer. The target holds messages
 * while awaiting (they wait in its queue, within their deadline, and are
 * written once the receiver has answered on this connection) and drops them
 * while silent. A receiver that accepts connections but never answers is
 * therefore never written to, and is found not answering staleMs after each
 * connect.
 */
import type { TargetConfig } from '../../mapping/schema';
import { durationMs } from '../../mapping/durations';
import { DEFAULT_STALE_FACTOR } from '../../mapping/schema-targets';

export interface OscHeartbeatOptions {
  /** The message sent, without arguments (QLab: /thump). */
  readonly address: string;
  /** The address of the answer that counts (QLab: /reply/thump). */
  readonly reply: string;
  readonly everyMs: number;
  /** An answer older than this (ms) means the receiver is not answering. */
  readonly staleMs: number;
}

export type Answering = 'awaiting' | 'answering' | 'silent';

/** The heartbeat a mapping's OSC target asks for, with its defaults filled in (null when it asks for none). */
export function heartbeatOptions(osc: NonNullable<TargetConfig['osc']>): OscHeartbeatOptions | null {
  const heartbeat = osc.heartbeat;
  if (heartbeat === undefined) return null;
  const everyMs = durationMs(heartbeat.every);
  return {
    address: heartbeat.address,
    reply: heartbeat.reply ?? `/reply${heartbeat.address}`,
    everyMs,
    staleMs: heartbeat.stale === undefined ? everyMs * DEFAULT_STALE_FACTOR : durationMs(heartbeat.stale),
  };
}

export class ReplyWatch {
  /** When the current connection opened (null while there is none). */
  private openedAt: number | null = null;
  private lastReplyAt: number | null = null;

  constructor(readonly staleMs: number) {}

  opened(now: number): void {
    this.openedAt = now;
    this.lastReplyAt = null;
  }

  closed(): void {
    this.openedAt = null;
    this.lastReplyAt = null;
  }

  replied(now: number): void {
    this.lastReplyAt = now;
  }

  judge(now: number): Answering {
    if (this.openedAt === null) return 'awaiting';
    if (this.lastReplyAt === null) return now - this.openedAt > this.staleMs ? 'silent' : 'awaiting';
    return now - this.lastReplyAt > this.staleMs ? 'silent' : 'answering';
  }

  /** The last sign of life: the last answer, or the connection's opening when none came. */
  lastHeard(): number | null {
    return this.lastReplyAt ?? this.openedAt;
  }

  /** How long until the judgement turns silent if no answer comes (ms). */
  silentIn(now: number): number {
    const heard = this.lastHeard();
    return heard === null ? this.staleMs : Math.max(0, heard + this.staleMs - now);
  }
}
