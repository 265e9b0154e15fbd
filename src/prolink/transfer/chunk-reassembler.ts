/**
 * Joins OPUS-QUAD 0x56 chunks into whole transfers (protocol doc §7.4, the
 * index-keyed approach). Tolerates loss, reordering and duplicates; a transfer
 * completes when every index 0..count−1 has arrived. At most one transfer runs
 * per (deck, data type): a chunk for another track id supersedes it. Memory is
 * bounded by a transfer cap and a byte cap; everything dropped is reported with
 * its missing indices so the caller can ask again. Time comes from `now`.
 */
import { Transfer } from './transfer';
import {
  REJECT_REASONS,
  type TransferChunk,
  type ChunkRejected,
  type EvictionCause,
  type PushResult,
  type ReassemblerStats,
  type RejectReason,
  type TransferEvent,
  type TransferKey,
  type TransferSnapshot,
} from './types';

export interface ReassemblerOptions {
  /** Milliseconds; injected so tests run on virtual time. */
  readonly now: () => number;
  /** A transfer with no new chunk for this long is dropped. Default 5000 ms. */
  readonly timeoutMs?: number;
  /** Transfers held at once; the least recently active is evicted beyond it. Default 16. */
  readonly maxTransfers?: number;
  /** Payload bytes held at once across transfers. Default 8 MiB. */
  readonly maxTotalBytes?: number;
  /** Largest chunk count accepted. Default 1024 (≈1.4 MB at 1368 bytes a chunk). */
  readonly maxChunkCount?: number;
  /** How long copies of a just-completed transfer's chunks count as duplicates. Default 2000 ms. */
  readonly completedMemoryMs?: number;
}

export const DEFAULT_TIMEOUT_MS = 5000;
export const DEFAULT_MAX_TRANSFERS = 16;
export const DEFAULT_MAX_TOTAL_BYTES = 8 * 1024 * 1024;
export const DEFAULT_MAX_CHUNK_COUNT = 1024;
export const DEFAULT_COMPLETED_MEMORY_MS = 2000;

/** §7.1 field widths. */
const MAX_U8 = 0xff;
const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

interface Completed {
  readonly trackId: number;
  readonly chunkCount: number;
  readonly at: number;
}

function inRange(value: number, max: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= max;
}

function keyOf(chunk: TransferChunk): TransferKey {
  return { deck: chunk.deck, dataType: chunk.dataType, trackId: chunk.trackId };
}

export class ChunkReassembler {
  private readonly now: () => number;
  private readonly timeoutMs: number;
  private readonly maxTransfers: number;
  private readonly maxTotalBytes: number;
  private readonly maxChunkCount: number;
  private readonly completedMemoryMs: number;

  /** Keyed by deck × 256 + data type: one transfer per slot. */
  private readonly transfers = new Map<number, Transfer>();
  private readonly recentlyCompleted = new Map<number, Completed>();
  private totalBytes = 0;

  private readonly counts = { completed: 0, duplicates: 0, expired: 0, superseded: 0, evicted: 0 };
  private readonly rejections: Record<RejectReason, number> = Object.fromEntries(
    REJECT_REASONS.map((r) => [r, 0]),
  ) as Record<RejectReason, number>;

  constructor(options: ReassemblerOptions) {
    this.now = options.now;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxTransfers = Math.max(1, options.maxTransfers ?? DEFAULT_MAX_TRANSFERS);
    this.maxTotalBytes = options.maxTotalBytes ?? DEFAULT_MAX_TOTAL_BYTES;
    this.maxChunkCount = Math.min(MAX_U16, options.maxChunkCount ?? DEFAULT_MAX_CHUNK_COUNT);
    this.completedMemoryMs = options.completedMemoryMs ?? DEFAULT_COMPLETED_MEMORY_MS;
  }

  /** Adds one chunk. Expiry runs first; its reports come back in `events`. */
  push(chunk: TransferChunk): PushResult {
    const now = this.now();
    const events: TransferEvent[] = [];
    this.expireInto(now, events);

    const invalid = this.validate(chunk);
    if (invalid !== null) return this.reject(chunk, invalid[0], invalid[1], events);

    const slot = chunk.deck * (MAX_U8 + 1) + chunk.dataType;
    const done = this.recentlyCompleted.get(slot);
    if (done !== undefined && done.trackId === chunk.trackId && done.chunkCount === chunk.chunkCount) {
      this.counts.duplicates++;
      return { status: 'duplicate', transfer: keyOf(chunk), chunkIndex: chunk.chunkIndex, events };
    }

    let transfer = this.transfers.get(slot);
    if (transfer !== undefined && transfer.key.trackId !== chunk.trackId) {
      this.drop(slot, transfer);
      this.counts.superseded++;
      events.push({ type: 'superseded', transfer: transfer.snapshot(), by: keyOf(chunk) });
      transfer = undefined;
    }
    if (transfer !== undefined && transfer.chunkCount !== chunk.chunkCount) {
      const message = `chunk count ${chunk.chunkCount} differs from the transfer's ${transfer.chunkCount}`;
      return this.reject(chunk, 'count-mismatch', message, events);
    }
    if (transfer !== undefined && transfer.has(chunk.chunkIndex)) {
      this.counts.duplicates++;
      return this.pending(transfer, true, events);
    }

    const size = chunk.payload.length;
    if ((transfer?.bytes ?? 0) + size > this.maxTotalBytes) {
      if (transfer !== undefined) {
        this.drop(slot, transfer);
        this.counts.evicted++;
        events.push({ type: 'evicted', transfer: transfer.snapshot(), cause: 'max-bytes' });
      }
      const message = `transfer would exceed the ${this.maxTotalBytes}-byte cap`;
      return this.reject(chunk, 'too-large', message, events);
    }

    if (transfer === undefined) {
      this.makeRoomForTransfer(events);
      transfer = new Transfer(keyOf(chunk), chunk.chunkCount, now);
      this.transfers.set(slot, transfer);
    }
    this.makeRoomForBytes(size, transfer, events);
    transfer.add(chunk.chunkIndex, chunk.payload, now);
    this.totalBytes += size;

    if (!transfer.complete) return this.pending(transfer, false, events);

    this.drop(slot, transfer);
    this.counts.completed++;
    this.recentlyCompleted.set(slot, { trackId: transfer.key.trackId, chunkCount: transfer.chunkCount, at: now });
    return {
      status: 'complete',
      transfer: transfer.key,
      chunkCount: transfer.chunkCount,
      data: transfer.join(),
      events,
    };
  }

  /** Drops transfers idle for timeoutMs or more and reports them with their missing indices. */
  expire(): readonly TransferEvent[] {
    const events: TransferEvent[] = [];
    this.expireInto(this.now(), events);
    return events;
  }

  /** Snapshots of the transfers in progress, oldest activity first. */
  active(): readonly TransferSnapshot[] {
    return [...this.transfers.values()].sort((a, b) => a.lastChunkAt - b.lastChunkAt).map((t) => t.snapshot());
  }

  stats(): ReassemblerStats {
    return {
      ...this.counts,
      rejected: { ...this.rejections },
      active: this.transfers.size,
      bytes: this.totalBytes,
    };
  }

  /** Forgets every transfer without reporting (e.g. when the device leaves). */
  clear(): void {
    this.transfers.clear();
    this.recentlyCompleted.clear();
    this.totalBytes = 0;
  }

  private validate(chunk: TransferChunk): [RejectReason, string] | null {
    const { deck, dataType, trackId, chunkIndex, chunkCount } = chunk;
    if (
      !inRange(deck, MAX_U8) ||
      !inRange(dataType, MAX_U8) ||
      !inRange(trackId, MAX_U32) ||
      !inRange(chunkIndex, MAX_U16) ||
      !inRange(chunkCount, MAX_U16)
    ) {
      const fields = `deck ${deck}, type ${dataType}, track ${trackId}, chunk ${chunkIndex}/${chunkCount}`;
      return ['bad-field', `field out of range: ${fields}`];
    }
    if (chunk.truncated) return ['truncated', `chunk ${chunkIndex}/${chunkCount} arrived cut short`];
    if (chunkCount === 0) return ['count-zero', 'chunk count is 0'];
    if (chunkCount > this.maxChunkCount) {
      return ['count-too-large', `chunk count ${chunkCount} is above the limit of ${this.maxChunkCount}`];
    }
    if (chunkIndex >= chunkCount) {
      return ['index-out-of-range', `chunk index ${chunkIndex} is not below count ${chunkCount}`];
    }
    return null;
  }

  private reject(chunk: TransferChunk, reason: RejectReason, message: string, events: TransferEvent[]): ChunkRejected {
    this.rejections[reason]++;
    return {
      status: 'rejected',
      reason,
      message,
      chunk: { ...keyOf(chunk), chunkIndex: chunk.chunkIndex, chunkCount: chunk.chunkCount },
      events,
    };
  }

  private pending(transfer: Transfer, duplicate: boolean, events: TransferEvent[]): PushResult {
    return {
      status: 'pending',
      transfer: transfer.key,
      chunkCount: transfer.chunkCount,
      received: transfer.received,
      duplicate,
      events,
    };
  }

  private drop(slot: number, transfer: Transfer): void {
    this.transfers.delete(slot);
    this.totalBytes -= transfer.bytes;
  }

  private expireInto(now: number, events: TransferEvent[]): void {
    for (const [slot, transfer] of this.transfers) {
      if (now - transfer.lastChunkAt >= this.timeoutMs) {
        this.drop(slot, transfer);
        this.counts.expired++;
        events.push({ type: 'expired', transfer: transfer.snapshot() });
      }
    }
    for (const [slot, done] of this.recentlyCompleted) {
      if (now - done.at > this.completedMemoryMs) this.recentlyCompleted.delete(slot);
    }
  }

  /** The least recently active transfer other than `keep`, with its slot. */
  private oldest(keep: Transfer | null): [number, Transfer] | null {
    let found: [number, Transfer] | null = null;
    for (const entry of this.transfers) {
      if (entry[1] === keep) continue;
      if (found === null || entry[1].lastChunkAt < found[1].lastChunkAt) found = entry;
    }
    return found;
  }

  private evict(cause: EvictionCause, keep: Transfer | null, events: TransferEvent[]): boolean {
    const victim = this.oldest(keep);
    if (victim === null) return false;
    this.drop(victim[0], victim[1]);
    this.counts.evicted++;
    events.push({ type: 'evicted', transfer: victim[1].snapshot(), cause });
    return true;
  }

  private makeRoomForTransfer(events: TransferEvent[]): void {
    while (this.transfers.size >= this.maxTransfers && this.evict('max-transfers', null, events));
  }

  private makeRoomForBytes(size: number, keep: Transfer, events: TransferEvent[]): void {
    while (this.totalBytes + size > this.maxTotalBytes && this.evict('max-bytes', keep, events));
  }
}
