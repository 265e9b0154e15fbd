/**
 * Saves as editors make them, on real files with the real watcher, while
 * events flow through the engine to a recording MIDI port: a truncate-then-
 * write save loses no rule and no event, an empty file is never applied, and
 * a rename save is applied once.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MappingRuntime } from '../../src/mapping/mapping-runtime';
import { OutputRouter } from '../../src/outputs/output-router';
import { RateLimitedReporter } from '../../src/outputs/reporter';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';
import type { BeatEvent } from '../../src/events/bridge-event';
import type { World } from '../../src/mapping/expression-context';

const CC = 0xb0; // control change, channel 1

/** Two rules on every beat; `version` is the controller number of the first (the second is version + 10). */
function mapping(version: number): string {
  return (
    'targets:\n  desk: { midi: { port: recording } }\nrules:\n' +
    `  - name: first v${version}\n    on: beat\n    send: [{ midi: { to: desk, channel: 1, cc: ${version}, value: "{{ event.beatInBar }}" } }]\n` +
    `  - name: second v${version}\n    on: beat\n    send: [{ midi: { to: desk, channel: 1, cc: ${version + 10}, value: 1 } }]\n`
  );
}

const WORLD: World = { decks: new Map(), masterDeck: null };

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Show {
  readonly runtime: MappingRuntime;
  readonly port: RecordingMidiPort;
  readonly loads: string[];
  /** How many events had been handled when each mapping was applied. */
  readonly appliedAfter: number[];
  readonly rejected: string[][];
  /** Controllers each event produced, in the order the events were fed. */
  readonly handled: number[][];
  /** Fewest rules the running mapping had at any event. */
  fewestRules: number;
  feed(): void;
  close(): Promise<void>;
}

async function startShow(file: string, options: { watch: boolean; settleMs?: number } = { watch: true }): Promise<Show> {
  const port = new RecordingMidiPort('recording');
  const router = new OutputRouter({ reporter: new RateLimitedReporter(() => undefined), openMidi: () => ({ ok: true, port }) });
  const loads: string[] = [];
  const appliedAfter: number[] = [];
  const handled: number[][] = [];
  const rejected: string[][] = [];
  const runtime = new MappingRuntime({
    paths: [file],
    router,
    watch: options.watch,
    ...(options.settleMs === undefined ? {} : { settleMs: options.settleMs }),
    events: {
      loaded: (m, reload) => {
        loads.push(`${reload ? 'reload' : 'load'}:${m.rules.map((r) => r.name).join('+')}`);
        appliedAfter.push(handled.length);
      },
      rejected: (errors) => rejected.push(errors.map(String)),
      fired: () => undefined,
      problem: () => undefined,
    },
  });
  if (!(await runtime.start())) throw new Error('the first mapping did not load');
  let beat = 0;
  const show: Show = {
    runtime,
    port,
    loads,
    appliedAfter,
    rejected,
    handled,
    fewestRules: Infinity,
    feed(): void {
      beat++;
      show.fewestRules = Math.min(show.fewestRules, runtime.current?.rules.length ?? 0);
      const before = port.messages.length;
      const event: BeatEvent = { type: 'beat', at: beat, deck: 1, beat, beatInBar: ((beat - 1) % 4) + 1, effectiveBpm: 128, estimated: false, late: false, coasting: false };
      runtime.handle(event, WORLD);
      show.handled.push(port.messages.slice(before).map((m) => (m.bytes[0] === CC ? (m.bytes[1] ?? -1) : -1)));
    },
    async close(): Promise<void> {
      runtime.stop();
      await router.close();
    },
  };
  return show;
}

describe('reloads that cannot empty a show by accident', () => {
  let dir = '';
  let file = '';
  let show: Show | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'settle-'));
    file = path.join(dir, 'show.yaml');
    fs.writeFileSync(file, mapping(1));
  });
  afterEach(async () => {
    await show?.close();
    show = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('an editor that truncates and writes 200 ms later: no rule lost, no event lost, the new version applied once', async () => {
    show = await startShow(file);
    const s = show;
    const flow = setInterval(() => s.feed(), 5);
    try {
      await sleep(100);
      const truncatedAt = s.handled.length;
      fs.writeFileSync(file, ''); // open with O_TRUNC …
      await sleep(200);
      fs.writeFileSync(file, mapping(2)); // … and the content 200 ms later
      await until(() => s.loads.length === 2);
      await sleep(1200); // well past the settle time: nothing else happens
      clearInterval(flow);
      const appliedAt = s.appliedAfter[1] ?? -1;

      expect(s.loads).toEqual(['load:first v1+second v1', 'reload:first v2+second v2']); // applied once
      expect(s.rejected).toEqual([]); // the empty moment was never reported
      expect(s.fewestRules).toBe(2); // the running mapping never lost a rule
      // Every event was handled by both rules of the mapping running at the time: v1 until the swap, v2 after.
      expect(s.handled.length).toBeGreaterThan(appliedAt);
      expect(s.handled.every((controllers) => controllers.length === 2)).toBe(true);
      expect(appliedAt).toBeGreaterThan(truncatedAt); // events were fed while the file was empty or being written
      expect(s.handled.slice(0, appliedAt).every((c) => c[0] === 1 && c[1] === 11)).toBe(true);
      expect(s.handled.slice(appliedAt).every((c) => c[0] === 2 && c[1] === 12)).toBe(true);
    } finally {
      clearInterval(flow);
    }
  });

  it('a file left empty is never applied: reported once, in one line, and the previous mapping keeps running', async () => {
    show = await startShow(file);
    fs.writeFileSync(file, '# being rewritten\n\n');
    await until(() => show?.rejected.length === 1);
    await sleep(800);
    expect(show.rejected).toEqual([[`${file}:1:1 the file is empty (a mapping with no rules says so with "rules: []")`]]);
    expect(show.runtime.current?.rules.length).toBe(2);
    show.feed();
    expect(show.handled).toEqual([[1, 11]]);
    fs.writeFileSync(file, mapping(3));
    await until(() => show?.loads.length === 2);
    expect(show.loads[1]).toBe('reload:first v3+second v3');
  });

  it('removes every rule only when the file says "rules: []"', async () => {
    show = await startShow(file, { watch: false, settleMs: 20 });
    fs.writeFileSync(file, 'targets:\n  desk: { midi: { port: recording } }\n');
    await show.runtime.reload();
    expect(show.rejected).toEqual([[`${file}:1:1 this version has no rules and would stop the 2 rule(s) that run now; to run without rules on purpose, write "rules: []"`]]);
    expect(show.runtime.current?.rules.length).toBe(2);

    fs.writeFileSync(file, 'targets:\n  desk: { midi: { port: recording } }\nrules: []\n');
    await show.runtime.reload();
    expect(show.loads).toEqual(['load:first v1+second v1', 'reload:']);
    expect(show.runtime.current?.rules.length).toBe(0);
  });

  it('an editor that saves by renaming a temporary file over the mapping: applied once', async () => {
    show = await startShow(file);
    const temp = path.join(dir, '.show.yaml.tmp');
    fs.writeFileSync(temp, mapping(4));
    fs.renameSync(temp, file);
    await until(() => show?.loads.length === 2);
    await sleep(1000);
    expect(show.loads).toEqual(['load:first v1+second v1', 'reload:first v4+second v4']);

    // The same content saved again (or a touch) changes nothing.
    fs.writeFileSync(temp, mapping(4));
    fs.renameSync(temp, file);
    await sleep(1000);
    expect(show.loads).toHaveLength(2);
    expect(show.rejected).toEqual([]);
  });
});
