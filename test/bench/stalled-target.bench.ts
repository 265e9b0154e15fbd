/**
 * A TCP OSC target whose receiver stops reading, measured.
 *
 * The receiver (stalled-target-receiver.ts: SLIP decoded by the `osc`
 * package, as QLab) reads for a few seconds, stops reading for
 * BENCH_STALL_S seconds (20 by default) while the bridge's OscTcpTarget keeps
 * sending BENCH_RATE messages a second (300), then reads again. Each message
 * carries its sequence number and the time it was produced, so every arrival
 * can be checked against the deadline (BENCH_DEADLINE_MS, 1000).
 *
 * Three runs: realistic cues (a short address and two ints, ~40 bytes); the
 * same with a 4 KiB string argument, which fills the operating system's
 * socket buffers within seconds; and the cues again with the target's
 * heartbeat on (heartbeat.ts: /thump every BENCH_HEARTBEAT_EVERY_MS, 250,
 * an answer older than BENCH_HEARTBEAT_STALE_MS, 400, means not answering),
 * against a receiver that answers each /thump with /reply/thump on the same
 * connection while it reads and, frozen, neither reads nor answers while
 * its operating system still accepts data. Printed per run: messages produced,
 * delivered, delivered late and how late; dropped and how that was reported;
 * the sending process's RSS and heap growth over the stall (the receiver
 * runs in a child process, so what it buffers is not counted).
 *
 * "Late, produced before the first stalled report" counts messages the
 * operating systems had already taken (the receiver's receive buffer, the
 * sender's send buffer) when the target could first tell that nothing was
 * being read: TCP gives a sender no way to see or recall those. With cues at
 * a few hundred a second, those buffers can take a whole 20 s stall without
 * ever pushing back.
 *
 * The heartbeat run also prints the late messages produced before the first
 * "not-answering" report, and how far into the stall that report came: the
 * cues written in the staleMs (plus up to everyMs) it takes to notice the
 * silence sit in the receiver's buffer and arrive late; from the report on,
 * cues are dropped instead of written, until the receiver answers again.
 *
 *   npm run bench:targets     (BENCH_STALL_S, BENCH_RATE, BENCH_DEADLINE_MS, BENCH_RUNS=cues,large,heartbeat,
 *                              BENCH_HEARTBEAT_EVERY_MS, BENCH_HEARTBEAT_STALE_MS)
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { OscArgument } from '../../src/outputs/osc/osc-message';
import type { OscHeartbeatOptions } from '../../src/outputs/osc/heartbeat';
import { OscTcpTarget } from '../../src/outputs/osc/osc-tcp-target';
import { RateLimitedReporter, type OutputReport } from '../../src/outputs/reporter';
import { sharedClock, type AnsweredHeartbeat, type Arrival, type ReceiverCommand, type ReceiverReply } from './stalled-target-receiver';

const STALL_S = Number(process.env['BENCH_STALL_S'] ?? '20');
const RATE = Number(process.env['BENCH_RATE'] ?? '300');
const DEADLINE_MS = Number(process.env['BENCH_DEADLINE_MS'] ?? '1000');
const RUNS = (process.env['BENCH_RUNS'] ?? 'cues,large,heartbeat').split(',').map((r) => r.trim());
/** The heartbeat of the 'heartbeat' run, as QLab answers it. */
const HEARTBEAT: OscHeartbeatOptions = {
  address: '/thump',
  reply: '/reply/thump',
  everyMs: Number(process.env['BENCH_HEARTBEAT_EVERY_MS'] ?? '250'),
  staleMs: Number(process.env['BENCH_HEARTBEAT_STALE_MS'] ?? '400'),
};
const BEFORE_S = 3;
const AFTER_S = 5;
const DRAIN_S = 2;
const LARGE_BYTES = 4096;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const mib = (bytes: number): string => `${(bytes / (1 << 20)).toFixed(1)} MiB`;

/** The receiver in a child process, driven over IPC. */
class ChildReceiver {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
  ) {}

  static start(base: number, answer: AnsweredHeartbeat | null = null): Promise<ChildReceiver> {
    const args = answer === null ? [String(base)] : [String(base), JSON.stringify(answer)];
    const child = fork(path.join(__dirname, 'stalled-target-receiver.js'), args);
    return new Promise((resolve) => child.once('message', (reply: ReceiverReply) => resolve(new ChildReceiver(child, 'port' in reply ? reply.port : 0))));
  }

  command(command: Exclude<ReceiverCommand, 'report'>): void {
    this.child.send(command);
  }

  report(): Promise<{ arrivals: readonly Arrival[]; connections: number }> {
    return new Promise((resolve) => {
      this.child.once('message', (reply: ReceiverReply) => resolve('arrivals' in reply ? reply : { arrivals: [], connections: 0 }));
      this.child.send('report');
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.disconnect();
    });
  }
}

interface RunResult {
  readonly produced: number;
  readonly delivered: number;
  readonly late: number;
  readonly lateProducedBeforeStallReport: number;
  readonly maxLateMs: number;
  readonly dropped: number;
  readonly reconnects: number;
  readonly firstStallReportS: number | null;
  /** Heartbeat run only: late messages produced before the first 'not-answering' report in the stall. */
  readonly lateProducedBeforeSilentReport: number;
  /** Heartbeat run only: from the stall's start to the first 'not-answering' report. */
  readonly firstSilentReportS: number | null;
  /** Heartbeat run only: 'not-answering' reports before the stall began (none expected). */
  readonly silentReportsBeforeStall: number;
  readonly reportLines: number;
  readonly reportCodes: string;
  readonly maxWaiting: number;
  readonly rssGrowth: number;
  readonly heapGrowth: number;
  readonly heapRetained: number;
}

async function run(kind: string): Promise<RunResult> {
  const base = performance.timeOrigin + performance.now();
  const now = sharedClock(base);
  const heartbeat = kind === 'heartbeat' ? HEARTBEAT : null;
  const receiver = await ChildReceiver.start(base, heartbeat === null ? null : { address: heartbeat.address, reply: heartbeat.reply });
  const reports: { at: number; report: OutputReport }[] = [];
  const reporter = new RateLimitedReporter((report) => reports.push({ at: now(), report }));
  const flushing = setInterval(() => reporter.flush(), 1000);
  const target = new OscTcpTarget({
    name: 'qlab',
    host: '127.0.0.1',
    port: receiver.port,
    reporter,
    deadlineMs: DEADLINE_MS,
    ...(heartbeat === null ? {} : { heartbeat }),
  });
  const filler = kind === 'large' ? 'x'.repeat(LARGE_BYTES) : null;

  let seq = 0;
  const sendOne = (): void => {
    seq++;
    const args: OscArgument[] = [
      { type: 'int', value: seq },
      { type: 'int', value: now() },
    ];
    if (filler !== null) args.push({ type: 'string', value: filler });
    target.send({ address: `/cue/${seq % 500}/start`, args });
  };
  // Steady rate from a 10 ms tick: as many as are due by now.
  let due = 0;
  const ticker = setInterval(() => {
    due += (RATE * 10) / 1000;
    while (due >= 1) {
      sendOne();
      due--;
    }
  }, 10);

  await sleep(BEFORE_S * 1000);
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const heapBefore = process.memoryUsage().heapUsed;
  let rssMax = rssBefore;
  let heapMax = heapBefore;
  let maxWaiting = 0;
  const sampler = setInterval(() => {
    const usage = process.memoryUsage();
    rssMax = Math.max(rssMax, usage.rss);
    heapMax = Math.max(heapMax, usage.heapUsed);
    maxWaiting = Math.max(maxWaiting, target.status().waiting);
  }, 100);
  const stallAt = now();
  receiver.command('stop');
  await sleep(STALL_S * 1000);
  global.gc?.();
  const heapRetained = process.memoryUsage().heapUsed - heapBefore;
  receiver.command('resume');
  await sleep(AFTER_S * 1000);
  clearInterval(ticker);
  await sleep(DRAIN_S * 1000);
  clearInterval(sampler);
  clearInterval(flushing);
  reporter.flush();

  const firstStall = reports.find((r) => r.report.code === 'stalled')?.at ?? null;
  const firstSilent = reports.find((r) => r.report.code === 'not-answering' && r.at >= stallAt)?.at ?? null;
  const { arrivals, connections } = await receiver.report();
  const lateOnes = arrivals.filter((a) => a.arrivedAt - a.producedAt > DEADLINE_MS);
  const result: RunResult = {
    produced: seq,
    delivered: arrivals.length,
    late: lateOnes.length,
    lateProducedBeforeStallReport: firstStall === null ? lateOnes.length : lateOnes.filter((a) => a.producedAt < firstStall).length,
    maxLateMs: lateOnes.reduce((max, a) => Math.max(max, a.arrivedAt - a.producedAt), 0),
    dropped: target.status().dropped,
    reconnects: connections - 1,
    firstStallReportS: firstStall === null ? null : (firstStall - stallAt) / 1000,
    lateProducedBeforeSilentReport: firstSilent === null ? lateOnes.length : lateOnes.filter((a) => a.producedAt < firstSilent).length,
    firstSilentReportS: firstSilent === null ? null : (firstSilent - stallAt) / 1000,
    silentReportsBeforeStall: reports.filter((r) => r.report.code === 'not-answering' && r.at < stallAt).length,
    reportLines: reports.length,
    reportCodes: [...new Set(reports.map((r) => r.report.code))].join(', '),
    maxWaiting,
    rssGrowth: rssMax - rssBefore,
    heapGrowth: heapMax - heapBefore,
    heapRetained,
  };
  await target.close();
  await receiver.close();
  for (const { at, report } of reports) {
    console.log(`    ${(at / 1000).toFixed(1).padStart(5)} s  ${report.level} ${report.code}: ${report.message}${report.suppressed > 0 ? ` (+${report.suppressed} held back)` : ''}`);
  }
  return result;
}

async function main(): Promise<void> {
  console.log(`TCP OSC target, receiver stops reading for ${STALL_S} s; ${RATE} messages/s; deadline ${DEADLINE_MS} ms (node ${process.version}, ${process.platform})`);
  for (const kind of RUNS) {
    const title =
      kind === 'large'
        ? `messages with a ${LARGE_BYTES}-byte string`
        : kind === 'heartbeat'
          ? `cues (~40 bytes each), heartbeat ${HEARTBEAT.address} every ${HEARTBEAT.everyMs} ms, not answering after ${HEARTBEAT.staleMs} ms`
          : 'cues (~40 bytes each)';
    console.log(`\n  ${title}:`);
    const r = await run(kind);
    console.log(`  produced ${r.produced}, delivered ${r.delivered}, dropped ${r.dropped} (counted by the target), reconnections ${r.reconnects}`);
    console.log(`  delivered later than the deadline: ${r.late} (max ${r.maxLateMs} ms late); of those produced before the first "stalled" report: ${r.lateProducedBeforeStallReport}`);
    console.log(`  first "stalled" report: ${r.firstStallReportS === null ? 'none (the operating system never pushed back)' : `${r.firstStallReportS.toFixed(2)} s into the stall`}`);
    if (kind === 'heartbeat') {
      console.log(`  delivered late that were produced before the first "not-answering" report: ${r.lateProducedBeforeSilentReport}`);
      console.log(
        `  first "not-answering" report: ${r.firstSilentReportS === null ? 'none' : `${r.firstSilentReportS.toFixed(2)} s into the stall`}; "not-answering" reports before the stall: ${r.silentReportsBeforeStall}`,
      );
    }
    console.log(`  report lines: ${r.reportLines} (${r.reportCodes || 'none'})`);
    console.log(`  most messages waiting in the target: ${r.maxWaiting}`);
    console.log(`  memory growth over the stall: RSS ${mib(r.rssGrowth)} (peak), heap ${mib(r.heapGrowth)} (peak), ${mib(r.heapRetained)} (retained after GC)`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
