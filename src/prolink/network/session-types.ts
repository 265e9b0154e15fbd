import type { KeepAlive } from '../packets/keep-alive';
import type { OpusHello } from '../packets/status-request';
import type { Claim2, Claim3, Conflict } from '../packets/claim';
import type { CdjStatus } from '../packets/cdj-status';

export type SessionMode = 'auto' | 'lighting' | 'cdj' | 'passive';
/** What the session is doing right now; auto starts out listening. */
export type ActiveRole = 'listening' | 'lighting' | 'cdj' | 'passive';

export interface Identity {
  /** Our IPv4 address and MAC on the DJ network's interface. */
  readonly address: string;
  readonly mac: string;
  readonly broadcast: string;
  /** Sent to the OPUS-QUAD in the 0x11 packet (ASCII is safest). */
  readonly hostName: string;
}

export interface Outgoing {
  readonly port: number;
  readonly address: string;
  readonly data: Buffer;
  /** A few words for debug logs: "lighting keep-alive", "0x11 status request"… */
  readonly what: string;
}

export interface SessionNotice {
  readonly level: 'info' | 'warn';
  readonly code: string;
  readonly message: string;
}

export interface SessionStep {
  readonly send: readonly Outgoing[];
  readonly notices: readonly SessionNotice[];
}

/** The packets the session reacts to; anything else is ignored. */
export type SessionPacket = KeepAlive | OpusHello | Claim2 | Claim3 | Conflict | CdjStatus | { readonly kind: string };

export const EMPTY_STEP: SessionStep = { send: [], notices: [] };

export function step(send: readonly Outgoing[] = [], notices: readonly SessionNotice[] = []): SessionStep {
  return { send, notices };
}

export function mergeSteps(...steps: readonly SessionStep[]): SessionStep {
  return { send: steps.flatMap((s) => s.send), notices: steps.flatMap((s) => s.notices) };
}

export function isKind<K extends string>(packet: { readonly kind: string }, kind: K): packet is Extract<SessionPacket, { kind: K }> {
  return packet.kind === kind;
}
