/**
 * One transfer in progress: payloads stored by chunk index (protocol doc §7.4).
 * Internal to the reassembler.
 */
import type { TransferKey, TransferSnapshot } from './types';

export class Transfer {
  private readonly parts: (Buffer | undefined)[];
  private receivedCount = 0;
  private byteCount = 0;
  lastChunkAt: number;

  constructor(
    readonly key: TransferKey,
    readonly chunkCount: number,
    readonly startedAt: number,
  ) {
    this.parts = new Array<Buffer | undefined>(chunkCount);
    this.lastChunkAt = startedAt;
  }

  get received(): number {
    return this.receivedCount;
  }

  get bytes(): number {
    return this.byteCount;
  }

  get complete(): boolean {
    return this.receivedCount === this.chunkCount;
  }

  has(index: number): boolean {
    return this.parts[index] !== undefined;
  }

  /** Stores a private copy of the payload; the caller has checked the index is new and in range. */
  add(index: number, payload: Buffer, now: number): void {
    this.parts[index] = Buffer.from(payload);
    this.receivedCount++;
    this.byteCount += payload.length;
    this.lastChunkAt = now;
  }

  missing(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.chunkCount; i++) {
      if (this.parts[i] === undefined) out.push(i);
    }
    return out;
  }

  /** All payloads in index order; only meaningful once complete. */
  join(): Buffer {
    const present = this.parts.filter((p): p is Buffer => p !== undefined);
    return Buffer.concat(present, this.byteCount);
  }

  snapshot(): TransferSnapshot {
    return {
      deck: this.key.deck,
      dataType: this.key.dataType,
      trackId: this.key.trackId,
      chunkCount: this.chunkCount,
      received: this.receivedCount,
      missing: this.missing(),
      bytes: this.byteCount,
      startedAt: this.startedAt,
      lastChunkAt: this.lastChunkAt,
    };
  }
}
