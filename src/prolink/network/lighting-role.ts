/**
 * Lighting mode (§2.4–§2.7): we present ourselves exactly as rekordbox in
 * PRO DJ LINK Lighting mode. The OPUS-QUAD then greets us with 0x10; we answer
 * with 0x11 and it streams status, art and (on request) phrase data. The 0x11
 * is repeated with every keep-alive so an OPUS that restarts, or that missed
 * the first one, picks the session up again by itself.
 */
import { encodeLightingKeepAlive, LIGHTING_DEVICE } from '../packets/keep-alive';
import { encodeStatusRequest } from '../packets/status-request';
import { encodePhraseRequest } from '../packets/phrase-request';
import { PORT_ANNOUNCE, PORT_STATUS } from '../packets/header';
import { EMPTY_STEP, isKind, step, type Identity, type Outgoing, type SessionNotice, type SessionPacket, type SessionStep } from './session-types';

/** §2.3: if 23 is taken, the first free number in 0x13–0x27. */
const LIGHTING_RANGE_FIRST = 0x13;
const LIGHTING_RANGE_LAST = 0x27;

export interface LightingOptions {
  readonly keepAliveMs: number;
  /** After this long without a packet from the OPUS it counts as gone. */
  readonly opusTimeoutMs: number;
}

interface OpusPeer {
  readonly address: string;
  lastSeen: number;
  /** Status is flowing, i.e. our 0x11 was accepted. */
  streaming: boolean;
  present: boolean;
}

export class LightingRole {
  private device = LIGHTING_DEVICE;
  private nextKeepAlive = 0;
  private opus: OpusPeer | null = null;
  private warnedSecondOpus = new Set<string>();
  private readonly othersByNumber = new Map<number, string>();
  handshakes = 0;

  constructor(
    private readonly identity: Identity,
    private readonly options: LightingOptions,
  ) {}

  get deviceNumber(): number {
    return this.device;
  }

  get opusAddress(): string | null {
    return this.opus?.present === true ? this.opus.address : null;
  }

  get streaming(): boolean {
    return this.opus?.streaming === true;
  }

  start(now: number): SessionStep {
    this.nextKeepAlive = now;
    return this.tick(now);
  }

  tick(now: number): SessionStep {
    const notices: SessionNotice[] = [];
    const opus = this.opus;
    if (opus !== null && opus.present && now - opus.lastSeen > this.options.opusTimeoutMs) {
      opus.present = false;
      opus.streaming = false;
      notices.push({ level: 'warn', code: 'opus-lost', message: `the OPUS-QUAD at ${opus.address} went silent; waiting for it to come back` });
    }
    if (now < this.nextKeepAlive) return step([], notices);
    this.nextKeepAlive = now + this.options.keepAliveMs;
    const send: Outgoing[] = [this.keepAlive()];
    if (this.opus !== null && this.opus.present) send.push(this.statusRequest(this.opus.address));
    return step(send, notices);
  }

  /**
   * The earliest instant a tick can do anything: the next keep-alive, or the
   * OPUS going silent (a tick then sees it only once strictly past, so one
   * there may still do nothing). Ticks before it return an empty step.
   */
  nextDue(): number {
    const opus = this.opus;
    return opus !== null && opus.present ? Math.min(this.nextKeepAlive, opus.lastSeen + this.options.opusTimeoutMs) : this.nextKeepAlive;
  }

  receive(packet: SessionPacket, from: string, now: number): SessionStep {
    if (from === this.identity.address) return step();
    // Nearly every packet is a status from the OPUS that streams to us: it only says the OPUS is still there.
    const opus = this.opus;
    if (opus !== null && opus.present && opus.streaming && opus.address === from && isKind(packet, 'cdjStatus') && packet.isOpus) {
      opus.lastSeen = now;
      return EMPTY_STEP;
    }
    const notices: SessionNotice[] = [];
    const send: Outgoing[] = [];
    if (isKind(packet, 'keepAlive')) {
      if (packet.device === this.device && packet.ip !== this.identity.address) {
        const moved = this.pickFreeNumber();
        notices.push({ level: 'warn', code: 'number-taken', message: `device number ${packet.device} is used by ${packet.name} at ${packet.ip}; using ${moved} instead` });
      }
      this.othersByNumber.set(packet.device, packet.ip);
      if (packet.isOpus) notices.push(...this.seeOpus(from, now));
    } else if (isKind(packet, 'opusHello')) {
      notices.push(...this.seeOpus(from, now));
      if (this.opus?.address === from) {
        // An OPUS greeting us again has (re)started: it is not streaming to us (yet).
        this.opus.streaming = false;
        send.push(this.statusRequest(from));
      }
    } else if (isKind(packet, 'cdjStatus') && packet.isOpus) {
      notices.push(...this.seeOpus(from, now));
      if (this.opus?.address === from && !this.opus.streaming) {
        this.opus.streaming = true;
        this.handshakes++;
        notices.push({ level: 'info', code: 'opus-streaming', message: `the OPUS-QUAD at ${from} is sending deck status (lighting mode)` });
      }
    }
    return step(send, notices);
  }

  /** 0x55 for one deck (§7.3); null when no OPUS is there to ask. */
  phraseRequest(deckDevice: number, trackId: number): Outgoing | null {
    const address = this.opusAddress;
    if (address === null) return null;
    return {
      port: PORT_STATUS,
      address,
      data: encodePhraseRequest({ trackId, deckDevice, device: this.device }),
      what: `0x55 phrase request (deck device ${deckDevice}, track ${trackId})`,
    };
  }

  private seeOpus(address: string, now: number): SessionNotice[] {
    if (this.opus === null) {
      this.opus = { address, lastSeen: now, streaming: false, present: true };
      return [{ level: 'info', code: 'opus-found', message: `OPUS-QUAD found at ${address}` }];
    }
    if (this.opus.address !== address) {
      if (this.opus.present) {
        if (this.warnedSecondOpus.has(address)) return [];
        this.warnedSecondOpus.add(address);
        return [
          {
            level: 'warn',
            code: 'two-opus',
            message: `a second OPUS-QUAD answers at ${address}; the bridge follows the one at ${this.opus.address}. Two OPUS-QUADs report the same deck numbers, so connect only one`,
          },
        ];
      }
      // The first one is gone: follow the new one.
      this.opus = { address, lastSeen: now, streaming: false, present: true };
      return [{ level: 'info', code: 'opus-found', message: `OPUS-QUAD found at ${address}` }];
    }
    const notices: SessionNotice[] = [];
    if (!this.opus.present) {
      this.opus.present = true;
      notices.push({ level: 'info', code: 'opus-back', message: `the OPUS-QUAD at ${address} is back; greeting it again` });
    }
    this.opus.lastSeen = now;
    return notices;
  }

  private pickFreeNumber(): number {
    for (let n = LIGHTING_RANGE_FIRST; n <= LIGHTING_RANGE_LAST; n++) {
      if (n !== this.device && !this.othersByNumber.has(n)) {
        this.device = n;
        return n;
      }
    }
    return this.device;
  }

  private keepAlive(): Outgoing {
    return {
      port: PORT_ANNOUNCE,
      address: this.identity.broadcast,
      data: encodeLightingKeepAlive({ mac: this.identity.mac, ip: this.identity.address, device: this.device }),
      what: 'lighting keep-alive',
    };
  }

  private statusRequest(address: string): Outgoing {
    return {
      port: PORT_STATUS,
      address,
      data: encodeStatusRequest({ hostName: this.identity.hostName, device: this.device }),
      what: '0x11 status request',
    };
  }
}
