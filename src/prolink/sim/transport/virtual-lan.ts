/**
 * An in-process LAN: datagrams between members without sockets, so the
 * simulator and the bridge can talk on any machine without privileges (and
 * in virtual time in tests). Each member is one host (one IPv4 address) with
 * the three Pro DJ Link ports, and looks like the UdpSockets the network layer
 * opens: `send(fromPort, toAddress, toPort, data)` and a datagram callback.
 *
 * Semantics follow Linux UDP on a switch: a datagram to the broadcast address
 * reaches every member bound to that port, the sender included (as a socket
 * bound to 0.0.0.0 hears its own broadcasts); a unicast reaches the member with
 * that address or nobody. Delivery is never synchronous: it happens through
 * the clock after `latencyMs` (0 = the next turn of the same instant), in send
 * order. Payloads are copied, as a kernel would.
 */
import type { Datagram } from '../../network/udp-sockets';
import { PROLINK_PORTS } from '../../network/udp-sockets';
import type { SimClock } from '../clock';

export const LAN_BROADCAST = '169.254.255.255';
const LIMITED_BROADCAST = '255.255.255.255';

export interface LanJoinOptions {
  readonly address: string;
  /** Defaults to a locally administered MAC made from the address. */
  readonly mac?: string;
  readonly ports?: readonly number[];
  readonly onDatagram: (datagram: Datagram) => void;
}

export interface LanMember {
  readonly address: string;
  readonly mac: string;
  readonly broadcast: string;
  readonly ports: readonly number[];
  send(fromPort: number, toAddress: string, toPort: number, data: Buffer): void;
  /** Leaves the LAN; nothing is delivered to it afterwards. */
  close(): Promise<void>;
}

/** One datagram as it crossed the LAN (for taps: tests, logs, captures). */
export interface LanTraffic {
  readonly at: number;
  readonly from: string;
  readonly fromPort: number;
  readonly to: string;
  readonly toPort: number;
  readonly data: Buffer;
}

export interface VirtualLanOptions {
  readonly clock: SimClock;
  readonly broadcast?: string;
  readonly latencyMs?: number;
  /** Deliver a member's broadcasts back to it too (Linux does). Default true. */
  readonly echoBroadcast?: boolean;
}

interface Member {
  readonly info: LanMember;
  readonly ports: ReadonlySet<number>;
  readonly onDatagram: (datagram: Datagram) => void;
  open: boolean;
}

function macFor(address: string): string {
  const bytes = address.split('.').map((p) => Number(p) & 0xff);
  return ['02', '50', ...bytes.map((b) => b.toString(16).padStart(2, '0'))].join(':');
}

export class VirtualLan {
  readonly broadcast: string;
  private readonly members = new Map<string, Member>();
  private readonly taps = new Set<(traffic: LanTraffic) => void>();
  private undeliverable = 0;

  constructor(private readonly options: VirtualLanOptions) {
    this.broadcast = options.broadcast ?? LAN_BROADCAST;
  }

  /** Unicasts sent to an address nobody has. */
  get dropped(): number {
    return this.undeliverable;
  }

  join(options: LanJoinOptions): LanMember {
    if (this.members.get(options.address)?.open === true) {
      throw new RangeError(`${options.address} is already on this LAN`);
    }
    const ports = options.ports ?? PROLINK_PORTS;
    const info: LanMember = {
      address: options.address,
      mac: options.mac ?? macFor(options.address),
      broadcast: this.broadcast,
      ports,
      send: (fromPort, toAddress, toPort, data) => this.send(member, fromPort, toAddress, toPort, data),
      close: async () => {
        member.open = false;
        if (this.members.get(options.address) === member) this.members.delete(options.address);
      },
    };
    const member: Member = { info, ports: new Set(ports), onDatagram: options.onDatagram, open: true };
    this.members.set(options.address, member);
    return info;
  }

  /** Sees every datagram sent on the LAN; returns a function that removes the tap. */
  tap(listener: (traffic: LanTraffic) => void): () => void {
    this.taps.add(listener);
    return () => this.taps.delete(listener);
  }

  private send(sender: Member, fromPort: number, toAddress: string, toPort: number, data: Buffer): void {
    if (!sender.open) return;
    const copy = Buffer.from(data);
    const traffic: LanTraffic = { at: this.options.clock.now(), from: sender.info.address, fromPort, to: toAddress, toPort, data: copy };
    for (const tap of this.taps) tap(traffic);
    const isBroadcast = toAddress === this.broadcast || toAddress === LIMITED_BROADCAST;
    const targets = isBroadcast
      ? [...this.members.values()].filter((m) => m.ports.has(toPort) && (m !== sender || this.options.echoBroadcast !== false))
      : [this.members.get(toAddress)].filter((m): m is Member => m !== undefined && m.ports.has(toPort));
    if (targets.length === 0 && !isBroadcast) this.undeliverable++;
    const datagram: Datagram = { port: toPort, address: sender.info.address, sourcePort: fromPort, data: copy };
    for (const target of targets) {
      this.options.clock.setTimeout(() => {
        if (target.open) target.onDatagram(isBroadcast ? { ...datagram, data: Buffer.from(copy) } : datagram);
      }, this.options.latencyMs ?? 0);
    }
  }
}
