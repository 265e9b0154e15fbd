import { encodeArtTimeCode } from '../../../src/outputs/artnet/artnet-timecode-packet';
import { ArtNetError } from '../../../src/outputs/artnet/artnet-errors';
import { frameCountToTimecode, type Timecode } from '../../../src/outputs/midi/mtc-timecode';
import type { MtcRate } from '../../../src/outputs/midi/mtc-rate';
import { decodeArtTimeCode, labelToFrames } from './artnet-decode';

const tc = (hours: number, minutes: number, seconds: number, frames: number): Timecode => ({ hours, minutes, seconds, frames });

function encode(t: Timecode, rate: MtcRate, streamId?: number): Buffer {
  const packet = encodeArtTimeCode(t, rate, streamId);
  if (packet instanceof ArtNetError) throw new Error(packet.message);
  return packet;
}

describe('ArtTimeCode encoding', () => {
  it('lays out the 19 bytes as the Art-Net 4 specification publishes them', () => {
    const packet = encode(tc(10, 20, 30, 12), 25);
    // ID "Art-Net" + NUL, OpCode 0x9700 low byte first, ProtVer 14 high byte first, Filler1, StreamId, F, S, M, H, Type.
    expect([...packet]).toEqual([0x41, 0x72, 0x74, 0x2d, 0x4e, 0x65, 0x74, 0x00, 0x00, 0x97, 0x00, 0x0e, 0x00, 0x00, 12, 30, 20, 10, 1]);
    expect(packet.length).toBe(19);
    expect(packet.readUInt16LE(8)).toBe(0x9700);
    expect(packet.readUInt16BE(10)).toBe(14);
  });

  it.each([
    [24, 0, tc(23, 59, 59, 23)],
    [25, 1, tc(1, 2, 3, 24)],
    [29.97, 2, tc(0, 10, 0, 0)],
    [30, 3, tc(12, 0, 0, 29)],
  ] as const)('at %s fps writes Type %i and the label field by field', (rate, type, label) => {
    const decoded = decodeArtTimeCode(encode(label, rate));
    expect(decoded).toEqual({
      id: 'Art-Net\u0000',
      opCode: 0x9700,
      protVer: 14,
      filler1: 0,
      streamId: 0,
      frames: label.frames,
      seconds: label.seconds,
      minutes: label.minutes,
      hours: label.hours,
      type,
    });
  });

  it('carries a stream id in byte 13', () => {
    expect(decodeArtTimeCode(encode(tc(0, 0, 0, 0), 30, 7))?.streamId).toBe(7);
  });

  it('numbers 29.97 drop-frame as SMPTE does: labels ;00 and ;01 skipped each minute but every tenth', () => {
    const labelOf = (count: number): string => {
      const d = decodeArtTimeCode(encode(frameCountToTimecode(count, 29.97), 29.97));
      if (d === null) throw new Error('undecodable');
      return `${d.hours}:${d.minutes}:${d.seconds}:${d.frames}`;
    };
    // The frame after 00:00:59;29 is 00:01:00;02; after 00:09:59;29 comes 00:10:00;00.
    expect([labelOf(1799), labelOf(1800)]).toEqual(['0:0:59:29', '0:1:0:2']);
    expect([labelOf(17981), labelOf(17982)]).toEqual(['0:9:59:29', '0:10:0:0']);
    // Every frame count of the first 11 minutes decodes back to itself, by the test's own drop-frame rule.
    for (let count = 0; count < 17982 + 1800 * 2; count += 7) {
      const d = decodeArtTimeCode(encode(frameCountToTimecode(count, 29.97), 29.97));
      expect(d === null ? null : labelToFrames(d)).toBe(count);
    }
  });

  it('round-trips every rate across a day boundary by the decoder\'s own arithmetic', () => {
    for (const rate of [24, 25, 30] as const) {
      for (const count of [0, 1, rate - 1, rate, rate * 60 * 60 * 24 - 1]) {
        const d = decodeArtTimeCode(encode(frameCountToTimecode(count, rate), rate));
        expect(d === null ? null : labelToFrames(d)).toBe(count);
      }
    }
  });

  it('refuses labels that cannot exist at the rate, with a sentence', () => {
    const dropped = encodeArtTimeCode(tc(0, 1, 0, 0), 29.97);
    expect(dropped).toBeInstanceOf(ArtNetError);
    expect((dropped as ArtNetError).code).toBe('bad-timecode');
    expect((dropped as ArtNetError).message).toMatch(/does not exist in 29.97 drop-frame/);
    expect((encodeArtTimeCode(tc(0, 0, 0, 25), 25) as ArtNetError).message).toMatch(/frames must be an integer from 0 to 24/);
    expect((encodeArtTimeCode(tc(24, 0, 0, 0), 30) as ArtNetError).code).toBe('bad-timecode');
    expect((encodeArtTimeCode(tc(0, 0, 0, 0), 30, 256) as ArtNetError).message).toMatch(/stream id/);
  });
});
