import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { EncodeError, parseIpv4, parseMac } from '../../../src/prolink/packets/encode';
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
import { readFixture, readHexFixture } from '../../support/fixtures';
import { shapeA, shapeB } from './build';

const KYLE = 'kyleawayan__opus-quad-pro-dj-link-analysis';
const MAC = '74:5e:1c:56:c0:70';
const MAC_BYTES = [0x74, 0x5e, 0x1c, 0x56, 0xc0, 0x70];
const IP = '169.254.192.112';
const IP_BYTES = [169, 254, 192, 112];

describe('keep-alive encoders', () => {
  it('reproduces the captured rekordbox-lighting keep-alive from its MAC and IP (§2.4)', () => {
    const captured = readHexFixture(KYLE, 'rekordbox-lighting-keepalive.hex');
    expect(encodeLightingKeepAlive({ mac: '00:e0:4c:65:3b:75', ip: '192.168.112.173' })).toEqual(captured);
  });

  it('changes only byte 0x24 when another device number is needed (§2.3)', () => {
    const a = encodeLightingKeepAlive({ mac: '00:e0:4c:65:3b:75', ip: '192.168.112.173' });
    const b = encodeLightingKeepAlive({ mac: '00:e0:4c:65:3b:75', ip: '192.168.112.173', device: 0x18 });
    const differing = [...a].flatMap((byte, i) => (byte === b[i] ? [] : [i]));
    expect(differing).toEqual([0x24]);
    expect(b[0x24]).toBe(0x18);
  });

  it('reproduces the real CDJ-2000nexus keep-alive announce-cdj-2.dat (§2.1)', () => {
    const captured = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'announce-cdj-2.dat');
    const encoded = encodeCdjKeepAlive({
      name: 'CDJ-2000nexus',
      device: 2,
      mac: '74:5e:1c:57:82:d8',
      ip: '10.0.0.207',
      peerCount: 4,
      byte25: 0x02,
    });
    expect(encoded).toEqual(captured);
  });

  it('writes the §2.1 table, with 0x64 at 0x35 in the CDJ-3000-compatible template', () => {
    const expected = shapeA(0x06, { name: 'prolink-bridge', length: 0x36 }, [
      [0x24, [0x07, 0x01, ...MAC_BYTES, ...IP_BYTES, 0x01, 0x00, 0x00, 0x00, 0x01, 0x64]],
    ]);
    const options = { name: 'prolink-bridge', device: 7, mac: MAC, ip: IP } as const;
    const encoded = encodeCdjKeepAlive({ ...options, cdj3000Compatible: true });
    expect(encoded).toEqual(expected);
    expect(encodeCdjKeepAlive(options)[0x35]).toBe(0x00);
  });
});

describe('lighting-mode request encoders', () => {
  it('builds the 296-byte 0x11 packet of §2.5 with a UTF-16BE host name', () => {
    const expected = shapeB(0x11, { name: 'rekordbox', device: 0x17, length: 0x128, subtype: 0x01 }, [
      [0x24, [0x17, 0x01, 0x00, 0x00]],
      [0x28, [0x00, 0x6d, 0x00, 0x61, 0x00, 0x63, 0x00, 0x62, 0x00, 0x6f, 0x00, 0x6f, 0x00, 0x6b]],
      [0x36, [0x00, 0x20, 0x00, 0x70, 0x00, 0x72, 0x00, 0x6f]],
    ]);
    const encoded = encodeStatusRequest({ hostName: 'macbook pro' });
    expect(encoded.length).toBe(296);
    expect(encoded.readUInt16BE(0x22)).toBe(0x0104);
    expect(encoded).toEqual(expected);
  });

  it('reproduces the captured 0x55 phrase request for track 184 on deck 9 (§7.3)', () => {
    const captured = readHexFixture(KYLE, 'phrase-request-0x55.hex');
    expect(encodePhraseRequest({ trackId: 184, deckDevice: 9 })).toEqual(captured);
  });

  it('builds the constant 0x55 form: 36 00 00 00 0a 02 03 01 (§7.3)', () => {
    const expected = shapeB(0x55, { name: 'rekordbox', device: 0x17, length: 0x2c }, [
      [0x24, [0x36, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x03, 0x01]],
    ]);
    expect(encodeConstantPhraseRequest()).toEqual(expected);
  });

  it('writes the track ID little-endian', () => {
    const encoded = encodePhraseRequest({ trackId: 0x01020304, deckDevice: 12 });
    expect([...encoded.subarray(0x24, 0x2a)]).toEqual([0x04, 0x03, 0x02, 0x01, 0x0a, 0x0c]);
  });
});

describe('claim encoders (§2.2)', () => {
  it('hello: 0x25 bytes with the device type at 0x24', () => {
    expect(encodeHello({ name: 'DJM-2000nexus', deviceType: 'mixer' })).toEqual(
      shapeA(0x0a, { name: 'DJM-2000nexus', length: 0x25 }, [[0x24, [0x02]]]),
    );
    expect(encodeHello({ name: 'prolink-bridge' })).toEqual(
      shapeA(0x0a, { name: 'prolink-bridge', length: 0x25 }, [[0x24, [0x01]]]),
    );
  });

  it('hello, CDJ-3000 variant: 0x21 = 04, length 0x26, 0x24 = 01, 0x25 = 64', () => {
    expect(encodeHello({ name: 'prolink-bridge', cdj3000Compatible: true })).toEqual(
      shapeA(0x0a, { name: 'prolink-bridge', length: 0x26, structure: 0x04 }, [[0x24, [0x01, 0x64]]]),
    );
  });

  it('stage 1: N at 0x24, type at 0x25, MAC at 0x26', () => {
    expect(encodeClaim1({ name: 'prolink-bridge', sequence: 2, mac: MAC })).toEqual(
      shapeA(0x00, { name: 'prolink-bridge', length: 0x2c }, [[0x24, [0x02, 0x01, ...MAC_BYTES]]]),
    );
    expect(encodeClaim1({ name: 'prolink-bridge', sequence: 1, mac: MAC, cdj3000Compatible: true })[0x21]).toBe(0x03);
  });

  it('stage 2: IP, MAC, D, N, 01, a', () => {
    const fixed = encodeClaim2({ name: 'prolink-bridge', ip: IP, mac: MAC, device: 7, sequence: 3, autoAssign: false });
    expect(fixed).toEqual(
      shapeA(0x02, { name: 'prolink-bridge', length: 0x32 }, [
        [0x24, [...IP_BYTES, ...MAC_BYTES, 0x07, 0x03, 0x01, 0x02]],
      ]),
    );
    const request = encodeClaim2({
      name: 'prolink-bridge',
      ip: IP,
      mac: MAC,
      device: 0,
      sequence: 1,
      autoAssign: true,
      assignmentRequest: true,
    });
    expect(request).toEqual(
      shapeA(0x02, { name: 'prolink-bridge', length: 0x32, subKind: 0x01 }, [
        [0x24, [...IP_BYTES, ...MAC_BYTES, 0x00, 0x01, 0x01, 0x01]],
      ]),
    );
  });

  it('stage 3: D and N', () => {
    expect(encodeClaim3({ name: 'prolink-bridge', device: 7, sequence: 1 })).toEqual(
      shapeA(0x04, { name: 'prolink-bridge', length: 0x26 }, [[0x24, [0x07, 0x01]]]),
    );
    expect(encodeClaim3({ name: 'rekordbox', device: 0x17, sequence: 1, deviceType: 'rekordbox' })[0x21]).toBe(0x03);
  });

  it('conflict: the defended D and an IP', () => {
    expect(encodeConflict({ name: 'prolink-bridge', device: 7, ip: IP })).toEqual(
      shapeA(0x08, { name: 'prolink-bridge', length: 0x29 }, [[0x24, [0x07, ...IP_BYTES]]]),
    );
  });
});

describe('round trips through decodePacket', () => {
  const cases: readonly (readonly [string, number, Buffer, Readonly<Record<string, unknown>>])[] = [
    [
      'lighting keep-alive',
      50000,
      encodeLightingKeepAlive({ mac: MAC, ip: IP, device: 0x19 }),
      { kind: 'keepAlive', name: 'rekordbox', device: 0x19, mac: MAC, ip: IP, deviceType: 'rekordbox', structure: 3 },
    ],
    [
      'CDJ keep-alive',
      50000,
      encodeCdjKeepAlive({ name: 'prolink-bridge', device: 7, mac: MAC, ip: IP, peerCount: 3 }),
      { kind: 'keepAlive', name: 'prolink-bridge', device: 7, mac: MAC, ip: IP, peerCount: 3, deviceType: 'player' },
    ],
    [
      'status request',
      50002,
      encodeStatusRequest({ hostName: 'FOH-MacBook', device: 0x18 }),
      { kind: 'statusRequest', name: 'rekordbox', device: 0x18, deviceCopy: 0x18, hostName: 'FOH-MacBook' },
    ],
    [
      'phrase request',
      50002,
      encodePhraseRequest({ trackId: 0xdeadbeef, deckDevice: 11, device: 0x18 }),
      { kind: 'phraseRequest', device: 0x18, trackId: 0xdeadbeef, dataType: 0x0a, deckDevice: 11, deck: 3 },
    ],
    [
      'hello',
      50000,
      encodeHello({ name: 'prolink-bridge', deviceType: 'mixer', cdj3000Compatible: true }),
      { kind: 'hello', name: 'prolink-bridge', deviceType: 'mixer', cdj3000Compatible: true },
    ],
    [
      'claim 1',
      50000,
      encodeClaim1({ name: 'rb', sequence: 3, mac: MAC, deviceType: 'rekordbox' }),
      { kind: 'claim1', name: 'rb', sequence: 3, mac: MAC, deviceType: 'rekordbox', structure: 3 },
    ],
    [
      'claim 2',
      50000,
      encodeClaim2({ name: 'x', ip: IP, mac: MAC, device: 9, sequence: 2, autoAssign: true }),
      { kind: 'claim2', device: 9, sequence: 2, ip: IP, mac: MAC, autoAssign: true, assignmentRequest: false },
    ],
    [
      'claim 3',
      50000,
      encodeClaim3({ name: 'x', device: 9, sequence: 3 }),
      { kind: 'claim3', device: 9, sequence: 3 },
    ],
    [
      'conflict',
      50000,
      encodeConflict({ name: 'x', device: 4, ip: IP }),
      { kind: 'conflict', device: 4, ip: IP },
    ],
  ];

  it.each(cases)('%s', (_label, port, bytes, expected) => {
    expect(decodePacket(port, bytes)).toMatchObject(expected);
  });
});

describe('encoder arguments', () => {
  it.each([
    ['a malformed MAC', () => encodeLightingKeepAlive({ mac: '00:e0:4c:65:3b', ip: IP })],
    ['a MAC with a bad digit', () => encodeLightingKeepAlive({ mac: '00:e0:4c:65:3b:7g', ip: IP })],
    ['an IP out of range', () => encodeLightingKeepAlive({ mac: MAC, ip: '192.168.1.256' })],
    ['a host name as IP', () => encodeCdjKeepAlive({ name: 'x', device: 7, mac: MAC, ip: 'localhost' })],
    ['a device number over 255', () => encodeCdjKeepAlive({ name: 'x', device: 256, mac: MAC, ip: IP })],
    ['a fractional sequence', () => encodeClaim3({ name: 'x', device: 7, sequence: 1.5 })],
    ['a name over 20 characters', () => encodeHello({ name: 'a-name-that-is-far-too-long' })],
    ['a non-ASCII name', () => encodeHello({ name: 'Crème' })],
    ['a negative track ID', () => encodePhraseRequest({ trackId: -1, deckDevice: 9 })],
  ])('rejects %s with an EncodeError', (_label, encode) => {
    let thrown: unknown = null;
    try {
      encode();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EncodeError);
    expect(thrown).toMatchObject({ code: 'bad-argument' });
    expect((thrown as EncodeError).message.length).toBeGreaterThan(0);
  });

  it('parses MAC and IPv4 text', () => {
    expect([...(parseMac('00-E0-4C-65-3B-75') ?? [])]).toEqual([0x00, 0xe0, 0x4c, 0x65, 0x3b, 0x75]);
    expect(parseMac('0:e0:4c:65:3b:75')).toBeNull();
    expect([...(parseIpv4('10.0.0.207') ?? [])]).toEqual([10, 0, 0, 207]);
    expect(parseIpv4('10.0.0')).toBeNull();
    expect(parseIpv4('10.0.0.-1')).toBeNull();
    expect(parseIpv4('1e1.0.0.1')).toBeNull();
  });
});
