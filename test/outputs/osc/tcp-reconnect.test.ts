/**
 * Reconnection over TCP against real listeners on 127.0.0.1, with the
 * target's timers in virtual time: the waits it asks for are read exactly,
 * and the clock moves only when a test runs a timer.
 */
import * as net from 'node:net';
import { OscTcpTarget } from '../../../src/outputs/osc/osc-tcp-target';
import { Backoff } from '../../../src/outputs/osc/backoff';
import { RateLimitedReporter, type OutputReport, type Timers } from '../../../src/outputs/reporter';
import { until } from '../../support/until';

class VirtualTimers implements Timers {
  time = 0;
  private nextId = 1;
  private readonly pending = new Map<number, { at: number; ms: number; fn: () => void }>();

  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.pending.set(id, { at: this.time + ms, ms, fn });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  now(): number {
    return this.time;
  }

  /** The waits asked for and not yet run. */
  waits(): number[] {
    return [...this.pending.values()].map((p) => p.ms);
  }

  /** Runs the timer that asked for `ms` (moving the clock to its time); returns false when there is none. */
  run(ms: number): boolean {
    for (const [id, timer] of this.pending) {
      if (timer.ms !== ms) continue;
      this.pending.delete(id);
      this.time = Math.max(this.time, timer.at);
      timer.fn();
      return true;
    }
    return false;
  }
}


interface Listener {
  readonly port: number;
  readonly connections: number;
  /** Keep connections instead of closing them at once. */
  keep: boolean;
  /** Keep them but never read (a frozen application). */
  frozen: boolean;
  dropAll(): void;
  close(): Promise<void>;
}

/** A listener that, like a crashed application's port, accepts and closes at once (or, when told, keeps the connection). */
async function listener(): Promise<Listener> {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0, keep: false, frozen: false };
  const server = net.createServer((socket) => {
    state.connections++;
    socket.on('error', () => undefined);
    if (!state.keep) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    if (state.frozen) socket.pause();
    else socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    get keep() {
      return state.keep;
    },
    set keep(value: boolean) {
      state.keep = value;
    },
    get frozen() {
      return state.frozen;
    },
    set frozen(value: boolean) {
      state.frozen = value;
    },
    dropAll: () => sockets.forEach((s) => s.destroy()),
    close: () =>
      new Promise<void>((resolve) => {
        sockets.forEach((s) => s.destroy());
        server.close(() => resolve());
      }),
  };
}

const INITIAL = 20;
const MAX = 160;
const HEALTHY = 5000;

describe('Backoff', () => {
  it('doubles up to the cap and starts over only when reset', () => {
    const backoff = new Backoff(250, 10_000);
    expect(Array.from({ length: 8 }, () => backoff.next())).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000]);
    expect(backoff.peek()).toBe(10_000);
    backoff.reset();
    expect(backoff.next()).toBe(250);
  });
});

describe('OSC over TCP: a port that accepts and closes at once', () => {
  it('backs off more and more (capped), warns once per interval with a count, and starts over only after a healthy connection', async () => {
    const peer = await listener();
    const timers = new VirtualTimers();
    const reports: OutputReport[] = [];
    const reporter = new RateLimitedReporter((r) => reports.push(r), () => timers.now());
    const target = new OscTcpTarget({ name: 'qlab', host: '127.0.0.1', port: peer.port, reporter, timers, initialBackoffMs: INITIAL, maxBackoffMs: MAX, healthyAfterMs: HEALTHY });
    const retryWait = async (): Promise<number> => {
      await until(() => target.status().state === 'disconnected' && timers.waits().length === 1);
      return timers.waits()[0] ?? NaN;
    };
    try {
      const waits: number[] = [];
      for (let attempt = 0; attempt < 7; attempt++) {
        const wait = await retryWait();
        waits.push(wait);
        timers.run(wait);
      }
      expect(waits).toEqual([20, 40, 80, 160, 160, 160, 160]);
      await retryWait();
      expect(peer.connections).toBe(8);

      // 780 ms of virtual time: one warning for the closing peer, one line for the reconnect.
      expect(reports.map((r) => r.code)).toEqual(['closed', 'connected']);
      expect(reports[0]?.message).toMatch(new RegExp(`^127\\.0\\.0\\.1:${peer.port} closed the connection after 0 ms; reconnecting in 20 ms$`));

      // Past the interval, the held-back warnings come out as one line with their count.
      timers.time += 5000;
      reporter.flush();
      const closed = reports.filter((r) => r.code === 'closed');
      expect(closed).toHaveLength(2);
      expect(closed[1]?.suppressed).toBe(6);

      // A connection that stays up for the healthy time resets the backoff.
      peer.keep = true;
      timers.run(MAX);
      await until(() => target.status().state === 'connected');
      expect(timers.waits()).toEqual([HEALTHY]);
      timers.run(HEALTHY);
      peer.dropAll();
      expect(await retryWait()).toBe(INITIAL);

      // One that closes before it does, does not.
      timers.run(INITIAL);
      await until(() => target.status().state === 'connected');
      peer.dropAll();
      expect(await retryWait()).toBe(2 * INITIAL);
    } finally {
      await target.close();
      await peer.close();
    }
  });

  it('counts and reports messages dropped while there is no connection, rate-limited', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = net.createServer();
      probe.listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    const timers = new VirtualTimers();
    const reports: OutputReport[] = [];
    const reporter = new RateLimitedReporter((r) => reports.push(r), () => timers.now());
    const target = new OscTcpTarget({ name: 'qlab', host: '127.0.0.1', port: closedPort, reporter, timers, deadlineMs: 1000, maxQueueLength: 3 });
    try {
      await until(() => target.status().state === 'disconnected');
      expect(reports.map((r) => r.code)).toEqual(['unreachable']);
      expect(reports[0]?.message).toMatch(/over TCP: connect ECONNREFUSED .*; retrying in 250 ms$/);

      for (let i = 1; i <= 5; i++) target.send({ address: `/cue/${i}/go`, args: [] }); // two pushed out of the full queue
      expect(target.status()).toMatchObject({ dropped: 2, waiting: 3 });
      expect(reports.at(-1)).toMatchObject({
        code: 'dropped',
        message: `1 message(s) dropped: not sent within the 1000 ms deadline (no connection to 127.0.0.1:${closedPort}); 1 dropped in all`,
      });

      timers.time += 1500;
      target.send({ address: '/cue/6/go', args: [] }); // the three waiting are past the deadline
      expect(target.status()).toMatchObject({ dropped: 5, waiting: 1 });
      expect(reports.filter((r) => r.code === 'dropped')).toHaveLength(1);

      timers.time += 5000;
      reporter.flush();
      expect(reports.at(-1)).toMatchObject({ code: 'dropped', suppressed: 1 });
      expect(reports.at(-1)?.message).toMatch(/^3 message\(s\) dropped: .*; 5 dropped in all$/);
    } finally {
      await target.close();
    }
  });

  it('does not count a connection whose receiver stops reading as healthy', async () => {
    const peer = await listener();
    peer.keep = true;
    peer.frozen = true;
    const timers = new VirtualTimers();
    const reports: OutputReport[] = [];
    const sockets: net.Socket[] = [];
    const target = new OscTcpTarget({
      name: 'qlab',
      host: '127.0.0.1',
      port: peer.port,
      reporter: new RateLimitedReporter((r) => reports.push(r), () => timers.now()),
      timers,
      initialBackoffMs: INITIAL,
      maxBackoffMs: MAX,
      healthyAfterMs: HEALTHY,
      deadlineMs: 1000,
      connect: (host, port) => {
        const socket = net.connect({ host, port });
        sockets.push(socket);
        return socket;
      },
    });
    const filler = 'x'.repeat(8192);
    /** Sends until the operating system stops taking data (the socket holds unsent bytes). */
    const fill = async (socket: net.Socket): Promise<void> => {
      for (let i = 0; socket.writableLength === 0; i++) {
        if (i > 20_000) throw new Error('the operating system never pushed back');
        target.send({ address: '/cue/go', args: [{ type: 'string', value: filler }] });
        if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      }
    };
    try {
      const waits: number[] = [];
      for (let cycle = 0; cycle < 2; cycle++) {
        await until(() => target.status().state === 'connected');
        await fill(sockets.at(-1) as net.Socket);
        expect(timers.waits().sort((a, b) => a - b)).toEqual([1000, HEALTHY]); // the stall watch and the health check
        timers.run(HEALTHY); // up for the healthy time, but the operating system is not taking data: not healthy
        expect(timers.waits().sort((a, b) => a - b)).toEqual([1000, HEALTHY]);
        timers.run(1000); // the stall: the connection is reset
        await until(() => target.status().state === 'disconnected' && timers.waits().length === 1);
        const wait = timers.waits()[0] ?? NaN;
        waits.push(wait);
        timers.run(wait);
      }
      expect(waits).toEqual([INITIAL, 2 * INITIAL]);
      expect(reports.filter((r) => r.code === 'stalled')).toHaveLength(2); // 6 s apart in virtual time
    } finally {
      await target.close();
      await peer.close();
    }
  });
});
