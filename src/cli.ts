#!/usr/bin/env node
/**
 * The prolink-bridge command line: argument parsing only. Each command lives
 * in src/cli/ and returns its exit code.
 *
 * Exit codes: 0 success; 1 runtime failure (network, MIDI, nothing heard);
 * 2 usage error or invalid input (bad arguments, unreadable or invalid files).
 */
import './cli/compile-cache';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { LOG_LEVELS, type LogLevel } from './log/log-levels';
import type { SessionMode } from './prolink/network/session-types';
import type { BridgeCommandOptions } from './cli/bridge-command';

// Each command's modules are loaded only when that command runs (import() in
// its action), so that --help, --version and the quick commands start fast.

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

/** What `run` and `monitor` share: where the traffic comes from, the mapping, logging. */
function bridgeOptions(command: Command): Command {
  return command
    .option('-m, --mapping <paths...>', 'mapping files or folders (default: ./mappings, or the packaged default mapping when there is none)')
    .option('-i, --interface <name-or-address>', 'network interface to use (default: the one the DJ gear is on)')
    .option('--mode <mode>', 'auto | lighting | cdj | passive (see the README)', choice('--mode', MODES), 'auto' as SessionMode)
    .option('--simulate [scenario]', 'run against the built-in simulator (scenarios: club, cdj-pair, or a .yaml/.json file)')
    .option('--replay <capture>', 'play a recorded pcap/pcapng capture instead of joining a network')
    .option('--speed <factor>', 'replay speed (1 = real time)', positiveNumber, 1)
    .option('--no-watch', 'do not reload the mapping when its files change')
    .option('--log-level <level>', LOG_LEVELS.join(' | '), choice('--log-level', LOG_LEVELS), 'info' as LogLevel)
    .option('--log-file <file>', 'append the logs to this file instead of the terminal')
    .option('--dashboard [port]', 'serve the live web dashboard on this port (default 8787)')
    .option('--dashboard-host <address>', 'address the dashboard listens on (default 127.0.0.1: this machine only; 0.0.0.0 for phones and tablets)')
    .option('--dashboard-token <token>', 'require ?token=<token> to open the dashboard')
    .option('--library <paths...>', 'catalogue files (from "library scan") or USB export folders: decks\' tracks get their title, artist and so on')
    .option('--library-key <key>', 'the key of Device Library Plus (PIONEER/rekordbox/exportLibrary.db): OPUS-QUAD/XDJ-AZ tracks are then found by their own IDs (default: $PROLINK_LIBRARY_KEY; needs the optional module @evolu/sqlite-wasm)');
}

async function runBridgeCommand(o: BridgeCommandOptions, monitor: boolean | undefined): Promise<number> {
  const { keepHeapSmall } = await import('./cli/heap-settings');
  keepHeapSmall();
  const command = await import('./cli/bridge-command');
  return command.runBridgeCommand(o, monitor, printError);
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
      const { runSimulatorCli } = await import('./prolink/sim/main');
      setExitCode(await runSimulatorCli(args));
    });

  program
    .command('devices')
    .description('listen for a few seconds and list the Pro DJ Link devices on the network')
    .option('-s, --seconds <n>', 'how long to listen', positiveNumber, 4)
    .action(async (o: { seconds: number }) => {
      const { runDevices } = await import('./cli/network-commands');
      setExitCode(await runDevices(o.seconds, print, printError));
    });

  program
    .command('record')
    .description('write the Pro DJ Link traffic heard here to a pcapng file (Wireshark, --replay)')
    .argument('<file>', 'the .pcapng file to write')
    .option('-s, --seconds <n>', 'how long to record', positiveNumber, 60)
    .action(async (file: string, o: { seconds: number }) => {
      const { runRecord } = await import('./cli/network-commands');
      setExitCode(await runRecord(file, o.seconds, print, printError));
    });

  program
    .command('midi-ports')
    .description('list the MIDI outputs a mapping can send to')
    .action(async () => {
      const { runMidiPorts } = await import('./cli/network-commands');
      setExitCode(runMidiPorts(print, printError));
    });

  program
    .command('interfaces')
    .description('list the network interfaces the bridge can use')
    .action(async () => {
      const { runInterfaces } = await import('./cli/interfaces-command');
      setExitCode(runInterfaces(print));
    });

  program
    .command('validate')
    .description('check mapping files or folders (- reads one from stdin); exits 2 when anything is wrong')
    .argument('<paths...>', 'mapping files (.yaml), folders of them, or - for standard input')
    .option('--each', 'check every file on its own, one result line per file, instead of merging them into one mapping')
    .action(async (paths: string[], o: { each?: boolean }) => {
      const { runValidate, readAll } = await import('./cli/mapping-commands');
      setExitCode(await runValidate(paths, { each: o.each === true, readStdin: () => readAll(process.stdin) }, print, printError));
    });

  program
    .command('schema')
    .description('print (or write) the JSON Schema editors use to check mapping files')
    .option('-o, --out <file>', 'write to this file instead of stdout')
    .action(async (options: { out?: string }) => {
      const { runSchema } = await import('./cli/mapping-commands');
      setExitCode(await runSchema(options.out, print));
    });

  program
    .command('init')
    .description('start a show folder: a mapping to edit in mappings/, the schema, and the editor setting that uses it')
    .argument('[folder]', 'where to write (created when missing)', '.')
    .option('--force', 'replace files that already exist')
    .action(async (folder: string, o: { force?: boolean }) => {
      const { runInit } = await import('./cli/init-command');
      setExitCode(await runInit(folder, { force: o.force === true }, print, printError));
    });

  program
    .command('decode')
    .description('print every Pro DJ Link packet of a pcap/pcapng capture, one per line')
    .argument('<capture>', 'a .pcap or .pcapng file (Wireshark, tcpdump, or prolink-bridge record)')
    .option('--json', 'one JSON object per line, with fields named as in the protocol reference')
    .action(async (file: string, options: { json?: boolean }) => {
      const { runDecode } = await import('./cli/decode-command');
      setExitCode(await runDecode(file, { json: options.json === true }, print, printError));
    });

  const library = program
    .command('library')
    .description('read rekordbox USB exports (export.pdb and analysis files) into a track catalogue, and look tracks up in it');

  library
    .command('scan')
    .description('read USB exports into a catalogue file and print what was found')
    .argument('<folders...>', 'USB export folders (the folder holding PIONEER, or PIONEER itself)')
    .option('-o, --out <file>', 'where to write the catalogue (default: prolink-library.json in the current folder)')
    .option('--json', 'print the catalogue as JSON instead of the summary (written to a file only with --out)')
    .option('--library-key <key>', 'the key of Device Library Plus (PIONEER/rekordbox/exportLibrary.db): OPUS-QUAD/XDJ-AZ tracks are then found by their own IDs (default: $PROLINK_LIBRARY_KEY; needs the optional module @evolu/sqlite-wasm)')
    .action(async (folders: string[], o: { out?: string; json?: boolean; libraryKey?: string }) => {
      const { runLibraryScan } = await import('./cli/library-command');
      const key = o.libraryKey === undefined ? {} : { libraryKey: o.libraryKey };
      setExitCode(await runLibraryScan(folders, { ...(o.out === undefined ? {} : { out: o.out }), json: o.json === true, ...key }, print, printError));
    });

  library
    .command('show')
    .description('print the tracks whose title or artist contains the query, or whose rekordbox ID it is')
    .argument('<query>', 'part of a title or artist (any letter case), or a rekordbox ID')
    .option('-l, --library <paths...>', 'catalogue files or USB export folders (default: prolink-library.json in the current folder)')
    .option('--library-key <key>', 'the key of Device Library Plus (PIONEER/rekordbox/exportLibrary.db): OPUS-QUAD/XDJ-AZ tracks are then found by their own IDs (default: $PROLINK_LIBRARY_KEY; needs the optional module @evolu/sqlite-wasm)')
    .action(async (query: string, o: { library?: string[]; libraryKey?: string }) => {
      const { runLibraryShow } = await import('./cli/library-command');
      const key = o.libraryKey === undefined ? {} : { libraryKey: o.libraryKey };
      setExitCode(await runLibraryShow(query, { ...(o.library === undefined ? {} : { library: o.library }), ...key }, print, printError));
    });

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
