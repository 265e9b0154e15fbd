/**
 * A screen line as styled segments. Lines are cut to the screen width on
 * their visible text, then painted with ANSI colours only when asked.
 */
import { charWidth, displayWidth, ELLIPSIS, printable } from './text-width';

const SGR = {
  bold: '1',
  dim: '2',
  inverse: '7',
  red: '31',
  green: '32',
  yellow: '33',
  blue: '34',
  magenta: '35',
  cyan: '36',
  'bold-red': '1;31',
  'bold-green': '1;32',
  'bold-yellow': '1;33',
  'bold-cyan': '1;36',
} as const;

export type Style = keyof typeof SGR;

export interface Segment {
  readonly text: string;
  readonly style: Style | null;
}

export type Line = readonly Segment[];

export function seg(text: string, style: Style | null = null): Segment {
  return { text: printable(text), style };
}

export function lineWidth(line: Line): number {
  return line.reduce((sum, s) => sum + displayWidth(s.text), 0);
}

/** The line cut to `width` columns; a cut line ends in an ellipsis. */
export function cutLine(line: Line, width: number): Line {
  if (lineWidth(line) <= width) return line;
  if (width <= 0) return [];
  const out: Segment[] = [];
  let room = width - 1;
  for (const s of line) {
    let text = '';
    for (const char of s.text) {
      const w = charWidth(char);
      if (w > room) break;
      text += char;
      room -= w;
    }
    if (text !== s.text) {
      out.push({ text: text + ELLIPSIS, style: s.style });
      return out;
    }
    out.push(s);
  }
  return out;
}

/** Left part, spaces, right part: the right part flush with `width` when both fit. */
export function spread(left: Line, right: Line, width: number, minGap = 2): Line {
  const gap = width - lineWidth(left) - lineWidth(right);
  if (gap < minGap) return cutLine([...left, seg(' '.repeat(minGap)), ...right], width);
  return [...left, seg(' '.repeat(gap)), ...right];
}

export function paint(line: Line, color: boolean): string {
  return line.map((s) => (color && s.style !== null && s.text !== '' ? `\x1b[${SGR[s.style]}m${s.text}\x1b[0m` : s.text)).join('');
}
