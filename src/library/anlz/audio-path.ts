/**
 * The path tag PPTH: which audio file the analysis describes, as UTF-16BE
 * text with a trailing NUL. Every file of a track (.DAT, .EXT, .2EX) holds it.
 */
import { PPTH_FOURCC, PPTH_LEN_PATH, PPTH_PATH } from './anlz-layout';
import { TagFault } from './errors';
import { fits, u32, utf16be, wholeTag } from './tag-view';

export function parsePathTag(tag: Buffer): string | TagFault {
  const view = wholeTag(tag, PPTH_FOURCC, PPTH_PATH);
  if (view instanceof TagFault) return view;
  const length = u32(view, PPTH_LEN_PATH);
  if (!fits(view, PPTH_PATH, length)) {
    const room = view.length - PPTH_PATH;
    return new TagFault('truncated', PPTH_FOURCC, `len_path says ${length} bytes, the tag has room for ${room}`);
  }
  return utf16be(view, PPTH_PATH, length);
}
