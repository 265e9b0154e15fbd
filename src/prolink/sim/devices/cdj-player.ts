/**
 * A virtual CDJ (CDJ-2000NXS2-like, §2.1, §3, §4): keep-alives every 1.5 s,
 * status unicast to every keep-alive peer every ~200 ms, and a beat packet
 * broadcast on port 50001 at every beat while playing. It defends its device
 * number when another device claims it (§2.2). The device-number claim at
 * power-up is not simulated: it starts out owning its number.
 */
import { encodeCdjKeepAlive } from '../../packets/keep-alive';
import { encodeConflict } from '../../packets/claim-encode';
import { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../../packets/header';
import type { Packet } from '../../packets/packet';
import { encodeBeat } from '../encode/beat';
import { encodeCdjStatus, STATUS_LENGTH_NXS2 } from '../encode/cdj-status';
import type { SimDeck } from '../deck/deck';
import type { Random } from '../random';
import { Cadence } from './cadence';
import { beatFields, statusFields } from './deck-packets';
import type { EventSink, HostIdentity, Outgoing, SimDevice } from './device';
import type { MasterControl } from './master-control';
import { PEER_TIMEOUT_MS, PeerTable } from './peers';

export const CDJ_NAME = 'CDJ-2000NXS2';
/** §3: NXS2 players were captured with subtype 05 and firmware "1.85". */
const NXS2_SUBTYPE = 0x05;
const NXS2_FIRMWARE = '1.85';
/** §2.1: NXS2 players were captured sending 02 at keep-alive byte 0x25. */
const NXS2_BYTE_25 = 0x02;

export interface CdjPlayerOptions {
  readonly host: HostIdentity;
  readonly events: EventSink;
  readonly random: Random;
  readonly now: number;
  /** Player number (1–4); the deck carries the same number. */
  readonly deck: SimDeck;
  readonly master: MasterControl;
  /** Whether the mixer puts this player's channel on air. */
  readonly onAir: (now: number) => boolean;
  readonly name?: string;
  readonly keepAliveMs?: number;
  readonly statusMs?: number;
  readonly statusJitterMs?: number;
  readonly peerTimeoutMs?: number;
}

export class VirtualCdj implements SimDevice {
  readonly label: string;
  readonly host: HostIdentity;
  readonly number: number;
  private readonly name: string;
  private readonly peers: PeerTable;
  private readonly keepAlive: Cadence;
  private readonly status: Cadence;
  private beatsUpTo: number;
  private counter = 0;
  private announced = false;

  constructor(private readonly o: CdjPlayerOptions) {
    this.host = o.host;
    this.number = o.deck.number;
    this.name = o.name ?? CDJ_NAME;
    this.label = `${this.name} #${this.number}`;
    this.peers = new PeerTable(o.peerTimeoutMs ?? PEER_TIMEOUT_MS);
    this.keepAlive = new Cadence(o.keepAliveMs ?? 1500, 0, o.random, o.now);
    this.status = new Cadence(o.statusMs ?? 200, o.statusJitterMs ?? 10, o.random, o.now + this.number * 37);
    this.beatsUpTo = o.now;
  }

  nextDue(): number {
    const beat = this.o.deck.nextBeatAfter(this.beatsUpTo)?.at ?? Infinity;
    const status = this.peers.size > 0 ? this.status.nextAt : Infinity;
    return Math.min(this.keepAlive.nextAt, status, beat, this.o.master.nextDue());
  }

  poll(now: number): readonly Outgoing[] {
    this.o.master.settle(now);
    for (const gone of this.peers.expire(now)) this.say(now, 'peer-lost', `${gone.name} #${gone.device} at ${gone.address} went silent`);
    const out: Outgoing[] = [];
    if (this.keepAlive.take(now)) out.push(this.keepAlivePacket(now));
    if (this.peers.size > 0 && this.status.take(now)) out.push(...this.statusPackets(now));
    out.push(...this.beatPackets(now));
    return out;
  }

  receive(packet: Packet, from: string, now: number): readonly Outgoing[] {
    if (packet.kind === 'keepAlive') {
      if (packet.name === this.name && packet.device === this.number) return [];
      const peer = this.peers.see(packet, from, now);
      if (peer !== null) this.say(now, 'peer', `hears ${peer.name} #${peer.device} at ${from}`);
      if (peer !== null && this.status.nextAt > now + 50) this.status.reset(now);
      return [];
    }
    if ((packet.kind === 'claim2' || packet.kind === 'claim3') && packet.device === this.number && packet.name !== this.name) {
      const data = encodeConflict({ name: this.name, device: this.number, ip: this.host.address });
      return [{ port: PORT_ANNOUNCE, address: from, data, what: `conflict: player ${this.number} is taken` }];
    }
    return [];
  }

  private keepAlivePacket(now: number): Outgoing {
    if (!this.announced) {
      this.announced = true;
      this.say(now, 'device-up', `up at ${this.host.address}`);
    }
    const data = encodeCdjKeepAlive({
      name: this.name,
      device: this.number,
      mac: this.host.mac,
      ip: this.host.address,
      peerCount: Math.min(255, this.peers.size + 1),
      byte25: NXS2_BYTE_25,
    });
    return { port: PORT_ANNOUNCE, address: this.host.broadcast, data, what: `${this.label} keep-alive` };
  }

  private statusPackets(now: number): Outgoing[] {
    this.counter++;
    const state = this.o.deck.stateAt(now);
    const data = encodeCdjStatus(
      statusFields(
        { name: this.name, device: this.number, length: STATUS_LENGTH_NXS2, subtype: NXS2_SUBTYPE, firmware: NXS2_FIRMWARE, trackDevice: this.number },
        state,
        this.o.master.viewFor(this.number, now),
        { onAir: this.o.onAir(now), packetCounter: this.counter },
      ),
    );
    return this.peers.addresses().map((address) => ({ port: PORT_STATUS, address, data, what: `${this.label} status` }));
  }

  private beatPackets(now: number): Outgoing[] {
    const beats = this.o.deck.beatsBetween(this.beatsUpTo, now);
    this.beatsUpTo = now;
    const out: Outgoing[] = [];
    for (const beat of beats) {
      const track = this.o.deck.trackAt(beat.at);
      if (track === null) continue;
      const data = encodeBeat(beatFields(this.name, this.number, beat, track));
      out.push({ port: PORT_BEAT, address: this.host.broadcast, data, what: `${this.label} beat ${beat.beat}` });
    }
    return out;
  }

  private say(at: number, code: 'device-up' | 'peer' | 'peer-lost', message: string): void {
    this.o.events({ at, source: this.label, code, message });
  }
}
