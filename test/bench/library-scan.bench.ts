/**
 * Library scan time on a real DJ library: rekordcrate's 3,886-track
 * export.pdb (no analysis files beside it, so every track is reported as
 * missing its analysis), plus the six-track pyrekordbox export with its
 * analysis files. Prints the best and median of several runs after one warm-up run, the parse of
 * export.pdb alone, and the catalogue save and load.
 *
 *   npm run bench:library            (BENCH_RUNS=n to change the number of runs)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrackAnalysis } from '../../src/library/anlz';
import { Catalogue, loadCatalogue, saveCatalogue, scanExports, type CatalogueData } from '../../src/library/catalogue';
import { readPdb } from '../../src/library/pdb';
import { fixturePath } from '../support/fixtures';

const RUNS = Number(process.env['BENCH_RUNS'] ?? '7');
const BIG = fixturePath('Holzhaus__rekordcrate', 'data', 'pdb', 'num_rows');
const SMALL = fixturePath('dylanljones__pyrekordbox', '.testdata', 'export');
const TARGET_MS = 5000;

function timeRuns<T>(runs: number, work: () => T): { readonly best: number; readonly median: number; readonly result: T } {
  const times: number[] = [];
  let result = work(); // warm-up, not timed
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  times.sort((a, b) => a - b);
  return { best: times[0] ?? NaN, median: times[Math.floor(times.length / 2)] ?? NaN, result };
}

function line(label: string, t: { readonly best: number; readonly median: number }): void {
  process.stdout.write(`${label.padEnd(52)} best ${t.best.toFixed(1).padStart(8)} ms   median ${t.median.toFixed(1).padStart(8)} ms\n`);
}

function main(): void {
  const now = (): Date => new Date();
  const pdbBytes = fs.readFileSync(path.join(BIG, 'export.pdb'));
  process.stdout.write(`library scan bench: ${RUNS} runs each, node ${process.version}, ${os.cpus().length} cores\n`);

  const parse = timeRuns(RUNS, () => readPdb(pdbBytes, 'export.pdb'));
  line(`readPdb (${(pdbBytes.length / 1e6).toFixed(1)} MB, ${parse.result.tables.tracks.length} tracks)`, parse);

  const big = timeRuns(RUNS, () => scanExports([BIG], { readAnalysis: readTrackAnalysis, now }));
  const s = big.result.summary;
  line(`scan num_rows (${s.tracks} tracks, ${s.missingAnalysis.length} missing analysis)`, big);

  const small = timeRuns(RUNS, () => scanExports([SMALL], { readAnalysis: readTrackAnalysis, now }));
  line(`scan pyrekordbox (${small.result.summary.tracks} tracks, ${small.result.summary.withGrids} grids)`, small);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'library-bench-'));
  try {
    const file = path.join(dir, 'library.json');
    const save = timeRuns(RUNS, () => saveCatalogue(file, big.result));
    line(`save catalogue (${(fs.statSync(file).size / 1e6).toFixed(1)} MB JSON)`, save);
    const load = timeRuns(RUNS, (): CatalogueData => loadCatalogue(file));
    line('load + validate catalogue', load);
    const index = timeRuns(RUNS, () => new Catalogue(load.result));
    line('build lookups', index);
    const catalogue = index.result;
    const lookups = timeRuns(RUNS, () => {
      let found = 0;
      for (let id = 1; id <= 4000; id++) if (catalogue.track(BIG, id) !== null) found += 1;
      return found;
    });
    line(`4000 lookups by (export, ID) (${lookups.result} found)`, lookups);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const verdict = big.median <= TARGET_MS ? 'within' : 'OVER';
  process.stdout.write(`3,886-track scan median ${big.median.toFixed(0)} ms: ${verdict} the ${TARGET_MS} ms target\n`);
}

main();
