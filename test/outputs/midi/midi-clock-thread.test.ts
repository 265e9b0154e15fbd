/**
 * MidiClockThread on a real worker thread. The thread runs compiled code, so
 * these tests use the worker from dist/ (`npm test` builds it first) and open
 * ports through test/support/clock-thread-port.js. Times are real: the tests
 * wait for things to happen (up to 5 s each), never for them to be fast.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { BroadcastChannel } from 'node:worker_threads';
import { CONTINUE, SONG_POSITION, STOP, TIMING_CLOCK } from '../../../src/outputs/midi/midi-bytes';
import { MidiClockThread, type ClockThreadReport, type ClockThreadSetup } from '../../../src/outputs/midi/midi-clock-thread';
import { MidiError } from '../../../src/outputs/midi/midi-errors';
import { gridPositionAt, type BeatGrid } from '../../../src/timing/beat-grid';
import { hrtimeClock } from '../../../src/timing/clock';

const ROOT = path.join(__dirname, '..', '..', '..');
const WORKER = path.join(ROOT, 'dist', 'outputs', 'midi', 'midi-clock-worker.js');
const PORTS = path.join(ROOT, 'test', 'support', 'clock-thread-port.js');
/** Sources (under src/) whose compiled code runs on the clock thread: a folder's .ts files, or one file. */
const THREAD_SOURCES = [path.join('outputs', 'midi'), 'timing', path.join('outputs', 'reporter.ts')];

function sourceFiles(entry: string): string[] {
  if (entry.endsWith('.ts')) return [entry];
  return fs.readdirSync(path.join(ROOT, 'src', entry)).filter((f) => f.endsWith('.ts')).map((f) => path.join(entry, f));
}

/** Why the compiled worker cannot be used, or null. */
function distProblem(): string | null {
  if (!fs.existsSync(WORKER)) return `${path.relative(ROOT, WORKER)} does not exist: run npm run build first (npm test does)`;
  for (const file of THREAD_SOURCES.flatMap(sourceFiles)) {
    const source = path.join(ROOT, 'src', file);
    const compiled = path.join(ROOT, 'dist', file.replace(/\.ts$/, '.js'));
    if (fs.existsSync(compiled) && fs.statSync(source).mtimeMs > fs.statSync(compiled).mtimeMs) {
      return `dist/ is older than src/${file}: run npm run build first (npm test does)`;
    }
  }
  return null;
}

const device = require(PORTS) as { DEVICE_PLUGGED: number; DEVICE_LISTED: number; DEVICE_SILENT: number; DEVICE_OPENS: number; DEVICE_SLOTS: number };

interface Sent {
  readonly port: number;
  readonly at: number;
  readonly bytes: readonly number[];
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `check` holds, polling; fails after `timeoutMs` naming what did not happen. */
async function eventually(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await sleep(10);
  }
}

let runs = 0;

/** A clock thread on a test device the test plugs and unplugs. */
class ThreadRig {
  readonly state = new Int32Array(new SharedArrayBuffer(device.DEVICE_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  readonly sent: Sent[] = [];
  readonly reports: ClockThreadReport[] = [];
  readonly thread: MidiClockThread;
  private readonly channel: BroadcastChannel;

  constructor(port: Partial<ClockThreadSetup['port']> = {}) {
    const name = `clock-thread-test-${process.pid}-${runs++}`;
    this.channel = new BroadcastChannel(name);
    this.channel.onmessage = (event) => this.sent.push((event as { data: Sent }).data);
    this.plugIn();
    const setup: ClockThreadSetup = {
      port: { module: PORTS, exportName: 'openTestDevice', args: [this.state.buffer, name], name: 'Test Uno', ...port },
      clock: {},
      spinMs: 0.3,
      portRetryMs: 100,
    };
    this.thread = new MidiClockThread(setup, (r) => this.reports.push(r), WORKER);
  }

  /** Plugs the device in, listed by the MIDI system. */
  plugIn(): void {
    Atomics.store(this.state, device.DEVICE_SILENT, 0);
    Atomics.store(this.state, device.DEVICE_LISTED, 1);
    Atomics.store(this.state, device.DEVICE_PLUGGED, 1);
  }

  /** Sends throw from now on; the system still lists the port, so only a failed send can tell. */
  breakSends(): void {
    Atomics.store(this.state, device.DEVICE_PLUGGED, 0);
  }

  /** Sends are swallowed and the system stops listing the port (ALSA): only the liveness check can tell. */
  unlist(): void {
    Atomics.store(this.state, device.DEVICE_SILENT, 1);
    Atomics.store(this.state, device.DEVICE_PLUGGED, 0);
    Atomics.store(this.state, device.DEVICE_LISTED, 0);
  }

  /** A 120 BPM deck playing, 150 ms before the downbeat at beat 1, exactly known. */
  publishPlaying(): BeatGrid {
    const grid: BeatGrid = { at: hrtimeClock.now(), playing: true, position: 0.7, bpm: 120, barOffset: 1, uncertaintyMs: 0 };
    this.thread.publish(grid);
    return grid;
  }

  on(port: number): Sent[] {
    return this.sent.filter((s) => s.port === port);
  }

  pulses(port: number): number {
    return this.on(port).filter((s) => s.bytes[0] === TIMING_CLOCK).length;
  }

  /** Status bytes other than pulses, in order. */
  transport(port: number): number[] {
    return this.on(port).flatMap((s) => (s.bytes[0] === TIMING_CLOCK ? [] : [s.bytes[0] ?? -1]));
  }

  reported(code: string): boolean {
    return this.reports.some((r) => r.code === code);
  }

  async close(): Promise<void> {
    await this.thread.stop();
    await sleep(50); // let the last broadcasts arrive before the channel closes
    this.channel.close();
  }
}

const sppOf = (s: Sent): number => (s.bytes[1] ?? 0) | ((s.bytes[2] ?? 0) << 7);

describe('MidiClockThread (a real clock thread)', () => {
  beforeAll(() => {
    const problem = distProblem();
    if (problem !== null) throw new Error(problem);
  });

  const rigs: ThreadRig[] = [];
  const rig = (port: Partial<ClockThreadSetup['port']> = {}): ThreadRig => {
    const r = new ThreadRig(port);
    rigs.push(r);
    return r;
  };
  afterEach(async () => {
    await Promise.all(rigs.splice(0).map((r) => r.close()));
  });

  it('starts, positions the receiver with SPP + Continue once a playing grid arrives, pulses, and on stop() sends Stop and returns its stats', async () => {
    const r = rig();
    expect(await r.thread.start()).toBeNull();
    const grid = r.publishPlaying();
    await eventually('48 pulses arrived', () => r.pulses(1) >= 48);
    const first = r.on(1);
    expect(first.slice(0, 3).map((s) => s.bytes[0])).toEqual([SONG_POSITION, CONTINUE, TIMING_CLOCK]);
    // SPP names the next downbeat of the grid, one pulse ahead of the moment it was sent.
    const named = 1 + sppOf(first[0]!) / 4;
    expect(sppOf(first[0]!) % 16).toBe(0);
    expect(named - gridPositionAt(grid, first[0]!.at)!).toBeGreaterThan(0);
    expect(named - gridPositionAt(grid, first[0]!.at)!).toBeLessThanOrEqual(0.5);
    const stats = await r.thread.stop();
    expect(stats).toMatchObject({ starts: 1, stops: 0 });
    expect(stats!.pulses).toBeGreaterThanOrEqual(48);
    await eventually('Stop arrived', () => r.sent.at(-1)?.bytes[0] === STOP);
    expect(r.pulses(1)).toBe(stats!.pulses);
    expect(r.reports).toEqual([]);
  });

  it('reopens a port that vanishes mid-show (sends throw), reports outage and return, and repositions the receiver', async () => {
    const r = rig();
    expect(await r.thread.start()).toBeNull();
    const grid = r.publishPlaying();
    await eventually('24 pulses on the first port', () => r.pulses(1) >= 24);
    r.breakSends();
    await eventually('the outage was reported', () => r.reported('send-failed'));
    await sleep(300);
    r.plugIn();
    await eventually('the return was reported', () => r.reported('port-resumed'));
    await eventually('24 pulses on the reopened port', () => r.pulses(2) >= 24);

    expect(r.reports.map((x) => [x.level, x.code])).toEqual([
      ['error', 'send-failed'],
      ['info', 'port-resumed'],
    ]);
    expect(r.reports[0]!.message).toMatch(/^MIDI output "Test Uno" stopped taking messages; retrying in 0.1 s, then at growing intervals/);
    expect(r.reports[1]!.message).toMatch(/^MIDI output "Test Uno" is back; \d+ messages? (was|were) dropped while it was closed$/);
    const back = r.on(2);
    expect(back.slice(0, 4).map((s) => s.bytes[0])).toEqual([STOP, SONG_POSITION, CONTINUE, TIMING_CLOCK]);
    // SPP names the next sixteenth of the grid at the moment it was sent.
    const position = gridPositionAt(grid, back[1]!.at)!;
    const named = 1 + sppOf(back[1]!) / 4;
    expect(named).toBeGreaterThan(position);
    expect(named - position).toBeLessThanOrEqual(0.5);
    expect((await r.thread.stop())?.repositions).toBeGreaterThanOrEqual(1);
  });

  it('finds a port the MIDI system no longer lists though sends still succeed (as with ALSA), and reopens it', async () => {
    const r = rig();
    expect(await r.thread.start()).toBeNull();
    r.publishPlaying();
    await eventually('24 pulses on the first port', () => r.pulses(1) >= 24);
    r.unlist();
    await eventually('the outage was reported', () => r.reported('port-gone'));
    r.plugIn();
    await eventually('24 pulses on the reopened port', () => r.pulses(2) >= 24);
    expect(r.reports.find((x) => x.code === 'port-gone')).toMatchObject({ level: 'error', message: expect.stringMatching(/^MIDI output "Test Uno" \(Test Uno\) has disappeared/) });
    expect(r.transport(2).slice(0, 3)).toEqual([STOP, SONG_POSITION, CONTINUE]);
  });

  it('runs with a port missing at start, without restarting, and opens it when it is plugged in', async () => {
    const r = rig();
    r.breakSends();
    expect(await r.thread.start()).toBeNull();
    await eventually('the missing port was reported', () => r.reported('port-not-found'));
    expect(r.reports[0]).toMatchObject({ level: 'error', message: expect.stringMatching(/^no MIDI output matches Test Uno .*; retrying in 0.1 s, then at growing intervals/) });
    r.publishPlaying();
    await sleep(300);
    r.plugIn();
    await eventually('24 pulses once plugged in', () => r.pulses(1) >= 24);
    expect(Atomics.load(r.state, device.DEVICE_OPENS)).toBe(1);
    // Stop first (the receiver's state is unknown), then SPP + Continue before the first pulse.
    const transport = r.transport(1);
    expect(transport[0]).toBe(STOP);
    expect(transport.slice(-2)).toEqual([SONG_POSITION, CONTINUE]);
    expect(r.reports.map((x) => x.code)).toEqual(['port-not-found', 'port-resumed']);
  });

  it.each([
    ['cannot be loaded', { module: path.join(ROOT, 'test', 'support', 'no-such-port.js') }, /no-such-port\.js could not be loaded$/],
    ['throws', { exportName: 'throwingOpen' }, /"throwingOpen" threw$/],
    ['answers with a promise', { exportName: 'promisedOpen' }, /the factory must open synchronously$/],
    ['is not a function', { exportName: 'DEVICE_SLOTS' }, /has no function "DEVICE_SLOTS"$/],
  ])('ends the thread when its port factory %s: start() resolves to a MidiError saying why', async (_, port, message) => {
    const r = rig(port);
    const error = await r.thread.start();
    expect(error).toBeInstanceOf(MidiError);
    expect(error).toMatchObject({ code: 'port-open-failed', message: expect.stringMatching(/^The clock thread could not open its MIDI port: /) });
    expect(error!.message).toMatch(message);
    expect(r.reports).toEqual([error]);
    expect(await r.thread.stop()).toBeNull();
  });

  it('passes on the cause of a factory that throws', async () => {
    const r = rig({ exportName: 'throwingOpen' });
    expect((await r.thread.start())?.cause).toBe('the driver crashed');
  });
});
