import { CaptureError, readFrames, collectUdpDatagrams, LINKTYPE_ETHERNET, LINKTYPE_RAW, LINKTYPE_LINUX_SLL } from '../../src/capture';
import type { CaptureFrame } from '../../src/capture';
import { block, epb, ethernet, idb, ipv4, pb, shb, spb, tsoffset, tsresol, udp, type Endian } from './builders';

function frames(file: Buffer): (CaptureFrame | CaptureError)[] {
  return [...readFrames(file)];
}
function okFrames(file: Buffer): CaptureFrame[] {
  const out = frames(file);
  expect(out.filter((f) => f instanceof CaptureError)).toEqual([]);
  return out as CaptureFrame[];
}

const packet = ethernet(ipv4(udp(50000, 50000, Buffer.from('keep-alive'))));

describe('pcapng', () => {
  it.each<Endian>(['le', 'be'])('reads a %s-endian section with the default microsecond resolution', (e) => {
    const file = Buffer.concat([shb(e), idb(e, LINKTYPE_ETHERNET), epb(e, 0, 1_700_000_000_123_456n, packet)]);
    const [f] = okFrames(file);
    expect(f).toMatchObject({ frame: 1, linkType: LINKTYPE_ETHERNET, interfaceId: 0, timestampNs: 1_700_000_000_123_456_000n });
    expect(f?.data.equals(packet)).toBe(true);
  });

  it('honours if_tsresol as a power of ten or of two, and if_tsoffset in seconds', () => {
    const e: Endian = 'le';
    const file = Buffer.concat([
      shb(e),
      idb(e, LINKTYPE_ETHERNET, 0, [tsresol(9)]),
      idb(e, LINKTYPE_ETHERNET, 0, [tsresol(0x80 | 10)]), // 1/1024 s
      idb(e, LINKTYPE_ETHERNET, 0, [tsresol(3), tsoffset(e, 100n)]),
      epb(e, 0, 5_000_000_001n, packet),
      epb(e, 1, 1024n * 3n + 512n, packet),
      epb(e, 2, 2_500n, packet),
    ]);
    expect(okFrames(file).map((f) => [f.interfaceId, f.timestampNs])).toEqual([
      [0, 5_000_000_001n],
      [1, 3_500_000_000n],
      [2, 102_500_000_000n],
    ]);
  });

  it('reads simple packet blocks (no timestamp, cut to the snap length) and obsolete packet blocks', () => {
    const e: Endian = 'be';
    const file = Buffer.concat([
      shb(e),
      idb(e, LINKTYPE_ETHERNET, 30),
      spb(e, packet),
      pb(e, 0, 7_000_000n, packet),
    ]);
    const [simple, old] = okFrames(file);
    expect(simple).toMatchObject({ frame: 1, timestampNs: null, interfaceId: 0, originalLength: packet.length });
    expect(simple?.data.equals(packet.subarray(0, 30))).toBe(true);
    expect(old).toMatchObject({ frame: 2, timestampNs: 7_000_000_000n });
    expect(old?.data.equals(packet)).toBe(true);
  });

  it('skips unknown blocks by their length without counting them as frames', () => {
    const e: Endian = 'le';
    const file = Buffer.concat([
      shb(e, [{ code: 4, value: Buffer.from('tests') }]),
      idb(e, LINKTYPE_ETHERNET),
      block(e, 5, Buffer.alloc(20, 0xaa)), // interface statistics
      block(e, 0x0bad, Buffer.from('custom block body')),
      epb(e, 0, 1n, packet),
      block(e, 4, Buffer.alloc(8)), // name resolution
      epb(e, 0, 2n, packet),
    ]);
    expect(okFrames(file).map((f) => f.frame)).toEqual([1, 2]);
  });

  it('starts afresh at each section: byte order and interface numbering', () => {
    const rawPacket = ipv4(udp(1, 50002, Buffer.from('x')));
    const file = Buffer.concat([
      shb('le'),
      idb('le', LINKTYPE_ETHERNET),
      epb('le', 0, 1n, packet),
      shb('be'),
      idb('be', LINKTYPE_RAW, 0, [tsresol(9)]),
      idb('be', LINKTYPE_LINUX_SLL),
      epb('be', 0, 2n, rawPacket),
    ]);
    const out = okFrames(file);
    expect(out.map((f) => [f.frame, f.linkType, f.interfaceId, f.timestampNs])).toEqual([
      [1, LINKTYPE_ETHERNET, 0, 1000n],
      [2, LINKTYPE_RAW, 0, 2n],
    ]);
    const { datagrams } = collectUdpDatagrams(file);
    expect(datagrams.map((d) => d.dstPort)).toEqual([50000, 50002]);
  });

  it('reports a packet on an undeclared interface and carries on', () => {
    const e: Endian = 'le';
    const file = Buffer.concat([shb(e), idb(e, LINKTYPE_ETHERNET), epb(e, 3, 1n, packet), epb(e, 0, 2n, packet)]);
    const out = frames(file);
    expect(out[0]).toMatchObject({ code: 'unknown-interface', frame: 1, fatal: false, offset: shb(e).length + idb(e, 1).length });
    expect(out[1]).toMatchObject({ frame: 2 });
    const { summary } = collectUdpDatagrams(file);
    expect(summary).toMatchObject({ frames: 2, udp: 1, malformed: 1, fatal: null });
  });

  it('ignores options that overrun their block and keeps the interface', () => {
    const e: Endian = 'le';
    const badIdb = idb(e, LINKTYPE_ETHERNET, 0, [tsresol(9)]);
    badIdb.writeUInt16LE(200, 16 + 2); // tsresol claims 200 bytes
    const out = frames(Buffer.concat([shb(e), badIdb, epb(e, 0, 1n, packet)]));
    expect(out[0]).toMatchObject({ code: 'bad-option', fatal: false, frame: null });
    expect(out[1]).toMatchObject({ frame: 1, timestampNs: 1000n });
  });

  describe('damaged files end with one fatal error at the right offset', () => {
    const e: Endian = 'le';
    const head = Buffer.concat([shb(e), idb(e, LINKTYPE_ETHERNET)]);
    const good = epb(e, 0, 1n, packet);

    it('a block cut by the end of the file', () => {
      const file = Buffer.concat([head, good, good]).subarray(0, head.length + good.length * 2 - 3);
      const out = frames(file);
      expect(out).toHaveLength(2);
      expect(out[1]).toMatchObject({ code: 'truncated', fatal: true, offset: head.length + good.length });
      expect(frames(Buffer.concat([head, good.subarray(0, 6)]))[0]).toMatchObject({ code: 'truncated', offset: head.length });
    });

    it('a trailer that disagrees with the header length', () => {
      const bad = Buffer.from(good);
      bad.writeUInt32LE(good.length + 4, bad.length - 4);
      expect(frames(Buffer.concat([head, bad, good]))).toEqual([
        expect.objectContaining({ code: 'bad-block-length', offset: head.length, fatal: true }),
      ]);
    });

    it('a length that is unaligned or too small', () => {
      for (const length of [8, 13]) {
        const bad = Buffer.from(good);
        bad.writeUInt32LE(length, 4);
        expect(frames(Buffer.concat([head, bad]))[0]).toMatchObject({ code: 'bad-block-length', offset: head.length });
      }
    });

    it('a captured length larger than its block', () => {
      const bad = Buffer.from(good);
      bad.writeUInt32LE(packet.length + 100, 20);
      expect(frames(Buffer.concat([head, bad]))[0]).toMatchObject({ code: 'bad-block-length', frame: 1, offset: head.length });
    });

    it('an enhanced packet block too short for its fixed fields', () => {
      expect(frames(Buffer.concat([head, block(e, 6, Buffer.alloc(8))]))[0]).toMatchObject({ code: 'bad-block-length', frame: 1 });
    });

    it('an unknown byte-order magic or major version', () => {
      const badBom = shb(e);
      badBom.writeUInt32LE(0x12345678, 8);
      expect(frames(badBom)).toEqual([expect.objectContaining({ code: 'bad-byte-order', offset: 0 })]);
      const v2 = shb(e);
      v2.writeUInt16LE(2, 12);
      expect(frames(Buffer.concat([head, good, v2]))[1]).toMatchObject({ code: 'unsupported-version', offset: head.length + good.length });
    });
  });
});
