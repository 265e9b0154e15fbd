/**
 * Finds the IPv4 header inside a captured frame for the supported link types.
 */
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_LOOP,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
} from './link-types';

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_VLAN = 0x8100; // IEEE 802.1Q
export const ETHERTYPE_QINQ = 0x88a8; // IEEE 802.1ad service tag
export const ETHERTYPE_QINQ_LEGACY = 0x9100;

export const ETHERNET_HEADER_LENGTH = 14;
export const ETHERNET_TYPE = 12;
export const VLAN_TAG_LENGTH = 4;

/** Linux cooked capture v1: protocol type at 14, header 16 bytes. */
export const SLL_PROTOCOL = 14;
export const SLL_HEADER_LENGTH = 16;
/** Linux cooked capture v2: protocol type at 0, header 20 bytes. */
export const SLL2_PROTOCOL = 0;
export const SLL2_HEADER_LENGTH = 20;

/** BSD loopback: a 4-byte address family. */
export const NULL_HEADER_LENGTH = 4;
export const AF_INET = 2;

const IP_VERSION_4 = 4;

/** Why a frame carries no IPv4 packet. */
export type NoIpv4 = 'unsupported-link' | 'not-ipv4' | 'short-frame';

/** Offset of the IPv4 header within `data`, or the reason there is none. */
export function ipv4Offset(linkType: number, data: Buffer): number | NoIpv4 {
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return ethernet(data);
    case LINKTYPE_LINUX_SLL:
      if (data.length < SLL_HEADER_LENGTH) return 'short-frame';
      return data.readUInt16BE(SLL_PROTOCOL) === ETHERTYPE_IPV4 ? SLL_HEADER_LENGTH : 'not-ipv4';
    case LINKTYPE_LINUX_SLL2:
      if (data.length < SLL2_HEADER_LENGTH) return 'short-frame';
      return data.readUInt16BE(SLL2_PROTOCOL) === ETHERTYPE_IPV4 ? SLL2_HEADER_LENGTH : 'not-ipv4';
    case LINKTYPE_RAW:
    case LINKTYPE_IPV4:
      if (data.length < 1) return 'short-frame';
      return (data[0] as number) >> 4 === IP_VERSION_4 ? 0 : 'not-ipv4';
    case LINKTYPE_NULL:
    case LINKTYPE_LOOP: {
      if (data.length < NULL_HEADER_LENGTH) return 'short-frame';
      // LOOP is always big-endian; NULL uses the capturing host's order, so accept both.
      const be = data.readUInt32BE(0);
      const family = linkType === LINKTYPE_LOOP || be === AF_INET ? be : data.readUInt32LE(0);
      return family === AF_INET ? NULL_HEADER_LENGTH : 'not-ipv4';
    }
    default:
      return 'unsupported-link';
  }
}

function ethernet(data: Buffer): number | NoIpv4 {
  let typeAt = ETHERNET_TYPE;
  for (;;) {
    if (data.length < typeAt + 2) return 'short-frame';
    const type = data.readUInt16BE(typeAt);
    if (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_LEGACY) {
      typeAt += VLAN_TAG_LENGTH;
      continue;
    }
    return type === ETHERTYPE_IPV4 ? typeAt + 2 : 'not-ipv4';
  }
}
