/**
 * Link-layer header types as stored in pcap headers and pcapng interface
 * description blocks (tcpdump.org "LINKTYPE_" registry).
 */
export const LINKTYPE_NULL = 0; // BSD loopback: 4-byte address family in the capturing host's byte order
export const LINKTYPE_ETHERNET = 1;
export const LINKTYPE_RAW = 101; // raw IPv4 or IPv6, told apart by the version nibble
export const LINKTYPE_LOOP = 108; // OpenBSD loopback: 4-byte address family, big-endian
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_LINUX_SLL2 = 276;

/** The link types this reader can take IPv4 out of. */
export const SUPPORTED_LINK_TYPES: readonly number[] = [
  LINKTYPE_NULL,
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  LINKTYPE_LOOP,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_LINUX_SLL2,
];

/** The link types the pcapng writer can produce. */
export type WritableLinkType = typeof LINKTYPE_ETHERNET | typeof LINKTYPE_RAW;
