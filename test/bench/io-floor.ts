/**
 * The floor for the garbage collections of a bridge in a process of its own:
 * the same status datagrams at the same rate to a Node.js process that only
 * answers each with as many datagrams as the bridge sent OSC messages for it
 * (udp-io-floor.ts), with the same heap settings. Its collections are what
 * Node.js allocates for the datagrams in and out alone (a Buffer and its
 * event per datagram in; a request, an array and a closure per datagram
 * sent), which no code of the bridge can avoid.
 */
import * as path from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { boundSocket, closeSocket } from './echo-floor';
import { pace } from './mapping-loopback';
import type { IoFloorChildMessage, IoFloorParentMessage } from './udp-io-floor';

const LOOPBACK = '127.0.0.1';
const DRAIN_MS = 300;
const READY_TIMEOUT_MS = 5000;

export interface IoFloorOptions {
  readonly warmup: number;
  readonly count: number;
  /** Datagrams in per second. */
  readonly rate: number;
  /** Size of a datagram in (a status packet's). */
  readonly bytes: number;
  /** Datagrams sent per datagram in (the bridge's OSC messages per status packet). */
  readonly perDatagram: number;
  /** Sockets they are sent from, in turn (the bridge's OSC targets). */
  readonly sockets: number;
  /** Size of a datagram sent. */
  readonly sentBytes: number;
}

export interface IoFloorResult {
  readonly gcCount: number;
  readonly gcMaxMs: number;
  /** From the first measured datagram in to the last (as the bridge's figures are taken). */
  readonly seconds: number;
  readonly received: number;
  readonly sent: number;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function nextMessage<K extends IoFloorChildMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<IoFloorChildMessage, { kind: K }> | string> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(`the floor process did not answer ${kind} in ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const onExit = (code: number | null): void => {
      clearTimeout(timer);
      resolve(`the floor process ended (${String(code)})`);
    };
    child.once('exit', onExit);
    child.once('message', (message: IoFloorChildMessage) => {
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve(message.kind === kind ? (message as Extract<IoFloorChildMessage, { kind: K }>) : `unexpected ${message.kind}`);
    });
  });
}

/** GCs of a process that does only the bridge's datagram input and output; a string says why it was not measured. */
export async function measureIoFloor(options: IoFloorOptions): Promise<IoFloorResult | string> {
  const child = fork(path.join(__dirname, 'udp-io-floor.js'), [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const tell = (message: IoFloorParentMessage): void => {
    child.send(message);
  };
  const ready = await nextMessage(child, 'ready');
  if (typeof ready === 'string') {
    child.kill();
    return ready;
  }
  const receiver = await boundSocket();
  let arrived = 0;
  receiver.on('message', () => arrived++);
  const set = nextMessage(child, 'set');
  tell({ kind: 'setup', replyPort: receiver.address().port, sockets: options.sockets, perDatagram: options.perDatagram, bytes: options.sentBytes });
  const setUp = await set;
  const sender = await boundSocket();
  if (typeof setUp === 'string') {
    child.kill();
    await closeSocket(sender);
    await closeSocket(receiver);
    return setUp;
  }
  await new Promise<void>((resolve) => sender.connect(ready.port, LOOPBACK, () => resolve()));
  const data = Buffer.alloc(options.bytes);
  let measureStart = 0;
  await pace(options.warmup + options.count, options.rate, (n) => {
    if (n === options.warmup) {
      tell({ kind: 'measure' });
      measureStart = performance.now();
    }
    data.writeUInt32BE(n, 0);
    sender.send(data);
  });
  const seconds = (performance.now() - measureStart) / 1000;
  await sleep(DRAIN_MS);
  const result = nextMessage(child, 'result');
  tell({ kind: 'stop' });
  const r = await result;
  await closeSocket(sender);
  await closeSocket(receiver);
  if (typeof r === 'string') return r;
  if (options.perDatagram >= 1 && arrived === 0) return 'no datagram of the floor process arrived';
  return { gcCount: r.gcCount, gcMaxMs: r.gcMaxMs, seconds, received: r.received, sent: r.sent };
}
