import fc from 'fast-check';
import { decodePacket, packetEntryFor } from '../../../src/prolink/packets/dispatch';
import { PacketError, type PacketErrorCode } from '../../../src/prolink/packets/errors';
import { PACKET_KINDS, type Packet } from '../../../src/prolink/packets/packet';
import { encodeCdjKeepAlive, encodeLightingKeepAlive } from '../../../src/prolink/packets/keep-alive';
import {
  encodeClaim1,
  encodeClaim2,
  encodeClaim3,
  encodeConflict,
  encodeHello,
} from '../../../src/prolink/packets/claim-encode';
import { encodeStatusRequest } from '../../../src/prolink/packets/status-request';
import { encodeConstantPhraseRequest, encodePhraseRequest } from '../../../src/prolink/packets/phrase-request';
import { PACKET_CASES } from './cases';

const ERROR_CODES: Readonly<Record<PacketErrorCode, true>> = {
  'too-short': true,
  'bad-magic': true,
  'bad-length': true,
  'bad-value': true,
};
const PORTS = [50000, 50001, 50002, 50004] as const;
const MAGIC = Buffer.from('Qspt1WmJOL', 'latin1');
const MAC = '00:e0:4c:65:3b:75';
const IP = '192.168.112.173';

/** Every real packet of the fixture files, the doc-table packets, and encoder outputs. */
const CORPUS: readonly Buffer[] = [
  ...PACKET_CASES.map((c) => c.bytes),
  encodeLightingKeepAlive({ mac: MAC, ip: IP }),
  encodeCdjKeepAlive({ name: 'prolink-bridge', device: 7, mac: MAC, ip: IP, cdj3000Compatible: true }),
  encodeStatusRequest({ hostName: 'macbook pro' }),
  encodePhraseRequest({ trackId: 184, deckDevice: 9 }),
  encodeConstantPhraseRequest(),
  encodeHello({ name: 'prolink-bridge', cdj3000Compatible: true }),
  encodeClaim1({ name: 'prolink-bridge', sequence: 1, mac: MAC }),
  encodeClaim2({ name: 'prolink-bridge', ip: IP, mac: MAC, device: 7, sequence: 1, autoAssign: true }),
  encodeClaim3({ name: 'prolink-bridge', device: 7, sequence: 1 }),
  encodeConflict({ name: 'prolink-bridge', device: 7, ip: IP }),
];

type Mutation =
  | { readonly op: 'truncate'; readonly at: number }
  | { readonly op: 'flip'; readonly flips: readonly { readonly index: number; readonly bit: number }[] }
  | { readonly op: 'set'; readonly sets: readonly { readonly index: number; readonly value: number }[] }
  | { readonly op: 'retype'; readonly value: number }
  | { readonly op: 'extend'; readonly tail: Uint8Array }
  | { readonly op: 'splice'; readonly at: number; readonly bytes: Uint8Array };

const byte = fc.integer({ min: 0, max: 255 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('flip' as const),
    flips: fc.array(fc.record({ index: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }), {
      minLength: 1,
      maxLength: 8,
    }),
  }),
  fc.record({
    op: fc.constant('set' as const),
    sets: fc.array(fc.record({ index: fc.nat(), value: byte }), { minLength: 1, maxLength: 16 }),
  }),
  fc.record({ op: fc.constant('retype' as const), value: byte }),
  fc.record({ op: fc.constant('extend' as const), tail: fc.uint8Array({ maxLength: 64 }) }),
  fc.record({
    op: fc.constant('splice' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 32 }),
  }),
);

function mutate(source: Buffer, m: Mutation): Buffer {
  const copy = Buffer.from(source);
  switch (m.op) {
    case 'truncate':
      return copy.subarray(0, m.at % (copy.length + 1));
    case 'flip':
      for (const f of m.flips) {
        const at = f.index % copy.length;
        copy.writeUInt8(copy.readUInt8(at) ^ (1 << f.bit), at);
      }
      return copy;
    case 'set':
      for (const s of m.sets) copy[s.index % copy.length] = s.value;
      return copy;
    case 'retype':
      copy[0x0a] = m.value;
      return copy;
    case 'extend':
      return Buffer.concat([copy, m.tail]);
    case 'splice': {
      const at = m.at % (copy.length + 1);
      return Buffer.concat([copy.subarray(0, at), m.bytes, copy.subarray(at)]);
    }
  }
}

/** Numbers must be finite and the whole packet must serialise as a JSON line. */
function checkValues(value: unknown, path: string): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`${path} is ${value}`);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => checkValues(v, `${path}[${i}]`));
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) checkValues(v, `${path}.${k}`);
  } else if (typeof value === 'bigint' || typeof value === 'function' || value === undefined) {
    throw new Error(`${path} is not JSON-friendly`);
  }
}

/** Returns what is wrong with a decode result, or null. Plain checks: this runs millions of times. */
function problemWith(port: number, buf: Buffer, result: Packet | PacketError): string | null {
  const type = buf.length > 0x0a ? (buf[0x0a] as number) : null;
  if (result instanceof PacketError) {
    if (!Object.prototype.hasOwnProperty.call(ERROR_CODES, result.code)) return `unknown code ${result.code}`;
    if (typeof result.message !== 'string' || result.message.length === 0) return 'empty message';
    if (result.length !== buf.length) return `error length ${result.length} != ${buf.length}`;
    if (result.port !== port) return `error port ${result.port}`;
    if (result.type !== type) return `error type ${result.type}`;
    return null;
  }
  if (!PACKET_KINDS.includes(result.kind)) return `unknown kind ${result.kind}`;
  const expectedKind = packetEntryFor(port, type ?? -1)?.kind ?? 'unknown';
  if (result.kind !== expectedKind) return `kind ${result.kind} where the table says ${expectedKind}`;
  if (result.port !== port) return `port ${result.port}`;
  if (result.type !== type) return `type ${result.type}`;
  if (result.length !== buf.length) return `length ${result.length} != ${buf.length}`;
  if (typeof result.name !== 'string') return 'name is not a string';
  const d = result.device;
  if (d !== null && !(Number.isInteger(d) && d >= 0 && d <= 255)) return `device ${d}`;
  try {
    checkValues(result, result.kind);
    JSON.stringify(result);
  } catch (error) {
    return String(error);
  }
  return null;
}

function describeBytes(port: number, buf: Buffer): string {
  return `port ${port}: ${buf.toString('hex')}`;
}

describe('decodePacket never throws (fast-check)', () => {
  it('on truncated, bit-flipped, re-typed and mutated real packets, on every port', () => {
    fc.assert(
      fc.property(fc.constantFrom(...CORPUS), mutation, fc.constantFrom(...PORTS), (source, m, port) => {
        const buf = mutate(source, m);
        expect(problemWith(port, buf, decodePacket(port, buf))).toBeNull();
      }),
      { numRuns: 4000 },
    );
  });

  it('on random bodies behind a valid magic and every type byte', () => {
    fc.assert(
      fc.property(byte, fc.uint8Array({ maxLength: 600 }), fc.constantFrom(...PORTS), (type, body, port) => {
        const buf = Buffer.concat([MAGIC, Buffer.from([type]), body]);
        expect(problemWith(port, buf, decodePacket(port, buf))).toBeNull();
      }),
      { numRuns: 3000 },
    );
  });

  it('on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 0, max: 65535 }), (bytes, port) => {
        const buf = Buffer.from(bytes);
        expect(problemWith(port, buf, decodePacket(port, buf))).toBeNull();
      }),
      { numRuns: 1000 },
    );
  });

  it('on every single-bit flip of every corpus packet', () => {
    const problems: string[] = [];
    for (const source of CORPUS) {
      for (let i = 0; i < source.length * 8; i++) {
        const buf = Buffer.from(source);
        buf.writeUInt8(buf.readUInt8(i >> 3) ^ (1 << (i & 7)), i >> 3);
        for (const port of PORTS) {
          const problem = problemWith(port, buf, decodePacket(port, buf));
          if (problem !== null) problems.push(`${problem} (${describeBytes(port, buf)})`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('reports its own mistakes (the checker is not vacuous)', () => {
    const buf = CORPUS[0] as Buffer;
    const good = decodePacket(50000, buf);
    expect(problemWith(50000, buf, good)).toBeNull();
    expect(problemWith(50001, buf, good)).not.toBeNull();
    expect(problemWith(50000, buf, { ...(good as Packet), device: 300 } as Packet)).toMatch(/device/);
    expect(problemWith(50000, buf, new PacketError('too-short', '', 50000, 6, buf.length))).toMatch(/message/);
  });
});
