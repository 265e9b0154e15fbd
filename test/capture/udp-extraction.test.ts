import {
  collectUdpDatagrams,
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from '../../src/capture';
import { epb, ethernet, idb, ipv4, shb, udp } from './builders';

const payload = Buffer.from('Qspt1WmJOL\x28payload');

/** A one-interface little-endian pcapng holding `packets` on `linkType`. */
function capture(linkType: number, ...packets: Buffer[]): Buffer {
  return Buffer.concat([shb('le'), idb('le', linkType), ...packets.map((p, i) => epb('le', 0, BigInt(i), p))]);
}

function sll(ip: Buffer, protocol = 0x0800): Buffer {
  const h = Buffer.alloc(16);
  h.writeUInt16BE(0x0001, 0); // broadcast
  h.writeUInt16BE(1, 2); // ARPHRD_ETHER
  h.writeUInt16BE(6, 4);
  Buffer.from('745e1c56f4b5', 'hex').copy(h, 6);
  h.writeUInt16BE(protocol, 14);
  return Buffer.concat([h, ip]);
}

function sll2(ip: Buffer, protocol = 0x0800): Buffer {
  const h = Buffer.alloc(20);
  h.writeUInt16BE(protocol, 0);
  h.writeUInt32BE(3, 4); // interface index
  h.writeUInt16BE(1, 8);
  h[10] = 1;
  h[11] = 6;
  return Buffer.concat([h, ip]);
}

function family(value: number, le: boolean): Buffer {
  const h = Buffer.alloc(4);
  if (le) h.writeUInt32LE(value);
  else h.writeUInt32BE(value);
  return h;
}

describe('link layers', () => {
  const ip = ipv4(udp(40000, 50001, payload), { src: [169, 254, 1, 2], dst: [169, 254, 255, 255] });

  it.each([
    ['Ethernet II', LINKTYPE_ETHERNET, ethernet(ip)],
    ['802.1Q VLAN', LINKTYPE_ETHERNET, ethernet(ip, 0x0800, [0x8100])],
    ['stacked 802.1ad + 802.1Q', LINKTYPE_ETHERNET, ethernet(ip, 0x0800, [0x88a8, 0x8100])],
    ['Linux cooked v1', LINKTYPE_LINUX_SLL, sll(ip)],
    ['Linux cooked v2', LINKTYPE_LINUX_SLL2, sll2(ip)],
    ['raw IP', LINKTYPE_RAW, ip],
    ['raw IPv4', LINKTYPE_IPV4, ip],
    ['BSD null, little-endian host', LINKTYPE_NULL, Buffer.concat([family(2, true), ip])],
    ['BSD null, big-endian host', LINKTYPE_NULL, Buffer.concat([family(2, false), ip])],
    ['OpenBSD loop', LINKTYPE_LOOP, Buffer.concat([family(2, false), ip])],
  ])('finds the UDP datagram behind %s', (_name, linkType, frame) => {
    const { datagrams, summary } = collectUdpDatagrams(capture(linkType, frame));
    expect(summary).toMatchObject({ frames: 1, udp: 1, malformed: 0 });
    expect(datagrams[0]).toMatchObject({
      frame: 1,
      srcIp: '169.254.1.2',
      dstIp: '169.254.255.255',
      srcPort: 40000,
      dstPort: 50001,
      truncated: false,
    });
    expect(datagrams[0]?.payload.equals(payload)).toBe(true);
  });

  it('skips and counts what is not IPv4', () => {
    const ipv6 = Buffer.alloc(48);
    ipv6[0] = 0x60;
    const { datagrams, summary } = collectUdpDatagrams(
      Buffer.concat([
        shb('le'),
        idb('le', LINKTYPE_ETHERNET),
        idb('le', LINKTYPE_RAW),
        idb('le', LINKTYPE_LINUX_SLL),
        idb('le', LINKTYPE_NULL),
        idb('le', 147), // a user link type
        epb('le', 0, 1n, ethernet(Buffer.alloc(28), 0x0806)), // ARP
        epb('le', 0, 2n, ethernet(ipv6, 0x86dd)),
        epb('le', 1, 3n, ipv6),
        epb('le', 2, 4n, sll(ipv6, 0x86dd)),
        epb('le', 3, 5n, Buffer.concat([family(30, true), ipv6])), // AF_INET6 on macOS
        epb('le', 4, 6n, ip),
      ]),
    );
    expect(datagrams).toEqual([]);
    expect(summary).toMatchObject({ frames: 6, notIpv4: 5, unsupportedLink: 1, malformed: 0 });
  });

  it('reports frames too short for their link header as bad packets with their offset', () => {
    const file = capture(LINKTYPE_ETHERNET, Buffer.alloc(10));
    const { errors, summary } = collectUdpDatagrams(file);
    expect(errors).toEqual([expect.objectContaining({ code: 'bad-packet', frame: 1, fatal: false, offset: file.length - 4 - 12 })]);
    expect(summary.malformed).toBe(1);
  });
});

describe('IPv4 and UDP headers', () => {
  it('steps over IPv4 options using the header length', () => {
    const routerAlert = Buffer.from([0x94, 0x04, 0x00, 0x00, 0x01, 0x01, 0x01, 0x00]); // router alert + NOPs + end
    const { datagrams } = collectUdpDatagrams(capture(LINKTYPE_RAW, ipv4(udp(1, 50000, payload), { options: routerAlert })));
    expect(datagrams[0]?.payload.equals(payload)).toBe(true);
  });

  it('ignores Ethernet padding and FCS beyond the IPv4 total length', () => {
    const tiny = Buffer.from('hi');
    const frame = Buffer.concat([ethernet(ipv4(udp(1, 2, tiny))), Buffer.alloc(16, 0xee)]);
    const { datagrams } = collectUdpDatagrams(capture(LINKTYPE_ETHERNET, frame));
    expect(datagrams[0]?.payload.toString()).toBe('hi');
  });

  it('trusts the frame when the total length is zero (captured before segmentation offload)', () => {
    const { datagrams } = collectUdpDatagrams(capture(LINKTYPE_RAW, ipv4(udp(1, 2, payload), { totalLength: 0 })));
    expect(datagrams[0]?.payload.equals(payload)).toBe(true);
  });

  it('marks datagrams cut by the snap length as truncated', () => {
    const full = ipv4(udp(1, 50002, payload));
    const file = Buffer.concat([shb('le'), idb('le', LINKTYPE_RAW), epb('le', 0, 1n, full.subarray(0, full.length - 5), full.length)]);
    const { datagrams, summary } = collectUdpDatagrams(file);
    expect(datagrams[0]).toMatchObject({ truncated: true });
    expect(datagrams[0]?.payload.equals(payload.subarray(0, payload.length - 5))).toBe(true);
    expect(summary.truncated).toBe(1);
  });

  it('keeps a first fragment (truncated) and skips and counts the others', () => {
    const big = Buffer.alloc(100, 7);
    const whole = udp(1, 50002, big);
    const first = ipv4(whole.subarray(0, 48), { flagsFragment: 0x2000 }); // MF, offset 0
    const middle = ipv4(whole.subarray(48, 96), { flagsFragment: 0x2000 | 6 }); // MF, offset 48 bytes
    const last = ipv4(whole.subarray(96), { flagsFragment: 12 });
    const { datagrams, summary } = collectUdpDatagrams(capture(LINKTYPE_RAW, first, middle, last));
    expect(datagrams).toHaveLength(1);
    expect(datagrams[0]).toMatchObject({ frame: 1, truncated: true });
    expect(datagrams[0]?.payload.length).toBe(40);
    expect(summary).toMatchObject({ frames: 3, udp: 1, fragments: 2, truncated: 1 });
  });

  it('skips and counts IPv4 that is not UDP', () => {
    const tcp = ipv4(Buffer.alloc(20), { protocol: 6 });
    const igmp = ipv4(Buffer.alloc(8), { protocol: 2 });
    const { datagrams, summary } = collectUdpDatagrams(capture(LINKTYPE_RAW, tcp, igmp));
    expect(datagrams).toEqual([]);
    expect(summary.notUdp).toBe(2);
  });

  it.each([
    ['a header length below 20', (ip: Buffer) => (ip[0] = 0x44), 0],
    ['options longer than the frame', (ip: Buffer) => (ip[0] = 0x4f), 0],
    ['a total length shorter than the header', (ip: Buffer) => ip.writeUInt16BE(12, 2), 0],
    ['a UDP length below 8', (ip: Buffer) => ip.writeUInt16BE(4, 24), 20],
    ['a total length leaving no room for the UDP header', (ip: Buffer) => ip.writeUInt16BE(24, 2), 20],
  ])('reports %s as a bad packet at the faulty header and carries on', (_what, damage, headerAt) => {
    const broken = ipv4(udp(1, 2, payload));
    damage(broken);
    const file = capture(LINKTYPE_RAW, broken, ipv4(udp(1, 2, payload)));
    const { datagrams, errors, summary } = collectUdpDatagrams(file);
    const firstDataAt = file.indexOf(broken);
    expect(errors).toEqual([expect.objectContaining({ code: 'bad-packet', frame: 1, fatal: false, offset: firstDataAt + headerAt })]);
    expect(datagrams.map((d) => d.frame)).toEqual([2]);
    expect(summary).toMatchObject({ frames: 2, malformed: 1, udp: 1 });
  });

  it('reports a raw-IP frame with another version as not IPv4, and an Ethernet IPv4 frame holding version 6 as bad', () => {
    const v6 = Buffer.alloc(40);
    v6[0] = 0x60;
    expect(collectUdpDatagrams(capture(LINKTYPE_RAW, v6)).summary.notIpv4).toBe(1);
    expect(collectUdpDatagrams(capture(LINKTYPE_ETHERNET, ethernet(v6))).errors[0]?.code).toBe('bad-packet');
  });
});
