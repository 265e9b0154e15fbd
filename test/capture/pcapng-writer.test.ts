import {
  CaptureWriteError,
  PcapngWriter,
  collectUdpDatagrams,
  readFrames,
  writePcapng,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  type CaptureFrame,
  type OutgoingDatagram,
} from '../../src/capture';
import { ipv4HeaderChecksum } from '../../src/capture/ipv4-encode';
import { CAPTURES, readFixture } from '../support/fixtures';

/** RFC 1071 check, written out independently: a correct header or datagram sums to 0xffff. */
function onesComplement(words: Buffer): number {
  let sum = 0;
  for (let i = 0; i < words.length; i += 2) sum += (words[i] as number) * 256 + (words[i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

const sample: OutgoingDatagram[] = [
  { timestampNs: 1_675_158_627_304_337_123n, srcIp: '192.168.0.102', dstIp: '192.168.0.255', srcPort: 50000, dstPort: 50000, payload: Buffer.from('Qspt1WmJOL\x06\x00keep-alive') },
  { timestampNs: 1_675_158_627_304_400_000n, srcIp: '169.254.192.112', dstIp: '169.254.244.181', srcPort: 7444, dstPort: 50002, payload: Buffer.alloc(293, 0x5a) },
  { timestampNs: 0n, srcIp: '0.0.0.0', dstIp: '255.255.255.255', srcPort: 0, dstPort: 65535, payload: Buffer.alloc(0) },
];

describe('pcapng writer', () => {
  it.each([
    ['Ethernet', LINKTYPE_ETHERNET],
    ['raw IPv4', LINKTYPE_RAW],
  ] as const)('round-trips datagrams through %s framing', (_name, linkType) => {
    const file = writePcapng(sample, { linkType, application: 'prolink-bridge 0.1.0', interfaceName: 'en0' });
    if (file instanceof CaptureWriteError) throw new Error(file.toString());
    const { datagrams, errors, summary } = collectUdpDatagrams(file);
    expect(errors).toEqual([]);
    expect(summary).toMatchObject({ format: 'pcapng', frames: 3, udp: 3 });
    expect(datagrams.map((d) => ({ ...d, payload: d.payload.toString('hex') }))).toEqual(
      sample.map((s, i) => ({ ...s, payload: s.payload.toString('hex'), frame: i + 1, truncated: false })),
    );
    const frames = [...readFrames(file)] as CaptureFrame[];
    expect(frames.every((f) => f.linkType === linkType)).toBe(true);
  });

  it('writes a correct IPv4 header checksum and UDP checksum', () => {
    const file = writePcapng(sample, { linkType: LINKTYPE_RAW }) as Buffer;
    const frames = [...readFrames(file)] as CaptureFrame[];
    for (const { data } of frames) {
      expect(onesComplement(data.subarray(0, 20))).toBe(0xffff);
      const udpLength = data.readUInt16BE(24);
      const pseudo = Buffer.concat([data.subarray(12, 20), Buffer.from([0, 17, udpLength >> 8, udpLength & 0xff])]);
      const datagram = data.subarray(20);
      const padded = datagram.length % 2 === 0 ? datagram : Buffer.concat([datagram, Buffer.alloc(1)]);
      expect(onesComplement(Buffer.concat([pseudo, padded]))).toBe(0xffff);
      expect(data.readUInt16BE(26)).not.toBe(0);
    }
    // Distinct identification per packet.
    expect(new Set(frames.map((f) => f.data.readUInt16BE(4))).size).toBe(frames.length);
  });

  it('computes the textbook IPv4 header checksum', () => {
    const header = Buffer.from('450000730000400040110000c0a80001c0a800c7', 'hex');
    expect(ipv4HeaderChecksum(header, 0, 20)).toBe(0xb861);
  });

  it('lays out SHB, IDB (nanosecond if_tsresol) and EPB blocks on 4-byte boundaries', () => {
    const writer = new PcapngWriter({ application: 'abc', interfaceName: 'eth0', srcMac: '74:5e:1c:56:f4:b5', dstMac: 'ff-ff-ff-ff-ff-ff' });
    const header = writer.fileHeader();
    const packet = writer.packet(sample[0] as OutgoingDatagram) as Buffer;
    const file = Buffer.concat([header, packet]);
    const types: number[] = [];
    for (let p = 0; p < file.length; ) {
      const length = file.readUInt32LE(p + 4);
      expect(length % 4).toBe(0);
      expect(file.readUInt32LE(p + length - 4)).toBe(length);
      types.push(file.readUInt32LE(p));
      p += length;
    }
    expect(types).toEqual([0x0a0d0d0a, 1, 6]);
    expect(file.readUInt32LE(8)).toBe(0x1a2b3c4d);
    expect(file.includes(Buffer.from([9, 0, 1, 0, 9]))).toBe(true); // if_tsresol = 9
    expect(header.includes(Buffer.from('abc\0', 'latin1'))).toBe(true);
    const frame = ([...readFrames(file)] as CaptureFrame[])[0] as CaptureFrame;
    expect(frame.data.subarray(0, 14).toString('hex')).toBe('ffffffffffff745e1c56f4b50800');
    expect(frame.timestampNs).toBe(sample[0]?.timestampNs);
  });

  it('returns an error value for what it cannot write', () => {
    const base = sample[0] as OutgoingDatagram;
    const writer = new PcapngWriter();
    expect(writer.packet({ ...base, srcIp: '192.168.0.256' })).toMatchObject({ code: 'bad-address' });
    expect(writer.packet({ ...base, dstIp: 'fe80::1' })).toMatchObject({ code: 'bad-address' });
    expect(writer.packet({ ...base, dstPort: 70000 })).toMatchObject({ code: 'bad-port' });
    expect(writer.packet({ ...base, srcPort: 1.5 })).toMatchObject({ code: 'bad-port' });
    expect(writer.packet({ ...base, timestampNs: -1n })).toMatchObject({ code: 'bad-timestamp' });
    expect(writer.packet({ ...base, timestampNs: 1n << 64n })).toMatchObject({ code: 'bad-timestamp' });
    expect(writer.packet({ ...base, payload: Buffer.alloc(65508) })).toMatchObject({ code: 'too-large' });
    expect(new PcapngWriter({ srcMac: 'nonsense' }).packet(base)).toMatchObject({ code: 'bad-address' });
    expect(new PcapngWriter({ srcMac: 'nonsense', linkType: LINKTYPE_RAW }).packet(base)).toBeInstanceOf(Buffer);
    expect(writePcapng([base, { ...base, srcPort: -1 }])).toBeInstanceOf(CaptureWriteError);
  });

  it('rewrites every UDP datagram of a real capture and reads the same datagrams back', () => {
    const original = collectUdpDatagrams(readFixture(...CAPTURES.linkInfo2)).datagrams;
    const outgoing = original.map((d) => ({ ...d, timestampNs: d.timestampNs ?? 0n }));
    const rewritten = writePcapng(outgoing, { linkType: LINKTYPE_ETHERNET });
    if (rewritten instanceof CaptureWriteError) throw new Error(rewritten.toString());
    const back = collectUdpDatagrams(rewritten).datagrams;
    expect(back).toHaveLength(2160);
    back.forEach((d, i) => {
      const o = original[i];
      expect({ ...d, frame: 0, payload: d.payload.toString('hex') }).toEqual({ ...o, frame: 0, payload: o?.payload.toString('hex') });
    });
  });
});
