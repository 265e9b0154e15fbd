/**
 * Commands that listen to the DJ network without joining it: `devices`
 * (what is on the network) and `record` (a pcapng file Wireshark opens).
 * Both bind the Pro DJ Link ports shared, so they work next to a running
 * rekordbox or bridge where the OS allows it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import { openUdpSockets, type Datagram } from '../prolink/network/udp-sockets';
import { NetworkError } from '../prolink/network/network-error';
import { usableInterfaces, sameSubnet } from '../prolink/network/interfaces';
import { decodeKeepAlive, type KeepAlive } from '../prolink/packets/keep-alive';
import { isPacketError } from '../prolink/packets/errors';
import { PORT_ANNOUNCE, PORT_STATUS, isProDjLinkPayload, OFFSET_TYPE } from '../prolink/packets/header';
import { PcapngWriter } from '../capture';
import { listMidiOutputs } from '../outputs/midi/julusian-midi-port';

type Print = (line: string) => void;

export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: readonly string[]): string => cells.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

async function listen(seconds: number, onDatagram: (d: Datagram) => void): Promise<NetworkError | null> {
  const sockets = await openUdpSockets({ reuseAddr: true, onDatagram });
  if (sockets instanceof NetworkError) return sockets;
  await new Promise((r) => setTimeout(r, seconds * 1000));
  await sockets.close();
  return null;
}

/** `devices --seconds N`: a table of every device heard. */
export async function runDevices(seconds: number, out: Print, err: Print): Promise<number> {
  const seen = new Map<string, KeepAlive>();
  const failure = await listen(seconds, (d) => {
    if (d.port !== PORT_ANNOUNCE || d.data[OFFSET_TYPE] !== 0x06) return;
    const packet = decodeKeepAlive(d.data);
    if (!isPacketError(packet)) seen.set(`${packet.device}/${packet.ip}`, packet);
  });
  if (failure !== null) {
    err(failure.message);
    return 1;
  }
  if (seen.size === 0) {
    err(`no Pro DJ Link device heard in ${seconds} s: check the cable, that this computer has an address on the DJ network (often 169.254.x.x), and that PRO DJ LINK is on`);
    return 1;
  }
  const rows = [...seen.values()]
    .sort((a, b) => a.device - b.device)
    .map((k) => [k.name, String(k.device), k.ip, k.mac, k.deviceType, k.isOpus ? 'yes (decks 1–4 report as 9–12)' : 'no']);
  for (const line of formatTable(['NAME', 'NUMBER', 'IP', 'MAC', 'KIND', 'OPUS-QUAD'], rows)) out(line);
  return 0;
}

/** `record out.pcapng --seconds N`: Pro DJ Link traffic into a capture file. */
export async function runRecord(file: string, seconds: number, out: Print, err: Print): Promise<number> {
  const ifaces = usableInterfaces(os.networkInterfaces());
  const writer = new PcapngWriter({ application: 'prolink-bridge record' });
  let stream: fs.WriteStream;
  try {
    stream = fs.createWriteStream(file);
  } catch (error) {
    err(`cannot write ${file}: ${String(error)}`);
    return 2;
  }
  stream.write(writer.fileHeader());
  let count = 0;
  const failure = await listen(seconds, (d) => {
    if (!isProDjLinkPayload(d.port, d.data)) return;
    // dgram does not say whether a datagram was broadcast: status (50002) is unicast to us, the rest is broadcast.
    const iface = ifaces.find((i) => sameSubnet(i, d.address));
    const dstIp = iface === undefined ? '255.255.255.255' : d.port === PORT_STATUS ? iface.address : iface.broadcast;
    const block = writer.packet({ timestampNs: BigInt(Date.now()) * 1_000_000n, srcIp: d.address, dstIp, srcPort: d.sourcePort, dstPort: d.port, payload: d.data });
    if (Buffer.isBuffer(block)) {
      stream.write(block);
      count++;
    }
  });
  await new Promise<void>((resolve) => stream.end(() => resolve()));
  if (failure !== null) {
    err(failure.message);
    return 1;
  }
  out(`wrote ${count} Pro DJ Link packet(s) to ${file}; open it in Wireshark or replay it with "prolink-bridge run --replay ${file}"`);
  return 0;
}

/** `midi-ports`: the MIDI outputs a mapping can name. */
export function runMidiPorts(out: Print, err: Print): number {
  const result = listMidiOutputs();
  if (!result.ok) {
    err(result.error.message);
    return 1;
  }
  if (result.names.length === 0) {
    out('no MIDI output ports exist; connect a MIDI interface, or use `midi: { virtual: "name" }` in a mapping to create one');
    return 0;
  }
  for (const name of result.names) out(name);
  return 0;
}
