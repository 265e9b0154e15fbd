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
import { DEFAULT_DASHBOARD_HOST, DEFAULT_DASHBOARD_PORT, type DashboardChoice } from './run-command';

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
  dashboard?: string | true;
  dashboardHost?: string;
  dashboardToken?: string;
  /** --library: catalogue files or USB export folders. */
  library?: string[];
  /** --library-key: the key of Device Library Plus (exportLibrary.db). */
  libraryKey?: string;
}

/** The dashboard's settings from --dashboard, --dashboard-host and --dashboard-token (either of the last two turns it on), or a sentence saying what is wrong. */
export function dashboardChoice(o: Pick<BridgeCommandOptions, 'dashboard' | 'dashboardHost' | 'dashboardToken'>): DashboardChoice | null | string {
  if (o.dashboard === undefined && o.dashboardHost === undefined && o.dashboardToken === undefined) return null;
  const port = o.dashboard === undefined || o.dashboard === true ? DEFAULT_DASHBOARD_PORT : Number(o.dashboard);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return `--dashboard takes a port number from 0 to 65535, not "${String(o.dashboard)}"`;
  const host = o.dashboardHost ?? DEFAULT_DASHBOARD_HOST;
  if (host.trim() === '') return '--dashboard-host needs an address, such as 127.0.0.1 or 0.0.0.0';
  const token = o.dashboardToken ?? null;
  if (token !== null && !/^[\x21-\x7e]{1,200}$/.test(token)) return '--dashboard-token must be 1 to 200 printable characters without spaces';
  return { port, host, token };
}

/** `monitor`: true (on), false (off) or undefined (on when stdout is a terminal). Resolves to the exit code. */
export async function runBridgeCommand(o: BridgeCommandOptions, monitor: boolean | undefined, printError: (line: string) => void): Promise<number> {
  const dashboard = dashboardChoice(o);
  if (typeof dashboard === 'string') {
    printError(dashboard);
    return 2;
  }
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
      dashboard,
      ...(o.library === undefined ? {} : { library: o.library }),
      ...(o.libraryKey === undefined ? {} : { libraryKey: o.libraryKey }),
    },
    logger,
  );
}
