/**
 * How a run is shown, chosen from the terminal it runs in; and the live
 * screen on a (stand-in) terminal, driven by a real bridge on the in-process
 * simulator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { setUpMonitor, type MonitorSetup, type TerminalIo } from '../../src/monitor/monitor-setup';
import type { MonitorHandle } from '../../src/monitor/screen-drivers';
import { LogCapture } from '../../src/monitor/log-capture';
import { FakeKeys } from '../support/fake-keys';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import { openSimLink } from '../../src/app/sim-link';
import { createLogger } from '../../src/log/logger';
import { REPO } from '../support/cli';
import { MidiError } from '../../src/outputs/midi/midi-errors';

/** Output streams that say whether they are a terminal, as tty.WriteStream does. */
function output(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return Object.assign(stream, { isTTY, columns: 100, rows: 30, text: () => text }) as unknown as NodeJS.WriteStream & { text(): string };
}

function io(stdoutIsTTY: boolean): TerminalIo & { stdout: ReturnType<typeof output>; stderr: ReturnType<typeof output>; keys: FakeKeys } {
  const keys = new FakeKeys();
  return { stdout: output(stdoutIsTTY), stderr: output(false), stdin: keys as unknown as NodeJS.ReadStream, env: { NO_COLOR: '1' }, keys };
}

function setup(request: Parameters<typeof setUpMonitor>[0], terminal: TerminalIo): MonitorSetup {
  const result = setUpMonitor(request, terminal);
  if (typeof result === 'string') throw new Error(result);
  return result;
}

describe('setUpMonitor', () => {
  it('shows the monitor by default on a terminal only; --monitor and --no-monitor decide otherwise', () => {
    const piped = io(false);
    expect(setup({ monitor: undefined, logFile: null }, piped)).toEqual({ logDestination: piped.stderr, start: null });
    const forced = setup({ monitor: true, logFile: null }, piped);
    expect(forced.logDestination).toBe(piped.stderr);
    expect(forced.start).not.toBeNull();

    const terminal = io(true);
    const shown = setup({ monitor: undefined, logFile: null }, terminal);
    expect(shown.logDestination).toBeInstanceOf(LogCapture);
    expect(shown.start).not.toBeNull();
    expect(setup({ monitor: false, logFile: null }, terminal)).toEqual({ logDestination: terminal.stderr, start: null });
  });

  it('writes logs to --log-file, and says so in one sentence when it cannot', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-'));
    try {
      const file = path.join(dir, 'show.log');
      const plain = setup({ monitor: false, logFile: file }, io(true));
      createLogger({ level: 'info', destination: plain.logDestination }).info('hello');
      await new Promise((resolve) => (plain.logDestination as fs.WriteStream).end(resolve));
      expect(JSON.parse(fs.readFileSync(file, 'utf8')) as unknown).toMatchObject({ msg: 'hello' });
      expect(setUpMonitor({ monitor: true, logFile: path.join(dir, 'missing', 'x.log') }, io(true))).toMatch(/^cannot write the log file .*missing.x\.log: ENOENT: no such file or directory/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the live screen on a terminal, with a bridge on the simulator', () => {
  let bridge: RunningBridge | null = null;
  let handle: MonitorHandle | null = null;
  afterEach(async () => {
    handle?.close();
    await bridge?.stop();
    bridge = null;
    handle = null;
  });

  it('draws the decks in place, keeps the logs in its tail, and gives the terminal back on q', async () => {
    const terminal = io(true);
    const shown = setup({ monitor: undefined, logFile: null }, terminal);
    const logger = createLogger({ level: 'info', destination: shown.logDestination });
    const sim = await openSimLink('club');
    if (typeof sim === 'string') throw new Error(sim);
    const started = await startBridge({
      link: sim.link,
      mode: 'auto',
      mappingPaths: [path.join(REPO, 'mappings')],
      watchMappings: false,
      logger,
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    });
    if (!started.ok) throw new Error(started.message);
    bridge = started.bridge;
    // Logged before the monitor is drawn: on the terminal as usual.
    expect(terminal.stderr.text()).toContain('"msg":"mapping loaded"');
    const before = terminal.stderr.text().length;
    const view = shown.start?.(bridge, 'simulator "club"') ?? null;
    if (view === null) throw new Error('no monitor');
    handle = view;
    expect(terminal.keys.raw).toBe(true);

    const deadline = Date.now() + 8000;
    while (!/\[2K1 {4}501 {4}playing/.test(terminal.stdout.text()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    const screen = terminal.stdout.text();
    expect(screen.startsWith('\x1b[?1049h\x1b[?25l')).toBe(true);
    expect(screen).toMatch(/\[2K1 {4}501 {4}playing/);
    expect(screen).toContain('OPUS-QUAD #9');
    expect(screen).toContain('info  mapping loaded'); // a log record, in the tail
    expect(terminal.stderr.text()).toHaveLength(before); // while it is drawn, nothing is written around it

    terminal.keys.press('q');
    await expect(view.quit).resolves.toBe('quit key pressed');
    expect(terminal.stdout.text().endsWith('\x1b[?25h\x1b[?1049l')).toBe(true);
    expect(terminal.keys.raw).toBe(false);
    view.close();
    logger.info('after the monitor');
    expect(terminal.stderr.text()).toContain('"msg":"after the monitor"');
  }, 20_000);
});
