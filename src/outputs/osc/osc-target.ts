import type { OscArgs } from './osc-args';
import type { OscMessage } from './osc-message';

/** 'not-answering': connected, but the heartbeat's answers stopped (OSC over TCP with a heartbeat). */
export type TargetState = 'ready' | 'connecting' | 'connected' | 'not-answering' | 'disconnected' | 'closed';

export interface TargetStatus {
  readonly state: TargetState;
  readonly sent: number;
  /** Messages that could not be delivered (encode error, not sent within the deadline). */
  readonly dropped: number;
  /** Messages waiting to be sent. */
  readonly waiting: number;
  readonly lastError: string | null;
}

/** One configured OSC destination. */
export interface OscTarget {
  readonly name: string;
  send(message: OscMessage): void;
  /** The same, from argument columns read before it returns (the mapping engine's way, with no message object). */
  sendArgs(address: string, args: OscArgs): void;
  status(): TargetStatus;
  close(): Promise<void>;
}
