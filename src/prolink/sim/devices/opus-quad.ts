/**
 * A virtual OPUS-QUAD in PRO DJ LINK Lighting mode (§2.4–§2.7, §3.5, §7).
 *
 * - Broadcasts its own keep-alive (name OPUS-QUAD) every 1.5 s.
 * - Greets every rekordbox-lighting host it hears with 0x10 on port 50002,
 *   about every 1.5 s, until that host answers with 0x11; then streams CDJ
 *   status for its four decks (device numbers 9–12) to it every ~200 ms.
 * - After a track load, sends the album art (0x56 type 02) unprompted to
 *   streaming hosts; answers 0x55 with the PSSI of the requested deck, or of
 *   every loaded deck, as 0x56 type 0a chunks.
 * - Reproduces its quirks: the status flag byte sometimes 00, never a beat
 *   packet, no position packets in lighting mode.
 * - Ordinary CDJ keep-alive peers (CDJ mode, §2.6) get status too, plus
 *   precise position packets while no lighting host is connected.
 * - restart() takes it off the network for a while; it then greets every host
 *   again from scratch. Deck playback carries on meanwhile (a network restart).
 */
import { encodeCdjKeepAlive } from '../../packets/keep-alive';
import { OPUS_NAME, PORT_ANNOUNCE, PORT_BEAT, PORT_STATUS } from '../../packets/header';
import type { Packet } from '../../packets/packet';
import { encodeCdjStatus, STATUS_LENGTH_CDJ3000 } from '../encode/cdj-status';
import { encodeOpusHello } from '../encode/opus-hello';
import { encodePrecisePosition } from '../encode/precise-position';
import { CHUNK_PAYLOAD_MAX } from '../encode/binary-chunk';
import { SimDeck } from '../deck/deck';
import type { SimTrack } from '../deck/track';
import type { Random } from '../random';
import { Cadence } from './cadence';
import { positionFields, statusFields } from './deck-packets';
import type { EventSink, HostIdentity, Outgoing, SimDevice, SimEventCode } from './device';
import { LightingHosts } from './lighting-hosts';
import { DeckCommands, type SimRig } from './rig';
import { MasterControl } from './master-control';
import { artTransfer, OPUS_DECKS, opusDevice, pssiTransfer, requestedDecks } from './opus-metadata';
import { PEER_TIMEOUT_MS, PeerTable } from './peers';

export interface OpusQuadOptions {
  readonly host: HostIdentity;
  readonly events: EventSink;
  readonly random: Random;
  readonly now: number;
  readonly keepAliveMs?: number;
  readonly helloMs?: number;
  readonly statusMs?: number;
  readonly statusJitterMs?: number;
  /** Chance that a status packet carries F = 00 (§3.5). Default 0.02. */
  readonly zeroFlagProbability?: number;
  readonly artDelayMs?: number;
  readonly chunkBytes?: number;
  /** Chance that a 0x56 chunk is not sent, to rehearse (and test) lossy networks. Default 0. */
  readonly chunkLossProbability?: number;
  /** Cadence of precise position packets to CDJ-mode peers (§5: ~30 ms on CDJ-3000s). */
  readonly positionMs?: number;
  readonly peerTimeoutMs?: number;
  readonly handoffMs?: number;
  /** Answer a per-deck 0x55 with that deck's PSSI alone, instead of every loaded deck's (§7.3). */
  readonly phrasesPerDeck?: boolean;
}

/** Device number in the keep-alive (beat-link reads none from it and makes four players). */
const KEEP_ALIVE_DEVICE = opusDevice(1);
/** Not documented for the OPUS-QUAD; an invented value, four ASCII characters. */
const FIRMWARE = '1.00';
const STATUS_SUBTYPE = 0x03;

export class VirtualOpusQuad implements SimDevice, SimRig {
  readonly kind = 'opus';
  readonly label = OPUS_NAME;
  readonly devices: readonly SimDevice[] = [this];
  readonly decks: ReadonlyMap<number, SimDeck>;
  readonly master: MasterControl;
  readonly host: HostIdentity;
  readonly commands: DeckCommands;
  private readonly lighting: LightingHosts;
  private readonly cdjPeers: PeerTable;
  private readonly allPeers: PeerTable;
  private readonly keepAlive: Cadence;
  private readonly status: Map<number, Cadence>;
  private readonly position: Cadence;
  private readonly counters = new Map<number, number>();
  private pendingArt: { deck: number; trackId: number; at: number }[] = [];
  private silentUntil = -Infinity;
  private restarting = false;
  private announced = false;

  constructor(private readonly o: OpusQuadOptions) {
    this.host = o.host;
    this.decks = new Map(OPUS_DECKS.map((d) => [d, new SimDeck(d, o.now)]));
    this.master = new MasterControl(OPUS_NAME, o.events, o.handoffMs, opusDevice);
    this.commands = new DeckCommands(() => OPUS_NAME, this.decks, this.master, o.events, (deck, track, now) => this.scheduleArt(deck, track, now));
    const timeout = o.peerTimeoutMs ?? PEER_TIMEOUT_MS;
    this.lighting = new LightingHosts(o.helloMs ?? 1500, timeout);
    this.cdjPeers = new PeerTable(timeout);
    this.allPeers = new PeerTable(timeout);
    this.keepAlive = new Cadence(o.keepAliveMs ?? 1500, 0, o.random, o.now);
    this.status = new Map(OPUS_DECKS.map((d) => [d, new Cadence(o.statusMs ?? 200, o.statusJitterMs ?? 15, o.random, o.now)]));
    this.position = new Cadence(o.positionMs ?? 30, 0, o.random, o.now);
  }

  restart(ms: number, now: number): boolean {
    this.silentUntil = now + ms;
    this.restarting = true;
    this.lighting.clear();
    this.cdjPeers.clear();
    this.allPeers.clear();
    this.pendingArt = [];
    this.say(now, 'restart', `restarting: off the network for ${ms} ms`);
    return true;
  }

  /** True while a lighting host has answered 0x11 and receives status. */
  isStreamingTo(address: string): boolean {
    return this.lighting.isStreaming(address);
  }

  nextDue(): number {
    if (this.restarting) return this.silentUntil;
    let next = Math.min(this.keepAlive.nextAt, this.lighting.nextDue(), this.master.nextDue());
    if (this.statusTargets().length > 0) for (const c of this.status.values()) next = Math.min(next, c.nextAt);
    if (this.cdjMode()) next = Math.min(next, this.position.nextAt);
    for (const art of this.pendingArt) next = Math.min(next, art.at);
    return next;
  }

  poll(now: number): readonly Outgoing[] {
    if (now < this.silentUntil) return [];
    if (this.restarting) this.comeBack(now);
    this.master.settle(now);
    for (const gone of this.lighting.expire(now)) this.say(now, 'peer-lost', `lighting host ${gone} went silent`);
    this.cdjPeers.expire(now);
    this.allPeers.expire(now);
    const out: Outgoing[] = [];
    if (this.keepAlive.take(now)) out.push(this.keepAlivePacket(now));
    for (const address of this.lighting.dueHellos(now)) out.push(this.hello(address));
    const targets = this.statusTargets();
    for (const [deck, cadence] of this.status) {
      if (targets.length > 0 && cadence.take(now)) out.push(...this.statusPackets(deck, targets, now));
    }
    if (this.cdjMode() && this.position.take(now)) out.push(...this.positionPackets(now));
    out.push(...this.dueArt(now));
    return out;
  }

  receive(packet: Packet, from: string, now: number): readonly Outgoing[] {
    if (now < this.silentUntil) return [];
    switch (packet.kind) {
      case 'keepAlive': {
        if (packet.isOpus) return [];
        this.allPeers.see(packet, from, now);
        if (packet.deviceType === 'rekordbox') {
          if (this.lighting.heard(from, now) === null) return [];
          this.say(now, 'greeting', `heard rekordbox lighting at ${from}; greeting it with 0x10`);
          return this.lighting.dueHellos(now).map((address) => this.hello(address));
        }
        if (packet.deviceType === 'player' && this.cdjPeers.see(packet, from, now) !== null) {
          this.say(now, 'peer', `CDJ-mode peer ${packet.name} #${packet.device} at ${from}`);
        }
        return [];
      }
      case 'statusRequest':
        if (this.lighting.answered(from, now)) {
          this.say(now, 'handshake', `${from} answered 0x11; streaming deck status to it`);
          for (const [deck, cadence] of this.status) cadence.reset(now + (deck - 1) * 5);
        }
        return [];
      case 'phraseRequest': {
        if (!this.lighting.isStreaming(from)) return [];
        const out: Outgoing[] = [];
        for (const deck of requestedDecks(packet, this.o.phrasesPerDeck ?? false)) {
          const track = this.decks.get(deck)?.trackAt(now) ?? null;
          if (track === null || track.pssi === null) continue;
          out.push(...this.lossy(pssiTransfer(deck, track, from, this.o.chunkBytes ?? CHUNK_PAYLOAD_MAX)));
          this.say(now, 'phrases', `sent the PSSI of deck ${deck} (track ${track.id}) to ${from}`);
        }
        return out;
      }
      default:
        return [];
    }
  }

  private comeBack(now: number): void {
    this.restarting = false;
    this.keepAlive.reset(now);
    this.announced = false;
    this.say(now, 'back', 'back on the network after the restart');
  }

  private cdjMode(): boolean {
    return this.cdjPeers.size > 0 && this.lighting.size === 0;
  }

  private statusTargets(): string[] {
    return [...new Set([...this.lighting.streaming(), ...this.cdjPeers.addresses()])];
  }

  private keepAlivePacket(now: number): Outgoing {
    if (!this.announced) {
      this.announced = true;
      this.say(now, 'device-up', `up at ${this.host.address}`);
    }
    const data = encodeCdjKeepAlive({ name: OPUS_NAME, device: KEEP_ALIVE_DEVICE, mac: this.host.mac, ip: this.host.address, peerCount: Math.min(255, this.allPeers.size + 1) });
    return { port: PORT_ANNOUNCE, address: this.host.broadcast, data, what: 'OPUS-QUAD keep-alive' };
  }

  private hello(address: string): Outgoing {
    return { port: PORT_STATUS, address, data: encodeOpusHello(), what: '0x10 lighting hello' };
  }

  private statusPackets(deck: number, targets: readonly string[], now: number): Outgoing[] {
    const state = (this.decks.get(deck) as SimDeck).stateAt(now);
    const counter = (this.counters.get(deck) ?? 0) + 1;
    this.counters.set(deck, counter);
    const device = opusDevice(deck);
    const fields = statusFields(
      { name: OPUS_NAME, device, length: STATUS_LENGTH_CDJ3000, subtype: STATUS_SUBTYPE, firmware: FIRMWARE, trackDevice: device },
      state,
      this.master.viewFor(deck, now),
      { onAir: state.playing, packetCounter: counter },
    );
    const glitch = this.o.random() < (this.o.zeroFlagProbability ?? 0.02);
    const data = encodeCdjStatus(glitch ? { ...fields, flagsOverride: 0x00 } : fields);
    return targets.map((address) => ({ port: PORT_STATUS, address, data, what: `status deck ${deck}${glitch ? ' (F = 00)' : ''}` }));
  }

  private positionPackets(now: number): Outgoing[] {
    const out: Outgoing[] = [];
    for (const [deck, simDeck] of this.decks) {
      const fields = positionFields(OPUS_NAME, opusDevice(deck), simDeck.stateAt(now));
      if (fields === null) continue;
      const data = encodePrecisePosition(fields);
      out.push({ port: PORT_BEAT, address: this.host.broadcast, data, what: `precise position deck ${deck}` });
    }
    return out;
  }

  private scheduleArt(deck: number, track: SimTrack, now: number): void {
    this.pendingArt = this.pendingArt.filter((a) => a.deck !== deck);
    if (track.art !== null) this.pendingArt.push({ deck, trackId: track.id, at: now + (this.o.artDelayMs ?? 1000) });
  }

  private dueArt(now: number): Outgoing[] {
    const due = this.pendingArt.filter((a) => a.at <= now);
    if (due.length === 0) return [];
    this.pendingArt = this.pendingArt.filter((a) => a.at > now);
    const out: Outgoing[] = [];
    for (const art of due) {
      const track = this.decks.get(art.deck)?.trackAt(now) ?? null;
      if (track === null || track.id !== art.trackId) continue;
      for (const address of this.lighting.streaming()) {
        out.push(...this.lossy(artTransfer(art.deck, track, address, this.o.chunkBytes ?? CHUNK_PAYLOAD_MAX)));
        this.say(now, 'art', `sent the album art of deck ${art.deck} (track ${track.id}) to ${address}`);
      }
    }
    return out;
  }

  /** Drops chunks with the configured probability (default none). */
  private lossy(chunks: Outgoing[]): Outgoing[] {
    const p = this.o.chunkLossProbability ?? 0;
    return p <= 0 ? chunks : chunks.filter(() => this.o.random() >= p);
  }

  private say(at: number, code: SimEventCode, message: string): void {
    this.o.events({ at, source: OPUS_NAME, code, message });
  }
}
