/**
 * The deck table: a title row and one row per deck. Columns have fixed
 * widths; on a narrow screen the least needed ones are left out (phrase beat
 * range first, then track BPM, track ID …) so that the flags still fit.
 */
import type { DeckView } from '../monitor-state';
import { formatBpm, formatCount, formatPitch, NONE } from './format';
import { cutLine, seg, type Line, type Segment, type Style } from './styled-line';
import { displayWidth, fit, type Align } from './text-width';

/** A deck with no status for this long reads "silent". */
export const SILENT_AFTER_MS = 3000;

const PROGRESS_CELLS = 6;
const PARTIAL_BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'] as const;
const BEATS_PER_BAR = 4;

interface Column {
  readonly title: string;
  readonly width: number;
  readonly align: Align;
  /** Columns with the lowest value go first when the screen is narrow. */
  readonly keep: number;
  /** Shown for a deck with nothing loaded, too. */
  readonly always?: boolean;
  cell(deck: DeckView, now: number): readonly Segment[];
}

const PLAY_STATES: Readonly<Record<string, readonly [string, Style | null]>> = {
  empty: ['empty', 'dim'],
  loading: ['loading', null],
  playing: ['playing', 'bold-green'],
  looping: ['looping', 'bold-green'],
  paused: ['paused', 'yellow'],
  cued: ['cued', 'yellow'],
  cuePlaying: ['cue play', 'green'],
  cueScratching: ['cue scr', 'green'],
  searching: ['search', null],
  spunDown: ['spun dn', 'yellow'],
  ended: ['ended', 'yellow'],
  emergencyLoop: ['emg loop', 'red'],
};

/** The DECK column and the space after it. */
const DECK_INDENT = 5;

function text(value: string, style: Style | null = null): readonly Segment[] {
  return [seg(value, style)];
}

/** A deck with nothing loaded shows only the columns that are `always` shown. */
function isEmpty(deck: DeckView): boolean {
  return deck.playState === 'empty' && deck.trackId === null;
}

function progressBar(progress: number): string {
  const eighths = Math.round(progress * PROGRESS_CELLS * 8);
  const full = Math.floor(eighths / 8);
  const partial = PARTIAL_BLOCKS[eighths % 8] ?? '';
  return ('█'.repeat(full) + partial).padEnd(PROGRESS_CELLS, '░');
}

function beatDots(beatInBar: number | null): readonly Segment[] {
  if (beatInBar === null) return text('·'.repeat(BEATS_PER_BAR), 'dim');
  const out: Segment[] = [];
  for (let i = 1; i <= BEATS_PER_BAR; i++) {
    out.push(i === beatInBar ? seg('●', i === 1 ? 'bold-red' : 'bold-green') : seg('○', 'dim'));
  }
  return out;
}

const COLUMNS: readonly Column[] = [
  { title: 'DECK', width: 4, align: 'left', keep: 100, always: true, cell: (d) => text(String(d.deck), 'bold') },
  { title: 'TRACK', width: 6, align: 'left', keep: 40, cell: (d) => text(formatCount(d.trackId)) },
  {
    title: 'STATE',
    width: 8,
    align: 'left',
    keep: 60,
    always: true,
    cell: (d, now) => {
      if (now - d.seenAt > SILENT_AFTER_MS) return text('silent', 'bold-red');
      const [name, style] = PLAY_STATES[d.playState] ?? [d.playState, null];
      return text(name, style);
    },
  },
  { title: 'BPM', width: 6, align: 'right', keep: 30, cell: (d) => text(formatBpm(d.bpm)) },
  { title: 'PITCH', width: 7, align: 'right', keep: 70, cell: (d) => text(d.bpm === null ? NONE : formatPitch(d.pitchPercent)) },
  { title: 'TEMPO', width: 6, align: 'right', keep: 90, cell: (d) => text(formatBpm(d.effectiveBpm), 'bold') },
  { title: 'BEAT', width: 5, align: 'right', keep: 80, cell: (d) => text(d.beat === null ? NONE : `${d.estimated === true ? '~' : ''}${d.beat}`) },
  { title: 'BAR', width: 3, align: 'right', keep: 75, cell: (d) => text(formatCount(d.bar)) },
  { title: '', width: BEATS_PER_BAR, align: 'left', keep: 85, cell: (d) => beatDots(d.beatInBar) },
  { title: 'PHRASE', width: 8, align: 'left', keep: 65, cell: (d) => text(d.phrase?.label ?? NONE, d.phrase === null ? 'dim' : 'magenta') },
  { title: '', width: PROGRESS_CELLS, align: 'left', keep: 50, cell: (d) => (d.phrase === null ? text('') : text(progressBar(d.phrase.progress), 'magenta')) },
  {
    title: 'BEATS',
    width: 9,
    align: 'left',
    keep: 20,
    cell: (d) => text(d.phrase === null ? '' : `${d.phrase.startBeat}–${d.phrase.endBeat - 1}`, 'dim'),
  },
];

/** Flag words, longest first; a row uses the longest set that fits. */
const FLAG_FORMS: readonly { readonly master: string; readonly sync: string; readonly onAir: string }[] = [
  { master: 'MASTER', sync: 'SYNC', onAir: 'ON AIR' },
  { master: 'MST', sync: 'SYN', onAir: 'AIR' },
  { master: 'M', sync: 'S', onAir: 'A' },
];
/** Room the flags need at least before columns are left out: all three short words. */
const FLAGS_MIN_WIDTH = 11;

function flags(d: DeckView, width: number): readonly Segment[] {
  for (const form of FLAG_FORMS) {
    const words: Segment[] = [];
    if (d.master) words.push(seg(form.master, 'bold-yellow'));
    if (d.sync) words.push(seg(form.sync, 'cyan'));
    if (d.onAir) words.push(seg(form.onAir, 'bold-red'));
    const spaced = words.flatMap((w, i) => (i === 0 ? [w] : [seg(' '), w]));
    if (spaced.reduce((n, s) => n + displayWidth(s.text), 0) <= width) return spaced;
  }
  return [];
}

function tableWidth(columns: readonly Column[]): number {
  return columns.reduce((sum, c) => sum + c.width + 1, 0);
}

/** The columns that fit `width` with room for the flags, in display order. */
function columnsFor(width: number): readonly Column[] {
  let columns = COLUMNS;
  while (tableWidth(columns) + FLAGS_MIN_WIDTH > width && columns.length > 1) {
    const least = columns.reduce((a, b) => (b.keep < a.keep ? b : a));
    columns = columns.filter((c) => c !== least);
  }
  return columns;
}

/** Pads a cell's segments to its column: the first segment carries the alignment. */
function cell(segments: readonly Segment[], column: Column): readonly Segment[] {
  const used = segments.reduce((n, s) => n + displayWidth(s.text), 0);
  if (used > column.width) {
    const joined = segments.map((s) => s.text).join('');
    return [seg(fit(joined, column.width, column.align), segments[0]?.style ?? null)];
  }
  const gap = seg(' '.repeat(column.width - used));
  return column.align === 'left' ? [...segments, gap] : [gap, ...segments];
}

export function deckTitleRow(width: number): Line {
  const columns = columnsFor(width);
  return cutLine([seg(columns.map((c) => fit(c.title, c.width, c.align)).join(' ').trimEnd(), 'dim')], width);
}

export function deckRow(deck: DeckView, width: number, now: number): Line {
  const columns = columnsFor(width);
  const line: Segment[] = [];
  for (const column of columns) line.push(...cell(column.always === true || !isEmpty(deck) ? column.cell(deck, now) : [], column), seg(' '));
  line.push(...flags(deck, width - tableWidth(columns)));
  return cutLine(trimEnd(line), width);
}

/** Under a deck's row, when the library knows its track: "Title — Artist", indented past the DECK column. */
export function deckTitleLine(deck: DeckView, width: number): Line | null {
  if (deck.title === null) return null;
  return cutLine([seg(' '.repeat(DECK_INDENT)), seg(deck.title, 'cyan')], width);
}

function trimEnd(line: readonly Segment[]): Line {
  const out = [...line];
  for (let last = out.at(-1); last !== undefined; last = out.at(-1)) {
    const trimmed = last.text.trimEnd();
    if (trimmed === '') {
      out.pop();
      continue;
    }
    if (trimmed !== last.text) out[out.length - 1] = { text: trimmed, style: last.style };
    break;
  }
  return out;
}
