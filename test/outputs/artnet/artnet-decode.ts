/**
 * An ArtTimeCode decoder written from the Art-Net 4 specification's packet
 * table, independent of the encoder: every offset and value is spelled out
 * here, so the tests judge the encoder by the published layout.
 */
export interface DecodedArtTimeCode {
  readonly id: string;
  readonly opCode: number;
  readonly protVer: number;
  readonly filler1: number;
  readonly streamId: number;
  readonly frames: number;
  readonly seconds: number;
  readonly minutes: number;
  readonly hours: number;
  readonly type: number;
}

export function decodeArtTimeCode(bytes: Buffer): DecodedArtTimeCode | null {
  if (bytes.length < 19) return null;
  const id = bytes.subarray(0, 8).toString('latin1');
  if (id !== 'Art-Net\u0000') return null;
  const opCode = (bytes[8] as number) | ((bytes[9] as number) << 8); // low byte first
  if (opCode !== 0x9700) return null;
  const protVer = ((bytes[10] as number) << 8) | (bytes[11] as number); // high byte first
  return {
    id,
    opCode,
    protVer,
    filler1: bytes[12] as number,
    streamId: bytes[13] as number,
    frames: bytes[14] as number,
    seconds: bytes[15] as number,
    minutes: bytes[16] as number,
    hours: bytes[17] as number,
    type: bytes[18] as number,
  };
}

/** Real frames since 00:00:00:00 of a decoded label, computed from the SMPTE rules (not the bridge's code). */
export function labelToFrames(d: Pick<DecodedArtTimeCode, 'hours' | 'minutes' | 'seconds' | 'frames' | 'type'>): number {
  const nominal = [24, 25, 30, 30][d.type] as number;
  const totalMinutes = d.hours * 60 + d.minutes;
  const labels = (totalMinutes * 60 + d.seconds) * nominal + d.frames;
  // Drop-frame: two labels skipped per minute, except every tenth minute.
  return d.type === 2 ? labels - 2 * (totalMinutes - Math.floor(totalMinutes / 10)) : labels;
}

/** Real frames per second for a Type byte. */
export function realFps(type: number): number {
  return type === 2 ? 30000 / 1001 : ([24, 25, 30, 30][type] as number);
}
