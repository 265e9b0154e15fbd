import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { decodeKeepAlive, type KeepAlive } from '../../../src/prolink/packets/keep-alive';
import { decodeMediaResponse } from '../../../src/prolink/packets/media';
import { decodeOnAir } from '../../../src/prolink/packets/on-air';
import { decodeBeat } from '../../../src/prolink/packets/beat';
import { PacketError } from '../../../src/prolink/packets/errors';
import { readFixture, readHexFixture } from '../../support/fixtures';
import { PACKET_CASES } from './cases';
import { shapeA } from './build';

const ANNOUNCE = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'announce-cdj-2.dat');
const MEDIA = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'media-slot-usb.dat');

function keepAlive(bytes: Buffer): KeepAlive {
  const result = decodeKeepAlive(bytes);
  if (result instanceof PacketError) throw new Error(result.toString());
  return result;
}

function caseBytes(label: string): Buffer {
  const found = PACKET_CASES.find((c) => c.label.startsWith(label));
  if (!found) throw new Error(`no case ${label}`);
  return found.bytes;
}

describe('keep-alive variants (§2.1)', () => {
  it('decodes the common part of the long sub-kind-01 forms and keeps the rest', () => {
    const long = caseBytes('100-byte keep-alive');
    const k = keepAlive(long);
    expect(k.extra?.length).toBe(100 - 0x36);
    expect(k.extra?.[0x44 - 0x36]).toBe(0x29);
    // The 132-byte form: one more 32-byte peer entry.
    const longer = Buffer.concat([long, Buffer.alloc(32, 0x11)]);
    longer.writeUInt16BE(132, 0x22);
    expect(keepAlive(longer)).toMatchObject({ subKind: 1, lengthField: 132, device: 2, ip: '192.168.0.102' });
    expect(keepAlive(longer).extra?.length).toBe(132 - 0x36);
  });

  it('accepts any tail and any len_p value without failing', () => {
    const odd = Buffer.concat([ANNOUNCE, Buffer.from([0xde, 0xad])]);
    odd.writeUInt16BE(0xffff, 0x22);
    expect(keepAlive(odd)).toMatchObject({ device: 2, lengthField: 0xffff, length: 56 });
  });

  it('names device types from byte 0x34 (01/02/03/04) and keeps the raw value', () => {
    const types = [1, 2, 3, 4, 5].map((t) => {
      const copy = Buffer.from(ANNOUNCE);
      copy[0x34] = t;
      return keepAlive(copy);
    });
    expect(types.map((k) => k.deviceType)).toEqual(['player', 'mixer', 'mixer', 'rekordbox', 'unknown']);
    expect(types.map((k) => k.deviceTypeRaw)).toEqual([1, 2, 3, 4, 5]);
  });

  it('recognises the OPUS-QUAD by name', () => {
    const opus = shapeA(0x06, { name: 'OPUS-QUAD', length: 0x36 }, [[0x24, [0x09, 0x01]], [0x34, [0x01]]]);
    expect(keepAlive(opus)).toMatchObject({ isOpus: true, device: 9, name: 'OPUS-QUAD' });
  });

  it('needs all 54 bytes', () => {
    expect(decodeKeepAlive(ANNOUNCE.subarray(0, 0x35))).toMatchObject({ code: 'too-short', length: 0x35 });
  });
});

describe('media response (§1.2)', () => {
  it('reads the unknown text and the raw track type of the real packet', () => {
    expect(decodeMediaResponse(MEDIA)).toMatchObject({
      device: 2,
      subtype: 0,
      lengthField: 0x9c,
      extraText: '1000',
      trackType: 'rekordbox',
    });
  });

  it('reads a UTF-16BE media name', () => {
    const named = Buffer.from(MEDIA);
    [...'USB Stick'].forEach((c, i) => named.writeUInt16BE(c.charCodeAt(0), 0x2c + 2 * i));
    expect(decodeMediaResponse(named)).toMatchObject({ mediaName: 'USB Stick' });
  });
});

describe('channels on-air (§6.2)', () => {
  it('falls back to four channels when a six-channel packet is cut before F5/F6', () => {
    const six = caseBytes('channels on-air, six channels');
    expect(decodeOnAir(six.subarray(0, 0x2e))).toMatchObject({ channelCount: 4, onAir: [false, true, false, true] });
    expect(decodeOnAir(six.subarray(0, 0x27))).toMatchObject({ code: 'too-short' });
  });
});

describe('beat (§4)', () => {
  it('keeps the timing fields as sent (ms at 0 % pitch)', () => {
    const beat = decodeBeat(caseBytes('beat from a CDJ-2000NXS2'));
    expect(beat).toMatchObject({ nextBeat: 484, pitch: expect.closeTo(1.002, 3) });
  });

  it('maps a 0xffff BPM to null and leaves effectiveBpm null', () => {
    const bytes = Buffer.from(caseBytes('beat from a DJM'));
    bytes.writeUInt16BE(0xffff, 0x5a);
    expect(decodeBeat(bytes)).toMatchObject({ bpm: null, effectiveBpm: null });
  });
});

describe('decoders called directly with the wrong type', () => {
  it('return bad-value instead of misreading the packet', () => {
    const status = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'status-simple.dat');
    expect(decodeKeepAlive(status)).toMatchObject({ code: 'bad-value', port: 50000, type: 0x0a });
    expect(decodeBeat(ANNOUNCE)).toMatchObject({ code: 'bad-value', port: 50001, type: 0x06 });
    expect(decodeMediaResponse(ANNOUNCE, 50000)).toMatchObject({ code: 'too-short', port: 50000 });
  });

  it('dispatch never reaches them with a foreign type', () => {
    expect(decodePacket(50001, ANNOUNCE)).toMatchObject({ kind: 'unknown', type: 0x06 });
  });
});

describe('the rekordbox-lighting fixture through the dispatcher', () => {
  it('is a keep-alive on 50000 and unknown on 50001', () => {
    const bytes = readHexFixture('kyleawayan__opus-quad-pro-dj-link-analysis', 'rekordbox-lighting-keepalive.hex');
    expect(decodePacket(50000, bytes)).toMatchObject({ kind: 'keepAlive', device: 0x17 });
    // Read with the shape B offsets, the name starts at the sub-kind byte (00): empty.
    expect(decodePacket(50001, bytes)).toMatchObject({ kind: 'unknown', port: 50001, name: '', device: 0x03 });
  });
});
