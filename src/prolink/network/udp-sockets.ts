/**
 * The only code that opens UDP sockets for Pro DJ Link. It binds the three
 * fixed ports (50000 announce, 50001 beats, 50002 status), turns bind errors
 * into sentences a user can act on, and hands every datagram to one callback.
 */
import * as dgram from 'node:dgram';
import { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../packets/header';
import { NetworkError } from './network-error';

export const PROLINK_PORTS: readonly number[] = [PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS];

/** §1.2: OPUS 0x56 datagrams reach 1420 bytes; leave ample room. */
const RECEIVE_BUFFER_BYTES = 1 << 20;

export interface Datagram {
  /** The local port it arrived on (which selects the packet family). */
  readonly port: number;
  readonly address: string;
  readonly sourcePort: number;
  readonly data: Buffer;
}

export interface UdpSocketsOptions {
  /** Address to bind; 0.0.0.0 is needed on Linux to receive broadcasts. */
  readonly bindAddress?: string;
  /** Ports to bind, normally PROLINK_PORTS; tests may pass free ports. */
  readonly ports?: readonly number[];
  /** Share the ports with another program that allows it (passive mode). */
  readonly reuseAddr?: boolean;
  readonly onDatagram: (datagram: Datagram) => void;
  /** Errors after binding (rare: the OS reports them per socket). */
  readonly onError?: (error: NetworkError) => void;
}

export interface UdpSockets {
  /** Ports actually bound, in the order requested. */
  readonly ports: readonly number[];
  send(fromPort: number, toAddress: string, toPort: number, data: Buffer): void;
  close(): Promise<void>;
}

export function bindErrorToNetworkError(error: NodeJS.ErrnoException, port: number): NetworkError {
  if (error.code === 'EADDRINUSE') {
    return new NetworkError(
      'port-in-use',
      `UDP port ${port} is already in use, most likely by rekordbox or another Pro DJ Link tool on this computer; close it, or start the bridge with --mode passive to listen alongside it`,
    );
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return new NetworkError('permission-denied', `not allowed to bind UDP port ${port} (${error.code}); check firewall or sandbox settings`);
  }
  return new NetworkError('socket-error', `cannot bind UDP port ${port}: ${error.message}`);
}

function bindOne(port: number, options: UdpSocketsOptions): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket({ type: 'udp4', reuseAddr: options.reuseAddr ?? false });
    const onBindError = (error: NodeJS.ErrnoException): void => {
      socket.close();
      reject(bindErrorToNetworkError(error, port));
    };
    socket.once('error', onBindError);
    socket.bind({ port, address: options.bindAddress ?? '0.0.0.0', exclusive: !(options.reuseAddr ?? false) }, () => {
      socket.off('error', onBindError);
      socket.setBroadcast(true);
      try {
        socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
      } catch {
        // The OS may cap the size; the default still holds several 0x56 chunks.
      }
      const localPort = socket.address().port;
      socket.on('message', (data, rinfo) => {
        options.onDatagram({ port: localPort, address: rinfo.address, sourcePort: rinfo.port, data });
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        options.onError?.(new NetworkError('socket-error', `UDP port ${localPort}: ${error.message}`));
      });
      resolve(socket);
    });
  });
}

/** Binds every requested port, or none: a partial bind is closed again. */
export async function openUdpSockets(options: UdpSocketsOptions): Promise<UdpSockets | NetworkError> {
  const requested = options.ports ?? PROLINK_PORTS;
  const bound: dgram.Socket[] = [];
  for (const port of requested) {
    try {
      bound.push(await bindOne(port, options));
    } catch (error) {
      await Promise.all(bound.map((s) => new Promise<void>((r) => s.close(() => r()))));
      return error instanceof NetworkError ? error : new NetworkError('socket-error', String(error));
    }
  }
  const byPort = new Map<number, dgram.Socket>();
  const ports = bound.map((s, i) => {
    const port = s.address().port;
    byPort.set(requested[i] ?? port, s);
    byPort.set(port, s);
    return port;
  });
  let closed = false;
  return {
    ports,
    send(fromPort, toAddress, toPort, data): void {
      const socket = byPort.get(fromPort);
      if (socket === undefined || closed) return;
      socket.send(data, toPort, toAddress, (error) => {
        if (error) options.onError?.(new NetworkError('socket-error', `sending to ${toAddress}:${toPort}: ${error.message}`));
      });
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await Promise.all(bound.map((s) => new Promise<void>((r) => s.close(() => r()))));
    },
  };
}
