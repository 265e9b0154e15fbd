import { decodePacket, PACKET_TABLE, packetEntryFor } from '../../../src/prolink/packets/dispatch';
import { PacketError } from '../../../src/prolink/packets/errors';
import type { Packet } from '../../../src/prolink/packets/packet';
import { PACKET_CASES } from './cases';

function decoded(port: number, bytes: Buffer): Packet {
  const result = decodePacket(port, bytes);
  if (result instanceof PacketError) throw new Error(`unexpected ${result.toString()}`);
  return result;
}

describe('decodePacket on the byte-level cases', () => {
  it.each(PACKET_CASES.map((c) => [c.label, c] as const))('%s', (_label, c) => {
    const packet = decoded(c.port, c.bytes);
    expect(packet).toMatchObject(c.expect);
    expect(packet.port).toBe(c.port);
    expect(packet.type).toBe(c.bytes[0x0a]);
    expect(packet.length).toBe(c.bytes.length);
    expect(packet.kind).toBe(packetEntryFor(c.port, c.bytes[0x0a] as number)?.kind ?? 'unknown');
  });
});

describe('dispatch table completeness', () => {
  it('has no duplicate (port, type) pairs', () => {
    const keys = PACKET_TABLE.map((e) => `${e.port}/${e.type}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(PACKET_TABLE.map((e) => [`${e.port}/0x${e.type.toString(16).padStart(2, '0')} ${e.kind}`, e] as const))(
    '%s has at least one byte-level case',
    (_label, e) => {
      const cases = PACKET_CASES.filter((c) => c.port === e.port && c.bytes[0x0a] === e.type);
      expect(cases.length).toBeGreaterThan(0);
      for (const c of cases) expect(decoded(c.port, c.bytes).kind).toBe(e.kind);
    },
  );

  it('the same type byte means different things on different ports (§1.2)', () => {
    const keepAlive = PACKET_CASES.find((c) => c.port === 50000 && c.bytes[0x0a] === 0x06);
    const media = PACKET_CASES.find((c) => c.port === 50002 && c.bytes[0x0a] === 0x06);
    expect(keepAlive && decoded(50000, keepAlive.bytes).kind).toBe('keepAlive');
    expect(media && decoded(50002, media.bytes).kind).toBe('mediaResponse');
    // Offered on the wrong port, a keep-alive is not mistaken for a media response.
    expect(keepAlive && decodePacket(50002, keepAlive.bytes)).toBeInstanceOf(PacketError);
  });
});

describe('truncated cases', () => {
  it.each(PACKET_CASES.map((c) => [c.label, c] as const))('%s: every prefix decodes or is too-short', (_l, c) => {
    const kind = decoded(c.port, c.bytes).kind;
    let firstDecoded: number | null = null;
    for (let n = 0; n < c.bytes.length; n++) {
      const result = decodePacket(c.port, c.bytes.subarray(0, n));
      if (result instanceof PacketError) {
        expect(result.code).toBe('too-short');
        expect(result.length).toBe(n);
        expect(result.type).toBe(n > 0x0a ? c.bytes[0x0a] : null);
        // Once a prefix decodes, every longer prefix decodes too.
        expect(firstDecoded).toBeNull();
      } else {
        expect(result.kind).toBe(kind);
        firstDecoded ??= n;
      }
    }
  });
});

describe('foreign datagrams', () => {
  it('reports a missing magic as bad-magic on every port', () => {
    const bytes = Buffer.from(PACKET_CASES[0]?.bytes ?? []);
    bytes.writeUInt8(bytes.readUInt8(3) ^ 0xff, 3);
    for (const port of [50000, 50001, 50002, 50004]) {
      const result = decodePacket(port, bytes);
      expect(result).toBeInstanceOf(PacketError);
      expect((result as PacketError).code).toBe('bad-magic');
      expect((result as PacketError).port).toBe(port);
    }
  });
});
