import * as os from 'node:os';
import { usableInterfaces, type InterfaceTable } from '../prolink/network/interfaces';

/** Prints the IPv4 interfaces the bridge could join a DJ network on. */
export function runInterfaces(out: (line: string) => void, table: InterfaceTable = os.networkInterfaces()): number {
  const list = usableInterfaces(table);
  if (list.length === 0) {
    out('No external IPv4 interface is up. Connect the Ethernet cable to the DJ gear (or its switch) and try again.');
    return 1;
  }
  const rows = list.map((i) => [i.name, i.address, i.netmask, i.broadcast, i.mac, i.linkLocal ? 'link-local' : i.privateRange ? 'private' : 'public']);
  const header = ['NAME', 'ADDRESS', 'NETMASK', 'BROADCAST', 'MAC', 'KIND'];
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const format = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  out(format(header));
  for (const row of rows) out(format(row));
  out('');
  out('Choose one with --interface <name or address>; by default the bridge picks the one a DJ device is heard on.');
  return 0;
}
