/**
 * Evaluation speed of typical compiled expressions and templates. Not a unit
 * test (jest only runs *.test.ts); build and run it with:
 *
 *   npx tsc -p tsconfig.json --outDir build/all && node build/all/test/mapping/expr/evaluate.bench.js
 */
import { CompileError, compileExpression, compileTemplate, type EvalResult } from '../../../src/mapping/expr';
import { context, SCOPE } from './scope-fixture';

const WARMUP = 100_000;
const RUNS = 2_000_000;

function measure(name: string, evaluate: (ctx: unknown) => EvalResult): void {
  const ctx = context();
  let sink = 0;
  for (let i = 0; i < WARMUP; i++) sink += evaluate(ctx).ok ? 1 : 0;
  const start = process.hrtime.bigint();
  for (let i = 0; i < RUNS; i++) sink += evaluate(ctx).ok ? 1 : 0;
  const ns = Number(process.hrtime.bigint() - start) / RUNS;
  process.stdout.write(`${name.padEnd(60)} ${ns.toFixed(1).padStart(7)} ns/eval ${sink === (WARMUP + RUNS) ? '' : '(errors!)'}\n`);
}

const EXPRESSIONS = [
  "deck.bpm > 125 && phrase.kind == 'chorus'",
  'scale(master.effectiveBpm, 60, 180, 0, 1)',
  'deck.number in [1, 2, 3] ? deck.effectiveBpm * 2 : 0',
  "'deck ' + deck.number",
  'round(deck.pitch * 100 - 100, 1)',
];
const TEMPLATES = ['/deck/{{ deck.number }}/bpm', '{{ scaleClamped(deck.effectiveBpm, 60, 180, 0, 127) }}', '{{ phrase.label }} {{ round(deck.effectiveBpm, 1) }} BPM'];

for (const source of EXPRESSIONS) {
  const compiled = compileExpression(source, SCOPE);
  if (compiled instanceof CompileError) throw new Error(compiled.message);
  measure(source, compiled.evaluate);
}
for (const text of TEMPLATES) {
  const compiled = compileTemplate(text, SCOPE);
  if (compiled instanceof CompileError) throw new Error(compiled.message);
  measure(`template ${text}`, compiled.evaluate);
}
