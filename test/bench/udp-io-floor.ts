/**
 * The floor of the garbage collections of a bridge in a process of its own
 * (io-floor.ts): a Node.js process with the command line's heap settings
 * (cli/heap-settings.ts) that does only the bridge's input and output and
 * nothing between them. For each datagram it takes in it sends as many
 * datagrams out as the bridge sent OSC messages per status packet, from one
 * reused buffer, on sockets connected to the receiver and without a
 * completion callback, as the bridge's OSC targets send (osc-udp-target.ts).
 * What it collects is what Node.js allocates for taking a datagram in and
 * sending them out, before any code of the bridge runs.
 *
 * Driven over IPC (fork): it binds 127.0.0.1 and answers `ready` with its
 * port; `setup` names where to send and how many per datagram in, `measure`
 * starts the GC count, `stop` answers `result` and ends the process.
 */
import * as dgram from 'node:dgram';
import { PerformanceObserver } from 'node:perf_hooks';
import { keepHeapSmall } from '../../src/cli/heap-settings';

export type IoFloorParentMessage =
  | { readonly kind: 'setup'; readonly replyPort: number; readonly sockets: number; readonly perDatagram: number; readonly bytes: number }
  | { readonly kind: 'measure' }
  | { readonly kind: 'stop' };

export type IoFloorChildMessage =
  | { readonly kind: 'ready'; readonly port: number }
  | { readonly kind: 'set' }
  | { readonly kind: 'result'; readonly gcCount: number; readonly gcMaxMs: number; readonly received: number; readonly sent: number };

const LOOPBACK = '127.0.0.1';

function main(): void {
  keepHeapSmall();
  const input = dgram.createSocket('udp4');
  let outputs: dgram.Socket[] = [];
  let payload = Buffer.alloc(0);
  let perDatagram = 0;
  let owed = 0;
  let next = 0;
  let received = 0;
  let sent = 0;
  let gcCount = 0;
  let gcMaxMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount++;
      gcMaxMs = Math.max(gcMaxMs, entry.duration);
    }
  });
  input.on('message', () => {
    received++;
    if (outputs.length === 0) return;
    owed += perDatagram;
    for (; owed >= 1; owed--) {
      (outputs[next] as dgram.Socket).send(payload);
      next = (next + 1) % outputs.length;
      sent++;
    }
  });
  const reply = (message: IoFloorChildMessage, then: () => void = () => undefined): void => {
    process.send?.(message, then);
  };
  process.on('message', (message: IoFloorParentMessage) => {
    if (message.kind === 'setup') {
      payload = Buffer.alloc(message.bytes, 0x2f);
      perDatagram = message.perDatagram;
      const connecting = Array.from(
        { length: message.sockets },
        () =>
          new Promise<dgram.Socket>((resolve) => {
            const socket = dgram.createSocket('udp4');
            socket.connect(message.replyPort, LOOPBACK, () => resolve(socket));
          }),
      );
      void Promise.all(connecting).then((sockets) => {
        outputs = sockets;
        reply({ kind: 'set' });
      });
    } else if (message.kind === 'measure') {
      received = 0;
      sent = 0;
      observer.observe({ entryTypes: ['gc'] });
    } else {
      observer.disconnect();
      for (const socket of outputs) socket.close();
      input.close(() => reply({ kind: 'result', gcCount, gcMaxMs, received, sent }, () => process.exit(0)));
    }
  });
  input.bind(0, LOOPBACK, () => reply({ kind: 'ready', port: input.address().port }));
}

if (require.main === module) main();
