/**
 * Bounds-checked reads of one ANLZ tag, given either the whole tag (from its
 * fourcc) or only its body (from tag offset 0x0c, as players hand cue lists
 * over). Offsets are always tag offsets, so a decoder reads both forms alike.
 */
import { TAG_LEN_TAG, TAG_PREFIX } from './anlz-layout';
import { TagFault } from './errors';

export interface TagView {
  readonly fourcc: string;
  readonly buf: Buffer;
  /** Buffer offset of tag offset 0 (negative for a bare body). */
  readonly base: number;
  /** How many tag bytes may be read: len_tag, or the body length plus the 12-byte prefix. */
  readonly length: number;
}

/** A whole tag: checks the fourcc and that len_tag fits the buffer and covers `minLength`. */
export function wholeTag(tag: Buffer, fourcc: string, minLength: number): TagView | TagFault {
  if (tag.length < TAG_PREFIX) {
    return new TagFault('truncated', fourcc, `needs at least ${TAG_PREFIX} bytes, got ${tag.length}`);
  }
  const found = tag.toString('latin1', 0, 4);
  if (found !== fourcc) return new TagFault('bad-entry', fourcc, `starts with ${JSON.stringify(found)}`);
  const lenTag = tag.readUInt32BE(TAG_LEN_TAG);
  if (lenTag > tag.length) {
    return new TagFault('truncated', fourcc, `len_tag says ${lenTag} bytes but only ${tag.length} are present`);
  }
  if (lenTag < minLength) {
    return new TagFault('truncated', fourcc, `len_tag ${lenTag} is shorter than its ${minLength}-byte header`);
  }
  return { fourcc, buf: tag, base: 0, length: lenTag };
}

/** A tag body without its 12-byte prefix. */
export function bareBody(body: Buffer, fourcc: string, minLength: number): TagView | TagFault {
  const length = body.length + TAG_PREFIX;
  if (length < minLength) {
    return new TagFault(
      'truncated',
      fourcc,
      `a body needs at least ${minLength - TAG_PREFIX} bytes, got ${body.length}`,
    );
  }
  return { fourcc, buf: body, base: -TAG_PREFIX, length };
}

/** True when `bytes` bytes at tag offset `at` lie inside the tag. */
export function fits(view: TagView, at: number, bytes: number): boolean {
  return view.base + at >= 0 && at + bytes <= view.length;
}

export function u8(view: TagView, at: number): number {
  return view.buf.readUInt8(view.base + at);
}

export function u16(view: TagView, at: number): number {
  return view.buf.readUInt16BE(view.base + at);
}

export function u32(view: TagView, at: number): number {
  return view.buf.readUInt32BE(view.base + at);
}

/** UTF-16BE text at tag offset `at`, `bytes` long, without trailing NULs. */
export function utf16be(view: TagView, at: number, bytes: number): string {
  const even = bytes - (bytes % 2);
  const copy = Buffer.from(view.buf.subarray(view.base + at, view.base + at + even));
  copy.swap16();
  return copy.toString('utf16le').replace(/\0+$/, '');
}
