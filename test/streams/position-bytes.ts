/**
 * Precise position packets (§5) for stream tests, as deck 1 of an OPUS-QUAD
 * (device 9) sends them in CDJ mode, through the real encoder and decoder.
 */
import { decodePrecisePosition, type PrecisePosition } from '../../src/prolink/packets/precise-position';
import { isPacketError } from '../../src/prolink/packets/errors';
import { encodePrecisePosition } from '../../src/prolink/sim/encode/precise-position';
import type { Received } from '../../src/streams/received';

/**
 * The packet saying the playhead is at `positionMs` of the track, at
 * `effectiveBpm` (120 at ±0 %), as the bridge receives it at `at`; from deck
 * 1 of an OPUS-QUAD unless `from` names another device (a CDJ-3000).
 */
export function receivedPosition(positionMs: number, effectiveBpm: number, at: number, from: { name: string; device: number } = { name: 'OPUS-QUAD', device: 9 }): Received<PrecisePosition> {
  const data = encodePrecisePosition({ name: from.name, device: from.device, trackLengthSeconds: 400, positionMs, pitchPercent: (effectiveBpm / 120 - 1) * 100, effectiveBpm });
  const packet = decodePrecisePosition(data);
  if (isPacketError(packet)) throw new Error(packet.message);
  return { packet, address: '169.254.1.1', at };
}
