import { CaptureError, readFrames, readUdpDatagrams, collectUdpDatagrams, LINKTYPE_ETHERNET, LINKTYPE_RAW } from '../../src/capture';
import type { CaptureFrame } from '../../src/capture';
import { ethernet, ipv4, pcapHeader, pcapRecord, udp, type Endian } from './builders';

function frames(file: Buffer): (CaptureFrame | CaptureError)[] {
  return [...readFrames(file)];
}

describe('classic pcap', () => {
  const payload = Buffer.from('Qspt1WmJOL-test');
  const packet = ethernet(ipv4(udp(50001, 50001, payload)));

  it.each<[Endian, boolean]>([
    ['le', false],
    ['be', false],
    ['le', true],
    ['be', true],
  ])('reads %s-endian files with nanosecond=%s timestamps', (e, nanos) => {
    const file = Buffer.concat([
      pcapHeader(e, nanos, LINKTYPE_ETHERNET),
      pcapRecord(e, 1_600_000_000, 123_456, packet),
      pcapRecord(e, 1_600_000_001, 999_999, packet.subarray(0, 20), packet.length),
    ]);
    const [first, second, ...rest] = frames(file);
    expect(rest).toEqual([]);
    const f1 = first as CaptureFrame;
    expect(f1.frame).toBe(1);
    expect(f1.linkType).toBe(LINKTYPE_ETHERNET);
    expect(f1.timestampNs).toBe(1_600_000_000n * 1_000_000_000n + (nanos ? 123_456n : 123_456_000n));
    expect(f1.data.equals(packet)).toBe(true);
    expect(file.subarray(f1.offset, f1.offset + f1.data.length).equals(packet)).toBe(true);
    const f2 = second as CaptureFrame;
    expect(f2.frame).toBe(2);
    expect(f2.data.length).toBe(20);
    expect(f2.originalLength).toBe(packet.length);
    expect(f2.timestampNs).toBe(1_600_000_001n * 1_000_000_000n + (nanos ? 999_999n : 999_999_000n));
  });

  it('gives the UDP payload of each record', () => {
    const file = Buffer.concat([pcapHeader('be', false, LINKTYPE_RAW), pcapRecord('be', 1, 0, ipv4(udp(1234, 50002, payload)))]);
    const { datagrams, summary } = collectUdpDatagrams(file);
    expect(summary.format).toBe('pcap');
    expect(datagrams).toHaveLength(1);
    expect(datagrams[0]).toMatchObject({ frame: 1, srcIp: '10.0.0.1', dstIp: '10.0.0.255', srcPort: 1234, dstPort: 50002 });
    expect(datagrams[0]?.payload.equals(payload)).toBe(true);
  });

  it('keeps only the low 16 bits of the link type field (the rest carries FCS information)', () => {
    const file = Buffer.concat([pcapHeader('le', false, 0x1400_0000 | LINKTYPE_ETHERNET), pcapRecord('le', 1, 0, packet)]);
    expect((frames(file)[0] as CaptureFrame).linkType).toBe(LINKTYPE_ETHERNET);
  });

  it('reports a record cut short by the end of the file, after the intact records', () => {
    const whole = Buffer.concat([pcapHeader('le', false, LINKTYPE_ETHERNET), pcapRecord('le', 1, 0, packet), pcapRecord('le', 2, 0, packet)]);
    const cut = whole.subarray(0, whole.length - 5);
    const out = frames(cut);
    expect(out).toHaveLength(2);
    const err = out[1] as CaptureError;
    expect(err).toBeInstanceOf(CaptureError);
    expect(err).toMatchObject({ code: 'truncated', fatal: true, frame: 2, offset: 24 + 16 + packet.length });
    const headerCut = whole.subarray(0, 24 + 16 + packet.length + 10);
    expect(frames(headerCut)[1]).toMatchObject({ code: 'truncated', offset: 24 + 16 + packet.length });
  });

  it('rejects short, foreign and future-version files with an error value', () => {
    expect(frames(pcapHeader('le', false, 1).subarray(0, 10))).toEqual([expect.objectContaining({ code: 'truncated', offset: 0 })]);
    expect(frames(Buffer.from('hello world, not a capture'))).toEqual([
      expect.objectContaining({ code: 'unknown-format', offset: 0, fatal: true }),
    ]);
    expect(frames(Buffer.alloc(0))).toEqual([expect.objectContaining({ code: 'unknown-format' })]);
    expect(frames(pcapHeader('be', false, 1, 3))).toEqual([expect.objectContaining({ code: 'unsupported-version' })]);
  });

  it('reads an empty capture as no frames', () => {
    const it = readUdpDatagrams(pcapHeader('le', true, LINKTYPE_ETHERNET));
    const step = it.next();
    expect(step.done).toBe(true);
    expect(step.value).toMatchObject({ format: 'pcap', frames: 0, udp: 0, fatal: null });
  });
});
