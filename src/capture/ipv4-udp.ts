/**
 * Reads an IPv4 header (with options) and the UDP header behind it (RFC 791, RFC 768).
 */
export const IPV4_MIN_HEADER_LENGTH = 20;
export const IPV4_VERSION_IHL = 0;
export const IPV4_TOTAL_LENGTH = 2;
export const IPV4_IDENTIFICATION = 4;
export const IPV4_FLAGS_FRAGMENT = 6;
export const IPV4_TTL = 8;
export const IPV4_PROTOCOL = 9;
export const IPV4_CHECKSUM = 10;
export const IPV4_SOURCE = 12;
export const IPV4_DESTINATION = 16;
export const IPV4_FLAG_DONT_FRAGMENT = 0x4000;
export const IPV4_FLAG_MORE_FRAGMENTS = 0x2000;
export const IPV4_FRAGMENT_OFFSET_MASK = 0x1fff;
export const IP_PROTOCOL_UDP = 17;

export const UDP_HEADER_LENGTH = 8;
export const UDP_SOURCE_PORT = 0;
export const UDP_DESTINATION_PORT = 2;
export const UDP_LENGTH = 4;
export const UDP_CHECKSUM = 6;

export interface UdpHeaders {
  readonly kind: 'udp';
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  readonly payloadStart: number;
  readonly payloadEnd: number;
  /** The payload is shorter than the UDP length says (snap length or first fragment). */
  readonly truncated: boolean;
  readonly firstFragment: boolean;
}

export interface NotUdp {
  readonly kind: 'skip';
  /** `fragment`: a non-first IPv4 fragment, which holds no UDP header. */
  readonly reason: 'not-udp' | 'fragment';
}

export interface BadHeader {
  readonly kind: 'bad';
  readonly message: string;
  /** Offset within the frame data of the header that could not be read. */
  readonly at: number;
}

/** Recently formatted addresses: a capture holds few distinct ones, so most lookups hit. */
const ADDRESS_CACHE_LIMIT = 4096;
const addressCache = new Map<number, string>();

export function formatIpv4(buf: Buffer, offset: number): string {
  const value = buf.readUInt32BE(offset);
  let text = addressCache.get(value);
  if (text === undefined) {
    text = `${buf[offset]}.${buf[offset + 1]}.${buf[offset + 2]}.${buf[offset + 3]}`;
    if (addressCache.size >= ADDRESS_CACHE_LIMIT) addressCache.clear();
    addressCache.set(value, text);
  }
  return text;
}

/** Parses the IPv4 packet starting at `ip` in `data`. */
export function parseIpv4Udp(data: Buffer, ip: number): UdpHeaders | NotUdp | BadHeader {
  if (data.length - ip < IPV4_MIN_HEADER_LENGTH) {
    return { kind: 'bad', message: 'frame ends inside the IPv4 header', at: ip };
  }
  const versionIhl = data[ip + IPV4_VERSION_IHL] as number;
  if (versionIhl >> 4 !== 4) {
    return { kind: 'bad', message: `IP version ${versionIhl >> 4} where IPv4 was announced`, at: ip };
  }
  const headerLength = (versionIhl & 0x0f) * 4;
  if (headerLength < IPV4_MIN_HEADER_LENGTH) {
    return { kind: 'bad', message: `IPv4 header length ${headerLength} is below 20`, at: ip };
  }
  if (data.length - ip < headerLength) {
    return { kind: 'bad', message: 'frame ends inside the IPv4 options', at: ip };
  }
  const totalLength = data.readUInt16BE(ip + IPV4_TOTAL_LENGTH);
  // A total length of 0 is seen on packets captured before segmentation offload; trust the frame then.
  const declaredEnd = totalLength === 0 ? data.length : ip + totalLength;
  if (declaredEnd < ip + headerLength) {
    return { kind: 'bad', message: `IPv4 total length ${totalLength} is shorter than its header`, at: ip };
  }
  const flagsFragment = data.readUInt16BE(ip + IPV4_FLAGS_FRAGMENT);
  if ((flagsFragment & IPV4_FRAGMENT_OFFSET_MASK) !== 0) return { kind: 'skip', reason: 'fragment' };
  if (data[ip + IPV4_PROTOCOL] !== IP_PROTOCOL_UDP) return { kind: 'skip', reason: 'not-udp' };

  const ipEnd = Math.min(declaredEnd, data.length); // Ethernet padding and FCS lie beyond declaredEnd
  const udp = ip + headerLength;
  if (ipEnd - udp < UDP_HEADER_LENGTH) {
    return { kind: 'bad', message: 'packet ends inside the UDP header', at: udp };
  }
  const udpLength = data.readUInt16BE(udp + UDP_LENGTH);
  if (udpLength < UDP_HEADER_LENGTH) {
    return { kind: 'bad', message: `UDP length ${udpLength} is below 8`, at: udp };
  }
  const payloadStart = udp + UDP_HEADER_LENGTH;
  const wantedEnd = udp + udpLength;
  return {
    kind: 'udp',
    srcIp: formatIpv4(data, ip + IPV4_SOURCE),
    dstIp: formatIpv4(data, ip + IPV4_DESTINATION),
    srcPort: data.readUInt16BE(udp + UDP_SOURCE_PORT),
    dstPort: data.readUInt16BE(udp + UDP_DESTINATION_PORT),
    payloadStart,
    payloadEnd: Math.min(wantedEnd, ipEnd),
    truncated: wantedEnd > ipEnd,
    firstFragment: (flagsFragment & IPV4_FLAG_MORE_FRAGMENTS) !== 0,
  };
}
