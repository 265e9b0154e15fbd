/**
 * OSC over UDP, from one socket connected to the target: the host name is
 * resolved once, not for every message, and the socket hears the ICMP "port
 * unreachable" a host answers when nothing listens on the port (the OS
 * reports it as ECONNREFUSED). That is reported as 'refused', rate-limited,
 * and sending goes on, so messages arrive again as soon as the receiver is
 * back (UDP cannot tell when). A host name that does not resolve is reported
 * and tried again with backoff; messages sent before the socket is connected
 * wait up to their deadline (deadlineMs, 1 s by default), as over TCP, and
 * older ones are dropped, counted and reported rather than sent late.
 * Nothing here throws at the caller.
 */
import * as dgram from 'node:dgram';
import type { OscMessage } from './osc-message';
import { OscArgs } from './osc-args';
import { OscSlab } from './osc-slab';
import type { OscTarget, TargetState, TargetStatus } from './osc-target';
import { realTimers, type RateLimitedReporter, type Timers } from '../reporter';
import { Backoff } from './backoff';
import { DEFAULT_INITIAL_BACKOFF_MS, DEFAULT_MAX_BACKOFF_MS, WaitingMessages, type OscConnectionOptions } from './waiting-messages';

/** A resolver as dgram.createSocket takes it (dns.lookup by default). */
export type UdpLookup = NonNullable<dgram.SocketOptions['lookup']>;

export interface OscUdpTargetOptions extends OscConnectionOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly reporter: RateLimitedReporter;
  readonly lookup?: UdpLookup;
}

export class OscUdpTarget implements OscTarget {
  readonly name: string;
  private readonly timers: Timers;
  private readonly socket: dgram.Socket;
  private state: TargetState = 'connecting';
  private readonly backoff: Backoff;
  private retryTimer: unknown = null;
  private readonly queue: WaitingMessages<Buffer>;
  private sent = 0;
  private dropped = 0;
  private lastError: string | null = null;
  /** Messages are encoded into views of one buffer; each is released when the socket is done with it. */
  private readonly slab = new OscSlab();
  private readonly scratch = new OscArgs();
  private readonly afterSend = (error: Error | null): void => {
    this.slab.release();
    this.counted(error);
  };
  /** Sent from the waiting queue: the bytes are their own, not the slab's. */
  private readonly afterQueuedSend = (error: Error | null): void => this.counted(error);

  constructor(private readonly options: OscUdpTargetOptions) {
    this.name = options.name;
    this.timers = options.timers ?? realTimers;
    this.backoff = new Backoff(options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.queue = new WaitingMessages(options);
    this.socket = dgram.createSocket(options.lookup === undefined ? { type: 'udp4' } : { type: 'udp4', lookup: options.lookup });
    this.socket.on('error', (error) => this.onError(error));
    this.socket.unref();
    this.connect();
  }

  send(message: OscMessage): void {
    this.sendArgs(message.address, this.scratch.setArguments(message.args));
  }

  sendArgs(address: string, args: OscArgs): void {
    if (this.state === 'closed') return;
    const encoded = this.slab.encode(address, args);
    if (typeof encoded === 'string') {
      this.dropped++;
      this.report('encode-error', `cannot encode ${address}: ${encoded}`);
      return;
    }
    if (this.state === 'ready') {
      this.socket.send(encoded, this.afterSend);
      return;
    }
    // A waiting message keeps a copy of its own: the slab's view is released now.
    const bytes = Buffer.from(encoded);
    this.slab.release();
    this.drop(this.queue.push(bytes, bytes.length, this.timers.now()));
  }

  status(): TargetStatus {
    return { state: this.state, sent: this.sent, dropped: this.dropped, waiting: this.queue.length, lastError: this.lastError };
  }

  close(): Promise<void> {
    if (this.state === 'closed') return Promise.resolve();
    this.state = 'closed';
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropped += this.queue.clear();
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.state === 'closed') return;
    this.state = 'connecting';
    this.socket.connect(this.options.port, this.options.host, (error?: Error) => {
      if (this.state === 'closed') return;
      if (error !== undefined) {
        this.state = 'disconnected';
        const delay = this.backoff.next();
        this.report('unresolved', `cannot send to ${this.where()}: ${error.message}; retrying in ${delay} ms`);
        this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
        return;
      }
      this.state = 'ready';
      this.backoff.reset();
      this.options.reporter.resolve(this.name, 'unresolved');
      this.flushQueue();
    });
  }

  private flushQueue(): void {
    const { fresh, stale } = this.queue.release(this.timers.now());
    for (const bytes of fresh) this.socket.send(bytes, this.afterQueuedSend);
    this.drop(stale);
  }

  /** Messages that waited past their deadline, or pushed out of a full queue, while the host did not resolve. */
  private drop(count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    this.report('dropped', `${count} message(s) dropped: ${this.options.host} did not resolve within the ${this.queue.deadlineMs} ms deadline; ${this.dropped} dropped in all`);
  }

  /** Errors of the connected socket: ECONNREFUSED when the host says nothing listens on the port. */
  private onError(error: Error): void {
    if ((error as NodeJS.ErrnoException).code === 'ECONNREFUSED') {
      this.report('refused', `nothing is listening on ${this.where()} (the host answered "port unreachable"); still sending`);
      return;
    }
    this.report('send-failed', `cannot send to ${this.where()}: ${error.message}`);
  }

  private counted(error: Error | null): void {
    if (error === null) {
      this.sent++;
      return;
    }
    this.dropped++;
    this.onError(error);
  }

  private where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  private report(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
