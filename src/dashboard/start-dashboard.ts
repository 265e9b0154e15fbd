/**
 * `run --dashboard`: the web dashboard on a running bridge. Wires the
 * bridge's streams to the feed, keeps the rare facts (dashboard-memory.ts),
 * and serves the page. A dashboard that cannot start (port in use) is
 * reported; the bridge runs on without it.
 */
import * as os from 'node:os';
import type { SchedulerLike } from 'rxjs';
import { EMPTY } from '../rx';
import type { RunningBridge } from '../app/bridge';
import { bridgeSources } from '../monitor/bridge-sources';
import { RateLimitedReporter } from '../outputs/reporter';
import { isLoopbackAddress } from './dashboard-access';
import { dashboardFeed } from './dashboard-feed';
import { DashboardMemory } from './dashboard-memory';
import { DashboardServer, type DashboardStats } from './dashboard-server';
import { readPageFiles } from './page-files';

export interface DashboardOptions {
  readonly port: number;
  readonly host: string;
  readonly token: string | null;
  /** Where the page files are (default: beside this module). */
  readonly pageDir?: string;
  readonly maxBufferedBytes?: number;
}

export interface DashboardLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface RunningDashboard {
  /** The addresses to open, e.g. http://127.0.0.1:8787/ (without the token). */
  readonly urls: readonly string[];
  readonly port: number;
  stats(): DashboardStats;
  close(): Promise<void>;
}

/** The URLs a browser can open: this machine's address(es) for a wildcard host. */
export function dashboardUrls(host: string, port: number, interfaces: ReturnType<typeof os.networkInterfaces> = os.networkInterfaces()): string[] {
  const wildcard = host === '0.0.0.0' || host === '::';
  if (!wildcard) return [`http://${host.includes(':') ? `[${host}]` : host}:${port}/`];
  const addresses = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4')
    .map((a) => a.address);
  const outward = addresses.filter((a) => !isLoopbackAddress(a));
  return [...outward.slice(0, 3), '127.0.0.1'].map((a) => `http://${a}:${port}/`);
}

export async function startDashboard(
  bridge: RunningBridge,
  source: string,
  options: DashboardOptions,
  scheduler: SchedulerLike,
  log: DashboardLog,
): Promise<RunningDashboard | string> {
  const files = readPageFiles(options.pageDir);
  if (typeof files === 'string') return files;
  const memory = new DashboardMemory({
    devices: bridge.streams.devices$,
    artwork: bridge.streams.artwork$,
    activity: bridge.activity,
    now: () => scheduler.now(),
  });
  const monitor = bridgeSources(bridge, EMPTY, scheduler);
  const feed = dashboardFeed(
    {
      source,
      monitor,
      structures: bridge.structures,
      mappingStatus: () => bridge.mappingStatus.value,
      targetStatuses: () => bridge.router.targetStatuses(),
      memory,
    },
    scheduler,
  );
  const reporter = new RateLimitedReporter((r) => log.warn(r.suppressed > 0 ? `${r.message} (${r.suppressed} more like it)` : r.message), () => scheduler.now());
  const server = new DashboardServer({
    host: options.host,
    port: options.port,
    token: options.token,
    feed,
    files,
    art: (deck, trackId) => memory.artFor(deck, trackId),
    report: (code, message) => reporter.report('warn', 'dashboard', code, message),
    ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
  });
  const listening = await server.listen();
  if (!listening.ok) {
    memory.close();
    await server.close();
    return listening.message;
  }
  const urls = dashboardUrls(options.host, listening.port);
  const tokenNote = options.token === null ? '' : ' (add ?token=<your token>)';
  log.info(`dashboard: open ${urls[0] ?? ''}${tokenNote}${urls.length > 1 ? `; also ${urls.slice(1).join(', ')}` : ''}`);
  if (!isLoopbackAddress(options.host) && options.token === null) {
    log.warn(`the dashboard listens on ${options.host} without a token: anyone on this network can watch the show; add --dashboard-token <token> to require one`);
  }
  return {
    urls,
    port: listening.port,
    stats: () => server.stats(),
    close: async () => {
      memory.close();
      await server.close();
    },
  };
}
