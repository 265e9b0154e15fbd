/**
 * CDJ mode (§2.1–§2.3, §2.7): a virtual player on a free device number. It
 * claims the number with the hello and claim stages (about 300 ms apart),
 * moves to another number when a conflict is reported or the number turns out
 * to be taken, defends the number once it owns it, and then sends ordinary
 * keep-alives. Players stream status (and CDJ-3000s and the OPUS-QUAD precise
 * position packets) to keep-alive peers.
 */
import { encodeCdjKeepAlive } from '../packets/keep-alive';
import { encodeClaim1, encodeClaim2, encodeClaim3, encodeConflict, encodeHello } from '../packets/claim-encode';
import { PORT_ANNOUNCE } from '../packets/header';
import { isKind, step, type Identity, type Outgoing, type SessionNotice, type SessionPacket, type SessionStep } from './session-types';

export const CDJ_NAME = 'prolink-bridge';
/** §2.3: start at 7 so CDJ-3000 players 5 and 6 keep theirs. */
export const FIRST_VIRTUAL_NUMBER = 7;
const LAST_VIRTUAL_NUMBER = 15;
const CLAIM_INTERVAL_MS = 300;
const PEER_TIMEOUT_MS = 10_000;

export interface CdjOptions {
  readonly keepAliveMs: number;
  readonly preferredNumber: number;
}

type Stage = { readonly kind: 'hello' | 'claim1' | 'claim2' | 'claim3'; readonly sequence: number };

const CLAIM_PLAN: readonly Stage[] = [
  { kind: 'hello', sequence: 1 },
  { kind: 'hello', sequence: 2 },
  { kind: 'hello', sequence: 3 },
  { kind: 'claim1', sequence: 1 },
  { kind: 'claim1', sequence: 2 },
  { kind: 'claim1', sequence: 3 },
  { kind: 'claim2', sequence: 1 },
  { kind: 'claim2', sequence: 2 },
  { kind: 'claim2', sequence: 3 },
  { kind: 'claim3', sequence: 1 },
];
/** Where a restart after a conflict begins (no need to say hello again). */
const RESTART_STAGE = 3;

export class CdjRole {
  private device: number;
  private stage = 0;
  private nextAt = 0;
  private claimed = false;
  private readonly peers = new Map<number, { address: string; lastSeen: number }>();

  constructor(
    private readonly identity: Identity,
    private readonly options: CdjOptions,
  ) {
    this.device = options.preferredNumber;
  }

  get deviceNumber(): number {
    return this.device;
  }

  get ownsNumber(): boolean {
    return this.claimed;
  }

  start(now: number): SessionStep {
    this.stage = 0;
    this.nextAt = now;
    this.claimed = false;
    if (this.isTaken(this.device, now)) this.device = this.freeNumber(now);
    return this.tick(now);
  }

  tick(now: number): SessionStep {
    if (now < this.nextAt) return step();
    if (!this.claimed) {
      const stage = CLAIM_PLAN[this.stage];
      if (stage !== undefined) {
        this.stage++;
        this.nextAt = now + CLAIM_INTERVAL_MS;
        return step([this.claimPacket(stage)]);
      }
      this.claimed = true;
      return this.keepAliveStep(now, [{ level: 'info', code: 'number-claimed', message: `joined as virtual player ${this.device}` }]);
    }
    return this.keepAliveStep(now, []);
  }

  /** The earliest instant a tick does anything (the next claim stage or keep-alive); ticks before it return an empty step. */
  nextDue(): number {
    return this.nextAt;
  }

  receive(packet: SessionPacket, from: string, now: number): SessionStep {
    if (from === this.identity.address) return step();
    if (isKind(packet, 'keepAlive')) {
      this.peers.set(packet.device, { address: packet.ip, lastSeen: now });
      if (packet.device === this.device) return this.collision(now, `${packet.name} at ${packet.ip} uses it`);
    } else if (isKind(packet, 'conflict')) {
      if (packet.device === this.device) return this.collision(now, `${packet.ip} reported a conflict`);
    } else if ((isKind(packet, 'claim2') || isKind(packet, 'claim3')) && packet.device === this.device) {
      if (this.claimed) {
        // Defend the number we own (§2.2): tell the claimant it is taken.
        return step([
          {
            port: PORT_ANNOUNCE,
            address: from,
            data: encodeConflict({ name: CDJ_NAME, device: this.device, ip: this.identity.address }),
            what: `conflict: defending device number ${this.device}`,
          },
        ]);
      }
      return this.collision(now, `${from} is claiming it too`);
    }
    return step();
  }

  private collision(now: number, why: string): SessionStep {
    const old = this.device;
    this.device = this.freeNumber(now);
    this.claimed = false;
    this.stage = RESTART_STAGE;
    this.nextAt = now;
    const notice: SessionNotice = { level: 'warn', code: 'number-conflict', message: `device number ${old} is taken (${why}); claiming ${this.device} instead` };
    return step([], [notice]);
  }

  private isTaken(n: number, now: number): boolean {
    const peer = this.peers.get(n);
    return peer !== undefined && now - peer.lastSeen < PEER_TIMEOUT_MS && peer.address !== this.identity.address;
  }

  private freeNumber(now: number): number {
    for (let n = FIRST_VIRTUAL_NUMBER; n <= LAST_VIRTUAL_NUMBER; n++) {
      if (n !== this.device && !this.isTaken(n, now)) return n;
    }
    return this.device;
  }

  private peerCount(now: number): number {
    let alive = 1;
    for (const peer of this.peers.values()) if (now - peer.lastSeen < PEER_TIMEOUT_MS) alive++;
    return Math.min(alive, 255);
  }

  private keepAliveStep(now: number, notices: SessionNotice[]): SessionStep {
    this.nextAt = now + this.options.keepAliveMs;
    const data = encodeCdjKeepAlive({ name: CDJ_NAME, device: this.device, mac: this.identity.mac, ip: this.identity.address, peerCount: this.peerCount(now) });
    return step([{ port: PORT_ANNOUNCE, address: this.identity.broadcast, data, what: 'CDJ keep-alive' }], notices);
  }

  private claimPacket(stage: Stage): Outgoing {
    const { mac, address } = this.identity;
    let data: Buffer;
    switch (stage.kind) {
      case 'hello':
        data = encodeHello({ name: CDJ_NAME });
        break;
      case 'claim1':
        data = encodeClaim1({ name: CDJ_NAME, sequence: stage.sequence, mac });
        break;
      case 'claim2':
        data = encodeClaim2({ name: CDJ_NAME, ip: address, mac, device: this.device, sequence: stage.sequence, autoAssign: false });
        break;
      case 'claim3':
        data = encodeClaim3({ name: CDJ_NAME, device: this.device, sequence: stage.sequence });
        break;
    }
    return { port: PORT_ANNOUNCE, address: this.identity.broadcast, data, what: `${stage.kind} ${stage.sequence} for device number ${this.device}` };
  }
}
