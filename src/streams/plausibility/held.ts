/**
 * Packets from senders nothing has confirmed yet, held back (not dropped) for
 * a short grace (see plausible.ts). A capture, or a bridge started mid-show,
 * may hear a deck's status before the device's next keep-alive. The sender is
 * confirmed by a keep-alive from its address and name, or (where the caller
 * allows it) by a consistent stream of its own:
 * two status (or beat) packets that agree (same track, a counter that moves
 * forward, a beat counter that moves as the tempo and the elapsed time say)
 * and are at least `minSpacingMs` apart, as a real device sends them
 * (status every ~200 ms, beats one beat apart, counting on in the bar), from
 * an address that neither claimed another device nor sent a packet that was
 * not believed within `holdMs` (a real device is one sender; an OPUS-QUAD's
 * four decks count as one). A flood of mixed copies, or single packets from
 * ever new addresses, never makes such a stream. Held packets are then passed
 * on in order; those of senders not confirmed within `holdMs`, or pushed out
 * by the bounds, are dropped and counted.
 */
import type { Beat } from '../../prolink/packets/beat';
import type { CdjStatus } from '../../prolink/packets/cdj-status';
import type { Received } from '../received';

export interface HoldOptions {
  readonly holdMs: number;
  readonly minSpacingMs: number;
  /** Packets kept per sender; the oldest goes first. */
  readonly maxPerSender: number;
  /** Senders kept; the one waiting longest goes first. */
  readonly maxSenders: number;
}

/** Consistent packets, spaced like a real device's, that confirm a sender. */
const CONFIRMING_STREAK = 2;
const U32 = 0x1_0000_0000;

interface Waiting {
  readonly items: Received[];
  readonly firstAt: number;
  statusStreak: number;
  statusAt: number;
  lastStatus: CdjStatus | null;
  beatStreak: number;
  beatAt: number;
  lastBeat: Beat | null;
}

export interface HoldResult {
  /** The sender's held packets, in order, once it is confirmed; null while it waits. */
  readonly released: readonly Received[] | null;
  /** Packets pushed out by the bounds. */
  readonly dropped: readonly Received[];
}

/** Two packets of one stream are never further apart than this while it confirms itself. */
const STREAK_GAP_MS = 1000;
/** Counter steps a status stream may make: one per ~200 ms packet, with a wide margin. */
const STREAK_MS_PER_STEP = 50;

/** Beats a stream's counter may move beyond what its tempo and the elapsed time say. */
const STREAK_BEAT_SLACK = 4;

/** The beat counter moved as the tempo and the elapsed time allow (not at all while stopped). */
function beatMoved(previous: CdjStatus, next: CdjStatus, elapsed: number): boolean {
  if (previous.beat === null || next.beat === null) return previous.beat === next.beat;
  const expected = previous.playing ? (elapsed * (previous.effectiveBpm ?? 0)) / 60_000 : 0;
  const moved = next.beat - previous.beat;
  return moved >= -STREAK_BEAT_SLACK && moved <= STREAK_BEAT_SLACK + 2 * expected;
}

function agrees(previous: CdjStatus, next: CdjStatus, elapsed: number): boolean {
  if (elapsed > STREAK_GAP_MS || previous.trackId !== next.trackId || !beatMoved(previous, next, elapsed)) return false;
  const a = previous.packetCounter ?? 0;
  const b = next.packetCounter ?? 0;
  // A counter that does not count (CDJ-3000s send 0, §3.1) says nothing either way.
  if (a === b) return true;
  if (a === 0 || b === 0) return false;
  const step = (b - a + U32) % U32;
  return step > 0 && step <= 2 + elapsed / STREAK_MS_PER_STEP;
}

/** The next beat packet of a player: one to two beats later, its beat in bar counted on. */
function follows(previous: Beat, next: Beat, elapsed: number): boolean {
  const bpm = previous.effectiveBpm;
  if (bpm === null || bpm <= 0) return false;
  const beats = Math.round((elapsed * bpm) / 60_000);
  if (beats < 1 || beats > 2) return false;
  return next.beatInBar === ((previous.beatInBar - 1 + beats) % 4) + 1;
}

/** Addresses remembered for the one-sender rule; the oldest is forgotten first. */
const MAX_ADDRESSES = 256;

export class HeldSenders {
  private readonly waiting = new Map<string, Waiting>();
  /** Per address: the last sender key it claimed while unconfirmed, and when another key was last mixed in. */
  private readonly claims = new Map<string, { key: string; mixedAt: number }>();

  constructor(private readonly options: HoldOptions) {}

  /**
   * Holds `r` (arrived at `at` on the devices' clock) for `key`; when `byStream` allows a consistent stream to
   * confirm its sender and this packet completes one, releases everything held for the key.
   */
  hold(key: string, r: Received, at: number, byStream = true): HoldResult {
    const dropped: Received[] = [];
    const mixed = this.claimBy(r.address, key, at);
    let w = this.waiting.get(key);
    if (w === undefined) {
      if (this.waiting.size >= this.options.maxSenders) dropped.push(...this.evictOldest());
      w = { items: [], firstAt: at, statusStreak: 0, statusAt: -Infinity, lastStatus: null, beatStreak: 0, beatAt: -Infinity, lastBeat: null };
      this.waiting.set(key, w);
    }
    w.items.push(r);
    if (w.items.length > this.options.maxPerSender) dropped.push(...w.items.splice(0, w.items.length - this.options.maxPerSender));
    const { packet } = r;
    if (packet.kind === 'cdjStatus') {
      const elapsed = at - w.statusAt;
      const spaced = elapsed >= this.options.minSpacingMs;
      w.statusStreak = spaced && w.lastStatus !== null && agrees(w.lastStatus, packet, elapsed) ? w.statusStreak + 1 : 1;
      w.statusAt = at;
      w.lastStatus = packet;
    } else if (packet.kind === 'beat') {
      const elapsed = at - w.beatAt;
      w.beatStreak = elapsed >= this.options.minSpacingMs && w.lastBeat !== null && follows(w.lastBeat, packet, elapsed) ? w.beatStreak + 1 : 1;
      w.beatAt = at;
      w.lastBeat = packet;
    }
    if (!byStream || mixed || (w.statusStreak < CONFIRMING_STREAK && w.beatStreak < CONFIRMING_STREAK)) return { released: null, dropped };
    this.waiting.delete(key);
    return { released: w.items, dropped };
  }

  /** Everything held for `key` (its sender was confirmed by a keep-alive). */
  release(key: string): readonly Received[] {
    const w = this.waiting.get(key);
    if (w === undefined) return [];
    this.waiting.delete(key);
    return w.items;
  }

  holds(key: string): boolean {
    return this.waiting.has(key);
  }

  /** The keys held for an address. */
  keysAt(address: string): string[] {
    const prefix = `${address}|`;
    return [...this.waiting.keys()].filter((k) => k.startsWith(prefix));
  }

  /** Drops senders waiting longer than holdMs; returns their packets. */
  expire(at: number): Received[] {
    const dropped: Received[] = [];
    for (const [key, w] of this.waiting) {
      if (at - w.firstAt < this.options.holdMs) continue;
      this.waiting.delete(key);
      dropped.push(...w.items);
    }
    return dropped;
  }

  /** A packet from `address` was not believed: nothing it sends confirms itself for holdMs. */
  taint(address: string, at: number): void {
    this.claimOf(address, '').mixedAt = at;
  }

  /** Records that `address` claimed `key`; true while it has claimed another sender, or been tainted, within holdMs. */
  private claimBy(address: string, key: string, at: number): boolean {
    const claim = this.claimOf(address, key);
    if (claim.key !== key) {
      claim.key = key;
      claim.mixedAt = at;
    }
    return at - claim.mixedAt < this.options.holdMs;
  }

  private claimOf(address: string, key: string): { key: string; mixedAt: number } {
    let claim = this.claims.get(address);
    if (claim === undefined) {
      if (this.claims.size >= MAX_ADDRESSES) {
        const first = this.claims.keys().next();
        if (first.done !== true) this.claims.delete(first.value);
      }
      claim = { key, mixedAt: -Infinity };
      this.claims.set(address, claim);
    }
    return claim;
  }

  get size(): number {
    return this.waiting.size;
  }

  private evictOldest(): Received[] {
    let oldestKey: string | null = null;
    let oldest = Infinity;
    for (const [key, w] of this.waiting) {
      if (w.firstAt < oldest) {
        oldest = w.firstAt;
        oldestKey = key;
      }
    }
    if (oldestKey === null) return [];
    const items = this.waiting.get(oldestKey)?.items ?? [];
    this.waiting.delete(oldestKey);
    return items;
  }
}
