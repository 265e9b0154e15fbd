/**
 * What the web dashboard costs the bridge: the CPU of a bridge process
 * (`node dist/cli.js run --simulate --dashboard <port>`, the built-in
 * simulator in the same process) over PHASE_S seconds with 0, 1 and 5
 * connected feed clients, then 0 again, read from /proc/<pid>/stat. The
 * clients are plain `ws` clients that read everything (as a page does).
 *
 *   npm run bench:dashboard
 */
import { spawn, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import WebSocket from 'ws';

const ROOT = path.resolve(__dirname, '../../../..');
const PHASE_S = Number(process.env['PHASE_S'] ?? 15);
const WARM_S = 6;
const TICKS_PER_S = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

function cpuTicks(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(rest[11]) + Number(rest[12]);
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return typeof address === 'object' && address !== null ? address.port : 0;
}

interface Reader {
  readonly socket: WebSocket;
  messages: number;
  bytes: number;
}

function connect(port: number): Promise<Reader> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/feed`);
    const reader: Reader = { socket, messages: 0, bytes: 0 };
    socket.on('message', (data: Buffer) => {
      reader.messages++;
      reader.bytes += data.length;
    });
    socket.once('open', () => resolve(reader));
    socket.once('error', reject);
  });
}

const sleep = (s: number): Promise<void> => new Promise((r) => setTimeout(r, s * 1000));

async function phase(pid: number, label: string, readers: readonly Reader[]): Promise<{ label: string; percent: number }> {
  for (const r of readers) {
    r.messages = 0;
    r.bytes = 0;
  }
  const t0 = cpuTicks(pid);
  const started = process.hrtime.bigint();
  await sleep(PHASE_S);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const percent = ((cpuTicks(pid) - t0) / TICKS_PER_S / seconds) * 100;
  const per = readers.length === 0 ? '' : `; per client ${(readers.reduce((n, r) => n + r.messages, 0) / readers.length / seconds).toFixed(1)} messages/s, ${(readers.reduce((n, r) => n + r.bytes, 0) / readers.length / seconds / 1024).toFixed(1)} KiB/s`;
  console.log(`${label.padEnd(12)} ${percent.toFixed(2)} % of one core${per}`);
  return { label, percent };
}

async function main(): Promise<void> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/cli.js', 'run', '--simulate', '--dashboard', String(port), '--no-monitor', '--log-level', 'error'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  const pid = child.pid;
  if (pid === undefined) throw new Error('the bridge did not start');
  try {
    await sleep(WARM_S);
    console.log(`bridge pid ${pid}, dashboard on 127.0.0.1:${port}, ${PHASE_S} s per phase, CPU from /proc/${pid}/stat`);
    const none = await phase(pid, '0 clients', []);
    const one = [await connect(port)];
    await sleep(1);
    const single = await phase(pid, '1 client', one);
    const five = [...one, ...(await Promise.all([1, 2, 3, 4].map(() => connect(port))))];
    await sleep(1);
    const many = await phase(pid, '5 clients', five);
    for (const r of five) r.socket.close();
    await sleep(1);
    const after = await phase(pid, '0 again', []);
    const base = (none.percent + after.percent) / 2;
    console.log(`added by 1 client: ${(single.percent - base).toFixed(2)} %, by 5 clients: ${(many.percent - base).toFixed(2)} % of one core (target: under 2 %)`);
  } finally {
    child.kill('SIGINT');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
