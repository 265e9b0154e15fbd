import * as dgram from 'node:dgram';
import { openUdpSockets, type Datagram, type UdpSockets } from '../../../src/prolink/network/udp-sockets';
import { NetworkError } from '../../../src/prolink/network/network-error';

function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    s.bind(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

describe('UDP sockets', () => {
  it('receives datagrams on every bound port and sends from the chosen one', async () => {
    const received: Datagram[] = [];
    const ports = [await freeUdpPort(), await freeUdpPort()];
    const sockets = (await openUdpSockets({ bindAddress: '127.0.0.1', ports, onDatagram: (d) => received.push(d) })) as UdpSockets;
    expect(sockets).not.toBeInstanceOf(NetworkError);
    expect(sockets.ports).toEqual(ports);

    const peer = dgram.createSocket('udp4');
    await new Promise<void>((r) => peer.bind(0, '127.0.0.1', () => r()));
    const fromBridge = new Promise<Buffer>((r) => peer.once('message', (m) => r(m)));
    peer.send(Buffer.from('to-first'), ports[0] as number, '127.0.0.1');
    peer.send(Buffer.from('to-second'), ports[1] as number, '127.0.0.1');
    sockets.send(ports[1] as number, '127.0.0.1', peer.address().port, Buffer.from('reply'));
    expect((await fromBridge).toString()).toBe('reply');
    await new Promise((r) => setTimeout(r, 50));

    expect(received.map((d) => [d.port, d.data.toString(), d.address])).toEqual(
      expect.arrayContaining([
        [ports[0], 'to-first', '127.0.0.1'],
        [ports[1], 'to-second', '127.0.0.1'],
      ]),
    );
    expect(received.every((d) => d.sourcePort === peer.address().port)).toBe(true);
    peer.close();
    await sockets.close();
  });

  it('reports a port held by another program with the fix, and leaves nothing bound', async () => {
    const [a, b] = [await freeUdpPort(), await freeUdpPort()];
    const holder = dgram.createSocket('udp4');
    await new Promise<void>((r) => holder.bind(b, '127.0.0.1', () => r()));

    const result = await openUdpSockets({ bindAddress: '127.0.0.1', ports: [a, b], onDatagram: () => undefined });
    expect(result).toBeInstanceOf(NetworkError);
    const error = result as NetworkError;
    expect(error.code).toBe('port-in-use');
    expect(error.message).toBe(
      `UDP port ${b} is already in use, most likely by rekordbox or another Pro DJ Link tool on this computer; close it, or start the bridge with --mode passive to listen alongside it`,
    );
    // The first port was released again: binding it now succeeds.
    const again = dgram.createSocket('udp4');
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.bind(a, '127.0.0.1', () => resolve());
    });
    again.close();
    holder.close();
  });

  it('shares ports in passive mode when the other program allows it', async () => {
    const port = await freeUdpPort();
    const other = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => other.bind(port, '127.0.0.1', () => r()));
    const sockets = await openUdpSockets({ bindAddress: '127.0.0.1', ports: [port], reuseAddr: true, onDatagram: () => undefined });
    expect(sockets).not.toBeInstanceOf(NetworkError);
    await (sockets as UdpSockets).close();
    other.close();
  });
});
