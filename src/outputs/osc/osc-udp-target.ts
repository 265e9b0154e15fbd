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
 *
 * Messages are written into one reused buffer (osc-slab.ts) and handed to
 * the socket without a completion callback: on a connected socket Node sends
 * at once when it can, and a completion callback per datagram (a request
 * kept, a call back into JavaScript) would cost more than everything else
 * the bridge does for the message. Right after the send the socket says
 * whether the datagram is still queued: if not, the kernel has the bytes and
 * the slab's region is free at once; if it is, the slab is left to that
 * datagram and a fresh one is started.
 *
 * What a send without a callback cannot tell is failure. So one send in
 * every CHECK_INTERVAL_MS (and only one at a time) carries a callback: send
 * failures are lasting (a receiver that is not running, a route that went
 * away), so a check finds them within that interval. From a failed check
 * until one succeeds, messages are counted dropped, not sent. The socket's
 * own errors (the host's "port unreachable", heard on receive) are reported
 * too.
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
  /** Makes the socket (dgram.createSocket by default): for a test that has the network fail under a real socket. */
  readonly createSocket?: (options: dgram.SocketOptions) => dgram.Socket;
}

/** At most one send in this many ms carries a completion callback, to see whether sends fail. */
export const CHECK_INTERVAL_MS = 100;
/** The largest UDP payload over IPv4 (65,535 less the IP and UDP headers). */
const MAX_UDP_PAYLOAD = 65_507;

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
  /** Messages are encoded into views of one buffer; each is released once the socket has taken its bytes. */
  private readonly slab = new OscSlab();
  private readonly scratch = new OscArgs();
  /** A send with a callback is out; when the last one went; whether the last one failed. */
  private checking = false;
  private checkedAt = -Infinity;
  private failing = false;
  private readonly afterCheck = (error: Error | null): void => {
    this.checking = false;
    this.failing = error !== null;
    this.counted(error);
  };
  /** Sent from the waiting queue: the bytes are their own, not the slab's, and there are few of them. */
  private readonly afterQueuedSend = (error: Error | null): void => this.counted(error);

  constructor(private readonly options: OscUdpTargetOptions) {
    this.name = options.name;
    this.timers = options.timers ?? realTimers;
    this.backoff = new Backoff(options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.queue = new WaitingMessages(options);
    const createSocket = options.createSocket ?? ((o: dgram.SocketOptions) => dgram.createSocket(o));
    this.socket = createSocket(options.lookup === undefined ? { type: 'udp4' } : { type: 'udp4', lookup: options.lookup });
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
    if (encoded.length > MAX_UDP_PAYLOAD) {
      // The socket would refuse it (EMSGSIZE), and only a checked send would hear so.
      this.slab.release();
      this.dropped++;
      this.report('too-large', `cannot send ${address}: ${encoded.length} bytes is more than a UDP datagram holds (${MAX_UDP_PAYLOAD})`);
      return;
    }
    if (this.state === 'ready') {
      this.sendNow(encoded);
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

  /** Hands the slab's bytes to the socket (with a callback only when it is time to check), and frees or gives up their region. */
  private sendNow(bytes: Buffer): void {
    const now = this.timers.now();
    if (!this.checking && now - this.checkedAt >= CHECK_INTERVAL_MS) {
      this.checking = true;
      this.checkedAt = now;
      this.socket.send(bytes, this.afterCheck); // counted when it answers
    } else {
      this.socket.send(bytes);
      if (this.failing) this.dropped++;
      else this.sent++;
    }
    // Not queued: the kernel has copied the bytes. Queued: they stay the datagram's until it goes, so the slab is its.
    if (this.socket.getSendQueueCount() === 0) this.slab.release();
    else this.slab.retire();
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
