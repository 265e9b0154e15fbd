/**
 * What a flood run comes to: the show scored against the truth, what the
 * garbage managed to do, memory and log lines.
 */
import { quantile, scoreShow, type ShowScore } from '../show/score';
import type { FloodRun } from './run-flood';

export interface FloodFigures {
  readonly score: ShowScore;
  readonly sent: number;
  readonly rate: number;
  /** Extras and duplicates over every scored kind of event. */
  readonly spurious: number;
  /** Events fired for decks the OPUS-QUAD does not have. */
  readonly impossibleDecks: number;
  /** device.appeared for anything but the OPUS-QUAD. */
  readonly strangeDevices: readonly string[];
  /** RSS before the flood (median) and the highest during it, in MB. */
  readonly idleRssMb: number;
  readonly floodRssMb: number;
  /** The most log lines in any 10 s window. */
  readonly logLinesPer10s: number;
  readonly logLines: number;
}

const MB = 1024 * 1024;

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

export function floodFigures(run: FloodRun): FloodFigures {
  const times = [...run.truth.map((t) => t.at), ...run.observed.map((o) => o.firedAt)];
  const end = Math.max(...times) - 2000;
  const truth = run.truth.filter((t) => t.at <= end);
  const observed = run.observed.filter((o) => Math.min(o.event.at, o.firedAt) <= end);
  const score = scoreShow(truth, observed);
  const spurious = [...score.types.values()].reduce((a, t) => a + t.extra, 0);
  const idle = run.rss.filter((r) => r.at < run.flood.from).map((r) => r.rss);
  const during = run.rss.filter((r) => r.at >= run.flood.from && r.at <= run.flood.to + 1000).map((r) => r.rss);
  const first = run.log[0]?.at ?? 0;
  const windows = new Map<number, number>();
  for (const l of run.log) windows.set(Math.floor((l.at - first) / 10_000), (windows.get(Math.floor((l.at - first) / 10_000)) ?? 0) + 1);
  return {
    score,
    sent: run.flood.sent,
    rate: run.flood.sent / ((run.flood.to - run.flood.from) / 1000),
    spurious,
    impossibleDecks: observed.filter((o) => o.event.deck !== null && (o.event.deck < 1 || o.event.deck > 4)).length,
    strangeDevices: observed.filter((o) => o.event.type === 'device.appeared' && o.event.name !== 'OPUS-QUAD').map((o) => (o.event.type === 'device.appeared' ? `${o.event.name} #${o.event.device}` : '')),
    idleRssMb: median(idle) / MB,
    floodRssMb: Math.max(...during) / MB,
    logLinesPer10s: Math.max(0, ...windows.values()),
    logLines: run.log.length,
  };
}

export function describeFlood(f: FloodFigures): string {
  const beats = f.score.types.get('beat');
  const kinds = [...f.score.types.values()].filter((t) => t.truth > 0 || t.extra > 0).map((t) => `${t.type} ${t.matched}/${t.truth} (+${t.extra})`);
  return [
    `flood: ${f.sent} datagrams at ${Math.round(f.rate)}/s`,
    `show vs truth: ${kinds.join(', ')}; beats skipped ${f.score.skippedBeats}, repeated ${f.score.repeatedBeats}, settled beat error p95 ${quantile(f.score.settledBeatErrors, 0.95).toFixed(1)} ms (${beats?.matched ?? 0} beats matched)`,
    `spurious events ${f.spurious}, events for impossible decks ${f.impossibleDecks}, strange devices ${f.strangeDevices.length} ${f.strangeDevices.slice(0, 5).join(', ')}`,
    `RSS idle ${f.idleRssMb.toFixed(1)} MB, during the flood max ${f.floodRssMb.toFixed(1)} MB (${(f.floodRssMb / f.idleRssMb).toFixed(2)}×)`,
    `log: ${f.logLines} lines, at most ${f.logLinesPer10s} in 10 s`,
    ...f.score.problems.slice(0, 10).map((p) => `  ${p}`),
  ].join('\n');
}
