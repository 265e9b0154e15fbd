import { LinkOutput, type LinkProcessFactory, type LinkProcessLike } from '../../src/app/link-output';
import { LinkDriver, type LinkDriverEvent } from '../../src/outputs/ableton-link/link-driver';
import { LinkError } from '../../src/outputs/ableton-link/link-error';
import type { LinkHostSetup } from '../../src/outputs/ableton-link/link-messages';
import { RateLimitedReporter, type OutputReport, type Timers } from '../../src/outputs/reporter';
import { linkSchema, type LinkConfig } from '../../src/mapping/schema-link';
import type { BeatGrid } from '../../src/timing/beat-grid';
import { VirtualLink } from '../outputs/ableton-link/virtual-link';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

class ManualTimers implements Timers {
  t = 0;
  private pending: { at: number; fn: () => void }[] = [];
  setTimeout(fn: () => void, ms: number): unknown {
    const entry = { at: this.t + ms, fn };
    this.pending.push(entry);
    return entry;
  }
  clearTimeout(handle: unknown): void {
    this.pending = this.pending.filter((p) => p !== handle);
  }
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.pending.filter((p) => p.at <= this.t);
    this.pending = this.pending.filter((p) => p.at > this.t);
    for (const p of due) p.fn();
  }
}

/** A Link process run in this process: the driver on a virtual session. */
class InProcessLink implements LinkProcessLike {
  readonly link: VirtualLink;
  readonly driver: LinkDriver;
  stopped = false;
  constructor(
    readonly setup: LinkHostSetup,
    onEvent: (e: LinkDriverEvent) => void,
    readonly fail: (e: LinkError) => void,
    now: () => number,
    private readonly startResult: LinkError | null,
  ) {
    this.link = new VirtualLink(now, setup.tempo, 1.5);
    this.driver = new LinkDriver(this.link, setup.follower, onEvent);
  }
  start(): Promise<LinkError | null> {
    return Promise.resolve(this.startResult);
  }
  publish(grid: BeatGrid | null): void {
    this.driver.publish(grid);
  }
  stop(): Promise<void> {
    this.stopped = true;
    return Promise.resolve();
  }
}

function rig(startResults: (LinkError | null)[] = []) {
  const timers = new ManualTimers();
  const reports: OutputReport[] = [];
  const reporter = new RateLimitedReporter((r) => reports.push(r), () => timers.t);
  const processes: InProcessLink[] = [];
  const follows: LinkConfig['follow'][] = [];
  const createProcess: LinkProcessFactory = (setup, onEvent, onFailure) => {
    const p = new InProcessLink(setup, onEvent, onFailure, () => timers.t, startResults.shift() ?? null);
    processes.push(p);
    return p;
  };
  const grid: BeatGrid = { at: 0, playing: true, position: 1, bpm: 126, barOffset: 1, uncertaintyMs: 1 };
  const output = new LinkOutput({
    reporter,
    timers,
    now: () => timers.t,
    gridFor: (follow, at) => {
      follows.push(follow);
      return { ...grid, at, position: 1 + (at * 126) / 60_000 };
    },
    createProcess,
  });
  return { timers, reports, processes, follows, output };
}

const config = (input: Record<string, unknown> = {}): LinkConfig => linkSchema.parse(input);

describe('the link: output', () => {
  it('follows the deck it is given, with the quantum and start/stop sync of the mapping', async () => {
    const { output, processes, follows, timers, reports } = rig();
    await output.apply(config({ follow: 2, quantum: 8, startStopSync: true }));
    await flush();
    expect(processes).toHaveLength(1);
    const p = processes[0] as InProcessLink;
    expect(p.setup.follower).toMatchObject({ quantum: 8, startStopSync: true });
    timers.t = 1000;
    output.publish();
    expect(follows.at(-1)).toBe(2);
    p.driver.tick();
    expect(p.link.tempo).toBe(126);
    expect(p.link.playSets).toEqual([true]);
    expect(reports.map((r) => r.message)).toContain('Ableton Link: joined, following deck 2 (quantum 8)');
  });

  it('says once, in one sentence, that the module is missing, and does not retry', async () => {
    const unavailable = (): LinkError => new LinkError('link-unavailable', 'Ableton Link needs the optional module "abletonlink", which is not installed: …');
    const { output, processes, timers, reports } = rig([unavailable(), unavailable()]);
    await output.apply(config());
    await flush();
    timers.advance(60_000);
    await output.apply(config({ quantum: 2 })); // a reload with other settings tries again, silently
    await flush();
    timers.advance(60_000);
    expect(processes).toHaveLength(2);
    expect(reports.filter((r) => r.code === 'link-unavailable')).toEqual([
      { level: 'error', target: 'link', code: 'link-unavailable', message: expect.stringContaining('not installed'), suppressed: 0 },
    ]);
    expect(processes.every((p) => p.stopped)).toBe(true);
  });

  it('reports a failed session process and starts it again 5 s later', async () => {
    const { output, processes, timers, reports } = rig([new LinkError('link-failed', 'The Ableton Link process ended before the session started.', 'exit 1')]);
    await output.apply(config());
    await flush();
    expect(reports.find((r) => r.code === 'link-failed')?.message).toBe('The Ableton Link process ended before the session started. (exit 1) It is started again in 5 s.');
    timers.advance(4999);
    expect(processes).toHaveLength(1);
    timers.advance(1);
    await flush();
    expect(processes).toHaveLength(2);
    // Mid-show, the process dies: reported and restarted.
    (processes[1] as InProcessLink).fail(new LinkError('link-failed', 'The Ableton Link process ended unexpectedly.', 'SIGSEGV'));
    timers.advance(5000);
    await flush();
    expect(processes).toHaveLength(3);
  });

  it('keeps the session through a reload with the same settings, restarts it on new ones, ends it without link:', async () => {
    const { output, processes } = rig();
    await output.apply(config({ follow: 'master' }));
    await output.apply(config({ follow: 'master' }));
    expect(processes).toHaveLength(1);
    await output.apply(config({ follow: 1 }));
    expect(processes).toHaveLength(2);
    expect((processes[0] as InProcessLink).stopped).toBe(true);
    await output.apply(null);
    expect((processes[1] as InProcessLink).stopped).toBe(true);
  });

  it('reports peers, re-aligns and tempos taken back from peers', async () => {
    const { output, processes, timers, reports } = rig();
    await output.apply(config());
    await flush();
    const p = processes[0] as InProcessLink;
    timers.t = 100;
    output.publish();
    p.link.peers = 1;
    p.driver.tick();
    p.link.peerSetsTempo(131);
    timers.t = 120;
    p.driver.tick();
    const messages = reports.map((r) => r.message);
    expect(messages).toContain('Ableton Link: 1 peer in the session');
    expect(messages.some((m) => m.startsWith('Ableton Link: beat phase re-aligned to the deck'))).toBe(true);
    expect(messages).toContain("Ableton Link: a peer set 131.00 BPM; set back to the deck's 126.00 BPM (the DJ leads the session)");
  });
});

describe('the link: output status, as the monitor shows it', () => {
  it('says joined with the tempo handed over, retrying after a failure, and nothing without a session', async () => {
    const { output, processes, timers } = rig([null, new LinkError('link-failed', 'The Ableton Link process ended before the session started.', 'exit 1')]);
    expect(output.status()).toBeNull();
    await output.apply(config({ follow: 2 }));
    await flush();
    timers.t = 1000;
    output.publish();
    expect(output.status()).toEqual({ follow: 2, state: 'joined', peers: null, tempo: 126 });
    (processes[0] as InProcessLink).fail(new LinkError('link-failed', 'The Ableton Link process ended.', null));
    expect(output.status()).toMatchObject({ state: 'retrying' });
    await output.apply(null);
    expect(output.status()).toBeNull();
  });
});
