/**
 * The activity tail: one line per rule that fired (with what it sent),
 * notice, output problem or log record, newest last.
 */
import type { BridgeEvent } from '../../events/bridge-event';
import type { LogLevelName, TailEntry } from '../monitor-state';
import { clockTime } from './format';
import { cutLine, seg, type Line, type Segment, type Style } from './styled-line';
import { fit, truncate } from './text-width';

/** A rule name longer than this is cut, so that what it sent stays in view. */
const RULE_NAME_WIDTH = 24;
const TAG_WIDTH = 5;

const LEVEL_STYLES: Readonly<Record<LogLevelName, Style | null>> = {
  trace: 'dim',
  debug: 'dim',
  info: null,
  warn: 'yellow',
  error: 'bold-red',
  fatal: 'bold-red',
};

function eventLabel(event: BridgeEvent): string {
  return event.deck === null ? event.type : `deck ${event.deck} ${event.type}`;
}

function entryBody(entry: TailEntry): readonly Segment[] {
  if (entry.kind === 'message') {
    const style = LEVEL_STYLES[entry.level];
    return [seg(entry.message, style), ...(entry.detail === '' ? [] : [seg(` ${entry.detail}`, 'dim')])];
  }
  return [
    seg(truncate(entry.rule, RULE_NAME_WIDTH), 'cyan'),
    ...(entry.count > 1 ? [seg(` ×${entry.count}`, 'dim')] : []),
    seg(` (${eventLabel(entry.event)})`, 'dim'),
    seg(' → '),
    seg(entry.sent.length === 0 ? 'nothing sent' : entry.sent.join('; ')),
  ];
}

export function tailLine(entry: TailEntry, width: number, utcOffsetMinutes: number): Line {
  const tag = entry.kind === 'fired' ? seg(fit('rule', TAG_WIDTH), 'cyan') : seg(fit(entry.level, TAG_WIDTH), LEVEL_STYLES[entry.level]);
  return cutLine([seg(clockTime(entry.at, utcOffsetMinutes), 'dim'), seg(' '), tag, seg(' '), ...entryBody(entry)], width);
}
