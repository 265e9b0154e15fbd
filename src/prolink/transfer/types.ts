/**
 * Values the 0x56 chunk reassembler takes and gives (protocol doc §7.4).
 */

/**
 * The fields of one decoded 0x56 datagram (§7.1) the reassembler needs. The
 * packet decoder's BinaryChunk has all of them, so its output is passed as is.
 */
export interface TransferChunk {
  /** Deck 1–4 (already mapped from the OPUS device number 9–12). */
  readonly deck: number;
  /** Byte 0x25: 0x02 album art, 0x0a PSSI, … (§7.2). */
  readonly dataType: number;
  /** Bytes 0x28–0x2b, the Device Library Plus content id. */
  readonly trackId: number;
  /** Bytes 0x30–0x31, 0-based. */
  readonly chunkIndex: number;
  /** Bytes 0x32–0x33, the total number of chunks. */
  readonly chunkCount: number;
  /** Bytes from 0x34; may be a view into a socket buffer (the reassembler copies it). */
  readonly payload: Buffer;
  /** True when the datagram was shorter than its len_r says. */
  readonly truncated: boolean;
}

export interface TransferKey {
  readonly deck: number;
  readonly dataType: number;
  readonly trackId: number;
}

/** The state of an unfinished transfer when it is dropped. */
export interface TransferSnapshot extends TransferKey {
  readonly chunkCount: number;
  readonly received: number;
  /** Chunk indices never received, ascending; what a caller would ask for again. */
  readonly missing: readonly number[];
  /** Payload bytes held. */
  readonly bytes: number;
  readonly startedAt: number;
  readonly lastChunkAt: number;
}

export type EvictionCause = 'max-transfers' | 'max-bytes';

export type TransferEvent =
  | { readonly type: 'expired'; readonly transfer: TransferSnapshot }
  | { readonly type: 'superseded'; readonly transfer: TransferSnapshot; readonly by: TransferKey }
  | { readonly type: 'evicted'; readonly transfer: TransferSnapshot; readonly cause: EvictionCause };

export type RejectReason =
  | 'bad-field' // deck, data type, track id, index or count is not an integer in its field's range
  | 'truncated' // the datagram was cut short, so the payload is incomplete
  | 'count-zero'
  | 'count-too-large' // above the reassembler's maxChunkCount
  | 'index-out-of-range' // chunkIndex >= chunkCount
  | 'count-mismatch' // chunkCount differs from the transfer in progress
  | 'too-large'; // the transfer alone would exceed maxTotalBytes

export const REJECT_REASONS: readonly RejectReason[] = [
  'bad-field',
  'truncated',
  'count-zero',
  'count-too-large',
  'index-out-of-range',
  'count-mismatch',
  'too-large',
];

export interface TransferComplete {
  readonly status: 'complete';
  readonly transfer: TransferKey;
  readonly chunkCount: number;
  /** All payloads joined in index order (a fresh buffer the caller owns). */
  readonly data: Buffer;
  readonly events: readonly TransferEvent[];
}

export interface TransferPending {
  readonly status: 'pending';
  readonly transfer: TransferKey;
  readonly chunkCount: number;
  readonly received: number;
  /** True when this index had already arrived (the copy is ignored). */
  readonly duplicate: boolean;
  readonly events: readonly TransferEvent[];
}

/** A late copy of a chunk from a transfer that was completed a moment ago. */
export interface TransferDuplicate {
  readonly status: 'duplicate';
  readonly transfer: TransferKey;
  readonly chunkIndex: number;
  readonly events: readonly TransferEvent[];
}

export interface ChunkRejected {
  readonly status: 'rejected';
  readonly reason: RejectReason;
  readonly message: string;
  readonly chunk: TransferKey & { readonly chunkIndex: number; readonly chunkCount: number };
  readonly events: readonly TransferEvent[];
}

export type PushResult = TransferComplete | TransferPending | TransferDuplicate | ChunkRejected;

export interface ReassemblerStats {
  readonly completed: number;
  readonly duplicates: number;
  readonly expired: number;
  readonly superseded: number;
  readonly evicted: number;
  readonly rejected: Readonly<Record<RejectReason, number>>;
  /** Transfers in progress now. */
  readonly active: number;
  /** Payload bytes held now. */
  readonly bytes: number;
}
