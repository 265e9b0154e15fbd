/**
 * Finding the network interface that reaches the DJ gear. Everything here is a
 * pure function of what os.networkInterfaces() returns, so it is tested with
 * plain data; the caller passes the real table in.
 */
import type { NetworkInterfaceInfo } from 'node:os';
import { NetworkError } from './network-error';

export interface ProlinkInterface {
  readonly name: string;
  readonly address: string;
  readonly netmask: string;
  readonly broadcast: string;
  readonly mac: string;
  readonly linkLocal: boolean;
  readonly privateRange: boolean;
}

export type InterfaceTable = NodeJS.Dict<NetworkInterfaceInfo[]>;

export function ipv4ToInt(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = value * 256 + n;
  }
  return value;
}

export function intToIpv4(value: number): string {
  return [value >>> 24, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff].join('.');
}

export function broadcastAddress(address: string, netmask: string): string | null {
  const a = ipv4ToInt(address);
  const m = ipv4ToInt(netmask);
  if (a === null || m === null) return null;
  return intToIpv4(((a & m) | (~m >>> 0)) >>> 0);
}

export function sameSubnet(iface: ProlinkInterface, address: string): boolean {
  const a = ipv4ToInt(iface.address);
  const m = ipv4ToInt(iface.netmask);
  const b = ipv4ToInt(address);
  if (a === null || m === null || b === null) return false;
  return ((a & m) >>> 0) === ((b & m) >>> 0);
}

function isLinkLocal(address: string): boolean {
  return address.startsWith('169.254.');
}

function isPrivate(address: string): boolean {
  const v = ipv4ToInt(address);
  if (v === null) return false;
  const first = v >>> 24;
  const second = (v >>> 16) & 0xff;
  return first === 10 || (first === 172 && second >= 16 && second <= 31) || (first === 192 && second === 168);
}

/** Every external IPv4 address, one entry per (interface, address). */
export function usableInterfaces(table: InterfaceTable): ProlinkInterface[] {
  const result: ProlinkInterface[] = [];
  for (const [name, entries] of Object.entries(table)) {
    for (const entry of entries ?? []) {
      if (entry.family !== 'IPv4' || entry.internal) continue;
      const broadcast = broadcastAddress(entry.address, entry.netmask);
      if (broadcast === null) continue;
      result.push({
        name,
        address: entry.address,
        netmask: entry.netmask,
        broadcast,
        mac: entry.mac,
        linkLocal: isLinkLocal(entry.address),
        privateRange: isPrivate(entry.address),
      });
    }
  }
  return result;
}

function describe(list: readonly ProlinkInterface[]): string {
  if (list.length === 0) return 'none';
  return list.map((i) => `${i.name} (${i.address})`).join(', ');
}

export type InterfaceChoice = { ok: true; iface: ProlinkInterface; reason: string } | { ok: false; error: NetworkError };

/**
 * Picks the interface to use.
 * - `requested` (a name such as "en5" or an IPv4 address) wins when given.
 * - Otherwise the interface whose subnet holds a device already heard.
 * - Otherwise the only link-local or private-range interface.
 */
export function chooseInterface(
  table: InterfaceTable,
  requested: string | null,
  heardFrom: readonly string[] = [],
): InterfaceChoice {
  const candidates = usableInterfaces(table);
  if (requested !== null) {
    const match = candidates.find((i) => i.name === requested || i.address === requested);
    if (match !== undefined) return { ok: true, iface: match, reason: `chosen with --interface ${requested}` };
    return {
      ok: false,
      error: new NetworkError(
        'interface-not-found',
        `no IPv4 interface is named or addressed "${requested}" (usable: ${describe(candidates)}); run "prolink-bridge interfaces" to list them`,
      ),
    };
  }
  for (const source of heardFrom) {
    const match = candidates.find((i) => sameSubnet(i, source));
    if (match !== undefined) {
      return { ok: true, iface: match, reason: `a Pro DJ Link device (${source}) was heard on it` };
    }
  }
  const local = candidates.filter((i) => i.linkLocal || i.privateRange);
  if (local.length === 1 && local[0] !== undefined) {
    return { ok: true, iface: local[0], reason: 'it is the only interface with a link-local or private address' };
  }
  if (local.length === 0) {
    return {
      ok: false,
      error: new NetworkError(
        'no-interface',
        `no network interface with a link-local (169.254.x.x) or private address is up (usable: ${describe(candidates)}); connect the Ethernet cable to the DJ gear's switch and wait for an address, or choose one with --interface`,
      ),
    };
  }
  return {
    ok: false,
    error: new NetworkError(
      'ambiguous-interface',
      `several interfaces could reach the DJ gear: ${describe(local)}; choose one with --interface <name or address>`,
    ),
  };
}
