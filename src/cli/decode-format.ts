/**
 * Turns decoded capture datagrams into the lines `prolink-bridge decode`
 * prints: a readable one-line summary per packet, or one JSON object per line.
 */
import type { CaptureError, UdpDatagram } from '../capture';
import type { Packet, PacketError } from '../prolink/packets';

/** Where a datagram came from in the capture. */
export interface DatagramContext {
  readonly datagram: UdpDatagram;
  /** Seconds since the first frame of the file (Wireshark's default time column); null without timestamps. */
  readonly relativeSeconds: number | null;
}

/** Fields every packet has; the human format shows them in fixed columns. */
const BASE_FIELDS: ReadonlySet<string> = new Set(['kind', 'port', 'type', 'name', 'device', 'length']);

/** The fields worth a glance, per kind; kinds not listed show all their plain fields. */
const MAIN_FIELDS: Readonly<Record<string, readonly string[]>> = {
  cdjStatus: [
    'trackId',
    'trackDevice',
    'slot',
    'trackType',
    'playState',
    'playing',
    'master',
    'sync',
    'onAir',
    'pitchPercent',
    'bpm',
    'effectiveBpm',
    'beat',
    'beatInBar',
    'packetCounter',
  ],
  beat: ['bpm', 'pitchPercent', 'effectiveBpm', 'beatInBar', 'nextBeat', 'secondBeat', 'nextBar', 'fourthBeat', 'secondBar', 'eighthBeat'],
  mixerStatus: ['bpm', 'pitchPercent', 'playing', 'master', 'sync', 'masterHandoff', 'beatInBar'],
  keepAlive: ['deviceType', 'ip', 'mac', 'peerCount'],
  precisePosition: ['positionMs', 'trackLengthSeconds', 'pitchPercent', 'effectiveBpm'],
  binaryChunk: ['deck', 'dataType', 'trackId', 'chunkIndex', 'chunkCount', 'truncated'],
};

/** How a few numeric fields read best. */
const NUMBER_FORMATS: Readonly<Record<string, (n: number) => string>> = {
  bpm: (n) => n.toFixed(2),
  effectiveBpm: (n) => n.toFixed(2),
  pitch: (n) => n.toFixed(5),
  pitchPercent: (n) => `${n >= 0 ? '+' : ''}${n.toFixed(2)}%`,
};

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

function endpoint(ip: string, port: number): string {
  return `${ip}:${port}`;
}

function plainValue(key: string, value: unknown): string | null {
  if (value === null) return '-';
  switch (typeof value) {
    case 'number': {
      const format = NUMBER_FORMATS[key];
      if (format !== undefined) return format(value);
      return Number.isInteger(value) ? String(value) : value.toFixed(3);
    }
    case 'string':
      return value === '' ? '""' : value;
    case 'boolean':
    case 'bigint':
      return String(value);
    default:
      if (Array.isArray(value) && value.every((v) => typeof v !== 'object' || v === null)) {
        return `[${value.map((v) => plainValue(key, v)).join(',')}]`;
      }
      return null; // Buffers and nested objects are left to --json
  }
}

function fieldsText(packet: Packet): string {
  const record = packet as unknown as Readonly<Record<string, unknown>>;
  const keys =
    MAIN_FIELDS[packet.kind] ?? Object.keys(record).filter((k) => !BASE_FIELDS.has(k) && !k.endsWith('Raw'));
  const parts: string[] = [];
  for (const key of keys) {
    if (!(key in record)) continue;
    const text = plainValue(key, record[key]);
    if (text !== null) parts.push(`${key}=${text}`);
  }
  return parts.join(' ');
}

function prefix(ctx: DatagramContext): string {
  const d = ctx.datagram;
  const time = ctx.relativeSeconds === null ? '-' : ctx.relativeSeconds.toFixed(6);
  return `${String(d.frame).padStart(6)} ${time.padStart(12)}  ${endpoint(d.srcIp, d.srcPort)} > ${endpoint(d.dstIp, d.dstPort)}`;
}

/** One readable line for a decoded packet. */
export function humanPacketLine(ctx: DatagramContext, packet: Packet): string {
  const who = packet.device === null ? packet.name : `${packet.name} #${packet.device}`;
  return `${prefix(ctx)}  ${hex2(packet.type)} ${packet.kind.padEnd(15)} ${who.padEnd(22)} ${fieldsText(packet)}`.trimEnd();
}

/** One readable line for a datagram the codec rejected. */
export function humanPacketErrorLine(ctx: DatagramContext, error: PacketError): string {
  const type = error.type === null ? '??' : hex2(error.type);
  return `${prefix(ctx)}  ${type} ${'error'.padEnd(15)} ${error.code}: ${error.message}`;
}

/** One readable line for a problem in the capture file itself. */
export function humanCaptureErrorLine(error: CaptureError): string {
  const frame = error.frame === null ? '-' : String(error.frame);
  return `${frame.padStart(6)} ${'-'.padStart(12)}  capture error ${error.code} at byte ${error.offset}: ${error.message}`;
}

/**
 * A value JSON.stringify can print faithfully: Buffers become hex strings,
 * bigints decimal strings, non-finite numbers null.
 */
export function jsonFriendly(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');
  switch (typeof value) {
    case 'bigint':
      return value.toString();
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'string':
    case 'boolean':
      return value;
    case 'object': {
      if (Array.isArray(value)) return value.map(jsonFriendly);
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[k] = jsonFriendly(v);
      return out;
    }
    default:
      return null;
  }
}

function jsonContext(ctx: DatagramContext): Record<string, unknown> {
  const d = ctx.datagram;
  const fields: Record<string, unknown> = {
    frame: d.frame,
    timestampNs: d.timestampNs === null ? null : d.timestampNs.toString(),
    time: ctx.relativeSeconds,
    src: endpoint(d.srcIp, d.srcPort),
    dst: endpoint(d.dstIp, d.dstPort),
  };
  if (d.truncated) fields['truncatedCapture'] = true;
  return fields;
}

/** One JSON line: the datagram's place in the capture, then every decoded field. */
export function jsonPacketLine(ctx: DatagramContext, packet: Packet): string {
  return JSON.stringify({ ...jsonContext(ctx), ...(jsonFriendly(packet) as Record<string, unknown>) });
}

export function jsonPacketErrorLine(ctx: DatagramContext, error: PacketError): string {
  return JSON.stringify({
    ...jsonContext(ctx),
    port: error.port,
    type: error.type,
    kind: 'error',
    code: error.code,
    message: error.message,
    length: error.length,
  });
}

export function jsonCaptureErrorLine(error: CaptureError): string {
  return JSON.stringify({
    frame: error.frame,
    kind: 'error',
    source: 'capture',
    code: error.code,
    message: error.message,
    offset: error.offset,
    fatal: error.fatal,
  });
}
