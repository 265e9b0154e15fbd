/**
 * A TCP OSC receiver like QLab's (SLIP framing, decoded by the real `osc`
 * package) that can stop reading, as a frozen application does: its sockets
 * are paused, so the operating system buffers fill and then push back on the
 * sender. Connections accepted while it is stopped are paused too. Every
 * message it receives is recorded with the time it arrived; messages carry
 * their sequence number and the time they were produced as int arguments.
 *
 * Given a heartbeat to answer (QLab: /thump, answered with /reply/thump),
 * it answers every one it reads with a SLIP-framed OSC message written back
 * on the same socket, encoded by the `osc` package, and does not record the
 * heartbeats as arrivals. While stopped it neither reads nor answers, like a
 * frozen process: its operating system still accepts data into the receive
 * buffer, and the heartbeats waiting there are answered once it reads again.
 */
import * as net from 'node:net';
import * as osc from 'osc';

export interface Arrival {
  readonly address: string;
  readonly seq: number;
  readonly producedAt: number;
  readonly arrivedAt: number;
  readonly connection: number;
}

export interface StallingReceiver {
  readonly port: number;
  readonly arrivals: readonly Arrival[];
  readonly connections: number;
  /** Stops reading every connection, present and future. */
  stop(): void;
  /** Reads again. */
  resume(): void;
  close(): Promise<void>;
}

/** Argument `index` of a message as a number (NaN when it is not one). */
function intArg(packet: osc.OscMessagePacket, index: number): number {
  const value = packet.args[index]?.value;
  return typeof value === 'number' ? value : NaN;
}

/** A heartbeat the receiver answers, as QLab answers /thump. */
export interface AnsweredHeartbeat {
  /** The address that is answered (/thump). */
  readonly address: string;
  /** The address of the answer (/reply/thump). */
  readonly reply: string;
}

export interface StallingReceiverOptions {
  readonly keepArrivals?: boolean;
  /** Answer this heartbeat while reading (none by default). */
  readonly answer?: AnsweredHeartbeat | null;
}

export function startStallingReceiver(now: () => number, options: StallingReceiverOptions = {}): Promise<StallingReceiver> {
  const answer = options.answer ?? null;
  const arrivals: Arrival[] = [];
  const sockets = new Set<net.Socket>();
  let stopped = false;
  let connections = 0;
  const server = net.createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    if (stopped) socket.pause();
    const port = new osc.TCPSocketPort({ socket, metadata: true });
    port.on('message', (packet: osc.OscMessagePacket) => {
      if (answer !== null && packet.address === answer.address) {
        // QLab's reply: /reply/<address> with a JSON string (the bridge only looks at the address).
        const data = JSON.stringify({ address: answer.address, status: 'ok', data: 'thump' });
        if (!socket.destroyed) port.send({ address: answer.reply, args: [{ type: 's', value: data }] });
        return;
      }
      if (options.keepArrivals === false) return;
      arrivals.push({ address: packet.address, seq: intArg(packet, 0), producedAt: intArg(packet, 1), arrivedAt: now(), connection });
    });
    port.on('error', () => undefined);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        port,
        arrivals,
        get connections() {
          return connections;
        },
        stop: () => {
          stopped = true;
          for (const socket of sockets) socket.pause();
        },
        resume: () => {
          stopped = false;
          for (const socket of sockets) socket.resume();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Milliseconds since `base` (an epoch time), on a clock every process shares. */
export function sharedClock(base: number): () => number {
  return () => Math.round(performance.timeOrigin + performance.now() - base);
}

/** Commands to the receiver when it runs in a child process of its own. */
export type ReceiverCommand = 'stop' | 'resume' | 'report';
export type ReceiverReply = { readonly port: number } | { readonly arrivals: readonly Arrival[]; readonly connections: number };

/**
 * Run as a child process (`fork(thisFile, [String(base)])`, or
 * `fork(thisFile, [String(base), JSON.stringify(answer)])` to answer a
 * heartbeat), so that what it buffers does not count in the sender's memory:
 * it sends { port } when listening and { arrivals, connections } when asked
 * to report.
 */
async function serveChild(): Promise<void> {
  const answerArg = process.argv[3];
  const answer = answerArg === undefined ? null : (JSON.parse(answerArg) as AnsweredHeartbeat);
  const receiver = await startStallingReceiver(sharedClock(Number(process.argv[2])), { answer });
  const send = (reply: ReceiverReply): void => void process.send?.(reply);
  process.on('message', (command: ReceiverCommand) => {
    if (command === 'stop') receiver.stop();
    else if (command === 'resume') receiver.resume();
    else send({ arrivals: receiver.arrivals, connections: receiver.connections });
  });
  process.on('disconnect', () => void receiver.close().then(() => process.exit(0)));
  send({ port: receiver.port });
}

if (require.main === module) void serveChild();
