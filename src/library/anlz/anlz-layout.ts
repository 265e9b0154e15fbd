/**
 * Byte layouts of the ANLZ tags the library reads, besides PSSI (which lives
 * in src/prolink/phrases/pssi-layout.ts). All numbers are big-endian. Offsets
 * are from the first byte of the tag (its fourcc) unless named *_ENTRY_*, which
 * are from the first byte of an entry. Every tag starts with fourcc (4),
 * len_header (4) and len_tag (4).
 */

/** Tag offset of len_header and len_tag, shared by every tag and by PCPT/PCP2 entries. */
export const TAG_LEN_HEADER = 0x04;
export const TAG_LEN_TAG = 0x08;
/** fourcc + len_header + len_tag. */
export const TAG_PREFIX = 0x0c;

/** Beat grid: one 8-byte entry per beat. */
export const PQTZ_FOURCC = 'PQTZ';
export const PQTZ_LEN_BEATS = 0x14;
export const PQTZ_BEATS = 0x18;
export const PQTZ_BEAT_SIZE = 8;
export const PQTZ_BEAT_NUMBER = 0x00; // u16, 1–4: the beat's place in its bar
export const PQTZ_BEAT_TEMPO = 0x02; // u16, BPM × 100
export const PQTZ_BEAT_TIME = 0x04; // u32, ms at normal speed

/** Path of the analysed audio file: UTF-16BE with a trailing NUL. */
export const PPTH_FOURCC = 'PPTH';
export const PPTH_LEN_PATH = 0x0c; // u32, bytes of the path including its NUL
export const PPTH_PATH = 0x10;

/** Cue list (memory cues or hot cues), entries are PCPT. */
export const PCOB_FOURCC = 'PCOB';
export const PCOB_TYPE = 0x0c; // u32: 0 memory cues, 1 hot cues
export const PCOB_LEN_CUES = 0x12; // u16
export const PCOB_CUES = 0x18;

export const PCPT_FOURCC = 'PCPT';
export const PCPT_ENTRY_HOT_CUE = 0x0c; // u32: 0 memory cue, n hot cue n (1 = A)
export const PCPT_ENTRY_STATUS = 0x10; // u32: 0 plain, 4 active loop
export const PCPT_ENTRY_TYPE = 0x1c; // u8: 1 cue, 2 loop
export const PCPT_ENTRY_TIME = 0x20; // u32 ms
export const PCPT_ENTRY_LOOP_TIME = 0x24; // u32 ms, the loop's end
/** Every PCPT entry is this long. */
export const PCPT_ENTRY_SIZE = 0x38;

/** Extended cue list (nxs2 and later), entries are PCP2 of varying length. */
export const PCO2_FOURCC = 'PCO2';
export const PCO2_TYPE = 0x0c; // u32: 0 memory cues, 1 hot cues
export const PCO2_LEN_CUES = 0x10; // u16
export const PCO2_CUES = 0x14;

export const PCP2_FOURCC = 'PCP2';
export const PCP2_ENTRY_HOT_CUE = 0x0c; // u32
export const PCP2_ENTRY_TYPE = 0x10; // u8: 1 cue, 2 loop
export const PCP2_ENTRY_TIME = 0x14; // u32 ms
export const PCP2_ENTRY_LOOP_TIME = 0x18; // u32 ms
export const PCP2_ENTRY_COLOR_ID = 0x1c; // u8: memory cues' colour, a row of export.pdb's colour table
export const PCP2_ENTRY_LEN_COMMENT = 0x28; // u32, bytes of the UTF-16BE name including its NUL
export const PCP2_ENTRY_COMMENT = 0x2c;
/** After the comment: colour code, then red, green, blue (hot cues). Older entries end before them. */
export const PCP2_COLOR_CODE_AFTER_COMMENT = 0;
export const PCP2_COLOR_RGB_AFTER_COMMENT = 1;
export const PCP2_COLOR_BYTES = 4;

/** Cue list types (PCOB_TYPE, PCO2_TYPE). */
export const CUE_LIST_MEMORY = 0;
export const CUE_LIST_HOT = 1;

/** Cue entry types (PCPT_ENTRY_TYPE, PCP2_ENTRY_TYPE). */
export const CUE_TYPE_POINT = 1;
export const CUE_TYPE_LOOP = 2;

/** A time field that holds no position. */
export const TIME_UNSET = 0xffffffff;
