/**
 * Terminal cells: how many columns a string takes, and cutting or padding it
 * to a width. East Asian wide characters and emoji take two cells, combining
 * marks none. Control characters are replaced, so text from outside (rule
 * names, log messages) cannot move the cursor or clear the screen.
 */

/** Marks a cut. */
export const ELLIPSIS = '…';

const WIDE_RANGES: readonly (readonly [number, number])[] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa000, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f300, 0x1f64f],
  [0x1f900, 0x1f9ff],
  [0x20000, 0x3fffd],
];

const ZERO_RANGES: readonly (readonly [number, number])[] = [
  [0x0300, 0x036f],
  [0x200b, 0x200f],
  [0xfe00, 0xfe0f],
];

function inRanges(code: number, ranges: readonly (readonly [number, number])[]): boolean {
  return ranges.some(([from, to]) => code >= from && code <= to);
}

/** Columns one code point takes. */
export function charWidth(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  if (inRanges(code, ZERO_RANGES)) return 0;
  return inRanges(code, WIDE_RANGES) ? 2 : 1;
}

/** Control characters (C0, DEL, C1) become spaces; tabs and newlines included. */
export function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
}

export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += charWidth(char);
  return width;
}

/** The text cut to at most `width` columns, ending in an ellipsis when cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (displayWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const char of text) {
    const w = charWidth(char);
    if (used + w > width - 1) break;
    out += char;
    used += w;
  }
  return out + ELLIPSIS;
}

export type Align = 'left' | 'right';

/** The text cut or padded with spaces to exactly `width` columns. */
export function fit(text: string, width: number, align: Align = 'left'): string {
  const cut = truncate(text, width);
  const gap = ' '.repeat(Math.max(0, width - displayWidth(cut)));
  return align === 'left' ? cut + gap : gap + cut;
}
