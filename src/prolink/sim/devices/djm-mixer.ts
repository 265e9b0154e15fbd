/**
 * A virtual DJM mixer (device 33, §2.1, §6): keep-alives with device type 02,
 * mixer status unicast to every keep-alive peer every ~200 ms, channels on-air
 * broadcast on port 50001, and (optionally) the beat packets a DJM sends as a
 * fallback metronome at the master's tempo (§4: free-running, its beat-in-bar
 * means nothing).
 */
import { PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../../packets/header';
import type { Packet } from '../../packets/packet';
import { encodeBeat } from '../encode/beat';
import { encodeMixerKeepAlive, encodeMixerStatus, encodeOnAir } from '../encode/mixer';
import { BEATS_PER_BAR, MS_PER_MINUTE } from '../deck/track';
import type { Random } from '../random';
import { Cadence } from './cadence';
import type { EventSink, HostIdentity, Outgoing, SimDevice } from './device';
import type { MasterControl } from './master-control';
import { PEER_TIMEOUT_MS, PeerTable } from './peers';

export const DJM_NAME = 'DJM-900NXS2';
export const DJM_DEVICE = 33;
/** §4: the captured DJM sent beats at 120 BPM with no player as master. */
const IDLE_BPM = 120;

export interface DjmMixerOptions {
  readonly host: HostIdentity;
  readonly events: EventSink;
  readonly random: Random;
  readonly now: number;
  readonly master: MasterControl;
  /** Channels 1–4 on air. */
  readonly channels: (now: number) => readonly boolean[];
  /** The master deck's effective BPM while it plays an analysed track, else null. */
  readonly masterBpm: (now: number) => number | null;
  readonly metronome?: boolean;
  readonly name?: string;
  readonly keepAliveMs?: number;
  readonly statusMs?: number;
  readonly onAirMs?: number;
  readonly peerTimeoutMs?: number;
}

export class VirtualDjm implements SimDevice {
  readonly label: string;
  readonly host: HostIdentity;
  private readonly name: string;
  private readonly peers: PeerTable;
  private readonly keepAlive: Cadence;
  private readonly status: Cadence;
  private readonly onAir: Cadence;
  private nextBeatAt: number;
  private beatInBar = 0;
  private announced = false;

  constructor(private readonly o: DjmMixerOptions) {
    this.host = o.host;
    this.name = o.name ?? DJM_NAME;
    this.label = `${this.name} #${DJM_DEVICE}`;
    this.peers = new PeerTable(o.peerTimeoutMs ?? PEER_TIMEOUT_MS);
    this.keepAlive = new Cadence(o.keepAliveMs ?? 1500, 0, o.random, o.now + 11);
    this.status = new Cadence(o.statusMs ?? 200, 10, o.random, o.now + 23);
    this.onAir = new Cadence(o.onAirMs ?? 300, 10, o.random, o.now + 7);
    this.nextBeatAt = o.metronome === false ? Infinity : o.now + 100;
  }

  nextDue(): number {
    return Math.min(this.keepAlive.nextAt, this.peers.size > 0 ? this.status.nextAt : Infinity, this.onAir.nextAt, this.nextBeatAt);
  }

  poll(now: number): readonly Outgoing[] {
    this.peers.expire(now);
    const out: Outgoing[] = [];
    if (this.keepAlive.take(now)) out.push(this.keepAlivePacket(now));
    if (this.peers.size > 0 && this.status.take(now)) out.push(...this.statusPackets(now));
    if (this.onAir.take(now)) {
      const data = encodeOnAir({ name: this.name, device: DJM_DEVICE, onAir: this.o.channels(now).slice(0, 4) });
      out.push({ port: PORT_BEAT, address: this.host.broadcast, data, what: 'channels on-air' });
    }
    if (now >= this.nextBeatAt) out.push(this.metronomeBeat(now));
    return out;
  }

  receive(packet: Packet, from: string, now: number): readonly Outgoing[] {
    if (packet.kind === 'keepAlive' && !(packet.name === this.name && packet.device === DJM_DEVICE)) {
      const peer = this.peers.see(packet, from, now);
      if (peer !== null) this.o.events({ at: now, source: this.label, code: 'peer', message: `hears ${peer.name} #${peer.device} at ${from}` });
    }
    return [];
  }

  private keepAlivePacket(now: number): Outgoing {
    if (!this.announced) {
      this.announced = true;
      this.o.events({ at: now, source: this.label, code: 'device-up', message: `up at ${this.host.address}` });
    }
    const data = encodeMixerKeepAlive({ name: this.name, device: DJM_DEVICE, mac: this.host.mac, ip: this.host.address, peerCount: Math.min(255, this.peers.size + 1) });
    return { port: PORT_ANNOUNCE, address: this.host.broadcast, data, what: `${this.label} keep-alive` };
  }

  private statusPackets(now: number): Outgoing[] {
    const master = this.o.master.masterAt(now);
    const data = encodeMixerStatus({
      name: this.name,
      device: DJM_DEVICE,
      master: false,
      bpm: this.o.masterBpm(now),
      masterHandoff: master === null ? 0 : null,
      beatInBar: Math.max(1, this.beatInBar),
    });
    return this.peers.addresses().map((address) => ({ port: PORT_STATUS, address, data, what: 'mixer status' }));
  }

  private metronomeBeat(now: number): Outgoing {
    const bpm = this.o.masterBpm(now) ?? IDLE_BPM;
    const period = MS_PER_MINUTE / bpm;
    this.beatInBar = (this.beatInBar % BEATS_PER_BAR) + 1;
    this.nextBeatAt = Math.max(now, this.nextBeatAt) + period;
    const ms = (beats: number): number => Math.round(beats * period);
    const toBar = BEATS_PER_BAR + 1 - this.beatInBar;
    const data = encodeBeat({
      name: this.name,
      device: DJM_DEVICE,
      nextBeat: ms(1),
      secondBeat: ms(2),
      nextBar: ms(toBar),
      fourthBeat: ms(4),
      secondBar: ms(toBar + BEATS_PER_BAR),
      eighthBeat: ms(8),
      pitchPercent: 0,
      bpm: Math.round(bpm * 100) / 100,
      beatInBar: this.beatInBar,
    });
    return { port: PORT_BEAT, address: this.host.broadcast, data, what: 'mixer beat' };
  }
}
