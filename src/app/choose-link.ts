/**
 * Picks the interface for a live session. An explicit --interface wins;
 * otherwise the only link-local/private interface; when there are several,
 * the bridge listens for a few seconds and takes the one a device is heard on.
 */
import * as os from 'node:os';
import { chooseInterface, type InterfaceTable, type InterfaceChoice } from '../prolink/network/interfaces';
import { openUdpSockets } from '../prolink/network/udp-sockets';
import { NetworkError } from '../prolink/network/network-error';
import { hasMagic } from '../prolink/packets/header';

export async function discoverInterface(requested: string | null, listenMs: number, table: InterfaceTable = os.networkInterfaces()): Promise<InterfaceChoice> {
  const first = chooseInterface(table, requested);
  if (first.ok || first.error.code !== 'ambiguous-interface') return first;
  const heard = new Set<string>();
  const sockets = await openUdpSockets({ reuseAddr: true, onDatagram: (d) => hasMagic(d.data) && heard.add(d.address) });
  if (sockets instanceof NetworkError) return { ok: false, error: sockets };
  await new Promise((r) => setTimeout(r, listenMs));
  await sockets.close();
  const second = chooseInterface(table, null, [...heard]);
  if (second.ok || heard.size > 0) return second;
  return {
    ok: false,
    error: new NetworkError('ambiguous-interface', `${first.error.message}; no Pro DJ Link device was heard in ${Math.round(listenMs / 1000)} s to decide`),
  };
}
