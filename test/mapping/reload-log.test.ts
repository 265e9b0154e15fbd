/**
 * What a user reads when a save is broken: one line with file:line:col, the
 * key path and the message, once per broken version, from the running
 * bridge with the real watcher.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import nodeProcess from 'node:process';
import { Subject } from 'rxjs';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import type { TimedDatagram } from '../../src/streams/received';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import { recordingLogger } from '../log/recording-logger';
import type { Logger } from '../../src/log/logger';

const GOOD = 'targets:\n  qlab: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: qlab, address: /one } }]\n';
/** Cut off inside a flow map: the YAML parser finds three errors here, all from the one cut. */
const CUT = 'targets:\n  qlab: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: ql';
const TAB = 'targets:\n  qlab: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n\t- on: beat\n';

async function until(check: () => boolean, timeoutMs = 8000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('a broken save in the log', () => {
  let dir = '';
  let file = '';
  let bridge: RunningBridge | null = null;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reload-log-'));
    file = path.join(dir, 'show.yaml');
  });
  afterEach(async () => {
    await bridge?.stop();
    bridge = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function start(logger: Logger): ReturnType<typeof startBridge> {
    const datagrams = new Subject<TimedDatagram>();
    const link: Link = { description: 'test', datagrams, identity: null, send: () => undefined, close: async () => datagrams.complete() };
    return startBridge({
      link,
      mode: 'passive',
      mappingPaths: [file],
      watchMappings: true,
      logger,
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    });
  }

  it('prints one line per YAML syntax error, once per broken version', async () => {
    fs.writeFileSync(file, GOOD);
    const { logger, lines } = recordingLogger('info');
    const started = await start(logger);
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    const errors = (): string[] => lines.filter((l) => l.level >= 50).map((l) => l.msg);

    fs.writeFileSync(file, CUT);
    await until(() => errors().length > 0);
    await sleep(1200);
    expect(errors()).toEqual([`${file}:5:27 rules[0].send[0].osc.to: invalid YAML: Flow map in block collection must be sufficiently indented and end with a } (the previous mapping keeps running)`]);

    fs.writeFileSync(file, CUT); // saved again, unchanged: no second report
    await sleep(1200);
    expect(errors()).toHaveLength(1);

    fs.writeFileSync(file, TAB); // a different mistake: its own line
    await until(() => errors().length > 1);
    await sleep(1200);
    expect(errors().slice(1)).toEqual([`${file}:4:1 invalid YAML: Tabs are not allowed as indentation (the previous mapping keeps running)`]);
    expect(bridge.runtime.current?.rules.length).toBe(1);
  });

  it('says a single mistake at start in the one line that ends the start', async () => {
    fs.writeFileSync(file, CUT);
    const { logger, lines } = recordingLogger('info');
    const started = await start(logger);
    expect(started).toEqual({ ok: false, message: `${file}:5:27 rules[0].send[0].osc.to: invalid YAML: Flow map in block collection must be sufficiently indented and end with a } (fix it and start again)` });
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
  });
});

describe('YAML problems as MappingErrors', () => {
  it('keeps only the first syntax error of a file (the others follow from it)', () => {
    const result = parseMappingSources([{ file: 'show.yaml', text: CUT }]);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map(String)).toEqual(['show.yaml:5:27 rules[0].send[0].osc.to: invalid YAML: Flow map in block collection must be sufficiently indented and end with a }']);
  });

  it('treats a file of only comments or only "---" as empty, and "rules: []" as a mapping without rules', () => {
    for (const text of ['', '   \n', '# a comment\n# another\n', '---\n']) {
      const result = parseMappingSources([{ file: 'show.yaml', text }]);
      expect(result.ok ? 'loaded' : result.errors.map((e) => e.code)).toEqual(['empty']);
    }
    const intended = parseMappingSources([{ file: 'show.yaml', text: 'rules: []\n' }]);
    expect(intended.ok && intended.mapping.rules.length === 0 && intended.mapping.declaresNoRules).toBe(true);
  });

  it('sends nothing to the process warning channel', () => {
    const emitWarning = jest.spyOn(nodeProcess, 'emitWarning').mockImplementation(() => undefined);
    let warnings: string[] = [];
    try {
      parseMappingSources([{ file: 'show.yaml', text: 'rules:\n  - ? { int: 1 }\n    : beat\n' }]);
      warnings = emitWarning.mock.calls.map((call) => String(call[0]));
    } finally {
      emitWarning.mockRestore();
    }
    expect(warnings).toEqual([]);
  });
});
