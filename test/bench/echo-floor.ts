/**
 * The floor for the wire latency of a bridge in a process of its own: the
 * same pacing of datagrams of a status packet's size to a Node.js process
 * that only echoes them (udp-echo.ts), timed on lo with kernel timestamps as
 * the bridge's status-to-OSC latency is (mapping-wire.ts), from the datagram
 * reaching the echo's socket to the echo leaving it. The loopback hop
 * (measureUdpFloor) never sleeps between datagrams; a process of its own
 * does, and this is the price of waking it, paid before any of its code runs.
 */
import * as dgram from 'node:dgram';
import * as path from 'node:path';
import { fork } from 'node:child_process';
import { pace } from './mapping-loopback';
import { startLoCapture } from './mapping-wire';
import type { EchoParentMessage, EchoReady } from './udp-echo';

const LOOPBACK = '127.0.0.1';
const DRAIN_MS = 300;
const READY_TIMEOUT_MS = 5000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** A UDP socket bound to a free port on 127.0.0.1. */
export function boundSocket(): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => {
      socket.off('error', reject);
      resolve(socket);
    });
  });
}

export const closeSocket = (socket: dgram.Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));

/**
 * Datagram in to echo out on lo (ns) for the `count` datagrams after
 * `warmup`, each `bytes` long, `rate` a second; a string says why there are
 * none (the capture needs Linux, root and python3).
 */
export async function measureEchoWire(warmup: number, count: number, rate: number, bytes: number): Promise<number[] | string> {
  const child = fork(path.join(__dirname, 'udp-echo.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const tell = (message: EchoParentMessage): void => {
    child.send(message);
  };
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = await new Promise<EchoReady | string>((resolve) => {
    const timer = setTimeout(() => resolve(`the echo process did not start in ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    child.once('message', (message: EchoReady) => {
      clearTimeout(timer);
      resolve(message);
    });
    child.once('exit', (code) => resolve(`the echo process ended (${String(code)})`));
  });
  if (typeof ready === 'string') {
    child.kill();
    return ready;
  }
  const replies = await boundSocket();
  const replyPort = replies.address().port;
  tell({ kind: 'reply', replyPort });
  const sender = await boundSocket();
  await new Promise<void>((resolve) => sender.connect(ready.port, LOOPBACK, () => resolve()));
  const capture = await startLoCapture([String(ready.port), String(replyPort)]);
  if (typeof capture !== 'string') {
    await pace(warmup + count, rate, (n) => {
      const data = Buffer.alloc(bytes);
      data.writeUInt32BE(n, 0);
      sender.send(data);
    });
    await sleep(DRAIN_MS);
  }
  const datagrams = typeof capture === 'string' ? [] : await capture.stop();
  tell({ kind: 'stop' });
  await exited;
  await closeSocket(sender);
  await closeSocket(replies);
  if (typeof capture === 'string') return capture;
  const arrived = new Map<number, bigint>();
  const latencies: number[] = [];
  for (const d of datagrams) {
    if (d.payload.length < 4) continue;
    const n = d.payload.readUInt32BE(0);
    if (d.port === ready.port) arrived.set(n, d.at);
    else if (d.port === replyPort && n >= warmup) {
      const at = arrived.get(n);
      if (at !== undefined) latencies.push(Number(d.at - at));
    }
  }
  return latencies;
}
