/**
 * The standalone transport: the simulator's devices on real UDP sockets
 * (ports 50000–50002 of one interface, normally inside a network namespace so
 * they can be bound beside a bridge on the same machine). All devices share
 * the one address, so each hears everything the host receives, and their own
 * broadcasts come back to them as on any Linux host.
 */
import { NetworkError } from '../../network/network-error';
import { openUdpSockets, type Datagram } from '../../network/udp-sockets';
import type { HostIdentity } from '../devices/device';

export interface HostLink extends HostIdentity {
  send(fromPort: number, toAddress: string, toPort: number, data: Buffer): void;
  close(): Promise<void>;
}

export interface UdpHostOptions {
  readonly identity: HostIdentity;
  /** Where to bind; 0.0.0.0 (the default) is needed to receive broadcasts on Linux. */
  readonly bindAddress?: string;
  readonly onDatagram: (datagram: Datagram) => void;
  readonly onError?: (error: NetworkError) => void;
}

export async function openUdpHost(options: UdpHostOptions): Promise<HostLink | NetworkError> {
  const sockets = await openUdpSockets({
    ...(options.bindAddress === undefined ? {} : { bindAddress: options.bindAddress }),
    onDatagram: options.onDatagram,
    ...(options.onError === undefined ? {} : { onError: options.onError }),
  });
  if (sockets instanceof NetworkError) return sockets;
  return {
    ...options.identity,
    send: (fromPort, toAddress, toPort, data) => sockets.send(fromPort, toAddress, toPort, data),
    close: () => sockets.close(),
  };
}
