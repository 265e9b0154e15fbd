#!/usr/bin/env node
/**
 * The prolink-bridge command line: argument parsing only. Each command lives
 * in src/cli/ and returns its exit code.
 *
 * Exit codes: 0 success; 1 runtime failure (network, MIDI, nothing heard);
 * 2 usage error or invalid input (bad arguments, unreadable or invalid files).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { runInterfaces } from './cli/interfaces-command';
import { runSchema, runValidate } from './cli/mapping-commands';
import { runDecode } from './cli/decode-command';
import { runBridge } from './cli/run-command';
import { runDevices, runMidiPorts, runRecord } from './cli/network-commands';
import { runSimulatorCli } from './prolink/sim/main';
import { createLogger, LOG_LEVELS, type LogLevel } from './log/logger';
import { setUpMonitor } from './monitor/monitor-setup';
import type { SessionMode } from './prolink/network/session-types';

const MODES: readonly SessionMode[] = ['auto', 'lighting', 'cdj', 'passive'];

function choice<T extends string>(name: string, allowed: readonly T[]): (value: string) => T {
  return (value) => {
    if ((allowed as readonly string[]).includes(value)) return value as T;
    throw new InvalidArgumentError(`${name} must be one of: ${allowed.join(', ')}`);
  };
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('must be a positive number');
  return n;
}

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

function printError(line: string): void {
  process.stderr.write(`${line}\n`);
}

interface BridgeCommandOptions {
  mapping: string[];
  interface?: string;
  mode: SessionMode;
  simulate?: string | true;
  replay?: string;
  speed: number;
  watch: boolean;
  logLevel: LogLevel;
  logFile?: string;
  monitor?: boolean;
}

/** What `run` and `monitor` share: where the traffic comes from, the mapping, logging. */
function bridgeOptions(command: Command): Command {
  return command
    .option('-m, --mapping <paths...>', 'mapping files or folders', ['mappings'])
    .option('-i, --interface <name-or-address>', 'network interface to use (default: the one the DJ gear is on)')
    .option('--mode <mode>', 'auto | lighting | cdj | passive (see the README)', choice('--mode', MODES), 'auto' as SessionMode)
    .option('--simulate [scenario]', 'run against the built-in simulator (scenarios: club, cdj-pair, or a .yaml/.json file)')
    .option('--replay <capture>', 'play a recorded pcap/pcapng capture instead of joining a network')
    .option('--speed <factor>', 'replay speed (1 = real time)', positiveNumber, 1)
    .option('--no-watch', 'do not reload the mapping when its files change')
    .option('--log-level <level>', LOG_LEVELS.join(' | '), choice('--log-level', LOG_LEVELS), 'info' as LogLevel)
    .option('--log-file <file>', 'append the logs to this file instead of the terminal');
}

/** `monitor`: true (on), false (off) or undefined (on when stdout is a terminal). */
async function runBridgeCommand(o: BridgeCommandOptions, monitor: boolean | undefined): Promise<number> {
  const setup = setUpMonitor({ monitor, logFile: o.logFile ?? null });
  if (typeof setup === 'string') {
    printError(setup);
    return EXIT_USAGE;
  }
  const logger = createLogger({ level: o.logLevel, destination: setup.logDestination });
  return runBridge(
    {
      mapping: o.mapping,
      interface: o.interface ?? null,
      mode: o.mode,
      simulate: o.simulate === undefined ? null : o.simulate === true ? 'club' : o.simulate,
      replay: o.replay ?? null,
      speed: o.speed,
      watch: o.watch,
      silenceHintSeconds: 10,
      monitor: setup.start,
    },
    logger,
  );
}

export function buildProgram(setExitCode: (code: number) => void): Command {
  const program = new Command();
  program
    .name('prolink-bridge')
    .description('Pioneer DJ Pro DJ Link (OPUS-QUAD, CDJ, DJM) to OSC and MIDI, driven by YAML mappings')
    .version(require('../package.json').version as string)
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride();

  bridgeOptions(
    program.command('run').description('run the bridge: join the DJ network (or replay a capture) and drive the mapping\'s targets'),
  )
    .option('--monitor', 'show the live monitor (the default when stdout is a terminal)')
    .option('--no-monitor', 'print logs instead of showing the live monitor')
    .action(async (o: BridgeCommandOptions) => setExitCode(await runBridgeCommand(o, o.monitor)));

  bridgeOptions(
    program.command('monitor').description('run the bridge with the live monitor: decks, beats, phrases, devices and what the mapping sends'),
  ).action(async (o: BridgeCommandOptions) => setExitCode(await runBridgeCommand(o, true)));

  program
    .command('simulate')
    .description('run the built-in simulator as DJ gear on a network interface (or --list its scenarios)')
    .allowUnknownOption(false)
    .option('-i, --interface <name-or-address>', 'interface whose address the simulated gear uses')
    .option('--scenario <name-or-file>', 'club (OPUS-QUAD), cdj-pair, or a .yaml/.json scenario file', 'club')
    .option('--seed <n>', 'random seed for timing jitter')
    .option('--duration <seconds>', 'stop after this long')
    .option('--list', 'list the built-in scenarios')
    .action(async (o: { interface?: string; scenario: string; seed?: string; duration?: string; list?: boolean }) => {
      const args = [
        ...(o.interface === undefined ? [] : ['--interface', o.interface]),
        '--scenario',
        o.scenario,
        ...(o.seed === undefined ? [] : ['--seed', o.seed]),
        ...(o.duration === undefined ? [] : ['--duration', o.duration]),
        ...(o.list === true ? ['--list'] : []),
      ];
      setExitCode(await runSimulatorCli(args));
    });

  program
    .command('devices')
    .description('listen for a few seconds and list the Pro DJ Link devices on the network')
    .option('-s, --seconds <n>', 'how long to listen', positiveNumber, 4)
    .action(async (o: { seconds: number }) => setExitCode(await runDevices(o.seconds, print, printError)));

  program
    .command('record')
    .description('write the Pro DJ Link traffic heard here to a pcapng file (Wireshark, --replay)')
    .argument('<file>', 'the .pcapng file to write')
    .option('-s, --seconds <n>', 'how long to record', positiveNumber, 60)
    .action(async (file: string, o: { seconds: number }) => setExitCode(await runRecord(file, o.seconds, print, printError)));

  program
    .command('midi-ports')
    .description('list the MIDI outputs a mapping can send to')
    .action(() => setExitCode(runMidiPorts(print, printError)));

  program
    .command('interfaces')
    .description('list the network interfaces the bridge can use')
    .action(() => setExitCode(runInterfaces(print)));

  program
    .command('validate')
    .description('check mapping files or folders; exits 2 when anything is wrong')
    .argument('<paths...>', 'mapping files (.yaml) or folders of them')
    .action(async (paths: string[]) => setExitCode(await runValidate(paths, print, printError)));

  program
    .command('schema')
    .description('print (or write) the JSON Schema editors use to check mapping files')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => setExitCode(await runSchema(options.out, print)));

  program
    .command('decode')
    .description('print every Pro DJ Link packet of a pcap/pcapng capture, one per line')
    .argument('<capture>', 'a .pcap or .pcapng file (Wireshark, tcpdump, or prolink-bridge record)')
    .option('--json', 'one JSON object per line, with fields named as in the protocol reference')
    .action(async (file: string, options: { json?: boolean }) => setExitCode(await runDecode(file, { json: options.json === true }, print, printError)));

  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  let exitCode = EXIT_OK;
  const program = buildProgram((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with code 0; usage errors were already printed.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    throw error;
  }
  return exitCode;
}

if (require.main === module) {
  // `prolink-bridge decode x.pcapng | head` closes stdout early: stop quietly.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_OK);
  });
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`prolink-bridge: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
      process.exitCode = EXIT_RUNTIME;
    },
  );
}
