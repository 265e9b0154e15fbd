/**
 * OSC over TCP with SLIP framing (OSC 1.1), as QLab speaks it. The connection
 * is kept up with exponential backoff. When a passcode is set, QLab's
 * "/connect <passcode>" goes out first on every new connection. While the
 * connection is down, messages wait a short while (maxQueueAgeMs) so a brief
 * reconnect loses nothing; older ones are dropped and counted rather than
 * firing late cues minutes afterwards.
 */
import * as net from 'node:net';
import * as osc from 'osc';
import { encodeOscMessage, type OscMessage } from './osc-message';
import type { OscTarget, TargetState, TargetStatus } from './osc-target';
import { realTimers, type RateLimitedReporter, type Timers } from '../reporter';
import { DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, WaitingMessages, type OscConnectionOptions } from './waiting-messages';

export interface OscTcpTargetOptions extends OscConnectionOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly passcode?: string | null;
  readonly reporter: RateLimitedReporter;
}

export class OscTcpTarget implements OscTarget {
  readonly name: string;
  private readonly timers: Timers;
  private socket: net.Socket | null = null;
  private port: osc.TCPSocketPort | null = null;
  private state: TargetState = 'connecting';
  private backoffMs: number;
  private retryTimer: unknown = null;
  private readonly queue: WaitingMessages<osc.OscMessagePacket>;
  private sent = 0;
  private dropped = 0;
  private lastError: string | null = null;

  constructor(private readonly options: OscTcpTargetOptions) {
    this.name = options.name;
    this.timers = options.timers ?? realTimers;
    this.backoffMs = options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
    this.queue = new WaitingMessages(options);
    this.connect();
  }

  send(message: OscMessage): void {
    if (this.state === 'closed') return;
    const encoded = encodeOscMessage(message);
    if (!encoded.ok) {
      this.dropped++;
      this.report('encode-error', `cannot encode ${message.address}: ${encoded.message}`);
      return;
    }
    if (this.state === 'connected' && this.port !== null) {
      this.write(encoded.packet);
      return;
    }
    this.dropped += this.queue.push(encoded.packet, this.timers.now());
  }

  status(): TargetStatus {
    return { state: this.state, sent: this.sent, dropped: this.dropped, lastError: this.lastError };
  }

  close(): Promise<void> {
    this.state = 'closed';
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropped += this.queue.clear();
    const socket = this.socket;
    this.socket = null;
    this.port = null;
    if (socket === null || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      socket.end();
      socket.destroySoon?.();
      const handle = setTimeout(() => socket.destroy(), 500);
      handle.unref();
    });
  }

  private connect(): void {
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const socket = net.connect({ host: this.options.host, port: this.options.port });
    socket.setNoDelay(true);
    this.socket = socket;
    socket.on('connect', () => {
      if (this.socket !== socket) return;
      const port = new osc.TCPSocketPort({ socket, metadata: true });
      port.on('error', (error: unknown) => this.report('osc-error', String(error instanceof Error ? error.message : error)));
      this.port = port;
      this.state = 'connected';
      this.backoffMs = this.options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS;
      this.options.reporter.resolve(this.name, 'unreachable');
      if (this.lastError !== null) {
        this.options.reporter.report('info', this.name, 'connected', `connected to ${this.options.host}:${this.options.port}`);
      }
      this.lastError = null;
      if (this.options.passcode !== undefined && this.options.passcode !== null) {
        port.send({ address: '/connect', args: [{ type: 's', value: this.options.passcode }] });
      }
      this.flushQueue();
    });
    socket.on('error', (error) => {
      this.report('unreachable', `cannot reach ${this.options.host}:${this.options.port} over TCP: ${error.message}; retrying`);
    });
    socket.on('close', () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.port = null;
      if (this.state === 'closed') return;
      this.state = 'disconnected';
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, this.options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }

  private flushQueue(): void {
    const { fresh, stale } = this.queue.release(this.timers.now());
    for (const packet of fresh) this.write(packet);
    if (stale > 0) {
      this.dropped += stale;
      this.report('dropped', `${stale} message(s) dropped: the connection was down for more than ${this.queue.maxAgeMs} ms`);
    }
  }

  private write(packet: osc.OscMessagePacket): void {
    this.port?.send(packet);
    this.sent++;
  }

  private report(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
