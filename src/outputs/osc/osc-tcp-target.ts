/**
 * OSC over TCP with SLIP framing (OSC 1.1), as QLab speaks it.
 *
 * Every message is stamped when it is produced and waits in a bounded queue
 * (WaitingMessages) until the socket can take it. It is handed to the socket
 * only while the socket holds nothing unsent, so the bridge never buffers
 * more than one message the operating system has not taken; a message that
 * could not leave within its deadline (1 s by default) is dropped, counted
 * and reported (rate-limited), never sent late. When the operating system
 * stops taking data (the receiver stopped reading and the socket buffers are
 * full) for longer than the deadline, the connection is reset, which also
 * throws away what the operating system still held for it, and a new one is
 * made. Bytes the receiver's own operating system already accepted cannot be
 * called back: they reach the application when it reads again.
 *
 * Reconnection backs off from initialBackoffMs, doubling up to maxBackoffMs,
 * and starts over only once a connection has stayed up for healthyAfterMs
 * with the operating system taking what is written, so a port that accepts
 * and closes at once (a crashed application), or a receiver that stops
 * reading again and again, is tried less and less often. When a passcode is
 * set, QLab's "/connect <passcode>" goes out first on every new connection.
 */
import * as net from 'node:net';
import * as osc from './osc-library';
import { encodeOscMessage, type OscMessage } from './osc-message';
import type { OscTarget, TargetState, TargetStatus } from './osc-target';
import { realTimers, type RateLimitedReporter, type Timers } from '../reporter';
import { Backoff } from './backoff';
import {
  DEFAULT_INITIAL_BACKOFF_MS,
  DEFAULT_MAX_BACKOFF_MS,
  WaitingMessages,
  type OscConnectionOptions,
} from './waiting-messages';

export interface OscTcpTargetOptions extends OscConnectionOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly passcode?: string | null;
  readonly reporter: RateLimitedReporter;
  /** How long a connection must stay up before the backoff starts over (ms). */
  readonly healthyAfterMs?: number;
  /** Opens a connection (net.connect by default). */
  readonly connect?: (host: string, port: number) => net.Socket;
}

export const DEFAULT_HEALTHY_AFTER_MS = 5000;

const defaultConnect = (host: string, port: number): net.Socket => net.connect({ host, port });

/** One connection attempt and what became of it. */
interface Attempt {
  readonly socket: net.Socket;
  port: osc.TCPSocketPort | null;
  openedAt: number | null;
  /** Reset by the target because the receiver stopped taking data. */
  stalled: boolean;
}

export class OscTcpTarget implements OscTarget {
  readonly name: string;
  private readonly timers: Timers;
  private readonly where: string;
  private attempt: Attempt | null = null;
  private state: TargetState = 'connecting';
  private readonly backoff: Backoff;
  private readonly healthyAfterMs: number;
  private retryTimer: unknown = null;
  private healthyTimer: unknown = null;
  private stallTimer: unknown = null;
  private readonly queue: WaitingMessages<osc.OscMessagePacket>;
  private sent = 0;
  private dropped = 0;
  private lastError: string | null = null;

  constructor(private readonly options: OscTcpTargetOptions) {
    this.name = options.name;
    this.where = `${options.host}:${options.port}`;
    this.timers = options.timers ?? realTimers;
    this.backoff = new Backoff(options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.healthyAfterMs = options.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS;
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
    this.drop(this.queue.push(encoded.packet, encoded.bytes.length, this.timers.now()));
    this.pump();
  }

  status(): TargetStatus {
    return { state: this.state, sent: this.sent, dropped: this.dropped, waiting: this.queue.length, lastError: this.lastError };
  }

  close(): Promise<void> {
    this.state = 'closed';
    this.clearTimers();
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.dropped += this.queue.clear();
    const socket = this.attempt?.socket ?? null;
    this.attempt = null;
    if (socket === null || socket.destroyed) return Promise.resolve();
    return new Promise((resolve) => {
      socket.once('close', () => resolve());
      if (socket.writableLength > 0) {
        // Whatever the receiver has not taken would only arrive late.
        socket.resetAndDestroy();
        return;
      }
      socket.end();
      const handle = setTimeout(() => socket.destroy(), 500);
      handle.unref();
    });
  }

  private connect(): void {
    this.retryTimer = null;
    if (this.state === 'closed') return;
    this.state = 'connecting';
    const socket = (this.options.connect ?? defaultConnect)(this.options.host, this.options.port);
    socket.setNoDelay(true);
    const attempt: Attempt = { socket, port: null, openedAt: null, stalled: false };
    this.attempt = attempt;
    socket.on('connect', () => {
      if (this.attempt !== attempt) return;
      const port = new osc.TCPSocketPort({ socket, metadata: true });
      // The socket's own 'error' handler reports; the port repeats the same errors.
      port.on('error', () => undefined);
      attempt.port = port;
      attempt.openedAt = this.timers.now();
      this.state = 'connected';
      if (this.lastError !== null) this.options.reporter.report('info', this.name, 'connected', `connected to ${this.where}`);
      this.lastError = null;
      this.watchHealth(attempt);
      if (this.options.passcode !== undefined && this.options.passcode !== null) {
        port.send({ address: '/connect', args: [{ type: 's', value: this.options.passcode }] });
      }
      this.pump();
    });
    socket.on('drain', () => {
      if (this.attempt !== attempt) return;
      this.clearStallTimer();
      this.pump();
    });
    socket.on('error', (error) => {
      if (this.attempt !== attempt || attempt.stalled) return;
      if (attempt.openedAt === null) {
        this.report('unreachable', `cannot reach ${this.where} over TCP: ${error.message}; retrying in ${this.backoff.peek()} ms`);
      } else {
        this.report('connection-failed', `the connection to ${this.where} failed: ${error.message}; reconnecting in ${this.backoff.peek()} ms`);
      }
    });
    socket.on('close', (hadError) => {
      if (this.attempt !== attempt) return;
      this.attempt = null;
      this.clearTimers();
      if (this.state === 'closed') return;
      this.state = 'disconnected';
      const delay = this.backoff.next();
      if (attempt.openedAt !== null && !attempt.stalled && !hadError) {
        const upMs = this.timers.now() - attempt.openedAt;
        this.report('closed', `${this.where} closed the connection after ${upMs} ms; reconnecting in ${delay} ms`);
      }
      this.retryTimer = this.timers.setTimeout(() => this.connect(), delay);
    });
  }

  /**
   * Starts the backoff over once the connection has stayed up for healthyAfterMs
   * with the operating system taking what is written (checked again later if not).
   */
  private watchHealth(attempt: Attempt): void {
    this.healthyTimer = this.timers.setTimeout(() => {
      this.healthyTimer = null;
      if (this.attempt !== attempt) return;
      if (attempt.socket.writableLength > 0) this.watchHealth(attempt);
      else this.backoff.reset();
    }, this.healthyAfterMs);
  }

  /** Hands waiting messages to the socket while it holds nothing unsent. */
  private pump(): void {
    const attempt = this.attempt;
    if (this.state !== 'connected' || attempt === null || attempt.port === null) return;
    const { socket, port } = attempt;
    let expired = 0;
    while (socket.writableLength === 0 && !socket.destroyed) {
      // The clock is read for every message: handing over a long backlog takes time too.
      const now = this.timers.now();
      const next = this.queue.shift(now);
      expired += next.expired;
      if (next.item === null) break;
      port.send(next.item.message);
      this.sent++;
      if (socket.writableLength > 0) this.watchStall(attempt, next.item.at, now);
    }
    this.drop(expired);
  }

  /**
   * The operating system did not take the whole of the last message: it must
   * take it before the message's deadline, or the receiver has stopped reading
   * and the connection is reset.
   */
  private watchStall(attempt: Attempt, producedAt: number, now: number): void {
    if (this.stallTimer !== null) return;
    const deadlineMs = this.queue.deadlineMs;
    this.stallTimer = this.timers.setTimeout(() => {
      this.stallTimer = null;
      if (this.attempt !== attempt) return;
      if (attempt.socket.writableLength === 0) {
        this.pump();
        return;
      }
      attempt.stalled = true;
      this.sent--;
      this.report(
        'stalled',
        `${this.where} has not taken data for more than ${deadlineMs} ms; the connection is reset, so what the operating system still held for it is thrown away rather than delivered late`,
      );
      this.drop(1);
      attempt.socket.resetAndDestroy();
    }, Math.max(0, producedAt + deadlineMs - now));
  }

  private drop(count: number): void {
    if (count <= 0) return;
    this.dropped += count;
    const why = this.state === 'connected' ? `${this.where} is not taking data` : `no connection to ${this.where}`;
    this.report('dropped', `${count} message(s) dropped: not sent within the ${this.queue.deadlineMs} ms deadline (${why}); ${this.dropped} dropped in all`);
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== null) this.timers.clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private clearTimers(): void {
    this.clearStallTimer();
    if (this.healthyTimer !== null) this.timers.clearTimeout(this.healthyTimer);
    this.healthyTimer = null;
  }

  private report(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
