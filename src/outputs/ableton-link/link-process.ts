/**
 * Runs the Link session in a process of its own (link-host.ts): the native
 * module cannot end a process cleanly and must not take the bridge down
 * with it. Both processes read process.hrtime, so grids cross without
 * translation, as they do to the MIDI clock thread.
 *
 * start() resolves to null once the session runs, or to the LinkError that
 * keeps it from running (the module is missing or broken, the process
 * failed); the process has then ended.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { BeatGrid } from '../../timing/beat-grid';
import type { LinkDriverEvent } from './link-driver';
import { LinkError } from './link-error';
import type { FromLinkHost, LinkHostSetup, ToLinkHost } from './link-messages';

export const LINK_HOST_FILE = path.join(__dirname, 'link-host.js');

/** How long stop() waits for the process to end before killing it (ms). */
const STOP_WAIT_MS = 1000;

export class LinkProcess {
  private child: ChildProcess | null = null;
  private stopping = false;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly setup: LinkHostSetup,
    private readonly onEvent: (event: LinkDriverEvent) => void = () => undefined,
    /** The process ended by itself after the session had started. */
    private readonly onFailure: (error: LinkError) => void = () => undefined,
    private readonly hostFile: string = LINK_HOST_FILE,
  ) {}

  start(): Promise<LinkError | null> {
    if (this.child !== null) return Promise.resolve(null);
    const child = fork(this.hostFile, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'json' });
    this.child = child;
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let started = false;
    return new Promise((resolve) => {
      child.on('message', (message: FromLinkHost) => {
        if (message.kind === 'ready') {
          started = true;
          resolve(null);
        }
        else if (message.kind === 'event') this.onEvent(message.event);
        else if (message.kind === 'unavailable') {
          resolve(new LinkError('link-unavailable', message.message, message.cause));
          this.kill();
        }
      });
      child.once('error', (thrown) => {
        resolve(new LinkError('link-failed', 'The Ableton Link process could not start.', thrown.message));
        this.child = null;
      });
      child.once('exit', (code, signal) => {
        if (this.child === child) this.child = null;
        const cause = stderr.trim().split('\n').at(-1) || `exit ${code ?? signal ?? '?'}`;
        if (started && !this.stopping) this.onFailure(new LinkError('link-failed', 'The Ableton Link process ended unexpectedly.', cause));
        resolve(new LinkError('link-failed', 'The Ableton Link process ended before the session started.', cause));
      });
      this.post({ kind: 'start', setup: this.setup });
    });
  }

  /** Hands the followed deck's grid (or null: nothing to follow) to the Link process. */
  publish(grid: BeatGrid | null): void {
    this.post({ kind: 'grid', grid });
  }

  /** Leaves the session and ends the process. */
  async stop(): Promise<void> {
    const child = this.child;
    this.stopping = true;
    if (child === null) return this.exited;
    this.post({ kind: 'stop' });
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_WAIT_MS);
    await this.exited;
    clearTimeout(timer);
    this.child = null;
  }

  private post(message: ToLinkHost): void {
    const child = this.child;
    if (child !== null && child.connected) child.send(message);
  }

  private kill(): void {
    this.child?.kill('SIGKILL');
    this.child = null;
  }
}
