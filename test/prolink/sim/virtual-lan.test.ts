import type { Datagram } from '../../../src/prolink/network/udp-sockets';
import { VirtualClock } from '../../../src/prolink/sim/clock';
import { VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';

interface TestMember {
  readonly got: (Datagram & { at: number })[];
  send(toAddress: string, toPort: number, text: string): void;
  close(): Promise<void>;
}

function member(lan: VirtualLan, clock: VirtualClock, address: string, ports?: readonly number[]): TestMember {
  const got: (Datagram & { at: number })[] = [];
  const m = lan.join({ address, ...(ports === undefined ? {} : { ports }), onDatagram: (d) => got.push({ ...d, at: clock.now() }) });
  return { got, send: (to, port, text) => m.send(port, to, port, Buffer.from(text)), close: () => m.close() };
}

describe('in-process LAN', () => {
  it('delivers broadcasts to every member on the port (the sender too) and unicasts to one', () => {
    const clock = new VirtualClock(0);
    const lan = new VirtualLan({ clock });
    const a = member(lan, clock, '169.254.0.1');
    const b = member(lan, clock, '169.254.0.2');
    const c = member(lan, clock, '169.254.0.3', [50001]);
    a.send(lan.broadcast, 50000, 'hello all');
    b.send('169.254.0.1', 50002, 'just you');
    b.send('169.254.0.9', 50002, 'nobody');
    expect(a.got).toEqual([]);
    clock.advance(0);
    expect(a.got.map((d) => [d.port, d.address, d.data.toString()])).toEqual([
      [50000, '169.254.0.1', 'hello all'],
      [50002, '169.254.0.2', 'just you'],
    ]);
    expect(b.got.map((d) => d.data.toString())).toEqual(['hello all']);
    expect(c.got).toEqual([]);
    expect(lan.dropped).toBe(1);
  });

  it('honours latency, copies payloads, and stops delivering to members that left', async () => {
    const clock = new VirtualClock(0);
    const lan = new VirtualLan({ clock, latencyMs: 5, echoBroadcast: false });
    const a = lan.join({ address: '169.254.0.1', onDatagram: () => undefined });
    const b = member(lan, clock, '169.254.0.2');
    const buf = Buffer.from('abc');
    a.send(50000, lan.broadcast, 50000, buf);
    buf[0] = 0x7a;
    clock.advance(4);
    expect(b.got).toEqual([]);
    clock.advance(1);
    expect(b.got.map((d) => [d.at, d.data.toString()])).toEqual([[5, 'abc']]);
    a.send(50000, '169.254.0.2', 50000, Buffer.from('late'));
    await b.close();
    clock.advance(10);
    expect(b.got).toHaveLength(1);
    expect(() => lan.join({ address: '169.254.0.1', onDatagram: () => undefined })).toThrow(/already/);
  });
});
