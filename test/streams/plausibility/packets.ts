/**
 * Test packets for the plausibility stage: real encoders (the simulator's and
 * the codec's), real decoders, and then the bytes a case needs patched.
 */
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { encodeCdjKeepAlive } from '../../../src/prolink/packets/keep-alive';
import { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../../../src/prolink/packets/header';
import { encodeCdjStatus, type CdjStatusFields } from '../../../src/prolink/sim/encode/cdj-status';
import { encodeBeat } from '../../../src/prolink/sim/encode/beat';
import type { Received } from '../../../src/streams/received';

export const CDJ_A = '169.254.5.2';
export const CDJ_B = '169.254.5.3';
export const OPUS = '169.254.9.9';
export const STRANGER = '169.254.66.6';

export function received(port: number, data: Buffer, address: string, at: number): Received {
  const packet = decodePacket(port, data);
  if (isPacketError(packet)) throw new Error(packet.message);
  return { packet, address, at, data };
}

export function keepAliveBytes(name: string, device: number, ip: string, mac = '02:00:00:00:00:02'): Buffer {
  return encodeCdjKeepAlive({ name, device, mac, ip });
}

export function keepAlive(name: string, device: number, address: string, at: number, patch: (b: Buffer) => void = () => undefined): Received {
  const data = keepAliveBytes(name, device, address, address === CDJ_B ? '02:00:00:00:00:03' : '02:00:00:00:00:02');
  patch(data);
  return received(PORT_ANNOUNCE, data, address, at);
}

export type StatusOptions = Partial<CdjStatusFields>;

/** A playing deck at 128 BPM (track 77 from USB), as the simulator's players encode it. */
export function statusBytes(o: StatusOptions = {}): Buffer {
  const device = o.device ?? 2;
  const loaded = (o.trackId ?? 77) !== 0;
  return encodeCdjStatus({
    name: 'CDJ-2000NXS2',
    device,
    trackDevice: loaded ? device : 0,
    slot: loaded ? 3 : 0,
    trackType: loaded ? 1 : 0,
    trackId: 77,
    playState: 3,
    playing: true,
    master: false,
    sync: false,
    onAir: true,
    moving: true,
    pitchPercent: 1.5,
    bpm: 128,
    masterHandoff: null,
    beat: 40,
    beatsUntilCue: null,
    beatInBar: 4,
    packetCounter: 1,
    ...o,
  });
}

export function status(address: string, at: number, o: StatusOptions = {}, patch: (b: Buffer) => void = () => undefined): Received {
  const data = statusBytes(o);
  patch(data);
  return received(PORT_STATUS, data, address, at);
}

/** A beat packet of a player at 128 BPM (469 ms a beat at 0 %). */
export function beat(address: string, at: number, beatInBar: number, patch: (b: Buffer) => void = () => undefined, device = 2): Received {
  const period = 60_000 / 128;
  const toBar = 5 - beatInBar;
  const data = encodeBeat({
    name: 'CDJ-2000NXS2',
    device,
    nextBeat: Math.round(period),
    secondBeat: Math.round(2 * period),
    nextBar: Math.round(toBar * period),
    fourthBeat: Math.round(4 * period),
    secondBar: Math.round((toBar + 4) * period),
    eighthBeat: Math.round(8 * period),
    pitchPercent: 0,
    bpm: 128,
    beatInBar,
  });
  patch(data);
  return received(PORT_BEAT, data, address, at);
}
