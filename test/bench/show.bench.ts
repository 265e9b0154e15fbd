/**
 * npm run bench:show — plays every show case of test/show/scenarios.ts on the
 * simulator and the real bridge in virtual time, over several seeds, and
 * prints the score table: events matched, missing and extra per kind,
 * skipped or repeated beats, unflagged late firings, timing of settled beats
 * and phrase changes, and what happened around outages.
 *
 * SHOW_CASES=club,jumps limits the cases; SHOW_SEEDS=1,2 the seeds;
 * SHOW_PROBLEMS=1 lists the first problems of each run; SHOW_CONFIRM=0 leaves
 * out the second pass, in which the beat and phrase rules say `confirm: true`.
 */
import { scoreCase, scoreTable, type CaseResult } from '../show/score-case';
import { SHOW_CASES, SHOW_SEEDS } from '../show/scenarios';

async function main(): Promise<void> {
  const only = process.env['SHOW_CASES']?.split(',') ?? null;
  const seeds = process.env['SHOW_SEEDS']?.split(',').map(Number) ?? SHOW_SEEDS;
  const results: CaseResult[] = [];
  const started = performance.now();
  for (const show of SHOW_CASES) {
    if (only !== null && !only.includes(show.name)) continue;
    for (const confirm of process.env['SHOW_CONFIRM'] === '0' ? [false] : [false, true]) {
      for (const seed of seeds) {
        const result = await scoreCase(show, seed, confirm);
        results.push(result);
        if (process.env['SHOW_PROBLEMS'] === '1') {
          console.log(`-- ${result.name} seed ${seed}: ${result.score.problems.length} problems listed`);
          for (const p of result.score.problems) console.log(`   ${p}`);
        }
      }
    }
  }
  console.log(scoreTable(results));
  console.log(`(${results.length} runs in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
