/**
 * How the bridge takes part in the DJ network. A pure state machine: the
 * caller feeds it decoded packets (with their source address) and clock ticks,
 * and sends whatever datagrams it returns. Sockets and timers live elsewhere.
 *
 * - lighting: rekordbox PRO DJ LINK Lighting (OPUS-QUAD status, art, phrases)
 * - cdj: a virtual player (status from players; precise positions from
 *   CDJ-3000s and from the OPUS-QUAD)
 * - passive: never sends anything
 * - auto: listens first; lighting as soon as an OPUS-QUAD is heard, cdj when
 *   other gear is heard and no OPUS-QUAD turns up within autoDecisionMs
 */
import { CdjRole, FIRST_VIRTUAL_NUMBER } from './cdj-role';
import { LightingRole } from './lighting-role';
import {
  EMPTY_STEP,
  isKind,
  mergeSteps,
  step,
  type ActiveRole,
  type Identity,
  type Outgoing,
  type SessionMode,
  type SessionPacket,
  type SessionStep,
} from './session-types';

export interface SessionOptions {
  readonly mode: SessionMode;
  readonly identity: Identity;
  readonly keepAliveMs?: number;
  readonly opusTimeoutMs?: number;
  readonly autoDecisionMs?: number;
  /** CDJ mode's preferred device number. */
  readonly cdjNumber?: number;
}

export interface SessionState {
  readonly mode: SessionMode;
  readonly role: ActiveRole;
  readonly deviceNumber: number | null;
  readonly opusAddress: string | null;
  readonly streaming: boolean;
}

export class ProlinkSession {
  private role: ActiveRole;
  private lighting: LightingRole | null = null;
  private cdj: CdjRole | null = null;
  private firstHeardAt: number | null = null;
  /** Keep-alives heard while listening, replayed into the CDJ role so it avoids numbers in use. */
  private readonly heard = new Map<number, { packet: SessionPacket; from: string; at: number }>();

  constructor(private readonly options: SessionOptions) {
    this.role = options.mode === 'auto' ? 'listening' : options.mode;
  }

  get state(): SessionState {
    return {
      mode: this.options.mode,
      role: this.role,
      deviceNumber: this.lighting?.deviceNumber ?? this.cdj?.deviceNumber ?? null,
      opusAddress: this.lighting?.opusAddress ?? null,
      streaming: this.lighting?.streaming ?? false,
    };
  }

  start(now: number): SessionStep {
    if (this.role === 'lighting') return this.becomeLighting(now, null);
    if (this.role === 'cdj') return this.becomeCdj(now, null);
    return EMPTY_STEP;
  }

  tick(now: number): SessionStep {
    if (this.role === 'listening' && this.firstHeardAt !== null && now - this.firstHeardAt >= (this.options.autoDecisionMs ?? 3000)) {
      return this.becomeCdj(now, 'Pro DJ Link players answer and no OPUS-QUAD was heard: joining as a virtual CDJ (cdj mode)');
    }
    return this.lighting?.tick(now) ?? this.cdj?.tick(now) ?? EMPTY_STEP;
  }

  /**
   * The earliest instant a tick can do anything (a keep-alive, a claim stage,
   * a timeout, auto mode's decision), or null when no tick ever will until a
   * packet arrives. A tick before it returns an empty step, so a caller may
   * tick only from then on; a tick at it may still find nothing due (a
   * timeout counts once strictly past), so ask again after every tick, and
   * after every received packet, which may bring it forward.
   */
  nextDue(): number | null {
    if (this.lighting !== null) return this.lighting.nextDue();
    if (this.cdj !== null) return this.cdj.nextDue();
    if (this.role === 'listening' && this.firstHeardAt !== null) return this.firstHeardAt + (this.options.autoDecisionMs ?? 3000);
    return null;
  }

  receive(packet: SessionPacket, from: string, now: number): SessionStep {
    if (from === this.options.identity.address) return EMPTY_STEP;
    if (this.role === 'listening') {
      const opus = (isKind(packet, 'keepAlive') && packet.isOpus) || isKind(packet, 'opusHello') || (isKind(packet, 'cdjStatus') && packet.isOpus);
      if (opus) {
        const joined = this.becomeLighting(now, `OPUS-QUAD heard at ${from}: joining in lighting mode`);
        return mergeSteps(joined, this.lighting?.receive(packet, from, now) ?? EMPTY_STEP);
      }
      if (isKind(packet, 'keepAlive')) {
        this.firstHeardAt ??= now;
        this.heard.set(packet.device, { packet, from, at: now });
      }
      return EMPTY_STEP;
    }
    return this.lighting?.receive(packet, from, now) ?? this.cdj?.receive(packet, from, now) ?? EMPTY_STEP;
  }

  /** Asks the OPUS-QUAD for a deck's phrase data (lighting mode only). */
  requestPhrases(deckDevice: number, trackId: number): Outgoing | null {
    return this.lighting?.phraseRequest(deckDevice, trackId) ?? null;
  }

  private becomeLighting(now: number, why: string | null): SessionStep {
    this.role = 'lighting';
    this.lighting = new LightingRole(this.options.identity, {
      keepAliveMs: this.options.keepAliveMs ?? 1500,
      opusTimeoutMs: this.options.opusTimeoutMs ?? 10_000,
    });
    const started = this.lighting.start(now);
    return why === null ? started : mergeSteps(step([], [{ level: 'info', code: 'mode', message: why }]), started);
  }

  private becomeCdj(now: number, why: string | null): SessionStep {
    this.role = 'cdj';
    this.cdj = new CdjRole(this.options.identity, {
      keepAliveMs: this.options.keepAliveMs ?? 1500,
      preferredNumber: this.options.cdjNumber ?? FIRST_VIRTUAL_NUMBER,
    });
    for (const { packet, from, at } of this.heard.values()) this.cdj.receive(packet, from, at);
    this.heard.clear();
    const started = this.cdj.start(now);
    return why === null ? started : mergeSteps(step([], [{ level: 'info', code: 'mode', message: why }]), started);
  }
}
