/**
 * A virtual CDJ (CDJ-2000NXS2-like by default, or CDJ-3000-like: see
 * player-models.ts; §2.1, §3, §4, §5): keep-alives every 1.5 s, status
 * unicast to every keep-alive peer every ~200 ms, a beat packet broadcast on
 * port 50001 at every beat while playing, and on a CDJ-3000 a precise
 * position packet every ~30 ms while a track is loaded. It defends its device
 * number when another device claims it (§2.2). The device-number claim at
 * power-up is not simulated: it starts out owning its number.
 */
import { encodeCdjKeepAlive } from '../../packets/keep-alive';
import { encodeConflict } from '../../packets/claim-encode';
import { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../../packets/header';
import type { Packet } from '../../packets/packet';
import { encodeBeat } from '../encode/beat';
import { encodeCdjStatus } from '../encode/cdj-status';
import { encodePrecisePosition } from '../encode/precise-position';
import type { SimDeck } from '../deck/deck';
import type { Random } from '../random';
import { Cadence } from './cadence';
import { beatFields, positionFields, statusFields } from './deck-packets';
import type { EventSink, HostIdentity, Outgoing, SimDevice } from './device';
import type { MasterControl } from './master-control';
import { PEER_TIMEOUT_MS, PeerTable } from './peers';
import { PLAYER_MODELS, type PlayerModel, type PlayerModelName } from './player-models';

export const CDJ_NAME = PLAYER_MODELS.nxs2.name;

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
  /** Default nxs2. */
  readonly model?: PlayerModelName;
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
  private readonly model: PlayerModel;
  private readonly peers: PeerTable;
  private readonly keepAlive: Cadence;
  private readonly status: Cadence;
  private readonly position: Cadence | null;
  private beatsUpTo: number;
  private counter = 0;
  private announced = false;

  constructor(private readonly o: CdjPlayerOptions) {
    this.host = o.host;
    this.number = o.deck.number;
    this.model = PLAYER_MODELS[o.model ?? 'nxs2'];
    this.name = o.name ?? this.model.name;
    this.label = `${this.name} #${this.number}`;
    this.peers = new PeerTable(o.peerTimeoutMs ?? PEER_TIMEOUT_MS);
    this.keepAlive = new Cadence(o.keepAliveMs ?? 1500, 0, o.random, o.now);
    this.status = new Cadence(o.statusMs ?? 200, o.statusJitterMs ?? 10, o.random, o.now + this.number * 37);
    this.position = this.model.positionMs === null ? null : new Cadence(this.model.positionMs, 0, o.random, o.now);
    this.beatsUpTo = o.now;
  }

  nextDue(): number {
    const beat = this.o.deck.nextBeatAfter(this.beatsUpTo)?.at ?? Infinity;
    const status = this.peers.size > 0 ? this.status.nextAt : Infinity;
    const position = this.position?.nextAt ?? Infinity;
    return Math.min(this.keepAlive.nextAt, status, beat, position, this.o.master.nextDue());
  }

  poll(now: number): readonly Outgoing[] {
    this.o.master.settle(now);
    for (const gone of this.peers.expire(now)) this.say(now, 'peer-lost', `${gone.name} #${gone.device} at ${gone.address} went silent`);
    const out: Outgoing[] = [];
    if (this.keepAlive.take(now)) out.push(this.keepAlivePacket(now));
    if (this.peers.size > 0 && this.status.take(now)) out.push(...this.statusPackets(now));
    out.push(...this.beatPackets(now));
    if (this.position !== null && this.position.take(now)) out.push(...this.positionPacket(now));
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
      byte25: this.model.keepAliveByte25,
    });
    return { port: PORT_ANNOUNCE, address: this.host.broadcast, data, what: `${this.label} keep-alive` };
  }

  private statusPackets(now: number): Outgoing[] {
    this.counter++;
    const state = this.o.deck.stateAt(now);
    const m = this.model;
    const data = encodeCdjStatus(
      statusFields(
        { name: this.name, device: this.number, length: m.statusLength, subtype: m.statusSubtype, firmware: m.firmware, trackDevice: this.number, reportsLoop: m.reportsLoop },
        state,
        this.o.master.viewFor(this.number, now),
        { onAir: this.o.onAir(now), packetCounter: m.countsPackets ? this.counter : 0 },
      ),
    );
    return this.peers.addresses().map((address) => ({ port: PORT_STATUS, address, data, what: `${this.label} status` }));
  }

  /** §5: where the playhead is, while a track is loaded (paused too). */
  private positionPacket(now: number): Outgoing[] {
    const fields = positionFields(this.name, this.number, this.o.deck.stateAt(now));
    if (fields === null) return [];
    return [{ port: PORT_BEAT, address: this.host.broadcast, data: encodePrecisePosition(fields), what: `${this.label} precise position` }];
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
