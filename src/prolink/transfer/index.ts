export {
  ChunkReassembler,
  DEFAULT_COMPLETED_MEMORY_MS,
  DEFAULT_MAX_CHUNK_COUNT,
  DEFAULT_MAX_TOTAL_BYTES,
  DEFAULT_MAX_TRANSFERS,
  DEFAULT_TIMEOUT_MS,
  type ReassemblerOptions,
} from './chunk-reassembler';
export { pssiTagFromTransfer, songStructureFromTransfer } from './pssi-transfer';
export * from './types';
