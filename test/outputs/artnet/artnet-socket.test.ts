import * as dgram from 'node:dgram';
import { directedBroadcast, resolveDestination, sendProblem } from '../../../src/outputs/artnet/artnet-address';
import { ArtNetError } from '../../../src/outputs/artnet/artnet-errors';
import { ArtNetSocket } from '../../../src/outputs/artnet/artnet-socket';
import { encodeArtTimeCodeUnchecked } from '../../../src/outputs/artnet/artnet-timecode-packet';
import { realTimers } from '../../../src/outputs/reporter';
import { until } from '../../support/until';
import { decodeArtTimeCode } from './artnet-decode';

function bound(port = 0): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', reject);
    s.bind({ port, address: port === 0 ? '127.0.0.1' : '0.0.0.0', exclusive: true }, () => resolve(s));
  });
}

const close = (s: dgram.Socket): Promise<void> => new Promise((r) => s.close(() => r()));

describe('Art-Net destinations', () => {
  it('resolves broadcast, broadcast addresses and unicast addresses', () => {
    const locals = [{ address: '192.168.7.20', netmask: '255.255.254.0' }];
    expect(resolveDestination('broadcast', locals)).toEqual({ address: '2.255.255.255', broadcast: true });
    expect(resolveDestination('10.255.255.255', locals)).toEqual({ address: '10.255.255.255', broadcast: true });
    expect(resolveDestination('255.255.255.255', [])).toEqual({ address: '255.255.255.255', broadcast: true });
    expect(directedBroadcast({ address: '10.0.0.33', netmask: '255.255.255.224' })).toBe('10.0.0.63');
    expect(resolveDestination('10.0.0.63', [{ address: '10.0.0.33', netmask: '255.255.255.224' }])).toEqual({ address: '10.0.0.63', broadcast: true });
    expect(resolveDestination('2.0.0.10', locals)).toEqual({ address: '2.0.0.10', broadcast: false });
    const bad = resolveDestination('desk.local', locals);
    expect(bad).toBeInstanceOf(ArtNetError);
    expect((bad as ArtNetError).message).toBe('"desk.local" is not an IPv4 address; write the receiver\'s address (e.g. 2.0.0.10), its network\'s broadcast address, or broadcast');
  });

  it('says what a refused send means and how to fix it', () => {
    const unicast = { address: '10.0.0.63', broadcast: false };
    expect(sendProblem('ENETUNREACH', 'send ENETUNREACH', { address: '2.255.255.255', broadcast: true }, 6454).message).toBe(
      'Art-Net timecode cannot reach 2.255.255.255:6454: this computer has no network route to it (ENETUNREACH); connect the lighting network, or set to: to an address on it',
    );
    expect(sendProblem('EACCES', 'send EACCES', unicast, 6454).message).toMatch(/if 10\.0\.0\.63 is a broadcast address, write to: broadcast/);
    expect(sendProblem('EIO', 'send EIO', unicast, 6454).code).toBe('send-failed');
  });
});

describe('Art-Net socket over loopback UDP', () => {
  it('delivers packets to a receiver on 127.0.0.1', async () => {
    const receiver = await bound();
    const got: Buffer[] = [];
    receiver.on('message', (m) => got.push(m));
    const problems: ArtNetError[] = [];
    const socket = new ArtNetSocket({
      destination: { address: '127.0.0.1', broadcast: false },
      port: receiver.address().port,
      fromPort: null,
      timers: realTimers,
      onProblem: (e) => problems.push(e),
      onRecovered: () => undefined,
    });
    await socket.open();
    for (let frames = 0; frames < 5; frames++) socket.send(encodeArtTimeCodeUnchecked({ hours: 1, minutes: 0, seconds: 0, frames }, 25));
    await until(() => got.length === 5);
    expect(got.map((g) => decodeArtTimeCode(g)?.frames)).toEqual([0, 1, 2, 3, 4]);
    expect(socket.stats).toEqual({ delivered: 5, failed: 0 });
    expect(problems).toEqual([]);
    await socket.close();
    await close(receiver);
  });

  it('reports a taken fromPort in one sentence, keeps trying, and sends once the port is free', async () => {
    const receiver = await bound();
    const got: Buffer[] = [];
    receiver.on('message', (m) => got.push(m));
    const squatter = await bound(0);
    const takenPort = squatter.address().port;
    await close(squatter);
    const holder = await bound(takenPort); // 0.0.0.0:takenPort, as a desk listening on 6454 would
    const problems: ArtNetError[] = [];
    const recovered: string[] = [];
    const socket = new ArtNetSocket({
      destination: { address: '127.0.0.1', broadcast: false },
      port: receiver.address().port,
      fromPort: takenPort,
      timers: realTimers,
      rebindMs: 50,
      onProblem: (e) => problems.push(e),
      onRecovered: (code) => recovered.push(code),
    });
    await socket.open();
    expect(problems[0]?.code).toBe('port-in-use');
    expect(problems[0]?.message).toBe(
      `Art-Net timecode cannot send from UDP port ${takenPort}: another program (a lighting desk, Resolume or another bridge) already uses it; remove fromPort to send from any free port, or close that program`,
    );
    socket.send(encodeArtTimeCodeUnchecked({ hours: 0, minutes: 0, seconds: 0, frames: 0 }, 30));
    expect(socket.stats.failed).toBe(1);
    await close(holder);
    await until(() => recovered.includes('port-in-use'), 3000);
    socket.send(encodeArtTimeCodeUnchecked({ hours: 0, minutes: 0, seconds: 1, frames: 0 }, 30));
    await until(() => got.length === 1);
    const rinfoPort = await new Promise<number>((resolve) => {
      receiver.once('message', (_m, rinfo) => resolve(rinfo.port));
      socket.send(encodeArtTimeCodeUnchecked({ hours: 0, minutes: 0, seconds: 2, frames: 0 }, 30));
    });
    expect(rinfoPort).toBe(takenPort);
    await socket.close();
    await close(receiver);
  });
});
