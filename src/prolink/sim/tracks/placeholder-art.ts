/**
 * Album art for simulated tracks. There is no picture to send, so this is a
 * placeholder, not a picture: bytes that start with the JPEG start-of-image
 * marker and end with the end-of-image marker (as real art does, §7.2), with a
 * comment segment in between that says what it is, padded with bytes derived
 * from the track ID. The same track always gives the same bytes.
 */
import { seededRandom } from '../random';

/** JPEG markers: start of image, comment, end of image. */
const SOI = [0xff, 0xd8] as const;
const COM = [0xff, 0xfe] as const;
const EOI = [0xff, 0xd9] as const;
/** Two full 0x56 chunks' worth would be 2736; the captured art was 1368 + 1248 = 2616 bytes. */
export const PLACEHOLDER_ART_BYTES = 2616;
const TEXT = 'prolink-bridge simulator: placeholder album art, not a picture';
/** Marker (2) + length field (2) around the comment; a comment segment holds at most 65533 bytes. */
const OVERHEAD = SOI.length + COM.length + 2 + EOI.length;
const MAX_COMMENT = 0xffff - 2;

export function placeholderArt(trackId: number, size: number = PLACEHOLDER_ART_BYTES): Buffer {
  const comment = Math.min(MAX_COMMENT, Math.max(TEXT.length, size - OVERHEAD));
  const buf = Buffer.alloc(OVERHEAD + comment);
  let at = 0;
  for (const b of [...SOI, ...COM]) buf[at++] = b;
  buf.writeUInt16BE(comment + 2, at);
  at += 2;
  at += buf.write(TEXT, at, 'latin1');
  const random = seededRandom(trackId);
  while (at < buf.length - EOI.length) buf[at++] = Math.floor(random() * 256);
  buf[at++] = EOI[0];
  buf[at] = EOI[1];
  return buf;
}
