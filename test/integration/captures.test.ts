/**
 * Every Pro DJ Link datagram of the five real captures through the codec:
 * nothing fails, the (port, type) counts equal the capture authors' tshark
 * counts (fixtures PROVENANCE §1–§2), and packets the encoders can express
 * re-encode to the captured bytes.
 */
import {
  PacketError,
  encodeCdjKeepAlive,
  encodeClaim1,
  encodeClaim2,
  encodeClaim3,
  encodeConflict,
  encodeHello,
  encodeLightingKeepAlive,
  encodeStatusRequest,
  type DeviceType,
  type Packet,
} from '../../src/prolink/packets';
import { CAPTURE_NAMES, decodeCapture, packetsOf, proDjLinkPortDatagrams, type CaptureName } from '../capture/prolink-datagrams';

/** PROVENANCE §1–§2: datagrams per `port/type`. */
const EXPECTED_COUNTS: Record<CaptureName, Record<string, number>> = {
  powerup: {
    '50000/0x0a': 9, '50000/0x00': 5, '50000/0x02': 3, '50000/0x04': 5, '50000/0x06': 54,
    '50001/0x03': 167, '50001/0x28': 102,
  },
  toVirtual: {
    '50000/0x06': 16,
    '50001/0x03': 23, '50001/0x28': 14,
    '50002/0x0a': 70, '50002/0x29': 35,
  },
  linkInfo: {
    '50000/0x00': 1, '50000/0x01': 1, '50000/0x02': 1, '50000/0x03': 1, '50000/0x04': 1, '50000/0x05': 1,
    '50000/0x06': 76, '50000/0x0a': 3,
    '50001/0x03': 186, '50001/0x28': 112,
    '50002/0x05': 2, '50002/0x06': 2, '50002/0x0a': 738, '50002/0x29': 192,
  },
  linkInfo2: {
    '50000/0x06': 98,
    '50001/0x03': 218, '50001/0x28': 131,
    '50002/0x0a': 1359, '50002/0x29': 326,
  },
  nxs2: {
    '50000/0x00': 21, '50000/0x02': 53, '50000/0x04': 16, '50000/0x05': 15, '50000/0x06': 2076, '50000/0x08': 3,
    '50000/0x0a': 18,
    '50001/0x28': 5194, '50001/0x02': 4,
    '50002/0x0a': 3342, '50002/0x29': 910, '50002/0x05': 2, '50002/0x06': 2, '50002/0x10': 2, '50002/0x11': 2,
    '50002/0x16': 6, '50002/0x46': 4, '50002/0x47': 2,
  },
};

/** PROVENANCE §1–§2: datagram lengths where the authors state them, as `port/type` → length → count. */
const EXPECTED_LENGTHS: Partial<Record<CaptureName, Record<string, Record<number, number>>>> = {
  powerup: {
    '50000/0x0a': { 37: 9 }, '50000/0x00': { 44: 5 }, '50000/0x02': { 50: 3 }, '50000/0x04': { 38: 5 },
    '50000/0x06': { 54: 54 }, '50001/0x03': { 45: 167 }, '50001/0x28': { 96: 102 },
  },
  toVirtual: { '50002/0x0a': { 212: 70 }, '50002/0x29': { 56: 35 } },
  linkInfo: { '50002/0x05': { 48: 2 }, '50002/0x06': { 192: 2 }, '50002/0x0a': { 212: 738 }, '50002/0x29': { 56: 192 } },
  linkInfo2: { '50002/0x0a': { 212: 1359 }, '50002/0x29': { 56: 326 } },
  nxs2: {
    '50000/0x06': { 54: 2029, 100: 28, 132: 19 }, '50000/0x08': { 41: 3 },
    '50001/0x28': { 96: 5194 }, '50001/0x02': { 40: 4 },
    '50002/0x0a': { 292: 3342 }, '50002/0x29': { 56: 910 }, '50002/0x10': { 36: 2 }, '50002/0x11': { 296: 2 },
  },
};

/** What each (port, type) must decode as: the protocol doc's names (§1.2), 'unknown' for the undocumented ones. */
const EXPECTED_KINDS: Record<string, Packet['kind']> = {
  '50000/0x00': 'claim1', '50000/0x01': 'assignIntent', '50000/0x02': 'claim2', '50000/0x03': 'assignment',
  '50000/0x04': 'claim3', '50000/0x05': 'assignmentDone', '50000/0x06': 'keepAlive', '50000/0x08': 'conflict',
  '50000/0x0a': 'hello',
  '50001/0x02': 'faderStart', '50001/0x03': 'onAir', '50001/0x28': 'beat',
  '50002/0x05': 'mediaQuery', '50002/0x06': 'mediaResponse', '50002/0x0a': 'cdjStatus', '50002/0x10': 'opusHello',
  '50002/0x11': 'statusRequest', '50002/0x29': 'mixerStatus',
  '50002/0x16': 'unknown', '50002/0x46': 'unknown', '50002/0x47': 'unknown',
};

const key = (port: number, type: number): string => `${port}/0x${type.toString(16).padStart(2, '0')}`;

describe.each(CAPTURE_NAMES)('capture %s through the codec', (name) => {
  const decoded = decodeCapture(name);

  it('has the magic on every datagram sent to ports 50000-50002', () => {
    expect(decoded).toHaveLength(proDjLinkPortDatagrams(name).length);
  });

  it('decodes every datagram without a PacketError', () => {
    const errors = decoded
      .filter((d) => d.result instanceof PacketError)
      .map((d) => `frame ${d.datagram.frame}: ${String(d.result)}`);
    expect(errors).toEqual([]);
  });

  it('counts datagrams per (port, type) exactly as the capture authors did', () => {
    const counts: Record<string, number> = {};
    for (const { packet } of packetsOf(decoded)) {
      const k = key(packet.port, packet.type);
      counts[k] = (counts[k] ?? 0) + 1;
    }
    expect(counts).toEqual(EXPECTED_COUNTS[name]);
  });

  it('has the datagram lengths the authors list', () => {
    const expected = EXPECTED_LENGTHS[name] ?? {};
    for (const [k, lengths] of Object.entries(expected)) {
      const seen: Record<number, number> = {};
      for (const { packet } of packetsOf(decoded)) {
        if (key(packet.port, packet.type) === k) seen[packet.length] = (seen[packet.length] ?? 0) + 1;
      }
      expect({ [k]: seen }).toEqual({ [k]: lengths });
    }
  });

  it('decodes each (port, type) as its kind, with its type byte and length', () => {
    const wrong = packetsOf(decoded)
      .filter(({ packet, payload }) =>
        packet.kind !== EXPECTED_KINDS[key(packet.port, packet.type)] || packet.length !== payload.length || packet.type !== payload[0x0a],
      )
      .map(({ frame, packet }) => `frame ${frame} ${key(packet.port, packet.type)} ${packet.kind}`);
    expect(wrong).toEqual([]);
  });
});

type KnownDeviceType = Exclude<DeviceType, 'unknown'>;

/** Encoder input for a decoded packet, or null where no encoder expresses it. */
function reencode(packet: Packet): Buffer | null {
  const known = (t: DeviceType): KnownDeviceType | null => (t === 'unknown' ? null : t);
  switch (packet.kind) {
    case 'hello': {
      const deviceType = known(packet.deviceType);
      return deviceType === null ? null : encodeHello({ name: packet.name, deviceType, cdj3000Compatible: packet.cdj3000Compatible });
    }
    case 'claim1': {
      const deviceType = known(packet.deviceType);
      if (deviceType === null) return null;
      return encodeClaim1({ name: packet.name, sequence: packet.sequence, mac: packet.mac, deviceType, cdj3000Compatible: packet.structure === 3 });
    }
    case 'claim2': {
      const deviceType = known(packet.deviceType);
      if (deviceType === null) return null;
      return encodeClaim2({
        name: packet.name, ip: packet.ip, mac: packet.mac, device: packet.device, sequence: packet.sequence,
        autoAssign: packet.autoAssign, deviceType, assignmentRequest: packet.assignmentRequest,
        cdj3000Compatible: packet.structure === 3,
      });
    }
    case 'claim3':
      return encodeClaim3({ name: packet.name, device: packet.device, sequence: packet.sequence, cdj3000Compatible: packet.structure === 3 });
    case 'conflict':
      return encodeConflict({ name: packet.name, device: packet.device, ip: packet.ip, cdj3000Compatible: packet.structure === 3 });
    case 'keepAlive':
      // The player encoder covers the classic and CDJ-3000 templates; mixers, rekordbox and
      // the NXS2's 0x20 variant / peer-table forms have no encoder.
      if (packet.deviceType !== 'player' || packet.extra !== null || (packet.variant !== 0x00 && packet.variant !== 0x64)) return null;
      return encodeCdjKeepAlive({
        name: packet.name, device: packet.device, mac: packet.mac, ip: packet.ip, peerCount: packet.peerCount,
        byte25: packet.byte25, cdj3000Compatible: packet.variant === 0x64,
      });
    case 'statusRequest':
      return encodeStatusRequest({ hostName: packet.hostName, device: packet.device, name: packet.name });
    default:
      return null;
  }
}

describe('re-encoding captured packets', () => {
  const tally: Record<string, number> = {};
  const mismatches: string[] = [];
  const noEncoder = new Set<string>();
  for (const name of CAPTURE_NAMES) {
    for (const { frame, packet, payload } of packetsOf(decodeCapture(name))) {
      const bytes = reencode(packet);
      if (bytes === null) {
        if (packet.kind === 'keepAlive') {
          noEncoder.add(`${packet.name} ${packet.deviceType} 0x35=${packet.variant.toString(16)} ${packet.length} B`);
        }
        continue;
      }
      tally[packet.kind] = (tally[packet.kind] ?? 0) + 1;
      if (!bytes.equals(payload)) mismatches.push(`${name} frame ${frame} ${packet.kind}`);
    }
  }

  it('reproduces every captured hello, claim, conflict, player keep-alive and status request byte for byte', () => {
    expect(mismatches).toEqual([]);
    // Every kind with an encoder was exercised by real packets.
    expect(Object.keys(tally).sort()).toEqual(['claim1', 'claim2', 'claim3', 'conflict', 'hello', 'keepAlive', 'statusRequest']);
  });

  it('leaves only the keep-alive forms no encoder is meant for', () => {
    expect([...noEncoder].sort()).toEqual([
      'CDJ-2000NXS2 player 0x35=20 100 B', // peer-table variants (PROVENANCE §2)
      'CDJ-2000NXS2 player 0x35=20 132 B',
      'CDJ-2000NXS2 player 0x35=20 54 B',
      'DJM-2000nexus mixer 0x35=0 54 B',
      'VCDJ-2000NXS2 player 0x35=20 54 B',
      'rekordbox rekordbox 0x35=8 54 B',
    ]);
  });

  it("rekordbox's captured keep-alive differs from the lighting template only in the peer count at 0x30", () => {
    const ka = packetsOf(decodeCapture('nxs2')).find((p) => p.packet.kind === 'keepAlive' && p.packet.name === 'rekordbox');
    if (ka === undefined || ka.packet.kind !== 'keepAlive') throw new Error('no rekordbox keep-alive in the capture');
    expect(ka.packet).toMatchObject({ device: 41, deviceType: 'rekordbox', ip: '192.168.0.103', mac: '04:ea:56:e6:43:2b' });
    const template = encodeLightingKeepAlive({ mac: ka.packet.mac, ip: ka.packet.ip, device: ka.packet.device });
    const differing = [...template.keys()].filter((i) => template[i] !== ka.payload[i]);
    expect(differing).toEqual([0x30]);
    expect([ka.payload[0x30], template[0x30]]).toEqual([0x01, 0x04]);
  });
});
