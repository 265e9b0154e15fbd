/**
 * Beat packets for stream tests: laid out as §4 describes (0x60 bytes, shape
 * B header) and decoded by the real codec.
 */
import { decodeBeat, type Beat } from '../../src/prolink/packets/beat';
import { isPacketError } from '../../src/prolink/packets/errors';
import type { Received } from '../../src/streams/received';

export interface BeatFields {
  readonly device: number;
  readonly beatInBar: number;
  /** ms to the next beat (0x24). */
  readonly nextBeatMs?: number;
  /** Track BPM × 100 (0x5a). */
  readonly bpm100?: number;
}

export function beatBytes(f: BeatFields): Buffer {
  const buf = Buffer.alloc(0x60, 0);
  Buffer.from('Qspt1WmJOL', 'latin1').copy(buf, 0);
  buf[0x0a] = 0x28;
  buf.write('CDJ-2000NXS2', 0x0b, 'latin1');
  buf[0x1f] = 0x01;
  buf[0x21] = f.device;
  buf.writeUInt16BE(0x3c, 0x22);
  buf.writeUInt32BE(f.nextBeatMs ?? 484, 0x24);
  buf.fill(0xff, 0x3c, 0x54);
  buf.writeUInt32BE(0x100000, 0x54);
  buf.writeUInt16BE(f.bpm100 ?? 12400, 0x5a);
  buf[0x5c] = f.beatInBar;
  buf[0x5f] = f.device;
  return buf;
}

export function receivedBeat(f: BeatFields, at: number, address = '169.254.1.3'): Received<Beat> {
  const packet = decodeBeat(beatBytes(f));
  if (isPacketError(packet)) throw new Error(String(packet));
  return { packet, address, at };
}
