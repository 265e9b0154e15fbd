/**
 * The whole screen as lines: a header (source, mode, counters; master and
 * devices), the deck table, the network outputs and the activity tail. Pure: the same state and
 * options always give the same lines, none wider than `width`.
 */
import type { Counters, MonitorState } from '../monitor-state';
import { deckRow, deckTitleLine, deckTitleRow } from './render-decks';
import { tailLine } from './render-tail';
import { outputRows } from './render-outputs';
import { formatBpm, formatDuration } from './format';
import { cutLine, lineWidth, paint, seg, spread, type Line, type Segment } from './styled-line';

export interface RenderOptions {
  readonly width: number;
  readonly height: number;
  /** Now, on the clock the state's times are on (epoch ms in the app). */
  readonly now: number;
  /** ANSI colours; off unless asked. */
  readonly color?: boolean;
  /** For the times of day in the tail; UTC when not given. */
  readonly utcOffsetMinutes?: number;
  /** Shown on the activity rule, e.g. which keys quit. */
  readonly hint?: string | null;
}

const BAR = ' │ ';

function counters(c: Counters, short: boolean): Line {
  const item = (name: string, shortName: string, value: number, warn: boolean): Segment[] => [
    seg(`${short ? shortName : name} `, 'dim'),
    seg(String(value), warn && value > 0 ? 'yellow' : null),
  ];
  const parts = [
    item('packets', 'pkts', c.packets, false),
    item('malformed', 'bad', c.malformed, true),
    item('events', 'ev', c.events, false),
    item('sent', 'sent', c.sent, false),
    ...(c.unsent > 0 ? [item('unsent', 'unsent', c.unsent, true)] : []),
  ];
  return parts.flatMap((p, i) => (i === 0 ? p : [seg(short ? ' ' : '  '), ...p]));
}

function titleLine(state: MonitorState, width: number): Line {
  const where = [seg(state.source), seg(BAR, 'dim'), seg(state.mode ?? 'starting')];
  const named = [seg('prolink-bridge', 'bold'), seg(BAR, 'dim'), ...where];
  // Longest first: the name and full counter names, then without the name, then short counter names.
  for (const [left, short] of [[named, false], [where, false], [named, true], [where, true]] as const) {
    const right = counters(state.counters, short);
    if (lineWidth(left) + 2 + lineWidth(right) <= width) return spread(left, right, width);
  }
  const right = counters(state.counters, true);
  const room = width - 2 - lineWidth(right);
  return room >= 16 ? spread(cutLine(where, room), right, width) : cutLine([...where, seg('  '), ...right], width);
}

function masterAndDevices(state: MonitorState, width: number, now: number): Line {
  const m = state.master;
  const master: Segment[] =
    m === null || m.deck === null
      ? [seg('no master', 'dim')]
      : [seg('master ', 'dim'), seg(`deck ${m.deck}`, 'bold-yellow'), seg(' at ', 'dim'), seg(`${formatBpm(m.effectiveBpm)} BPM`, 'bold')];
  const devices =
    state.devices.length === 0
      ? [seg('devices ', 'dim'), seg('none heard yet', 'dim')]
      : [seg('devices ', 'dim'), seg(state.devices.map((d) => `${d.name} #${d.device} ${d.address}`).join(', '))];
  const uptime = [seg('up ', 'dim'), seg(formatDuration(now - state.startedAt))];
  const left: Line = [...master, seg(BAR, 'dim'), ...devices];
  return spread(cutLine(left, Math.max(0, width - 2 - lineWidth(uptime))), uptime, width);
}

function activityRule(state: MonitorState, width: number, hint: string | null): Line {
  const notes = [
    ...(state.decks.some((d) => d.estimated === true) ? ['~ estimated beats'] : []),
    ...(hint === null ? [] : [hint]),
  ];
  const head = '── activity ';
  const tail = notes.length === 0 ? '' : ` ${notes.join(' · ')} ──`;
  const fill = Math.max(1, width - head.length - tail.length);
  return cutLine([seg(head, 'dim'), seg('─'.repeat(fill), 'dim'), seg(tail, 'dim')], width);
}

function renderLines(state: MonitorState, options: RenderOptions): Line[] {
  const { width, now } = options;
  const lines: Line[] = [titleLine(state, width), masterAndDevices(state, width, now), []];
  if (state.decks.length === 0) {
    lines.push([seg('waiting for deck status from the DJ gear…', 'dim')]);
  } else {
    lines.push(deckTitleRow(width));
    for (const deck of state.decks) {
      lines.push(deckRow(deck, width, now));
      const title = deckTitleLine(deck, width);
      if (title !== null) lines.push(title);
    }
  }
  const outputs = outputRows(state.outputs, width);
  if (outputs.length > 0) lines.push([], ...outputs);
  lines.push(activityRule(state, width, options.hint ?? null));
  const room = Math.max(0, options.height - lines.length);
  const shown = room === 0 ? [] : state.tail.slice(-room);
  for (const entry of shown) lines.push(tailLine(entry, width, options.utcOffsetMinutes ?? 0));
  return lines.slice(0, Math.max(0, options.height)).map((l) => cutLine(l, width));
}

/** The screen as text lines (ANSI-coloured when `color`), at most `height` lines of at most `width` columns. */
export function renderMonitor(state: MonitorState, options: RenderOptions): string[] {
  return renderLines(state, options).map((line) => paint(line, options.color === true));
}
