/**
 * Heap allocated by Node's own UDP send, per datagram, for scale beside the
 * bridge's figures: what a connected dgram socket allocates for one
 * `send(buffer)`, and for one `send(buffer, callback)` with its completion
 * (the send request, its buffer list, the callback's tick), measured like
 * the packet figures: a full GC, a chunk of sends, heapUsed growth once the
 * sends are done. The same wait with no sends is subtracted. The bridge pays
 * the first for nearly every OSC datagram it sends over UDP (a UDP target
 * checks one send per 100 ms with a callback), outside the figures of the
 * stream layer and the engine.
 */
import * as dgram from 'node:dgram';

const CHUNK = 200;
const CHUNKS = 40;

function bound(socket: dgram.Socket): Promise<void> {
  return new Promise((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));
}

function connected(socket: dgram.Socket, port: number): Promise<void> {
  return new Promise((resolve) => socket.connect(port, '127.0.0.1', () => resolve()));
}

/** Bytes per send: the median chunk, and the quartiles around it (the VM's timing moves single chunks). */
export async function measureSocketSendAllocation(gc: () => void, withCallback: boolean): Promise<{ low: number; median: number; high: number }> {
  const receiver = dgram.createSocket('udp4');
  receiver.on('message', () => undefined);
  await bound(receiver);
  const sender = dgram.createSocket('udp4');
  await connected(sender, receiver.address().port);
  const message = Buffer.alloc(44, 0x2f);
  let done = 0;
  const afterSend = (): void => {
    done++;
  };
  const waitFor = async (count: number): Promise<void> => {
    while (done < count) await new Promise((resolve) => setImmediate(resolve));
  };
  /** Without callbacks: until the socket's queue is empty, then a few turns of the loop as the callback wait takes. */
  const waitForQueue = async (socket: dgram.Socket): Promise<void> => {
    while (socket.getSendQueueCount() > 0) await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  };
  const chunk = async (sends: number): Promise<number> => {
    gc();
    const target = done + sends;
    const before = process.memoryUsage().heapUsed;
    if (withCallback) for (let i = 0; i < sends; i++) sender.send(message, afterSend);
    else for (let i = 0; i < sends; i++) sender.send(message);
    if (withCallback) await waitFor(target);
    else await waitForQueue(sender);
    return process.memoryUsage().heapUsed - before;
  };
  const perSend: number[] = [];
  for (let n = 0; n < CHUNKS + 5; n++) {
    const empty = await chunk(0);
    const full = await chunk(CHUNK);
    if (n >= 5) perSend.push((full - empty) / CHUNK);
  }
  sender.close();
  receiver.close();
  perSend.sort((a, b) => a - b);
  const at = (q: number): number => perSend[Math.floor((perSend.length - 1) * q)] ?? NaN;
  return { low: at(0.25), median: at(0.5), high: at(0.75) };
}
