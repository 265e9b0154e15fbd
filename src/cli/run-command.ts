/**
 * `prolink-bridge run`: the bridge on real gear (UDP on an interface), on a
 * replayed capture, or on the built-in simulator.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { Logger } from 'pino';
import type { RunningBridge } from '../app/bridge';
import type { Link } from '../app/link';
import { MAX_HELD, startIngestion, type Ingestion } from '../app/ingestion';
import type { SessionMode } from '../prolink/network/session-types';
import { openMidiOutput } from '../outputs/midi/julusian-midi-port';
import type { MidiOpener } from '../outputs/midi-target';
import type { StartMonitor } from '../monitor/monitor-setup';
import type { MonitorHandle } from '../monitor/screen-drivers';
import { sourceLabel } from '../monitor/bridge-sources';
import type { Catalogue } from '../library/catalogue';
import type { Scenario } from '../prolink/sim/scenario';

export interface RunOptions {
  readonly mapping: readonly string[];
  readonly interface: string | null;
  readonly mode: SessionMode;
  readonly replay: string | null;
  /** Run against the built-in simulator with this scenario. */
  readonly simulate: string | null;
  readonly speed: number;
  readonly watch: boolean;
  /** Seconds without any Pro DJ Link device before saying what to check. */
  readonly silenceHintSeconds: number;
  /** Shows the live monitor while the bridge runs. */
  readonly monitor?: StartMonitor | null;
  /** Serves the web dashboard while the bridge runs. */
  readonly dashboard?: DashboardChoice | null;
  /** Catalogue files or USB export folders: the decks' tracks are looked up in them. */
  readonly library?: readonly string[];
  /** The key of Device Library Plus (exportLibrary.db) on those exports; else PROLINK_LIBRARY_KEY. */
  readonly libraryKey?: string;
}

/** Where the web dashboard listens, and the token it asks for (null: none). */
export interface DashboardChoice {
  readonly port: number;
  readonly host: string;
  readonly token: string | null;
}

export const DEFAULT_DASHBOARD_PORT = 8787;
export const DEFAULT_DASHBOARD_HOST = '127.0.0.1';

export const defaultMidiOpener: MidiOpener = (spec) => openMidiOutput(spec);

/** The link, and with --simulate the scenario the simulated DJ plays (as written). */
interface OpenedLink {
  readonly link: Link;
  readonly scenario: Scenario | null;
}

/** Only the source this run uses is loaded. */
async function openLink(options: RunOptions, logger: Logger): Promise<OpenedLink | string> {
  if (options.simulate !== null) {
    const { openSimLink } = await import('../app/sim-link');
    const sim = await openSimLink(options.simulate, (event) => logger.debug({ simulator: event.code }, event.message));
    return typeof sim === 'string' ? sim : { link: sim.link, scenario: sim.scenario };
  }
  if (options.replay !== null) {
    if (!fs.existsSync(options.replay)) return `cannot read the capture ${options.replay}`;
    const { openReplayLink } = await import('../app/replay-link');
    return { link: openReplayLink(options.replay, options.speed), scenario: null };
  }
  const { discoverInterface } = await import('../app/choose-link');
  const { openUdpLink } = await import('../app/link');
  const choice = await discoverInterface(options.interface, 3000);
  if (!choice.ok) return choice.error.message;
  const { iface } = choice;
  logger.info({ interface: iface.name, address: iface.address, mac: iface.mac }, `using ${iface.name} (${iface.address}): ${choice.reason}`);
  const link = await openUdpLink(
    { address: iface.address, mac: iface.mac, broadcast: iface.broadcast, hostName: os.hostname().replace(/[^\x20-\x7e]/g, '').slice(0, 32) || 'prolink-bridge' },
    { reuseAddr: options.mode === 'passive', onError: (e) => logger.warn({ code: e.code }, e.message) },
  );
  return typeof link === 'object' && 'code' in link ? link.message : { link, scenario: null };
}

/** Runs until SIGINT/SIGTERM (or the replay ends); returns the exit code. */
export async function runBridge(options: RunOptions, logger: Logger, openMidi: MidiOpener = defaultMidiOpener): Promise<number> {
  // Ctrl-C while the bridge starts is kept, and stops it as soon as it has started (cleanly, exit code 0).
  const early = earlySignals(logger);
  const opened = await openLink(options, logger);
  if (typeof opened === 'string') {
    early.dispose();
    logger.error(opened);
    return options.replay !== null || options.simulate !== null ? 2 : 1;
  }
  const { link } = opened;
  logger.info(`listening on ${link.description} (mode ${options.mode})`);
  // A live link is taken and decoded from now on, while the library and the bridge's mapping load; a replay starts playing when the bridge takes it.
  const ingestion = options.replay === null ? await ingestNow(link, logger) : null;
  const sources = options.library ?? [];
  const library = opened.scenario !== null && sources.length === 0 ? await openSimulatedLibrary(opened.scenario, logger) : await openLibrary(sources, options.libraryKey, logger);
  const { startBridge } = await import('../app/bridge');
  const started = await startBridge({
    link,
    mode: options.mode,
    mappingPaths: options.mapping,
    watchMappings: options.watch,
    logger,
    openMidi,
    ...(library === null ? {} : { library }),
    ...(ingestion === null ? {} : { ingestion }),
  });
  if (!started.ok) {
    early.dispose();
    logger.error(started.message);
    await link.close();
    return 2;
  }
  const source = sourceLabel(options, link.description);
  const view = options.monitor?.(started.bridge, source) ?? null;
  const dashboardChoice = options.dashboard ?? null;
  const dashboard = dashboardChoice === null ? null : await openDashboard(started.bridge, source, dashboardChoice, logger);
  // The monitor and the dashboard watch from the start: what came while the bridge started goes through now, in order.
  const dropped = ingestion?.release() ?? 0;
  if (dropped > 0) logger.warn({ dropped }, `${dropped} packets that came while the bridge started were dropped: more than ${MAX_HELD} came`);
  const code = await waitForStop(started.bridge, logger, options.silenceHintSeconds, options.replay !== null, view, early);
  await dashboard?.close();
  return code;
}

/** Turns of the event loop (about a millisecond each) the link has, at most, to hand over its first datagrams before the bridge's modules load. */
const FIRST_TURNS = 5;

/**
 * Takes and decodes the link's datagrams from now on. Loading the bridge's
 * modules holds the event loop for a moment, so the link first has a few
 * turns of it, until its first datagram comes: the simulator's first
 * keep-alives, or what waits in the socket, are decoded before that.
 */
async function ingestNow(link: Link, logger: Logger): Promise<Ingestion> {
  const ingestion = startIngestion(link, logger);
  for (let turn = 0; turn < FIRST_TURNS && ingestion.taken() === 0; turn++) {
    await new Promise<void>((resolve) => setTimeout(() => setImmediate(resolve), 0));
  }
  return ingestion;
}

/** The library of --library, or null (none given, or it cannot be read: then said in one sentence, and the bridge runs without it). */
async function openLibrary(sources: readonly string[], libraryKey: string | undefined, logger: Logger): Promise<Catalogue | null> {
  if (sources.length === 0) return null;
  const { readLibraryWithDeviceLibraries } = await import('./library-command');
  const { library, notes } = await readLibraryWithDeviceLibraries(sources, libraryKey);
  for (const note of notes) {
    if (note.level === 'info') logger.info(note.message);
    else logger.warn(note.message);
  }
  if (typeof library === 'string') {
    logger.error(`${library}; the bridge runs without the library (tracks are known by ID only)`);
    return null;
  }
  logger.info({ tracks: library.tracks.length, exports: library.data.exports.length }, `library: ${library.tracks.length} tracks from ${library.data.exports.length} exports`);
  return library;
}

/**
 * With --simulate and no --library: the simulated DJ's USB (the scenario's
 * synthetic tracks, and its `library:` export), matched like a real export.
 */
async function openSimulatedLibrary(scenario: Scenario, logger: Logger): Promise<Catalogue | null> {
  const { simulatedLibrary } = await import('../app/sim-link');
  const library = simulatedLibrary(scenario);
  if (typeof library === 'string') {
    logger.error(`${library}; the bridge runs without the library (tracks are known by ID only)`);
    return null;
  }
  const from = scenario.library === undefined ? '' : scenario.tracks.length === 0 ? `, from the export ${scenario.library},` : ` and the export ${scenario.library}`;
  logger.info(
    { tracks: library.tracks.length, exports: library.data.exports.length },
    `library: the simulated tracks of scenario "${scenario.name}"${from} are used as the library (${library.tracks.length} tracks; --library gives another)`,
  );
  return library;
}

/** The dashboard, loaded only when asked for; null (with the reason logged) when it cannot start: the bridge runs on. */
async function openDashboard(bridge: RunningBridge, source: string, choice: DashboardChoice, logger: Logger): Promise<{ close(): Promise<void> } | null> {
  const { startDashboard } = await import('../dashboard/start-dashboard');
  const { monotonicScheduler } = await import('../app/link');
  const dashboard = await startDashboard(bridge, source, choice, monotonicScheduler, { info: (m) => logger.info(m), warn: (m) => logger.warn(m) });
  if (typeof dashboard !== 'string') return dashboard;
  logger.error(`${dashboard}; the bridge runs on without it`);
  return null;
}

/** A SIGINT or SIGTERM that came while the bridge started, kept until it can stop. */
export interface EarlySignals {
  /** Why to stop ('interrupted', 'terminated'), or null when no signal came. */
  readonly asked: () => string | null;
  /** Stops keeping them: the default action (the process ends) applies again unless another handler is there. */
  dispose(): void;
}

/** Exit codes of a process ended by SIGINT and SIGTERM, as a shell reports them. */
const EXIT_INTERRUPTED = 130;
const EXIT_TERMINATED = 143;

/** The first signal is kept (said in one line); a second one ends the process at once, as it would have without this. */
export function earlySignals(logger: Pick<Logger, 'warn'>, exit: (code: number) => void = (code) => process.exit(code)): EarlySignals {
  let why: string | null = null;
  const keep = (reason: string, code: number): void => {
    if (why !== null) {
      exit(code);
      return;
    }
    why = reason;
    logger.warn(`${reason} while starting: stopping as soon as the bridge has started (again to quit at once)`);
  };
  const interrupted = (): void => keep('interrupted', EXIT_INTERRUPTED);
  const terminated = (): void => keep('terminated', EXIT_TERMINATED);
  process.on('SIGINT', interrupted);
  process.on('SIGTERM', terminated);
  return {
    asked: () => why,
    dispose: () => {
      process.off('SIGINT', interrupted);
      process.off('SIGTERM', terminated);
    },
  };
}

/**
 * `view`: a monitor that is closed first when stopping, and may itself ask to
 * stop (a key). `early`: the signals kept while the bridge started; one that
 * came stops it at once.
 */
export function waitForStop(
  bridge: RunningBridge,
  logger: Logger,
  silenceHintSeconds: number,
  endWithSource: boolean,
  view: MonitorHandle | null = null,
  early: EarlySignals | null = null,
): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const stop = (why: string): void => {
      if (stopping) return;
      stopping = true;
      view?.close();
      logger.info(`${why}: stopping`);
      const hardStop = setTimeout(() => resolve(0), 1000);
      void bridge.stop().then(() => {
        clearTimeout(hardStop);
        resolve(0);
      });
    };
    process.once('SIGINT', () => stop('interrupted'));
    process.once('SIGTERM', () => stop('terminated'));
    early?.dispose();
    const asked = early?.asked() ?? null;
    if (asked !== null) stop(asked);
    const silence = setTimeout(() => {
      if (bridge.stats.received === 0) {
        logger.warn(
          `no Pro DJ Link device heard in ${silenceHintSeconds} s: check the Ethernet cable and that this computer has a 169.254.x.x (link-local) or the DJ network's address, and that the mixer's or OPUS-QUAD's PRO DJ LINK is on`,
        );
      }
    }, silenceHintSeconds * 1000);
    silence.unref();
    if (endWithSource) {
      bridge.streams.received$.subscribe({ complete: () => stop('the capture ended') });
    }
    void view?.quit.then(stop);
  });
}
