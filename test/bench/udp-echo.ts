/**
 * The floor of the wire latency (echo-floor.ts): a Node.js process that does
 * nothing but send each datagram it takes straight back out, as the bridge's
 * process sends OSC for a status. What it adds on the wire, status in to
 * datagram out, is what any Node.js process pays on this machine: the kernel
 * waking a sleeping process, libuv's poll, a Buffer and a `message` event,
 * one send call.
 *
 * Driven over IPC (fork): it binds 127.0.0.1 and answers `{ port }` (where to
 * send datagrams); the parent then sends `{ replyPort }` (where the echoes
 * go); `stop` closes it.
 */
import * as dgram from 'node:dgram';

export type EchoParentMessage = { readonly kind: 'reply'; readonly replyPort: number } | { readonly kind: 'stop' };
export interface EchoReady {
  readonly kind: 'ready';
  readonly port: number;
}

const LOOPBACK = '127.0.0.1';

function main(): void {
  const socket = dgram.createSocket('udp4');
  let replyPort = 0;
  socket.on('message', (msg) => {
    if (replyPort !== 0) socket.send(msg, replyPort, LOOPBACK);
  });
  process.on('message', (message: EchoParentMessage) => {
    if (message.kind === 'reply') replyPort = message.replyPort;
    else socket.close(() => process.exit(0));
  });
  socket.bind(0, LOOPBACK, () => {
    const ready: EchoReady = { kind: 'ready', port: socket.address().port };
    process.send?.(ready);
  });
}

if (require.main === module) main();
