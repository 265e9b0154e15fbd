/**
 * Writes UDP datagrams as a pcapng file: one section header, one interface
 * (Ethernet or raw IPv4, nanosecond timestamps) and an enhanced packet block
 * per datagram. All blocks are little-endian. The writer only builds bytes;
 * where they go (a file stream, a buffer) is the caller's business.
 */
import { CaptureWriteError } from './capture-error';
import { encodeEthernet, encodeIpv4Udp, parseMacAddress, type OutgoingDatagram } from './ipv4-encode';
import { LINKTYPE_ETHERNET, type WritableLinkType } from './link-types';
import {
  BLOCK_BODY,
  BLOCK_ENHANCED_PACKET,
  BLOCK_INTERFACE_DESCRIPTION,
  BLOCK_SECTION_HEADER,
  BLOCK_TOTAL_LENGTH,
  BYTE_ORDER_MAGIC,
  EPB_CAPTURED_LENGTH,
  EPB_DATA,
  EPB_INTERFACE,
  EPB_ORIGINAL_LENGTH,
  EPB_TIMESTAMP,
  IDB_LINK_TYPE,
  IDB_OPTIONS,
  IDB_SNAP_LENGTH,
  IF_NAME,
  IF_TSRESOL,
  OPT_END,
  OPT_HEADER_LENGTH,
  PCAPNG_VERSION_MAJOR,
  PCAPNG_VERSION_MINOR,
  SHB_BYTE_ORDER,
  SHB_OPTIONS,
  SHB_SECTION_LENGTH,
  SHB_USER_APPLICATION,
  SHB_VERSION_MAJOR,
  SHB_VERSION_MINOR,
  padTo4,
} from './pcapng-format';

/** if_tsresol 9: timestamps count nanoseconds. */
const TSRESOL_NANOSECONDS = 9;
const SNAP_LENGTH_UNLIMITED = 0;
const UNKNOWN_SECTION_LENGTH = -1n;
const MAX_U64 = (1n << 64n) - 1n;
const ZERO_MAC = '00:00:00:00:00:00';

interface PcapngOption {
  readonly code: number;
  readonly value: Buffer;
}

function encodeOptions(options: readonly PcapngOption[]): Buffer {
  if (options.length === 0) return Buffer.alloc(0);
  const size = options.reduce((n, o) => n + OPT_HEADER_LENGTH + padTo4(o.value.length), OPT_HEADER_LENGTH);
  const out = Buffer.alloc(size);
  let p = 0;
  for (const o of options) {
    out.writeUInt16LE(o.code, p);
    out.writeUInt16LE(o.value.length, p + 2);
    o.value.copy(out, p + OPT_HEADER_LENGTH);
    p += OPT_HEADER_LENGTH + padTo4(o.value.length);
  }
  out.writeUInt16LE(OPT_END, p); // opt_endofopt, length 0
  return out;
}

/** Wraps a body (fixed fields + options, from offset 8) in type, length and trailer. */
function block(type: number, body: Buffer): Buffer {
  const length = BLOCK_BODY + padTo4(body.length) + 4;
  const out = Buffer.alloc(length);
  out.writeUInt32LE(type, 0);
  out.writeUInt32LE(length, BLOCK_TOTAL_LENGTH);
  body.copy(out, BLOCK_BODY);
  out.writeUInt32LE(length, length - 4);
  return out;
}

export function encodeSectionHeaderBlock(application: string | null): Buffer {
  const fixed = Buffer.alloc(SHB_OPTIONS - BLOCK_BODY);
  fixed.writeUInt32LE(BYTE_ORDER_MAGIC, SHB_BYTE_ORDER - BLOCK_BODY);
  fixed.writeUInt16LE(PCAPNG_VERSION_MAJOR, SHB_VERSION_MAJOR - BLOCK_BODY);
  fixed.writeUInt16LE(PCAPNG_VERSION_MINOR, SHB_VERSION_MINOR - BLOCK_BODY);
  fixed.writeBigInt64LE(UNKNOWN_SECTION_LENGTH, SHB_SECTION_LENGTH - BLOCK_BODY);
  const options =
    application === null ? [] : [{ code: SHB_USER_APPLICATION, value: Buffer.from(application, 'utf8') }];
  return block(BLOCK_SECTION_HEADER, Buffer.concat([fixed, encodeOptions(options)]));
}

export function encodeInterfaceDescriptionBlock(linkType: WritableLinkType, name: string | null): Buffer {
  const fixed = Buffer.alloc(IDB_OPTIONS - BLOCK_BODY);
  fixed.writeUInt16LE(linkType, IDB_LINK_TYPE - BLOCK_BODY);
  fixed.writeUInt32LE(SNAP_LENGTH_UNLIMITED, IDB_SNAP_LENGTH - BLOCK_BODY);
  const options: PcapngOption[] = [];
  if (name !== null) options.push({ code: IF_NAME, value: Buffer.from(name, 'utf8') });
  options.push({ code: IF_TSRESOL, value: Buffer.from([TSRESOL_NANOSECONDS]) });
  return block(BLOCK_INTERFACE_DESCRIPTION, Buffer.concat([fixed, encodeOptions(options)]));
}

/** An enhanced packet block; `timestampNs` must fit 64 bits (checked by the caller). */
export function encodeEnhancedPacketBlock(interfaceId: number, timestampNs: bigint, data: Buffer): Buffer {
  const fixed = Buffer.alloc(EPB_DATA - BLOCK_BODY);
  fixed.writeUInt32LE(interfaceId, EPB_INTERFACE - BLOCK_BODY);
  fixed.writeUInt32LE(Number(timestampNs >> 32n), EPB_TIMESTAMP - BLOCK_BODY);
  fixed.writeUInt32LE(Number(timestampNs & 0xffffffffn), EPB_TIMESTAMP + 4 - BLOCK_BODY);
  fixed.writeUInt32LE(data.length, EPB_CAPTURED_LENGTH - BLOCK_BODY);
  fixed.writeUInt32LE(data.length, EPB_ORIGINAL_LENGTH - BLOCK_BODY);
  return block(BLOCK_ENHANCED_PACKET, Buffer.concat([fixed, data]));
}

export interface PcapngWriterOptions {
  /** LINKTYPE_ETHERNET (default) or LINKTYPE_RAW (bare IPv4, no MAC addresses needed). */
  readonly linkType?: WritableLinkType;
  /** Written as shb_userappl. */
  readonly application?: string;
  /** Written as if_name, e.g. the network interface the traffic came from. */
  readonly interfaceName?: string;
  /** Ethernet addresses for every frame; default 00:00:00:00:00:00. */
  readonly srcMac?: string;
  readonly dstMac?: string;
}

/**
 * Turns datagrams into pcapng bytes. Stateful only in the IPv4
 * identification counter, so each packet gets a distinct id.
 */
export class PcapngWriter {
  readonly linkType: WritableLinkType;
  private readonly application: string | null;
  private readonly interfaceName: string | null;
  private readonly macs: { readonly src: Buffer; readonly dst: Buffer } | CaptureWriteError;
  private identification = 0;

  constructor(options: PcapngWriterOptions = {}) {
    this.linkType = options.linkType ?? LINKTYPE_ETHERNET;
    this.application = options.application ?? null;
    this.interfaceName = options.interfaceName ?? null;
    const src = parseMacAddress(options.srcMac ?? ZERO_MAC);
    const dst = parseMacAddress(options.dstMac ?? ZERO_MAC);
    this.macs =
      src !== null && dst !== null
        ? { src, dst }
        : new CaptureWriteError('bad-address', `"${src === null ? options.srcMac : options.dstMac}" is not a MAC address`);
  }

  /** Section header and interface description: the first bytes of the file. */
  fileHeader(): Buffer {
    return Buffer.concat([
      encodeSectionHeaderBlock(this.application),
      encodeInterfaceDescriptionBlock(this.linkType, this.interfaceName),
    ]);
  }

  /** One enhanced packet block holding the datagram. */
  packet(datagram: OutgoingDatagram): Buffer | CaptureWriteError {
    if (datagram.timestampNs < 0n || datagram.timestampNs > MAX_U64) {
      return new CaptureWriteError('bad-timestamp', `timestamp ${datagram.timestampNs} ns does not fit 64 bits`);
    }
    const ip = encodeIpv4Udp(datagram, this.identification);
    if (ip instanceof CaptureWriteError) return ip;
    this.identification = (this.identification + 1) & 0xffff;
    let frame = ip;
    if (this.linkType === LINKTYPE_ETHERNET) {
      if (this.macs instanceof CaptureWriteError) return this.macs;
      frame = encodeEthernet(ip, this.macs.src, this.macs.dst);
    }
    return encodeEnhancedPacketBlock(0, datagram.timestampNs, frame);
  }
}

/** A whole pcapng file holding `datagrams`, or the first datagram's error. */
export function writePcapng(
  datagrams: Iterable<OutgoingDatagram>,
  options: PcapngWriterOptions = {},
): Buffer | CaptureWriteError {
  const writer = new PcapngWriter(options);
  const parts = [writer.fileHeader()];
  for (const d of datagrams) {
    const packet = writer.packet(d);
    if (packet instanceof CaptureWriteError) return packet;
    parts.push(packet);
  }
  return Buffer.concat(parts);
}
