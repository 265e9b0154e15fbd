/**
 * One show case and seed, played and scored, and the table the scores make.
 */
import { runShow, showMapping, type ShowRun } from './run-show';
import { quantile, scoreShow, SCORED_TYPES, type ShowScore } from './score';
import type { ShowCase } from './scenarios';

export interface CaseResult {
  readonly name: string;
  readonly seed: number;
  readonly run: ShowRun;
  readonly score: ShowScore;
}

/** `confirm`: the beat and phrase rules wait for the deck (`confirm: true`). */
export async function scoreCase(show: ShowCase, seed: number, confirm = false): Promise<CaseResult> {
  const run = await runShow({
    scenario: show.scenario,
    seed,
    mode: show.mode,
    durationMs: show.durationMs,
    mapping: showMapping({ confirm }),
    ...(show.outages === undefined ? {} : { outages: show.outages }),
    ...(show.busy === undefined ? {} : { busy: show.busy }),
  });
  const truth = show.phrases ? run.truth : run.truth.filter((t) => !t.type.startsWith('phrase.'));
  const observed = show.phrases ? run.observed : run.observed.filter((o) => !o.event.type.startsWith('phrase.'));
  return { name: confirm ? `${show.name} (confirm)` : show.name, seed, run, score: scoreShow(truth, observed, { outages: run.outages, acceptConfirmed: confirm, until: run.until }) };
}

const fmt = (x: number): string => (Number.isNaN(x) ? '–' : x.toFixed(1));

/** One row per case (all seeds together): counts per kind of event, beats, timing. */
export function scoreTable(results: readonly CaseResult[]): string {
  const byCase = new Map<string, CaseResult[]>();
  for (const r of results) byCase.set(r.name, [...(byCase.get(r.name) ?? []), r]);
  const header = ['case', 'seeds', ...SCORED_TYPES.map((t) => `${t} ok/miss/extra(dup)`), 'extras overtaken', 'beats landed inside', 'missed in rolls', 'beats skipped/repeated', 'late unflagged', 'said late, on time', 'settled beat |err| p50/p95/max ms (late)', 'phrase |err| p50/p95 ms', 'outage ok/flagged/total (unseen)', 'recovery ms'];
  const rows: string[][] = [header];
  for (const [name, list] of byCase) {
    const sum = (f: (s: ShowScore) => number): number => list.reduce((a, r) => a + f(r.score), 0);
    const cells = SCORED_TYPES.map((t) => {
      const get = (k: 'matched' | 'missing' | 'extra' | 'duplicates'): number => sum((s) => s.types.get(t)?.[k] ?? 0);
      return `${get('matched')}/${get('missing')}/${get('extra')}(${get('duplicates')})`;
    });
    const settled = list.flatMap((r) => r.score.settledBeatErrors.map(Math.abs));
    const phraseErrors = list.flatMap((r) => ['phrase.start', 'phrase.end'].flatMap((t) => (r.score.types.get(t as 'phrase.start')?.errors ?? []).map(Math.abs)));
    const unflagged = sum((s) => [...s.types.values()].reduce((a, x) => a + x.unflaggedLate, 0));
    const onTime = sum((s) => [...s.types.values()].reduce((a, x) => a + x.lateOnTime, 0));
    const recovery = list.flatMap((r) => r.score.recoveryMs.filter((x): x is number => x !== null));
    rows.push([
      name,
      String(list.length),
      ...cells,
      String(sum((s) => [...s.types.values()].reduce((a, x) => a + x.overtaken, 0))),
      String(sum((s) => s.types.get('beat')?.landedInside ?? 0)),
      String(sum((s) => [...s.types.values()].reduce((a, x) => a + x.rollWraps, 0))),
      `${sum((s) => s.skippedBeats)}/${sum((s) => s.repeatedBeats)}`,
      String(unflagged),
      String(onTime),
      `${fmt(quantile(settled, 0.5))}/${fmt(quantile(settled, 0.95))}/${fmt(settled.length === 0 ? NaN : Math.max(...settled))} (${sum((s) => s.settledLate)})`,
      `${fmt(quantile(phraseErrors, 0.5))}/${fmt(quantile(phraseErrors, 0.95))}`,
      `${sum((s) => s.outage.matched)}/${sum((s) => s.outage.flagged)}/${sum((s) => s.outage.truth)} (${sum((s) => s.outage.unseen)})`,
      recovery.length === 0 ? '–' : recovery.map((x) => x.toFixed(0)).join(','),
    ]);
  }
  const widths = header.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`).join('\n');
}
