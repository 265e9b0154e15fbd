/**
 * OSC over UDP. Datagrams go out from one ephemeral socket; send failures
 * (no route, ICMP refusals reported by the OS) are reported, rate-limited, and
 * never stop the show.
 */
import * as dgram from 'node:dgram';
import { encodeOscMessage, type OscMessage } from './osc-message';
import type { OscTarget, TargetState, TargetStatus } from './osc-target';
import type { RateLimitedReporter } from '../reporter';

export interface OscUdpTargetOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly reporter: RateLimitedReporter;
}

export class OscUdpTarget implements OscTarget {
  readonly name: string;
  private readonly socket: dgram.Socket;
  private state: TargetState = 'ready';
  private sent = 0;
  private dropped = 0;
  private lastError: string | null = null;

  constructor(private readonly options: OscUdpTargetOptions) {
    this.name = options.name;
    this.socket = dgram.createSocket('udp4');
    this.socket.on('error', (error) => this.fail('socket-error', error.message));
    this.socket.unref();
  }

  send(message: OscMessage): void {
    if (this.state === 'closed') return;
    const encoded = encodeOscMessage(message);
    if (!encoded.ok) {
      this.dropped++;
      this.fail('encode-error', `cannot encode ${message.address}: ${encoded.message}`);
      return;
    }
    this.socket.send(encoded.bytes, this.options.port, this.options.host, (error) => {
      if (error) {
        this.dropped++;
        this.fail('send-failed', `cannot send to ${this.options.host}:${this.options.port}: ${error.message}`);
      } else {
        this.sent++;
      }
    });
  }

  status(): TargetStatus {
    return { state: this.state, sent: this.sent, dropped: this.dropped, lastError: this.lastError };
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.state = 'closed';
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private fail(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
