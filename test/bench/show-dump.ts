/**
 * One show of the scorer, its truth and the bridge's events side by side, in
 * time order, for reading what went wrong at a moment of `npm run bench:show`:
 * `tsc -p tsconfig.bench.json && CASE=club SEED=1 DECK=1 FROM=150000 TO=157000
 * node build/bench/test/bench/show-dump.js` (T: truth, O: what a rule received,
 * with the virtual time it fired; CONFIRM=1: the rules say `confirm: true`).
 */
import { scoreCase } from '../show/score-case';
import { SHOW_CASES } from '../show/scenarios';

async function main(): Promise<void> {
  const name = process.env['CASE'] ?? 'club';
  const seed = Number(process.env['SEED'] ?? 1);
  const deck = Number(process.env['DECK'] ?? 1);
  const from = Number(process.env['FROM'] ?? 0);
  const to = Number(process.env['TO'] ?? 1e9);
  const show = SHOW_CASES.find((c) => c.name === name);
  if (show === undefined) throw new Error('no case');
  const r = await scoreCase(show, seed, process.env['CONFIRM'] === '1');
  const rows: [number, string][] = [];
  for (const t of r.run.truth) if (t.deck === deck && t.at >= from && t.at <= to) rows.push([t.at, `T ${t.type} ${JSON.stringify(t)}`]);
  for (const o of r.run.observed) {
    const e = o.event as unknown as { deck: number; at: number; type: string };
    if (e.deck === deck && e.at >= from && e.at <= to) rows.push([e.at, `O ${e.type} fired=${o.firedAt.toFixed(1)} ${JSON.stringify(o.event)}`]);
  }
  rows.sort((a, b) => a[0] - b[0]);
  for (const [at, s] of rows) console.log(at.toFixed(1), s);
}
void main();
