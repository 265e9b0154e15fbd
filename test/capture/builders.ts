/**
 * Hand-built capture bytes for reader tests: every header is spelt out here,
 * independently of the writer under test, in either byte order.
 */
export type Endian = 'le' | 'be';

function u16(e: Endian, v: number): Buffer {
  const b = Buffer.alloc(2);
  if (e === 'le') b.writeUInt16LE(v);
  else b.writeUInt16BE(v);
  return b;
}

function u32(e: Endian, v: number): Buffer {
  const b = Buffer.alloc(4);
  if (e === 'le') b.writeUInt32LE(v);
  else b.writeUInt32BE(v);
  return b;
}

function pad4(b: Buffer): Buffer {
  const padded = Buffer.alloc((b.length + 3) & ~3);
  b.copy(padded);
  return padded;
}

export interface Option {
  readonly code: number;
  readonly value: Buffer;
}

export function options(e: Endian, opts: readonly Option[]): Buffer {
  if (opts.length === 0) return Buffer.alloc(0);
  const parts: Buffer[] = [];
  for (const o of opts) parts.push(u16(e, o.code), u16(e, o.value.length), pad4(o.value));
  parts.push(u16(e, 0), u16(e, 0));
  return Buffer.concat(parts);
}

export function block(e: Endian, type: number, body: Buffer): Buffer {
  const padded = pad4(body);
  const length = 12 + padded.length;
  return Buffer.concat([u32(e, type), u32(e, length), padded, u32(e, length)]);
}

export function shb(e: Endian, opts: readonly Option[] = []): Buffer {
  const fixed = Buffer.concat([u32(e, 0x1a2b3c4d), u16(e, 1), u16(e, 0), Buffer.alloc(8, 0xff)]);
  return block(e, 0x0a0d0d0a, Buffer.concat([fixed, options(e, opts)]));
}

export function idb(e: Endian, linkType: number, snapLength = 0, opts: readonly Option[] = []): Buffer {
  return block(e, 1, Buffer.concat([u16(e, linkType), u16(e, 0), u32(e, snapLength), options(e, opts)]));
}

export function epb(e: Endian, iface: number, ts: bigint, data: Buffer, originalLength = data.length): Buffer {
  const fixed = Buffer.concat([
    u32(e, iface),
    u32(e, Number(ts >> 32n)),
    u32(e, Number(ts & 0xffffffffn)),
    u32(e, data.length),
    u32(e, originalLength),
  ]);
  return block(e, 6, Buffer.concat([fixed, data]));
}

/** Obsolete packet block (type 2): 16-bit interface id and drop count. */
export function pb(e: Endian, iface: number, ts: bigint, data: Buffer): Buffer {
  const fixed = Buffer.concat([
    u16(e, iface),
    u16(e, 0),
    u32(e, Number(ts >> 32n)),
    u32(e, Number(ts & 0xffffffffn)),
    u32(e, data.length),
    u32(e, data.length),
  ]);
  return block(e, 2, Buffer.concat([fixed, data]));
}

export function spb(e: Endian, data: Buffer, originalLength = data.length): Buffer {
  return block(e, 3, Buffer.concat([u32(e, originalLength), data]));
}

export const tsresol = (value: number): Option => ({ code: 9, value: Buffer.from([value]) });

export function tsoffset(e: Endian, seconds: bigint): Option {
  const b = Buffer.alloc(8);
  if (e === 'le') b.writeBigInt64LE(seconds);
  else b.writeBigInt64BE(seconds);
  return { code: 14, value: b };
}

/** Classic pcap file header. */
export function pcapHeader(e: Endian, nanos: boolean, linkType: number, major = 2): Buffer {
  return Buffer.concat([
    u32(e, nanos ? 0xa1b23c4d : 0xa1b2c3d4),
    u16(e, major),
    u16(e, 4),
    u32(e, 0),
    u32(e, 0),
    u32(e, 65535),
    u32(e, linkType),
  ]);
}

export function pcapRecord(e: Endian, seconds: number, fraction: number, data: Buffer, original = data.length): Buffer {
  return Buffer.concat([u32(e, seconds), u32(e, fraction), u32(e, data.length), u32(e, original), data]);
}

export interface Ipv4Spec {
  readonly src?: readonly number[];
  readonly dst?: readonly number[];
  readonly protocol?: number;
  /** Bytes of IPv4 options (a multiple of 4). */
  readonly options?: Buffer;
  /** Flags and fragment offset word. */
  readonly flagsFragment?: number;
  /** Overrides the computed total length. */
  readonly totalLength?: number;
}

/** An IPv4 header (checksum left zero: readers must not depend on it) followed by `body`. */
export function ipv4(body: Buffer, spec: Ipv4Spec = {}): Buffer {
  const opts = spec.options ?? Buffer.alloc(0);
  const header = Buffer.alloc(20 + opts.length);
  header[0] = 0x40 | ((20 + opts.length) / 4);
  header.writeUInt16BE(spec.totalLength ?? header.length + body.length, 2);
  header.writeUInt16BE(spec.flagsFragment ?? 0, 6);
  header[8] = 64;
  header[9] = spec.protocol ?? 17;
  Buffer.from(spec.src ?? [10, 0, 0, 1]).copy(header, 12);
  Buffer.from(spec.dst ?? [10, 0, 0, 255]).copy(header, 16);
  opts.copy(header, 20);
  return Buffer.concat([header, body]);
}

export function udp(srcPort: number, dstPort: number, payload: Buffer, lengthField = 8 + payload.length): Buffer {
  const h = Buffer.alloc(8);
  h.writeUInt16BE(srcPort, 0);
  h.writeUInt16BE(dstPort, 2);
  h.writeUInt16BE(lengthField, 4);
  return Buffer.concat([h, payload]);
}

export function ethernet(payload: Buffer, etherType = 0x0800, vlanTags: readonly number[] = []): Buffer {
  const macs = Buffer.from('ffffffffffff001122334455', 'hex');
  const tags = vlanTags.map((tpid, i) => {
    const t = Buffer.alloc(4);
    t.writeUInt16BE(tpid, 0);
    t.writeUInt16BE(100 + i, 2); // VLAN id
    return t;
  });
  const type = Buffer.alloc(2);
  type.writeUInt16BE(etherType);
  return Buffer.concat([macs, ...tags, type, payload]);
}
