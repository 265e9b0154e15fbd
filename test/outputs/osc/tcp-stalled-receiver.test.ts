/**
 * A TCP OSC receiver (SLIP framed as QLab, decoded by the real `osc` package)
 * that stops reading while the target keeps sending: large messages fill the
 * operating system's socket buffers within a second or so. What the target
 * hands to the socket is recorded on the real socket's write.
 *
 * What the receiver's own operating system accepted before it stopped
 * reading is delivered when it reads again, late; no sender can call those
 * bytes back. Everything else is asserted here: the target never hands over
 * a message older than its deadline, throws away (by resetting the
 * connection) what its own operating system still held, counts and reports
 * what it dropped, stays within its queue bounds, and delivers again as soon
 * as the receiver reads.
 */
import * as net from 'node:net';
import * as osc from 'osc';
import { OscTcpTarget } from '../../../src/outputs/osc/osc-tcp-target';
import { RateLimitedReporter, realTimers, type OutputReport, type Timers } from '../../../src/outputs/reporter';
import { startStallingReceiver } from '../../bench/stalled-target-receiver';
import { slipFrames } from '../../support/osc-decode';
import { until } from '../../support/until';

const DEADLINE_MS = 300;
const FILLER = 'x'.repeat(8 * 1024);
/** Queue bounds far above what the deadline lets wait, so the deadline is what is tested. */
const MAX_QUEUE_LENGTH = 5000;
const MAX_QUEUE_BYTES = 64 << 20;
/** Messages produced per tick, and the tick (ms). */
const PER_TICK = 2;
const TICK_MS = 4;

/** Conditions here may take the whole stall to come true. */
const UNTIL_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

interface Written {
  readonly connection: number;
  readonly at: number;
  readonly seq: number;
  readonly producedAt: number;
}

/** Opens real connections and records every message written to them (decoded with the osc package). */
function recordingConnect(now: () => number, written: Written[]): (host: string, port: number) => net.Socket {
  let connections = 0;
  return (host, port) => {
    const socket = net.connect({ host, port });
    const connection = ++connections;
    const write = socket.write;
    socket.write = ((...args: unknown[]): boolean => {
      const at = now();
      const chunk = args[0];
      if (Buffer.isBuffer(chunk)) {
        for (const frame of slipFrames(chunk).frames) {
          const packet = osc.readPacket(frame, { metadata: true });
          const [seq, producedAt] = packet.args.map((a) => Number(a.value));
          if (packet.address === '/cue/go') written.push({ connection, at, seq: seq ?? NaN, producedAt: producedAt ?? NaN });
        }
      }
      return Reflect.apply(write, socket, args) as boolean;
    }) as typeof socket.write;
    return socket;
  };
}

describe('OSC over TCP: a receiver that stops reading', () => {
  it('never hands over a message past its deadline, resets the stalled connection, reports drops, and delivers again when the receiver reads', async () => {
    // The target's clock: real time, read once per millisecond tick, so that a message's
    // deadline check and its write (one synchronous step) see the same time, however
    // long the machine takes over that step.
    const base = Date.now();
    let clock = 0;
    const ticking = setInterval(() => (clock = Date.now() - base), 1);
    const now = (): number => clock;
    const timers: Timers = { setTimeout: realTimers.setTimeout, clearTimeout: realTimers.clearTimeout, now };
    const receiver = await startStallingReceiver(now);
    const written: Written[] = [];
    let reportNow = 0;
    const reports: OutputReport[] = [];
    const reporter = new RateLimitedReporter((r) => reports.push(r), () => reportNow);
    const target = new OscTcpTarget({
      name: 'qlab',
      host: '127.0.0.1',
      port: receiver.port,
      reporter,
      deadlineMs: DEADLINE_MS,
      maxQueueLength: MAX_QUEUE_LENGTH,
      maxQueueBytes: MAX_QUEUE_BYTES,
      initialBackoffMs: 50,
      timers,
      connect: recordingConnect(now, written),
    });

    let seq = 0;
    let mostWaiting = 0;
    const produce = setInterval(() => {
      for (let i = 0; i < PER_TICK; i++) {
        seq++;
        target.send({ address: '/cue/go', args: [{ type: 'int', value: seq }, { type: 'int', value: now() }, { type: 'string', value: FILLER }] });
      }
      mostWaiting = Math.max(mostWaiting, target.status().waiting);
    }, TICK_MS);
    try {
      await until(() => receiver.arrivals.length > 20, UNTIL_MS);
      receiver.stop();
      await until(() => reports.some((r) => r.code === 'stalled'), UNTIL_MS);
      const stalled = reports.find((r) => r.code === 'stalled');
      expect(stalled?.message).toMatch(/^127\.0\.0\.1:\d+ has not taken data for more than 300 ms; the connection is reset/);
      await sleep(500);
      receiver.resume();
      clearInterval(produce);
      await until(() => target.status().state === 'connected' && target.status().waiting === 0, UNTIL_MS);
      const firstAfter = seq + 1;
      for (let i = 0; i < 20; i++) {
        seq++;
        target.send({ address: '/cue/go', args: [{ type: 'int', value: seq }, { type: 'int', value: now() }] });
      }
      const lastSeq = seq;
      await until(() => receiver.arrivals.some((a) => a.seq === lastSeq), UNTIL_MS);

      // 1. Nothing was handed to a socket later than its deadline.
      const lateWrites = written.filter((w) => w.at - w.producedAt > DEADLINE_MS);
      expect(lateWrites).toEqual([]);

      // 2. The connection that stopped reading was reset: most of what was written to it
      //    (held by the sending operating system) was thrown away, not delivered late.
      const writtenToFirst = written.filter((w) => w.connection === 1).length;
      const arrivedOnFirst = receiver.arrivals.filter((a) => a.connection === 1).length;
      expect(receiver.connections).toBeGreaterThanOrEqual(2);
      expect(arrivedOnFirst).toBeLessThan(writtenToFirst / 2);

      // 3. Drops were counted and reported once per interval, then with the total.
      const status = target.status();
      expect(status.dropped).toBeGreaterThan(0);
      expect(reports.filter((r) => r.code === 'dropped')).toHaveLength(1);
      reportNow = 5000;
      reporter.flush();
      const summary = reports.filter((r) => r.code === 'dropped').at(-1);
      expect(summary?.suppressed).toBeGreaterThan(0);
      expect(summary?.message).toMatch(new RegExp(`; ${status.dropped} dropped in all$`));

      // 4. Memory stayed bounded by the deadline: no more waited than one deadline's worth of messages.
      expect(mostWaiting).toBeGreaterThan(0);
      expect(mostWaiting).toBeLessThanOrEqual(PER_TICK * (DEADLINE_MS / TICK_MS + 1) + 1);

      // 5. Once the receiver reads again, messages flow: all sent afterwards arrived, in order.
      expect(receiver.arrivals.filter((a) => a.seq >= firstAfter).map((a) => a.seq)).toEqual(Array.from({ length: lastSeq - firstAfter + 1 }, (_, i) => firstAfter + i));
    } finally {
      clearInterval(produce);
      clearInterval(ticking);
      await target.close();
      await receiver.close();
    }
  });
});
