/**
 * The XOR mask rekordbox 6+ applies to exported PSSI tags (protocol doc §8.2).
 *
 * Every byte from the mood field (tag offset 0x12) to the end of the tag is
 * XOR-ed with a key byte: (base[i mod 19] + len_entries) mod 256, where i counts
 * from 0 at the mood field. XOR is its own inverse, so the same function masks
 * and unmasks.
 */

/** §8.2 base pattern. */
export const PSSI_MASK_BASE: readonly number[] = [
  0xcb, 0xe1, 0xee, 0xfa, 0xe5, 0xee, 0xad, 0xee, 0xe9, 0xd2, 0xe9, 0xeb, 0xe1, 0xe9, 0xf3, 0xe8, 0xe9, 0xf4, 0xe1,
];

/** §8.1: moods 1 (high), 2 (mid) and 3 (low) are the only valid values. */
export const MOOD_MIN = 1;
export const MOOD_MAX = 3;

/**
 * A valid mood is never above this when read raw; a masked mood always is
 * (the first key byte, 0xcb + len_entries, sits in the high byte).
 */
const RAW_MASKED_THRESHOLD = 20;

/** Key byte for masked position `i` (0 = the mood field's first byte). */
export function pssiMaskByte(i: number, lenEntries: number): number {
  return ((PSSI_MASK_BASE[i % PSSI_MASK_BASE.length] as number) + lenEntries) & 0xff;
}

/**
 * XORs `buf[start, end)` with the mask in place; `start` is the buffer offset
 * of the mood field (mask position 0). Used on private copies only.
 */
export function xorPssiMaskInPlace(buf: Buffer, start: number, end: number, lenEntries: number): void {
  const stop = Math.min(end, buf.length);
  const base = PSSI_MASK_BASE.length;
  for (let o = Math.max(start, 0), i = o - start; o < stop; o++, i++) {
    buf[o] = (buf[o] as number) ^ (((PSSI_MASK_BASE[i % base] as number) + lenEntries) & 0xff);
  }
}

/** Unmasks (or masks) the 16-bit mood value read raw from the tag. */
export function unmaskMood(rawMood: number, lenEntries: number): number {
  return rawMood ^ ((pssiMaskByte(0, lenEntries) << 8) | pssiMaskByte(1, lenEntries));
}

export interface MaskDetection {
  /** True when the tag body is XOR-masked and must be unmasked before reading. */
  readonly masked: boolean;
  /** The mood value after unmasking when masked, else as read. */
  readonly mood: number;
  /** False when neither reading gave a mood of 1–3 (the `masked` guess then follows the raw > 20 rule). */
  readonly moodValid: boolean;
}

function isValidMood(mood: number): boolean {
  return mood >= MOOD_MIN && mood <= MOOD_MAX;
}

/**
 * Decides whether a tag is masked from its raw mood field. Both readings are
 * tried; the raw one wins when it is a valid mood. (For real data the two can
 * never both be valid: a masked mood's high byte is 0xcb + len_entries, which is
 * zero only for 53 entries, and then the low byte is 0x16 ^ mood, never 1–3.)
 * When neither is valid, the raw > 20 rule decides and `moodValid` is false.
 */
export function detectPssiMask(rawMood: number, lenEntries: number): MaskDetection {
  if (isValidMood(rawMood)) return { masked: false, mood: rawMood, moodValid: true };
  const unmasked = unmaskMood(rawMood, lenEntries);
  if (isValidMood(unmasked)) return { masked: true, mood: unmasked, moodValid: true };
  const masked = rawMood > RAW_MASKED_THRESHOLD;
  return { masked, mood: masked ? unmasked : rawMood, moodValid: false };
}
