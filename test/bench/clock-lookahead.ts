/**
 * Look-ahead firing, measured in real time: a lead rule on every beat of four
 * decks playing exact grids (a quarter beat apart), fired by LookAhead the
 * way the bridge runs it (main thread, timer then a 1 ms spin), with each
 * grid re-announced every 200 ms as status packets do. The error is when the
 * rule fired against the predicted instant minus the lead.
 */
import { LookAhead } from '../../src/lookahead/look-ahead';
import { compileMapping } from '../../src/mapping/compile-mapping';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import { hrtimeClock } from '../../src/timing/clock';
import { hybridWait } from '../../src/timing/wait-strategies';
import type { BeatGrid } from '../../src/timing/beat-grid';
import type { CompiledRule } from '../../src/mapping/compiled-mapping';

export const LOOK_AHEAD_LEAD_MS = 80;
const STATUS_EVERY_MS = 200;
const DECKS = [1, 2, 3, 4];

function leadRules(): readonly CompiledRule[] {
  const text = `targets:\n  show: { osc: { port: 9 } }\nrules:\n  - { on: beat, lead: ${LOOK_AHEAD_LEAD_MS}ms, send: [{ osc: { to: show, address: /x } }] }\n`;
  const loaded = parseMappingSources([{ file: 'bench.yaml', text }]);
  if (!loaded.ok) throw new Error(loaded.errors.join('\n'));
  const compiled = compileMapping(loaded.mapping);
  if (!compiled.ok) throw new Error(compiled.errors.join('\n'));
  return compiled.mapping.leadRules;
}

/** Firing errors (ms, fired minus due; positive is late) over `seconds` at `bpm`. */
export async function lookAheadErrors(bpm: number, seconds: number): Promise<number[]> {
  const start = hrtimeClock.now();
  const grids = DECKS.map((deck): BeatGrid => ({ at: start, playing: true, position: 1 + deck / 4, bpm, barOffset: 1, uncertaintyMs: 0.5 }));
  const errors: number[] = [];
  const lookAhead = new LookAhead({
    clock: hrtimeClock,
    wait: hybridWait(hrtimeClock, { spinMs: 1 }),
    gridFor: (deck) => grids[deck - 1] ?? null,
    structureFor: () => null,
    masterDeck: () => 1,
    fire: (_rule, event) => errors.push(hrtimeClock.now() - (event.at - LOOK_AHEAD_LEAD_MS)),
  });
  lookAhead.setRules(leadRules());
  const status = setInterval(() => DECKS.forEach((deck) => lookAhead.update(deck)), STATUS_EVERY_MS);
  DECKS.forEach((deck) => lookAhead.update(deck));
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  clearInterval(status);
  lookAhead.stop();
  return errors;
}
