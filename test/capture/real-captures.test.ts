import { collectUdpDatagrams, readFrames, type CaptureFrame, type UdpDatagram } from '../../src/capture';
import { CAPTURES, readFixture } from '../support/fixtures';

/** PROVENANCE.md §1–§2: frames and UDP datagrams per destination port, counted with tshark. */
const expected: Record<keyof typeof CAPTURES, { frames: number; ports: [number, number, number] }> = {
  powerup: { frames: 437, ports: [76, 269, 0] },
  toVirtual: { frames: 162, ports: [16, 37, 105] },
  linkInfo: { frames: 1410, ports: [85, 298, 934] },
  linkInfo2: { frames: 2385, ports: [98, 349, 1685] },
  nxs2: { frames: 17439, ports: [2202, 5198, 4272] },
};

const PORTS = [50000, 50001, 50002] as const;

function countByPort(datagrams: readonly UdpDatagram[]): number[] {
  return PORTS.map((port) => datagrams.filter((d) => d.dstPort === port).length);
}

describe.each(Object.keys(expected) as (keyof typeof CAPTURES)[])('real capture %s', (name) => {
  const file = readFixture(...CAPTURES[name]);
  const { datagrams, errors, summary } = collectUdpDatagrams(file);

  it('reads every frame without error', () => {
    expect(errors).toEqual([]);
    expect(summary.fatal).toBeNull();
    expect(summary.frames).toBe(expected[name].frames);
    expect(summary.frames).toBe(summary.udp + summary.notIpv4 + summary.notUdp + summary.fragments + summary.unsupportedLink);
  });

  it('finds the Pro DJ Link datagrams on each port', () => {
    expect(countByPort(datagrams)).toEqual(expected[name].ports);
  });

  it('numbers frames strictly increasing and keeps time moving forward', () => {
    for (let i = 1; i < datagrams.length; i++) {
      const a = datagrams[i - 1] as UdpDatagram;
      const b = datagrams[i] as UdpDatagram;
      expect(b.frame).toBeGreaterThan(a.frame);
      expect((b.timestampNs ?? 0n) >= (a.timestampNs ?? 0n)).toBe(true);
    }
  });
});

describe('facts from the capture authors', () => {
  it('LinkInfo.pcapng frames 206 and 212 are the booting CDJ opening TCP to 12523 and 1051, not UDP', () => {
    const file = readFixture(...CAPTURES.linkInfo);
    const frames = [...readFrames(file)] as CaptureFrame[];
    for (const [number, port] of [
      [206, 12523],
      [212, 1051],
    ] as const) {
      const { data } = frames[number - 1] as CaptureFrame;
      const ip = 14;
      expect(data[ip + 9]).toBe(6); // TCP
      expect([...data.subarray(ip + 12, ip + 16)].join('.')).toBe('169.254.192.112');
      const ihl = ((data[ip] as number) & 0x0f) * 4;
      expect(data.readUInt16BE(ip + ihl + 2)).toBe(port);
    }
    const udpFrames = new Set(collectUdpDatagrams(file).datagrams.map((d) => d.frame));
    expect(udpFrames.has(206)).toBe(false);
    expect(udpFrames.has(212)).toBe(false);
    expect(udpFrames.has(205) || udpFrames.has(207)).toBe(true);
  });

  it('LinkInfo2 frame 2 is CDJ #2 status, 212 bytes, from 169.254.244.181', () => {
    const frame2 = collectUdpDatagrams(readFixture(...CAPTURES.linkInfo2)).datagrams.find((d) => d.frame === 2);
    expect(frame2).toMatchObject({ srcIp: '169.254.244.181', dstPort: 50002 });
    expect(frame2?.payload.length).toBe(212);
    expect(frame2?.payload.subarray(0, 10).toString('latin1')).toBe('Qspt1WmJOL');
  });

  it('the NXS2 capture was taken 2023-01-31 between 09:50 and 10:23 UTC, and its frame 4002 is the first beat', () => {
    const { datagrams } = collectUdpDatagrams(readFixture(...CAPTURES.nxs2));
    const start = Date.UTC(2023, 0, 31, 9, 50) * 1_000_000;
    const end = Date.UTC(2023, 0, 31, 10, 24) * 1_000_000;
    for (const d of [datagrams[0], datagrams[datagrams.length - 1]]) {
      expect(Number(d?.timestampNs)).toBeGreaterThanOrEqual(start);
      expect(Number(d?.timestampNs)).toBeLessThan(end);
    }
    const firstBeat = datagrams.find((d) => d.dstPort === 50001 && d.payload[0x0a] === 0x28);
    expect(firstBeat).toMatchObject({ frame: 4002, srcIp: '192.168.0.104' });
    const firstStatus = datagrams.find((d) => d.dstPort === 50002 && d.payload[0x0a] === 0x0a);
    expect(firstStatus?.frame).toBe(136);
    expect(firstStatus?.payload.length).toBe(292);
  });
});
