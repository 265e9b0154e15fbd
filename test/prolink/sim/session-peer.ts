/**
 * The bridge's side for simulator tests: a real ProlinkSession joined to the
 * in-process LAN, ticked on the virtual clock, recording what it receives and
 * reassembling 0x56 transfers with the real reassembler.
 */
import { ProlinkSession } from '../../../src/prolink/network/session';
import type { SessionMode, SessionNotice, SessionStep, Outgoing } from '../../../src/prolink/network/session-types';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import type { Packet } from '../../../src/prolink/packets/packet';
import { ChunkReassembler } from '../../../src/prolink/transfer/chunk-reassembler';
import type { TransferComplete } from '../../../src/prolink/transfer/types';
import type { VirtualClock } from '../../../src/prolink/sim/clock';
import type { LanMember, VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';

export interface Heard {
  readonly at: number;
  readonly from: string;
  readonly packet: Packet;
}

export class SessionPeer {
  readonly session: ProlinkSession;
  readonly member: LanMember;
  readonly heard: Heard[] = [];
  readonly notices: (SessionNotice & { at: number })[] = [];
  readonly transfers: (TransferComplete & { at: number })[] = [];
  private readonly reassembler: ChunkReassembler;
  private running = true;

  constructor(
    private readonly lan: VirtualLan,
    private readonly clock: VirtualClock,
    address = '169.254.1.2',
    mode: SessionMode = 'lighting',
  ) {
    this.member = lan.join({ address, onDatagram: (d) => this.onDatagram(d.port, d.address, d.data) });
    this.session = new ProlinkSession({ mode, identity: { address, mac: this.member.mac, broadcast: lan.broadcast, hostName: 'testbridge' } });
    this.reassembler = new ChunkReassembler({ now: () => clock.now() });
  }

  start(tickMs = 50): this {
    this.apply(this.session.start(this.clock.now()));
    const tick = (): void => {
      if (!this.running) return;
      this.apply(this.session.tick(this.clock.now()));
      this.clock.setTimeout(tick, tickMs);
    };
    this.clock.setTimeout(tick, tickMs);
    return this;
  }

  stop(): void {
    this.running = false;
    void this.member.close();
  }

  send(out: Outgoing | null): void {
    if (out !== null) this.member.send(out.port, out.address, out.port, out.data);
  }

  /** Packets of one kind heard so far. */
  kinds<K extends Packet['kind']>(kind: K): (Heard & { packet: Extract<Packet, { kind: K }> })[] {
    return this.heard.filter((h): h is Heard & { packet: Extract<Packet, { kind: K }> } => h.packet.kind === kind);
  }

  noticeCodes(): string[] {
    return this.notices.map((n) => n.code);
  }

  private onDatagram(port: number, from: string, data: Buffer): void {
    const packet = decodePacket(port, data);
    if (isPacketError(packet)) throw new Error(`the simulator sent a datagram the codec rejects: ${packet.toString()}`);
    const at = this.clock.now();
    this.heard.push({ at, from, packet });
    if (packet.kind === 'binaryChunk') {
      const result = this.reassembler.push(packet);
      if (result.status === 'complete') this.transfers.push({ ...result, at });
    }
    if (this.running) this.apply(this.session.receive(packet, from, at));
  }

  private apply(step: SessionStep): void {
    for (const out of step.send) this.send(out);
    const at = this.clock.now();
    for (const notice of step.notices) this.notices.push({ ...notice, at });
  }
}
