/**
 * The mapping's `link:` key: an Ableton Link session following the master
 * deck (or a fixed deck) through the same beat grids the MIDI clock follows.
 * The session lives in a process of its own (outputs/ableton-link); the grid
 * is handed over on every status and beat. When the optional native module
 * is missing, that is said once, in one sentence, and the rest of the bridge
 * runs; a session process that fails is reported and started again every
 * 5 s. A reload restarts the session only when its settings changed.
 */
import { DEFAULT_LINK_FOLLOWER } from '../outputs/ableton-link/link-follower';
import type { LinkDriverEvent } from '../outputs/ableton-link/link-driver';
import type { LinkError } from '../outputs/ableton-link/link-error';
import type { LinkHostSetup } from '../outputs/ableton-link/link-messages';
import { LinkProcess } from '../outputs/ableton-link/link-process';
import type { LinkConfig } from '../mapping/schema-link';
import type { RateLimitedReporter, Timers } from '../outputs/reporter';
import type { BeatGrid } from '../timing/beat-grid';

/** How reports name the Link output. */
export const LINK_TARGET = 'link';
const RETRY_MS = 5000;
/** How often the session is read and steered (ms). */
export const LINK_TICK_MS = 20;
/** The session's tempo before the deck's is known, if no peer has one. */
const START_TEMPO = 120;

export interface LinkProcessLike {
  start(): Promise<LinkError | null>;
  publish(grid: BeatGrid | null): void;
  stop(): Promise<void>;
}

export type LinkProcessFactory = (setup: LinkHostSetup, onEvent: (event: LinkDriverEvent) => void, onFailure: (error: LinkError) => void) => LinkProcessLike;

export const defaultLinkProcess: LinkProcessFactory = (setup, onEvent, onFailure) => new LinkProcess(setup, onEvent, onFailure);

export interface LinkOutputOptions {
  readonly reporter: RateLimitedReporter;
  readonly timers: Timers;
  /** The grid of the deck the session follows ('master' resolved by the caller). */
  readonly gridFor: (follow: LinkConfig['follow'], at: number) => BeatGrid | null;
  readonly now: () => number;
  readonly createProcess?: LinkProcessFactory;
}

interface Running {
  readonly key: string;
  readonly config: LinkConfig;
  process: LinkProcessLike | null;
  retry: unknown;
  stopped: boolean;
  state: LinkState;
  peers: number | null;
  tempo: number | null;
}

/** starting: joining; joined: in the session; retrying: it failed and starts again soon; unavailable: the Link module is not installed. */
export type LinkState = 'starting' | 'joined' | 'retrying' | 'unavailable';

/** What the monitor shows of the session. */
export interface LinkStatus {
  readonly follow: LinkConfig['follow'];
  readonly state: LinkState;
  /** Other Link apps in the session, or null before the session said. */
  readonly peers: number | null;
  /** The tempo last handed to the session (the followed deck's), or null before the deck's is known. */
  readonly tempo: number | null;
}

export function linkSetup(config: LinkConfig): LinkHostSetup {
  return { follower: { ...DEFAULT_LINK_FOLLOWER, quantum: config.quantum, startStopSync: config.startStopSync }, tickMs: LINK_TICK_MS, tempo: START_TEMPO };
}

export class LinkOutput {
  private running: Running | null = null;
  private unavailableSaid = false;
  private readonly createProcess: LinkProcessFactory;

  constructor(private readonly options: LinkOutputOptions) {
    this.createProcess = options.createProcess ?? defaultLinkProcess;
  }

  /** Starts, keeps or stops the session to match a (re)loaded mapping (null: no session). */
  async apply(config: LinkConfig | null): Promise<void> {
    const key = config === null ? null : JSON.stringify(config);
    if (this.running?.key === key) return;
    await this.stop();
    if (config === null || key === null) return;
    const r: Running = { key, config, process: null, retry: null, stopped: false, state: 'starting', peers: null, tempo: null };
    this.running = r;
    this.launch(r);
  }

  /** Hands the session the current grid of the deck it follows (call on each status or beat). */
  publish(): void {
    const r = this.running;
    if (r?.process == null) return;
    const grid = this.options.gridFor(r.config.follow, this.options.now());
    if (grid !== null && grid.bpm !== null && grid.bpm > 0) r.tempo = grid.bpm;
    r.process.publish(grid);
  }

  /** The session's state, or null when the mapping has none. */
  status(): LinkStatus | null {
    const r = this.running;
    return r === null ? null : { follow: r.config.follow, state: r.state, peers: r.peers, tempo: r.tempo };
  }

  async stop(): Promise<void> {
    const r = this.running;
    this.running = null;
    if (r === null) return;
    r.stopped = true;
    if (r.retry !== null) this.options.timers.clearTimeout(r.retry);
    const process = r.process;
    r.process = null;
    await process?.stop();
  }

  private launch(r: Running): void {
    if (r.stopped) return;
    r.state = 'starting';
    const process = this.createProcess(
      linkSetup(r.config),
      (event) => this.event(r, event),
      (error) => {
        if (r.stopped) return;
        r.process = null;
        this.fail(r, error);
      },
    );
    r.process = process;
    void process.start().then((error) => {
      if (r.stopped) return;
      if (error === null) {
        r.state = 'joined';
        this.options.reporter.resolve(LINK_TARGET, 'link-failed');
        this.options.reporter.report('info', LINK_TARGET, 'link-joined', `Ableton Link: joined, following ${r.config.follow === 'master' ? 'the master deck' : `deck ${r.config.follow}`} (quantum ${r.config.quantum})`);
        this.publish();
        return;
      }
      r.process = null;
      void process.stop();
      this.fail(r, error);
    });
  }

  private fail(r: Running, error: LinkError): void {
    const reporter = this.options.reporter;
    r.state = error.code === 'link-unavailable' ? 'unavailable' : 'retrying';
    if (error.code === 'link-unavailable') {
      // Nothing changes by retrying: said once, the rest of the bridge runs.
      if (!this.unavailableSaid) reporter.report('error', LINK_TARGET, error.code, error.message);
      this.unavailableSaid = true;
      return;
    }
    reporter.report('error', LINK_TARGET, error.code, `${error.message}${error.cause === null ? '' : ` (${error.cause})`} It is started again in ${RETRY_MS / 1000} s.`);
    r.retry = this.options.timers.setTimeout(() => this.launch(r), RETRY_MS);
  }

  private event(r: Running, event: LinkDriverEvent): void {
    const reporter = this.options.reporter;
    if (event.kind === 'peers') {
      r.peers = event.peers;
      reporter.report('info', LINK_TARGET, 'link-peers', `Ableton Link: ${event.peers} ${event.peers === 1 ? 'peer' : 'peers'} in the session`);
    } else if (event.kind === 'realign') {
      reporter.report('info', LINK_TARGET, 'link-realign', `Ableton Link: beat phase re-aligned to the deck (it was ${event.phaseErrorMs.toFixed(1)} ms off)`);
    } else {
      reporter.report(
        'info',
        LINK_TARGET,
        'link-tempo-restored',
        `Ableton Link: a peer set ${event.peerTempo.toFixed(2)} BPM; set back to the deck's ${event.tempo.toFixed(2)} BPM (the DJ leads the session)`,
      );
    }
  }
}
