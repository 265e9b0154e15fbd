/**
 * Byte layout of the PSSI song-structure tag (protocol doc §8.1). Offsets are
 * from the first byte of the tag, the "P" of "PSSI", unless named ENTRY_*.
 */

/** "PSSI" */
export const PSSI_FOURCC = 'PSSI';

export const TAG_FOURCC = 0x00;
export const TAG_LEN_HEADER = 0x04;
export const TAG_LEN_TAG = 0x08;
export const TAG_LEN_ENTRY_BYTES = 0x0c;
export const TAG_LEN_ENTRIES = 0x10;
/** First masked byte (§8.2). */
export const TAG_MOOD = 0x12;
export const TAG_END_BEAT = 0x1a;
export const TAG_BANK = 0x1e;
/** Where the first phrase entry starts (the tag header is 0x20 bytes). */
export const TAG_ENTRIES = 0x20;

/** The 12 bytes (fourcc, len_header, len_tag) every ANLZ tag starts with; a bare body omits them. */
export const TAG_SHARED_HEADER = 0x0c;

/** Size of one phrase entry, the value len_entry_bytes always holds (§8.1). */
export const ENTRY_SIZE = 24;

export const ENTRY_INDEX = 0x00;
export const ENTRY_BEAT = 0x02;
export const ENTRY_KIND = 0x04;
export const ENTRY_K1 = 0x07;
export const ENTRY_K2 = 0x09;
export const ENTRY_B = 0x0b;
export const ENTRY_BEAT2 = 0x0c;
export const ENTRY_BEAT3 = 0x0e;
export const ENTRY_BEAT4 = 0x10;
export const ENTRY_K3 = 0x13;
export const ENTRY_FILL = 0x15;
export const ENTRY_FILL_BEAT = 0x16;
