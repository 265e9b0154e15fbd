/**
 * The standalone simulator, as the CLI's `simulate` command runs it:
 * a virtual OPUS-QUAD (or CDJ pair and mixer) on real UDP ports 50000–50002 of
 * one interface, playing a scenario until stopped, one line per notable event.
 *
 *   simulate [--interface <name|address>] [--scenario <name|file>] [--seed <n>] [--duration <s>]
 *   simulate --list
 *
 * Run it on a machine (or network namespace) of its own: the DJ ports can be
 * bound only once per address, so it cannot share a host with the bridge.
 */
import * as os from 'node:os';
import { chooseInterface } from '../network/interfaces';
import { NetworkError } from '../network/network-error';
import { realClock, type SimClock } from './clock';
import type { SimEvent } from './devices/device';
import { ScenarioError } from './scenario';
import { BUILTIN_SCENARIOS, DEFAULT_SCENARIO } from './scenario-builtins';
import { findScenario } from './scenario-file';
import { startSimulator } from './simulator';

export const SIM_EXIT_OK = 0;
export const SIM_EXIT_RUNTIME = 1;
export const SIM_EXIT_USAGE = 2;

export interface SimulatorCliIo {
  /** Defaults to a line on stdout. */
  readonly print?: (line: string) => void;
  /** Defaults to a line on stderr. */
  readonly printError?: (line: string) => void;
  /** Stops the simulator; without one, SIGINT and SIGTERM do. */
  readonly signal?: AbortSignal;
  readonly clock?: SimClock;
  readonly interfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

const USAGE = 'usage: simulate [--interface <name|address>] [--scenario <name|file.json|file.yaml>] [--seed <n>] [--duration <seconds>] | --list';

interface CliArgs {
  readonly list: boolean;
  readonly help: boolean;
  readonly iface: string | null;
  readonly scenario: string;
  readonly seed: number | null;
  readonly durationMs: number | null;
}

const VALUE_FLAGS = new Set(['--interface', '--scenario', '--seed', '--duration']);

export function parseSimulatorArgs(args: readonly string[]): CliArgs | string {
  const values = new Map<string, string>();
  let list = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    const eq = arg.indexOf('=');
    const flag = eq > 0 ? arg.slice(0, eq) : arg;
    if (flag === '--list') list = true;
    else if (flag === '--help' || flag === '-h') help = true;
    else if (VALUE_FLAGS.has(flag)) {
      const value = eq > 0 ? arg.slice(eq + 1) : args[++i];
      if (value === undefined || value === '') return `${flag} needs a value`;
      values.set(flag, value);
    } else return `unknown argument "${arg}"`;
  }
  const seed = values.get('--seed');
  const duration = values.get('--duration');
  if (seed !== undefined && !/^-?\d+$/.test(seed)) return `--seed must be a whole number, not "${seed}"`;
  if (duration !== undefined && !(Number(duration) > 0)) return `--duration must be a number of seconds above 0, not "${duration}"`;
  return {
    list,
    help,
    iface: values.get('--interface') ?? null,
    scenario: values.get('--scenario') ?? DEFAULT_SCENARIO,
    seed: seed === undefined ? null : Number(seed),
    durationMs: duration === undefined ? null : Number(duration) * 1000,
  };
}

function eventLine(event: SimEvent, startedAt: number): string {
  const seconds = ((event.at - startedAt) / 1000).toFixed(3).padStart(9);
  return `[${seconds}] ${event.source}: ${event.message}`;
}

export async function runSimulatorCli(args: readonly string[], options: SimulatorCliIo = {}): Promise<number> {
  const io = {
    ...options,
    print: options.print ?? ((line: string) => void process.stdout.write(`${line}\n`)),
    printError: options.printError ?? ((line: string) => void process.stderr.write(`${line}\n`)),
  };
  const parsed = parseSimulatorArgs(args);
  if (typeof parsed === 'string') {
    io.printError(`${parsed}\n${USAGE}`);
    return SIM_EXIT_USAGE;
  }
  if (parsed.help) {
    io.print(USAGE);
    return SIM_EXIT_OK;
  }
  if (parsed.list) {
    for (const s of BUILTIN_SCENARIOS.values()) io.print(`${s.name.padEnd(10)} ${s.rig.padEnd(9)} ${s.description ?? ''}`);
    return SIM_EXIT_OK;
  }
  const scenario = findScenario(parsed.scenario);
  if (scenario instanceof ScenarioError) {
    io.printError(scenario.message);
    return SIM_EXIT_USAGE;
  }
  const choice = chooseInterface((io.interfaces ?? os.networkInterfaces)(), parsed.iface);
  if (!choice.ok) {
    io.printError(choice.error.message);
    return choice.error.code === 'interface-not-found' ? SIM_EXIT_USAGE : SIM_EXIT_RUNTIME;
  }
  const clock = io.clock ?? realClock;
  const startedAt = clock.now();
  const { iface } = choice;
  const sim = await startSimulator({
    scenario,
    transport: { kind: 'udp', host: { address: iface.address, mac: iface.mac, broadcast: iface.broadcast } },
    clock,
    ...(parsed.seed === null ? {} : { seed: parsed.seed }),
    onEvent: (event) => io.print(eventLine(event, startedAt)),
  });
  if (sim instanceof ScenarioError || sim instanceof NetworkError) {
    io.printError(sim.message);
    return sim instanceof ScenarioError ? SIM_EXIT_USAGE : SIM_EXIT_RUNTIME;
  }
  io.print(`simulating "${scenario.name}" (${scenario.rig}) on ${iface.name} ${iface.address}, broadcast ${iface.broadcast}; ${choice.reason}`);
  await untilStopped(io.signal ?? null, parsed.durationMs, clock);
  await sim.stop();
  io.print('simulator stopped');
  return SIM_EXIT_OK;
}

/** Resolves when the signal aborts, the duration has passed, or (without a signal) on SIGINT/SIGTERM. */
function untilStopped(signal: AbortSignal | null, durationMs: number | null, clock: SimClock): Promise<void> {
  return new Promise<void>((resolve) => {
    let timer: unknown = null;
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      if (timer !== null) clock.clearTimeout(timer);
      resolve();
    };
    if (signal?.aborted === true) return done();
    if (signal !== null) signal.addEventListener('abort', done, { once: true });
    else {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    }
    if (durationMs !== null) timer = clock.setTimeout(done, durationMs);
  });
}
