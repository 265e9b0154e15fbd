/**
 * What `run` and `monitor` do once their arguments are parsed: choose the
 * mapping, set up the monitor and the logger, and run the bridge.
 */
import * as fs from 'node:fs';
import type { SessionMode } from '../prolink/network/session-types';
import { createLogger } from '../log/logger';
import type { LogLevel } from '../log/log-levels';
import { setUpMonitor } from '../monitor/monitor-setup';
import { runBridge } from './run-command';
import { chooseMappingPaths } from './package-files';

export interface BridgeCommandOptions {
  /** Absent when --mapping was not given. */
  mapping?: string[];
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

/** `monitor`: true (on), false (off) or undefined (on when stdout is a terminal). Resolves to the exit code. */
export async function runBridgeCommand(o: BridgeCommandOptions, monitor: boolean | undefined, printError: (line: string) => void): Promise<number> {
  const setup = setUpMonitor({ monitor, logFile: o.logFile ?? null });
  if (typeof setup === 'string') {
    printError(setup);
    return 2;
  }
  const logger = createLogger({ level: o.logLevel, destination: setup.logDestination });
  const mapping = chooseMappingPaths(o.mapping, (file) => fs.existsSync(file));
  if (mapping.note !== null) logger.info(mapping.note);
  return runBridge(
    {
      mapping: mapping.paths,
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
