/**
 * The heartbeat of an OSC-over-TCP target against a real receiver on
 * 127.0.0.1 speaking SLIP-framed OSC through the real `osc` package, as QLab
 * does: it answers /thump with /reply/thump (and a JSON string, as QLab's
 * replies carry). Then it freezes like a hung application whose computer
 * still accepts the data: the connection stays open and everything that
 * arrives is read into a backlog that nothing handles, until it wakes and
 * handles the backlog, late.
 *
 * What is asserted: once the answers are older than `stale`, no cue is
 * written to the frozen receiver (so none can fire late from its backlog);
 * the cues are dropped, counted and reported with one warning; when the
 * answers come back, one info line gives the count and cues flow again on
 * time. Real time, short durations: a heartbeat every 50 ms, stale after
 * 150 ms.
 */
import * as net from 'node:net';
import * as osc from 'osc';
import { OscTcpTarget } from '../../../src/outputs/osc/osc-tcp-target';
import type { OscHeartbeatOptions } from '../../../src/outputs/osc/heartbeat';
import { RateLimitedReporter, realTimers, type OutputReport } from '../../../src/outputs/reporter';
import { until } from '../../support/until';

const HEARTBEAT: OscHeartbeatOptions = { address: '/thump', reply: '/reply/thump', everyMs: 50, staleMs: 150 };
/** Slack for the event loop of a busy test machine. */
const SLACK_MS = 100;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Arrival {
  readonly address: string;
  readonly seq: number;
  readonly producedAt: number;
  readonly handledAt: number;
  /** Read while frozen and handled only when the receiver woke. */
  readonly late: boolean;
}

interface FakeQLab {
  readonly port: number;
  /** Cues and heartbeats the receiving application handled. */
  readonly handled: Arrival[];
  /** What the receiver read while frozen and has not handled yet. */
  readonly backlog: osc.OscMessagePacket[];
  readonly connections: number;
  freeze(): void;
  /** Handles the backlog (answering the heartbeats in it), then everything as it comes. */
  wake(): void;
  close(): Promise<void>;
}

function intArg(packet: osc.OscMessagePacket, index: number): number {
  const value = packet.args[index]?.value;
  return typeof value === 'number' ? value : NaN;
}

async function fakeQLab(options: { readonly answers: boolean }): Promise<FakeQLab> {
  const handled: Arrival[] = [];
  const backlog: osc.OscMessagePacket[] = [];
  const sockets = new Set<net.Socket>();
  const ports: osc.TCPSocketPort[] = [];
  let frozen = false;
  let connections = 0;
  const handle = (port: osc.TCPSocketPort, packet: osc.OscMessagePacket, late: boolean): void => {
    handled.push({ address: packet.address, seq: intArg(packet, 0), producedAt: intArg(packet, 1), handledAt: Date.now(), late });
    if (packet.address === '/thump' && options.answers) {
      port.send({ address: '/reply/thump', args: [{ type: 's', value: '{"address":"/thump","status":"ok","data":"thump"}' }] });
    }
  };
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    const port = new osc.TCPSocketPort({ socket, metadata: true });
    ports.push(port);
    port.on('error', () => undefined);
    // The socket keeps being read while frozen, as a hung application's operating system keeps accepting.
    port.on('message', (packet: osc.OscMessagePacket) => {
      if (frozen) backlog.push(packet);
      else handle(port, packet, false);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    port: (server.address() as net.AddressInfo).port,
    handled,
    backlog,
    get connections() {
      return connections;
    },
    freeze: () => {
      frozen = true;
    },
    wake: () => {
      frozen = false;
      const port = ports.at(-1);
      for (const packet of backlog.splice(0)) if (port !== undefined) handle(port, packet, true);
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}

interface Recorded extends OutputReport {
  readonly at: number;
}

function target(port: number, reports: Recorded[], heartbeat: OscHeartbeatOptions | null): OscTcpTarget {
  // The reporter's clock stands still: one line per problem, what repeats is held back.
  const reporter = new RateLimitedReporter((r) => reports.push({ ...r, at: Date.now() }), () => 0);
  return new OscTcpTarget({ name: 'qlab', host: '127.0.0.1', port, reporter, heartbeat, timers: realTimers, initialBackoffMs: 50 });
}

const cues = (list: readonly Arrival[]): Arrival[] => list.filter((a) => a.address === '/cue/go');

describe('OSC over TCP with a heartbeat', () => {
  it('drops the cues of a receiver that stopped answering instead of writing them into its backlog, and reports the count when it answers again', async () => {
    const receiver = await fakeQLab({ answers: true });
    const reports: Recorded[] = [];
    const qlab = target(receiver.port, reports, HEARTBEAT);
    let seq = 0;
    const produced = new Map<number, number>();
    const cue = (): void => {
      seq++;
      const now = Date.now();
      produced.set(seq, now);
      qlab.send({ address: '/cue/go', args: [{ type: 'int', value: seq }, { type: 'int', value: now % 1_000_000_000 }] });
    };
    let producing = setInterval(cue, 10);
    try {
      // Answering: cues flow.
      await until(() => cues(receiver.handled).length >= 10);
      expect(qlab.status().state).toBe('connected');
      expect(receiver.handled.filter((a) => a.address === '/thump').length).toBeGreaterThan(0);

      // Frozen: the warning comes within `stale` of the last answer.
      const frozenAt = Date.now();
      receiver.freeze();
      await until(() => reports.some((r) => r.code === 'not-answering'));
      const warning = reports.find((r) => r.code === 'not-answering')!;
      expect(warning.level).toBe('warn');
      expect(warning.message).toBe(
        `127.0.0.1:${receiver.port} has not answered /thump for more than 150 ms; its messages are dropped, not left to fire late, until it answers again`,
      );
      expect(warning.at - frozenAt).toBeLessThanOrEqual(HEARTBEAT.staleMs + SLACK_MS);
      await sleep(400);
      expect(qlab.status().state).toBe('not-answering');
      const droppedWhileFrozen = qlab.status().dropped;
      expect(droppedWhileFrozen).toBeGreaterThanOrEqual(20);

      // Nothing produced after the warning was written: the backlog holds only what left before it.
      const inBacklog = receiver.backlog.filter((p) => p.address === '/cue/go').map((p) => intArg(p, 0));
      const writtenAfterWarning = inBacklog.filter((s) => (produced.get(s) ?? 0) > warning.at);
      expect(writtenAfterWarning).toEqual([]);
      expect(inBacklog.every((s) => (produced.get(s) ?? Infinity) - frozenAt <= HEARTBEAT.staleMs + SLACK_MS)).toBe(true);
      // One warning for the whole freeze; the drops are counted, their lines held back.
      expect(reports.filter((r) => r.code === 'not-answering' && r.suppressed === 0)).toHaveLength(1);

      // Awake: one info line with the count, then cues flow on time again.
      receiver.wake();
      await until(() => reports.some((r) => r.code === 'answering'));
      clearInterval(producing);
      const back = reports.filter((r) => r.code === 'answering');
      expect(back).toHaveLength(1);
      expect(back[0]?.level).toBe('info');
      const droppedInAll = qlab.status().dropped;
      expect(back[0]?.message).toMatch(
        new RegExp(`^127\\.0\\.0\\.1:${receiver.port} answers /thump again after \\d+ ms without an answer; ${droppedInAll} message\\(s\\) were dropped meanwhile rather than written \\(what was written before the silence was noticed may still arrive late\\)$`),
      );
      expect(qlab.status()).toEqual(expect.objectContaining({ state: 'connected', lastError: null }));
      const firstAfter = seq + 1;
      producing = setInterval(cue, 10);
      await until(() => cues(receiver.handled).some((a) => a.seq >= firstAfter + 10));
      clearInterval(producing);
      const lastSeq = seq;
      await until(() => cues(receiver.handled).some((a) => a.seq === lastSeq));
      const after = cues(receiver.handled).filter((a) => a.seq >= firstAfter);
      expect(after.map((a) => a.seq)).toEqual(Array.from({ length: lastSeq - firstAfter + 1 }, (_, i) => firstAfter + i));
      expect(after.every((a) => !a.late && a.handledAt - (produced.get(a.seq) ?? 0) < SLACK_MS)).toBe(true);

      // Every cue either reached the receiver or was counted as dropped; none twice, and the drops all fell in the freeze.
      const reached = new Set(cues(receiver.handled).map((a) => a.seq));
      const missing = [...produced.keys()].filter((s) => !reached.has(s));
      expect(missing).toHaveLength(qlab.status().dropped);
      expect(missing.every((s) => (produced.get(s) ?? 0) >= frozenAt)).toBe(true);
      expect(receiver.connections).toBe(1);
    } finally {
      clearInterval(producing);
      await qlab.close();
      await receiver.close();
    }
  });

  it('never writes a cue to a receiver that accepts the connection but never answers', async () => {
    const receiver = await fakeQLab({ answers: false });
    const reports: Recorded[] = [];
    const qlab = target(receiver.port, reports, HEARTBEAT);
    try {
      await until(() => receiver.handled.some((a) => a.address === '/thump'));
      for (let i = 1; i <= 3; i++) qlab.send({ address: '/cue/go', args: [{ type: 'int', value: i }] });
      expect(qlab.status()).toEqual(expect.objectContaining({ state: 'connected', waiting: 3, dropped: 0 }));
      await until(() => qlab.status().state === 'not-answering');
      for (let i = 4; i <= 5; i++) qlab.send({ address: '/cue/go', args: [{ type: 'int', value: i }] });
      await sleep(4 * HEARTBEAT.everyMs);
      expect(qlab.status()).toEqual(expect.objectContaining({ state: 'not-answering', sent: 0, waiting: 0, dropped: 5 }));
      expect(cues(receiver.handled)).toEqual([]);
      expect(receiver.handled.filter((a) => a.address === '/thump').length).toBeGreaterThanOrEqual(3);
      expect(reports.filter((r) => r.code === 'not-answering' && r.suppressed === 0).map((r) => r.message)).toEqual([
        `127.0.0.1:${receiver.port} has not answered /thump for more than 150 ms; its messages are dropped, not left to fire late, until it answers again`,
      ]);
    } finally {
      await qlab.close();
      await receiver.close();
    }
  });

  it('without a heartbeat, sends nothing of its own and writes cues to a receiver that never answers, as before', async () => {
    const receiver = await fakeQLab({ answers: false });
    const reports: Recorded[] = [];
    const qlab = target(receiver.port, reports, null);
    try {
      for (let i = 1; i <= 3; i++) qlab.send({ address: '/cue/go', args: [{ type: 'int', value: i }] });
      await until(() => cues(receiver.handled).length === 3);
      await sleep(4 * HEARTBEAT.staleMs);
      expect(receiver.handled.map((a) => a.address)).toEqual(['/cue/go', '/cue/go', '/cue/go']);
      expect(qlab.status()).toEqual(expect.objectContaining({ state: 'connected', sent: 3, dropped: 0 }));
      expect(reports).toEqual([]);
    } finally {
      await qlab.close();
      await receiver.close();
    }
  });
});
