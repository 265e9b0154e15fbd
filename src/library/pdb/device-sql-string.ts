/**
 * DeviceSQL strings: the first byte says how the string is stored.
 *   odd  → short ASCII: length = (byte >> 1) − 1, the text follows.
 *   0x40 → long ASCII: u16 total length (header included), a pad byte, the text.
 *   0x90 → long UTF-16LE, same layout; when the text starts with 0x03 it is an
 *          ISRC stored as a NUL-terminated ASCII string instead.
 * Rows point at their strings through an offset array that starts with the
 * marker 0x03 (one-byte offsets) or 0x0003 (two-byte offsets, when bit 0x04
 * of the row's subtype is set). Offsets are relative to the row's start.
 */
import type { PageReader } from './page-reader';

const KIND_LONG_ASCII = 0x40;
const KIND_LONG_UTF16 = 0x90;
/** Long strings: u16 total length at +1, one pad byte, text from +4. */
const LONG_LENGTH = 0x01;
const LONG_TEXT = 0x04;
/** First text byte of a 0x90 string that holds an ISRC in ASCII. */
const ISRC_MARKER = 0x03;
const OFFSET_ARRAY_MARKER = 0x03;
/** Subtype bit selecting two-byte string offsets. */
const SUBTYPE_WIDE_OFFSETS = 0x04;

/** Reads the DeviceSQL string at page-relative byte `at`. */
export function readDeviceSqlString(page: PageReader, at: number, what: string): string {
  const kind = page.u8(at, what);
  if ((kind & 1) === 1) {
    const length = (kind >> 1) - 1;
    if (length < 0) throw page.fail('bad-string', `${what} at byte ${at} has the impossible short-string header 0x01`);
    return page.slice(at + 1, length, what).toString('utf8');
  }
  if (kind !== KIND_LONG_ASCII && kind !== KIND_LONG_UTF16) {
    throw page.fail('bad-string', `${what} at byte ${at} has the unknown string kind 0x${kind.toString(16).padStart(2, '0')}`);
  }
  const total = page.u16(at + LONG_LENGTH, what);
  if (total < LONG_TEXT) throw page.fail('bad-string', `${what} at byte ${at} gives a length of ${total}, shorter than its own header`);
  const text = page.slice(at + LONG_TEXT, total - LONG_TEXT, what);
  if (kind === KIND_LONG_ASCII) return text.toString('utf8');
  if (text.length > 0 && text[0] === ISRC_MARKER) {
    const body = text.subarray(1);
    const nul = body.indexOf(0);
    return body.subarray(0, nul === -1 ? body.length : nul).toString('latin1');
  }
  if (text.length % 2 !== 0) throw page.fail('bad-string', `${what} at byte ${at} is UTF-16 with an odd length of ${text.length} bytes`);
  return text.toString('utf16le');
}

/**
 * Reads the `count` string offsets of a row's offset array at row-relative
 * `arrayAt`, and the strings they point to.
 */
export function readRowStrings(page: PageReader, rowStart: number, subtype: number, arrayAt: number, count: number, what: string): string[] {
  const wide = (subtype & SUBTYPE_WIDE_OFFSETS) !== 0;
  const at = rowStart + arrayAt;
  const marker = wide ? page.u16(at, `${what} string offsets`) : page.u8(at, `${what} string offsets`);
  if (marker !== OFFSET_ARRAY_MARKER) {
    throw page.fail('bad-row', `${what} at byte ${rowStart} has no string-offset marker (found 0x${marker.toString(16)})`);
  }
  const width = wide ? 2 : 1;
  const strings: string[] = [];
  for (let i = 0; i < count; i++) {
    const ofsAt = at + width * (i + 1);
    const offset = wide ? page.u16(ofsAt, `${what} string offset`) : page.u8(ofsAt, `${what} string offset`);
    strings.push(readDeviceSqlString(page, rowStart + offset, `${what} string ${i}`));
  }
  return strings;
}
