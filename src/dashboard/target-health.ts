/**
 * Each target's health as the dashboard shows it: its state now (from the
 * router) and what its reports said since the start (refused connections,
 * lost ones). Reports are rate-limited at the source: one line stands for
 * itself and the `suppressed` repeats it held back, so both are counted.
 */
import type { OutputReport } from '../outputs/reporter';
import type { TargetStatusLine } from '../outputs/output-router';
import type { TargetHealthState, TargetRow } from './feed-protocol';

/** Report codes that mean a connection or a datagram was refused (nothing listening, a page from elsewhere). */
const REFUSED_CODES: ReadonlySet<string> = new Set(['unreachable', 'refused', 'origin-refused']);
/** Report codes that mean a connection was lost or reset; the target connects again. */
const RECONNECT_CODES: ReadonlySet<string> = new Set(['connection-failed', 'closed', 'stalled']);
/** A UDP target whose receiver refused within this long still shows as refused (it keeps sending). */
const UDP_REFUSED_RECENT_MS = 10_000;

/** Report codes that say how the connection stands (others, such as 'dropped', say nothing about it). */
const CONNECTION_CODES: ReadonlySet<string> = new Set([...REFUSED_CODES, ...RECONNECT_CODES, 'connected']);

export interface TargetTally {
  readonly refused: number;
  readonly reconnects: number;
  /** The code and time of the target's latest report about its connection. */
  readonly lastCode: string | null;
  readonly lastAt: number;
}

const NO_TALLY: TargetTally = { refused: 0, reconnects: 0, lastCode: null, lastAt: 0 };

/** The tallies with one more report counted. */
export function tallyReport(tallies: ReadonlyMap<string, TargetTally>, report: OutputReport, at: number): Map<string, TargetTally> {
  const next = new Map(tallies);
  const known = tallies.get(report.target) ?? NO_TALLY;
  const times = 1 + report.suppressed;
  next.set(report.target, {
    refused: known.refused + (REFUSED_CODES.has(report.code) ? times : 0),
    reconnects: known.reconnects + (RECONNECT_CODES.has(report.code) ? times : 0),
    lastCode: CONNECTION_CODES.has(report.code) ? report.code : known.lastCode,
    lastAt: CONNECTION_CODES.has(report.code) ? at : known.lastAt,
  });
  return next;
}

function stateOf(line: TargetStatusLine, tally: TargetTally, now: number): TargetHealthState {
  switch (line.kind) {
    case 'osc-tcp':
      if (line.state === 'connected' || line.state === 'not-answering') return line.state;
      if (line.state === 'closed') return 'closed';
      if (tally.lastCode !== null && REFUSED_CODES.has(tally.lastCode)) return 'refused';
      if (tally.lastCode !== null && RECONNECT_CODES.has(tally.lastCode)) return 'reconnecting';
      return 'connecting';
    case 'osc-udp':
      if (line.state === 'closed') return 'closed';
      if (line.state !== 'ready') return 'connecting';
      return tally.lastCode === 'refused' && now - tally.lastAt < UDP_REFUSED_RECENT_MS ? 'refused' : 'sending';
    case 'websocket':
      if (line.state === 'listening' || line.state === 'failed' || line.state === 'closed') return line.state;
      return 'connecting';
    case 'midi':
      return line.state === 'open' ? 'open' : 'waiting';
  }
}

export function targetRows(lines: readonly TargetStatusLine[], tallies: ReadonlyMap<string, TargetTally>, now: number): TargetRow[] {
  return lines.map((line) => {
    const tally = tallies.get(line.name) ?? NO_TALLY;
    return {
      name: line.name,
      kind: line.kind,
      state: stateOf(line, tally, now),
      sent: line.sent,
      refused: tally.refused,
      reconnects: tally.reconnects,
      dropped: line.dropped,
      clients: line.clients,
      lastError: line.lastError,
    };
  });
}
