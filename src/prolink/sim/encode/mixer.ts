/**
 * What a DJM mixer sends (protocol doc §2.1, §6.1, §6.2): its keep-alive
 * (device type 02), mixer status 0x29 on port 50002 and channels on-air 0x03
 * on port 50001. Constant bytes are the ones captured from a DJM-2000nexus.
 */
import {
  KA_BYTE_25,
  KA_BYTE_31,
  KA_DEVICE,
  KA_DEVICE_TYPE,
  KA_IP,
  KA_LENGTH,
  KA_MAC,
  KA_PEER_COUNT,
  KA_VARIANT,
  STRUCTURE_CDJ,
  TYPE_KEEP_ALIVE,
} from '../../packets/keep-alive';
import {
  MIXER_STATUS_LENGTH,
  MX_BEAT_IN_BAR,
  MX_BPM,
  MX_FLAGS,
  MX_MASTER_HANDOFF,
  MX_PITCH,
  TYPE_MIXER_STATUS,
} from '../../packets/mixer-status';
import { ON_AIR_FLAGS_1_4, ON_AIR_FLAG_5, ON_AIR_FLAG_6, ON_AIR_LENGTH_4, ON_AIR_LENGTH_6, ON_AIR_SUBTYPE_6, TYPE_ON_AIR } from '../../packets/on-air';
import { DEVICE_TYPE_MIXER } from '../../packets/device-type';
import { A_LENGTH, A_NAME, A_ONE, A_STRUCTURE, BODY, writeHeader, writeName } from '../../packets/header';
import { EncodeError, type Ipv4Address, type MacAddress, byteArg, ipv4Bytes, macBytes, nameArg } from '../../packets/encode';
import { PITCH_ZERO_RAW, shapeB, writeBpm } from './shape-b';

/** §2.1: a DJM-2000nexus was captured sending 02 at 0x25. */
const MIXER_BYTE_25 = 0x02;

export interface MixerKeepAliveFields {
  readonly name: string;
  /** 33 (0x21) for a DJM. */
  readonly device: number;
  readonly mac: MacAddress;
  readonly ip: Ipv4Address;
  /** Devices the mixer sees, itself included. */
  readonly peerCount: number;
}

/** The 54-byte keep-alive of a mixer (§2.1), device type 02 at 0x34. */
export function encodeMixerKeepAlive(f: MixerKeepAliveFields): Buffer {
  const buf = Buffer.alloc(KA_LENGTH);
  writeHeader(buf, TYPE_KEEP_ALIVE);
  writeName(buf, A_NAME, nameArg(f.name));
  buf[A_ONE] = 0x01;
  buf[A_STRUCTURE] = STRUCTURE_CDJ;
  buf.writeUInt16BE(KA_LENGTH, A_LENGTH);
  buf[KA_DEVICE] = byteArg('device', f.device);
  buf[KA_BYTE_25] = MIXER_BYTE_25;
  macBytes(f.mac).copy(buf, KA_MAC);
  ipv4Bytes(f.ip).copy(buf, KA_IP);
  buf[KA_PEER_COUNT] = byteArg('peerCount', f.peerCount);
  buf[KA_BYTE_31] = 0x00;
  buf[KA_DEVICE_TYPE] = DEVICE_TYPE_MIXER;
  buf[KA_VARIANT] = 0x00;
  return buf;
}

/** §6.1: F is f0 while the mixer is tempo master, d0 otherwise. */
const MIXER_FLAGS_MASTER = 0xf0;
const MIXER_FLAGS_NOT_MASTER = 0xd0;
/** §6.1: 0x2c–0x2d = 80 00, 0x30–0x35 = 00 10 00 00 00 09. */
const MX_BYTES_2C = 0x2c;
const MX_BYTES_2C_VALUE = 0x8000;
const MX_BYTES_30 = 0x30;
const MX_BYTES_30_VALUE: readonly number[] = [0x00, 0x10, 0x00, 0x00, 0x00, 0x09];
/** §6.1: M_h ff when nothing is being handed over. */
const NO_HANDOFF = 0xff;

export interface MixerStatusFields {
  readonly name: string;
  readonly device: number;
  /** The mixer itself is tempo master (f0 instead of d0 at 0x27). */
  readonly master: boolean;
  /** BPM of the playing analysed source; null = ffff. */
  readonly bpm: number | null;
  /** M_h: 0 while no master exists, the incoming master's number, null = ff. */
  readonly masterHandoff: number | null;
  /** 1–4, not aligned with the master's downbeat. */
  readonly beatInBar: number;
}

export function encodeMixerStatus(f: MixerStatusFields): Buffer {
  const buf = shapeB({ type: TYPE_MIXER_STATUS, length: MIXER_STATUS_LENGTH, name: f.name, device: f.device });
  buf[BODY] = f.device;
  buf[MX_FLAGS] = f.master ? MIXER_FLAGS_MASTER : MIXER_FLAGS_NOT_MASTER;
  buf.writeUInt32BE(PITCH_ZERO_RAW, MX_PITCH);
  buf.writeUInt16BE(MX_BYTES_2C_VALUE, MX_BYTES_2C);
  writeBpm(buf, MX_BPM, f.bpm);
  Buffer.from(MX_BYTES_30_VALUE).copy(buf, MX_BYTES_30);
  buf[MX_MASTER_HANDOFF] = f.masterHandoff === null ? NO_HANDOFF : byteArg('masterHandoff', f.masterHandoff);
  buf[MX_BEAT_IN_BAR] = byteArg('beatInBar', f.beatInBar);
  return buf;
}

/** §6.2: a DJM-2000nexus sends subtype 02 in the four-channel form (the doc's table says 00). */
const ON_AIR_SUBTYPE_4 = 0x02;
const ON_AIR = 0x01;

export interface OnAirFields {
  readonly name: string;
  readonly device: number;
  /** Channel 1 first: four or six channels. */
  readonly onAir: readonly boolean[];
}

export function encodeOnAir(f: OnAirFields): Buffer {
  const six = f.onAir.length === 6;
  if (!six && f.onAir.length !== 4) {
    throw new EncodeError('bad-argument', `an on-air packet has 4 or 6 channels, not ${f.onAir.length}`);
  }
  const buf = shapeB({
    type: TYPE_ON_AIR,
    length: six ? ON_AIR_LENGTH_6 : ON_AIR_LENGTH_4,
    name: f.name,
    device: f.device,
    subtype: six ? ON_AIR_SUBTYPE_6 : ON_AIR_SUBTYPE_4,
  });
  for (let i = 0; i < 4; i++) buf[ON_AIR_FLAGS_1_4 + i] = f.onAir[i] === true ? ON_AIR : 0x00;
  if (six) {
    buf[ON_AIR_FLAG_5] = f.onAir[4] === true ? ON_AIR : 0x00;
    buf[ON_AIR_FLAG_6] = f.onAir[5] === true ? ON_AIR : 0x00;
  }
  return buf;
}
