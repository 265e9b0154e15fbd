import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import type { PacketKind, PacketOf } from '../../../src/prolink/packets/packet';
import type { CdjStatus } from '../../../src/prolink/packets/cdj-status';
import {
  encodeBeat,
  encodeBinaryChunk,
  encodeCdjStatus,
  encodeMixerKeepAlive,
  encodeMixerStatus,
  encodeOnAir,
  encodeOpusHello,
  encodePrecisePosition,
  encodeTransfer,
  pitchPercentOfRaw,
  STATUS_LENGTH_CDJ3000,
} from '../../../src/prolink/sim/encode';
import { readHexFixture } from '../../support/fixtures';
import { firstCaptured } from './captured';

function decodeAs<K extends PacketKind>(kind: K, port: number, buf: Buffer): PacketOf<K> {
  const packet = decodePacket(port, buf);
  if (isPacketError(packet)) throw new Error(packet.toString());
  if (packet.kind !== kind) throw new Error(`decoded as ${packet.kind}, not ${kind}`);
  return packet as PacketOf<K>;
}

describe('beat 0x28', () => {
  it('reproduces a captured CDJ-2000NXS2 beat packet byte for byte (PROVENANCE §2, frame 4002)', () => {
    const { payload, datagram } = firstCaptured('nxs2', 50001, 0x28);
    expect(datagram.frame).toBe(4002);
    const ours = encodeBeat({
      name: 'CDJ-2000NXS2',
      device: 3,
      nextBeat: 484,
      secondBeat: 968,
      nextBar: 1452,
      fourthBeat: 1935,
      secondBar: 3387,
      eighthBeat: 3871,
      pitchPercent: pitchPercentOfRaw(0x100831),
      bpm: 124,
      beatInBar: 2,
    });
    expect(ours.toString('hex')).toBe(payload.toString('hex'));
  });

  it('decodes to the fields it was given, with null for the end of the track', () => {
    const beat = decodeAs('beat', 50001, encodeBeat({
      name: 'CDJ-2000NXS2', device: 2, nextBeat: 469, secondBeat: 938, nextBar: 469, fourthBeat: null, secondBar: null, eighthBeat: null,
      pitchPercent: -2.5, bpm: 128, beatInBar: 4,
    }));
    expect(beat).toMatchObject({ device: 2, bpm: 128, beatInBar: 4, nextBeat: 469, secondBeat: 938, nextBar: 469, fourthBeat: null, eighthBeat: null, fromMixer: false });
    expect(beat.pitchPercent).toBeCloseTo(-2.5, 4);
    expect(beat.length).toBe(0x60);
  });
});

describe('CDJ status 0x0a', () => {
  it('re-encodes a captured NXS2 status so that it decodes to the same values', () => {
    const { payload } = firstCaptured('nxs2', 50002, 0x0a, (p) => ((p[0x89] ?? 0) & 0x40) !== 0);
    const real = decodeAs('cdjStatus', 50002, payload);
    expect(real).toMatchObject({ device: 3, trackId: 112, bpm: 124, playing: true, master: true });
    const ours = decodeAs('cdjStatus', 50002, encodeCdjStatus({
      name: real.name,
      device: real.device,
      length: payload.length,
      subtype: payload[0x20] ?? 0,
      trackDevice: real.trackDevice,
      slot: real.slotRaw,
      trackType: real.trackTypeRaw,
      trackId: real.trackId,
      playState: real.playStateRaw,
      playing: real.playing,
      master: real.master,
      sync: real.sync,
      onAir: real.onAir,
      moving: real.moving,
      pitchPercent: real.pitchPercent,
      bpm: real.bpm,
      masterHandoff: real.masterHandoff,
      beat: real.beat,
      beatsUntilCue: real.beatsUntilCue,
      beatInBar: real.beatInBar,
      syncCounter: real.syncCounter,
      packetCounter: real.packetCounter ?? 0,
      firmware: real.firmware,
    }));
    expect(ours).toEqual(real);
    // Same bytes in the header and in every field a decoder reads.
    for (const at of [0x0a, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x24, 0x27, 0x28, 0x29, 0x2a, 0x7b, 0x89, 0x8b, 0x92, 0x9e, 0x9f, 0xa6, 0xcc]) {
      expect([at, payload[at]]).toEqual([at, encodeCdjStatus({ ...fieldsOf(real), length: payload.length, subtype: 0x05 })[at]]);
    }
  });

  it('writes the OPUS-QUAD form: 0x200 bytes, device 9–12, zeroed F when asked', () => {
    const base = { ...fieldsOf(null), name: 'OPUS-QUAD', device: 11, length: STATUS_LENGTH_CDJ3000, trackDevice: 11, slot: 3, trackType: 1, trackId: 178162577, playState: 3, playing: true, moving: true, bpm: 128, beat: 57, beatInBar: 1 };
    const status = decodeAs('cdjStatus', 50002, encodeCdjStatus(base));
    expect(status).toMatchObject({ isOpus: true, device: 11, deck: 3, trackDevice: 3, trackId: 178162577, playing: true, flagsZero: false, beat: 57, beatInBar: 1, length: 0x200 });
    const glitch = decodeAs('cdjStatus', 50002, encodeCdjStatus({ ...base, flagsOverride: 0x00 }));
    expect(glitch).toMatchObject({ flags: 0, flagsZero: true, master: false, playing: true });
  });

  it('says "nothing loaded" with the protocol sentinels', () => {
    const status = decodeAs('cdjStatus', 50002, encodeCdjStatus(fieldsOf(null)));
    expect(status).toMatchObject({ trackId: 0, trackDevice: 0, bpm: null, beat: null, beatsUntilCue: null, masterHandoff: null, playState: 'empty', playing: false, moving: false });
  });
});

function fieldsOf(s: CdjStatus | null): Parameters<typeof encodeCdjStatus>[0] {
  return {
    name: s?.name ?? 'CDJ-2000NXS2',
    device: s?.device ?? 2,
    trackDevice: s?.trackDevice ?? 0,
    slot: s?.slotRaw ?? 0,
    trackType: s?.trackTypeRaw ?? 0,
    trackId: s?.trackId ?? 0,
    playState: s?.playStateRaw ?? 0,
    playing: s?.playing ?? false,
    master: s?.master ?? false,
    sync: s?.sync ?? false,
    onAir: s?.onAir ?? false,
    moving: s?.moving ?? false,
    pitchPercent: s?.pitchPercent ?? 0,
    bpm: s?.bpm ?? null,
    masterHandoff: s?.masterHandoff ?? null,
    beat: s?.beat ?? null,
    beatsUntilCue: s?.beatsUntilCue ?? null,
    beatInBar: s?.beatInBar ?? 0,
  };
}

describe('precise position 0x0b', () => {
  it('decodes to the fields it was given', () => {
    const position = decodeAs('precisePosition', 50001, encodePrecisePosition({
      name: 'OPUS-QUAD', device: 10, trackLengthSeconds: 172.9, positionMs: 61234.4, pitchPercent: 3.26, effectiveBpm: 132.17,
    }));
    expect(position).toMatchObject({ isOpus: true, deck: 2, trackLengthSeconds: 172, positionMs: 61234, pitchPercent: 3.26, effectiveBpm: 132.2, length: 0x3c });
  });
});

describe('OPUS-QUAD lighting hello 0x10', () => {
  it('has the layout a real player sends (the NXS2 capture holds the same 36-byte packet)', () => {
    const { payload } = firstCaptured('nxs2', 50002, 0x10);
    expect(encodeOpusHello({ name: 'CDJ-2000NXS2', device: 2 }).toString('hex')).toBe(payload.toString('hex'));
  });

  it('defaults to OPUS-QUAD, device 9, len_r 0000', () => {
    const hello = encodeOpusHello();
    expect(hello.length).toBe(36);
    expect(hello.readUInt16BE(0x22)).toBe(0);
    expect(decodeAs('opusHello', 50002, hello)).toMatchObject({ name: 'OPUS-QUAD', device: 9 });
  });
});

describe('OPUS-QUAD binary chunk 0x56', () => {
  const captured = ['art-chunk0-0x56-first160.hex', 'art-chunk1-0x56-first160.hex'].map((f) =>
    readHexFixture('kyleawayan__opus-quad-pro-dj-link-analysis', f),
  );

  it('reproduces the header and payload start of both captured album-art chunks', () => {
    captured.forEach((real, index) => {
      const payloadLength = real.readUInt16BE(0x22) - 0x10;
      const payload = Buffer.alloc(payloadLength);
      real.copy(payload, 0, 0x34);
      const ours = encodeBinaryChunk({ device: 9, dataType: 2, trackId: 414, chunkIndex: index, chunkCount: 2, payload });
      expect(ours.length).toBe([1420, 1300][index]);
      expect(ours.subarray(0, real.length).toString('hex')).toBe(real.toString('hex'));
    });
  });

  it('splits a transfer into chunks of at most 1368 bytes that decode in order', () => {
    const data = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) & 0xff));
    const chunks = encodeTransfer({ device: 12, dataType: 0x0a, trackId: 7 }, data).map((c) => decodeAs('binaryChunk', 50002, c));
    expect(chunks.map((c) => [c.chunkIndex, c.chunkCount, c.payload.length, c.declaredPayloadLength, c.truncated])).toEqual([
      [0, 3, 1368, 1368, false],
      [1, 3, 1368, 1368, false],
      [2, 3, 264, 264, false],
    ]);
    expect(chunks.every((c) => c.deck === 4 && c.trackId === 7 && c.dataType === 0x0a)).toBe(true);
    expect(Buffer.concat(chunks.map((c) => c.payload)).equals(data)).toBe(true);
  });

  it('rejects impossible chunk numbering', () => {
    expect(() => encodeBinaryChunk({ device: 9, dataType: 2, trackId: 1, chunkIndex: 2, chunkCount: 2, payload: Buffer.alloc(1) })).toThrow(/index/);
  });
});

describe('mixer packets', () => {
  it('reproduces a captured DJM-2000nexus mixer status (LinkInfo2)', () => {
    const { payload } = firstCaptured('linkInfo2', 50002, 0x29);
    const ours = encodeMixerStatus({ name: 'DJM-2000nexus', device: 33, master: false, bpm: 120, masterHandoff: 0, beatInBar: 1 });
    expect(ours.toString('hex')).toBe(payload.toString('hex'));
    expect(decodeAs('mixerStatus', 50002, ours)).toMatchObject({ device: 33, bpm: 120, master: false, masterHandoff: 0, beatInBar: 1 });
  });

  it('reproduces a captured four-channel on-air packet', () => {
    const { payload } = firstCaptured('linkInfo2', 50001, 0x03);
    const ours = encodeOnAir({ name: 'DJM-2000nexus', device: 33, onAir: [false, true, true, true] });
    expect(ours.toString('hex')).toBe(payload.toString('hex'));
    expect(decodeAs('onAir', 50001, ours)).toMatchObject({ device: 33, channelCount: 4, onAir: [false, true, true, true] });
  });

  it('writes the six-channel form', () => {
    const onAir = decodeAs('onAir', 50001, encodeOnAir({ name: 'DJM-V10', device: 33, onAir: [true, false, false, false, false, true] }));
    expect(onAir).toMatchObject({ channelCount: 6, onAir: [true, false, false, false, false, true], length: 0x35 });
  });

  it('reproduces a captured DJM keep-alive (device type 02)', () => {
    const { payload } = firstCaptured('linkInfo2', 50000, 0x06, (p) => p[0x24] === 0x21);
    const ours = encodeMixerKeepAlive({ name: 'DJM-2000nexus', device: 33, mac: '74:5e:1c:35:63:3c', ip: '169.254.99.60', peerCount: payload[0x30] ?? 0 });
    expect(ours.toString('hex')).toBe(payload.toString('hex'));
    expect(decodeAs('keepAlive', 50000, ours)).toMatchObject({ deviceType: 'mixer', device: 33 });
  });
});
