/**
 * Builds IPv4/UDP (and optionally Ethernet II) framing around a UDP payload,
 * for writing captures that any pcap tool opens.
 */
import { CaptureWriteError } from './capture-error';
import {
  IPV4_CHECKSUM,
  IPV4_DESTINATION,
  IPV4_FLAGS_FRAGMENT,
  IPV4_FLAG_DONT_FRAGMENT,
  IPV4_IDENTIFICATION,
  IPV4_MIN_HEADER_LENGTH,
  IPV4_PROTOCOL,
  IPV4_SOURCE,
  IPV4_TOTAL_LENGTH,
  IPV4_TTL,
  IPV4_VERSION_IHL,
  IP_PROTOCOL_UDP,
  UDP_CHECKSUM,
  UDP_DESTINATION_PORT,
  UDP_HEADER_LENGTH,
  UDP_LENGTH,
  UDP_SOURCE_PORT,
} from './ipv4-udp';
import { ETHERNET_HEADER_LENGTH, ETHERNET_TYPE, ETHERTYPE_IPV4 } from './link-layer';

/** Version 4, header length 5 words (no options). */
const VERSION_IHL_NO_OPTIONS = 0x45;
const DEFAULT_TTL = 64;
const MAC_LENGTH = 6;
const MAX_IPV4_TOTAL_LENGTH = 0xffff;
export const MAX_UDP_PAYLOAD = MAX_IPV4_TOTAL_LENGTH - IPV4_MIN_HEADER_LENGTH - UDP_HEADER_LENGTH;

/** What the writer needs to know about one datagram. */
export interface OutgoingDatagram {
  /** Nanoseconds since the Unix epoch. */
  readonly timestampNs: bigint;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payload: Buffer;
}

export function parseIpv4Address(text: string): Buffer | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes = Buffer.alloc(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] as string;
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    bytes[i] = n;
  }
  return bytes;
}

export function parseMacAddress(text: string): Buffer | null {
  const parts = text.split(/[:-]/);
  if (parts.length !== MAC_LENGTH || !parts.every((p) => /^[0-9a-fA-F]{2}$/.test(p))) return null;
  return Buffer.from(parts.join(''), 'hex');
}

/** RFC 1071 ones'-complement sum of 16-bit words, folded, not yet inverted. */
export function onesComplementSum(buf: Buffer, start: number, end: number, initial = 0): number {
  let sum = initial;
  let i = start;
  for (; i + 1 < end; i += 2) sum += buf.readUInt16BE(i);
  if (i < end) sum += (buf[i] as number) << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The IPv4 header checksum of the header at `start` (its checksum field must be zero). */
export function ipv4HeaderChecksum(buf: Buffer, start: number, headerLength: number): number {
  return ~onesComplementSum(buf, start, start + headerLength) & 0xffff;
}

function validPort(port: number): boolean {
  return Number.isInteger(port) && port >= 0 && port <= 0xffff;
}

/**
 * An IPv4 packet (no options, don't-fragment set, TTL 64) holding the UDP
 * datagram, with correct IPv4 and UDP checksums.
 */
export function encodeIpv4Udp(datagram: OutgoingDatagram, identification: number): Buffer | CaptureWriteError {
  const src = parseIpv4Address(datagram.srcIp);
  const dst = parseIpv4Address(datagram.dstIp);
  if (src === null || dst === null) {
    const bad = src === null ? datagram.srcIp : datagram.dstIp;
    return new CaptureWriteError('bad-address', `"${bad}" is not a dotted-quad IPv4 address`);
  }
  if (!validPort(datagram.srcPort) || !validPort(datagram.dstPort)) {
    return new CaptureWriteError('bad-port', `ports ${datagram.srcPort} → ${datagram.dstPort} must be 0–65535`);
  }
  const payload = datagram.payload;
  if (payload.length > MAX_UDP_PAYLOAD) {
    return new CaptureWriteError('too-large', `${payload.length}-byte payload exceeds ${MAX_UDP_PAYLOAD} bytes`);
  }
  const udpLength = UDP_HEADER_LENGTH + payload.length;
  const packet = Buffer.alloc(IPV4_MIN_HEADER_LENGTH + udpLength);
  packet[IPV4_VERSION_IHL] = VERSION_IHL_NO_OPTIONS;
  packet.writeUInt16BE(packet.length, IPV4_TOTAL_LENGTH);
  packet.writeUInt16BE(identification & 0xffff, IPV4_IDENTIFICATION);
  packet.writeUInt16BE(IPV4_FLAG_DONT_FRAGMENT, IPV4_FLAGS_FRAGMENT);
  packet[IPV4_TTL] = DEFAULT_TTL;
  packet[IPV4_PROTOCOL] = IP_PROTOCOL_UDP;
  src.copy(packet, IPV4_SOURCE);
  dst.copy(packet, IPV4_DESTINATION);
  packet.writeUInt16BE(ipv4HeaderChecksum(packet, 0, IPV4_MIN_HEADER_LENGTH), IPV4_CHECKSUM);

  const udp = IPV4_MIN_HEADER_LENGTH;
  packet.writeUInt16BE(datagram.srcPort, udp + UDP_SOURCE_PORT);
  packet.writeUInt16BE(datagram.dstPort, udp + UDP_DESTINATION_PORT);
  packet.writeUInt16BE(udpLength, udp + UDP_LENGTH);
  payload.copy(packet, udp + UDP_HEADER_LENGTH);
  // Pseudo-header: source, destination, zero + protocol, UDP length.
  let sum = onesComplementSum(packet, IPV4_SOURCE, IPV4_DESTINATION + 4);
  sum = onesComplementSum(packet, udp, packet.length, sum + IP_PROTOCOL_UDP + udpLength);
  const checksum = ~sum & 0xffff;
  packet.writeUInt16BE(checksum === 0 ? 0xffff : checksum, udp + UDP_CHECKSUM); // 0 means "none" in UDP
  return packet;
}

/** Prefixes an Ethernet II header (EtherType IPv4). */
export function encodeEthernet(ipPacket: Buffer, srcMac: Buffer, dstMac: Buffer): Buffer {
  const frame = Buffer.alloc(ETHERNET_HEADER_LENGTH + ipPacket.length);
  dstMac.copy(frame, 0, 0, MAC_LENGTH);
  srcMac.copy(frame, MAC_LENGTH, 0, MAC_LENGTH);
  frame.writeUInt16BE(ETHERTYPE_IPV4, ETHERNET_TYPE);
  ipPacket.copy(frame, ETHERNET_HEADER_LENGTH);
  return frame;
}
