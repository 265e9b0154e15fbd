/**
 * pcapng block and option layout (IETF draft-ietf-opsawg-pcapng), shared by
 * the reader and the writer. Offsets are from the start of a block.
 */
export const BLOCK_SECTION_HEADER = 0x0a0d0d0a;
export const BLOCK_INTERFACE_DESCRIPTION = 0x00000001;
export const BLOCK_PACKET = 0x00000002; // obsolete, still read
export const BLOCK_SIMPLE_PACKET = 0x00000003;
export const BLOCK_ENHANCED_PACKET = 0x00000006;

export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
/** The byte-order magic as it reads big-endian from a little-endian section. */
export const BYTE_ORDER_MAGIC_SWAPPED = 0x4d3c2b1a;
export const PCAPNG_VERSION_MAJOR = 1;
export const PCAPNG_VERSION_MINOR = 0;

/** Every block: type (4), total length (4), body, total length again (4). */
export const BLOCK_TYPE = 0;
export const BLOCK_TOTAL_LENGTH = 4;
export const BLOCK_BODY = 8;
export const BLOCK_TRAILER_LENGTH = 4;
export const BLOCK_MIN_LENGTH = 12;
export const BLOCK_ALIGNMENT = 4;

// Section header block.
export const SHB_BYTE_ORDER = 8;
export const SHB_VERSION_MAJOR = 12;
export const SHB_VERSION_MINOR = 14;
export const SHB_SECTION_LENGTH = 16;
export const SHB_OPTIONS = 24;

// Interface description block.
export const IDB_LINK_TYPE = 8;
export const IDB_RESERVED = 10;
export const IDB_SNAP_LENGTH = 12;
export const IDB_OPTIONS = 16;

// Enhanced packet block.
export const EPB_INTERFACE = 8;
export const EPB_TIMESTAMP = 12; // high 32 bits, then low 32 bits
export const EPB_CAPTURED_LENGTH = 20;
export const EPB_ORIGINAL_LENGTH = 24;
export const EPB_DATA = 28;

// Obsolete packet block: same as EPB but a 16-bit interface id and a 16-bit drop count.
export const PB_INTERFACE = 8;
export const PB_TIMESTAMP = 12;
export const PB_CAPTURED_LENGTH = 20;
export const PB_ORIGINAL_LENGTH = 24;
export const PB_DATA = 28;

// Simple packet block: no interface id (always 0) and no timestamp.
export const SPB_ORIGINAL_LENGTH = 8;
export const SPB_DATA = 12;

/** Options: code (2), length (2), value padded to 4 bytes; code 0 ends the list. */
export const OPT_END = 0;
export const OPT_HEADER_LENGTH = 4;
export const SHB_USER_APPLICATION = 4;
export const IF_NAME = 2;
export const IF_TSRESOL = 9;
export const IF_TSOFFSET = 14;
/** if_tsresol: bit 7 set means a negative power of 2, clear a negative power of 10. */
export const TSRESOL_BINARY = 0x80;
export const TSRESOL_EXPONENT = 0x7f;
/** Without if_tsresol, timestamps count microseconds. */
export const DEFAULT_TSRESOL = 6;

export function padTo4(n: number): number {
  return (n + 3) & ~3;
}
