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
 *
 * With a heartbeat (heartbeat.ts), the target also sends a harmless message
 * every everyMs and reads the answers on the same connection: until the
 * first answer on a connection, messages wait in the queue; while the last
 * answer is older than staleMs, the receiver counts as not answering and
 * its messages are dropped, counted and reported ('not-answering', one
 * rate-limited warning), never written to sit in a frozen application's
 * buffer. When answers come back, one info line ('answering') says how many
 * were dropped. Without a heartbeat, nothing of this runs.
 */
import * as net from 'node:net';
import * as osc from './osc-library';
import { encodeOscMessage, type OscMessage } from './osc-message';
import type { OscArgs } from './osc-args';
import type { OscTarget, TargetState, TargetStatus } from './osc-target';
import { realTimers, type RateLimitedReporter, type Timers } from '../reporter';
import { Backoff } from './backoff';
import { ReplyWatch, type OscHeartbeatOptions } from './heartbeat';
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
  /** Ask for an answer every so often and drop messages while none comes (none by default). */
  readonly heartbeat?: OscHeartbeatOptions | null;
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
  private readonly heartbeat: OscHeartbeatOptions | null;
  private readonly replies: ReplyWatch | null;
  private beatTimer: unknown = null;
  private staleTimer: unknown = null;
  /** The current silence: since when nothing was heard, and what was dropped in it (null while answering). */
  private silence: { since: number; dropped: number } | null = null;

  constructor(private readonly options: OscTcpTargetOptions) {
    this.name = options.name;
    this.where = `${options.host}:${options.port}`;
    this.timers = options.timers ?? realTimers;
    this.backoff = new Backoff(options.initialBackoffMs ?? DEFAULT_INITIAL_BACKOFF_MS, options.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS);
    this.healthyAfterMs = options.healthyAfterMs ?? DEFAULT_HEALTHY_AFTER_MS;
    this.queue = new WaitingMessages(options);
    this.heartbeat = options.heartbeat ?? null;
    this.replies = this.heartbeat === null ? null : new ReplyWatch(this.heartbeat.staleMs);
    this.connect();
  }

  sendArgs(address: string, args: OscArgs): void {
    // A TCP message may wait in the queue, so it takes arguments of its own.
    this.send({ address, args: args.toArguments() });
  }

  send(message: OscMessage): void {
    if (this.state === 'closed') return;
    const encoded = encodeOscMessage(message);
    if (!encoded.ok) {
      this.dropped++;
      this.report('encode-error', `cannot encode ${message.address}: ${encoded.message}`);
      return;
    }
    const now = this.timers.now();
    if (this.answering(now) === 'silent') {
      this.fallSilent(now);
      this.dropSilent(1, now);
      return;
    }
    this.drop(this.queue.push(encoded.packet, encoded.bytes.length, now));
    this.pump();
  }

  status(): TargetStatus {
    const state = this.answering(this.timers.now()) === 'silent' ? 'not-answering' : this.state;
    return { state, sent: this.sent, dropped: this.dropped, waiting: this.queue.length, lastError: this.lastError };
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
      this.startHeartbeat(attempt, port);
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

  /**
   * Sends the heartbeat now and every everyMs on this connection, listens for
   * its answer, and watches for the answers to stop.
   */
  private startHeartbeat(attempt: Attempt, port: osc.TCPSocketPort): void {
    const heartbeat = this.heartbeat;
    const replies = this.replies;
    if (heartbeat === null || replies === null) return;
    replies.opened(this.timers.now());
    port.on('message', (packet: osc.OscMessagePacket) => {
      if (this.attempt === attempt && packet.address === heartbeat.reply) this.answered(attempt);
    });
    const beat = (): void => {
      this.beatTimer = null;
      if (this.attempt !== attempt) return;
      // While the operating system holds unsent data the stall watch is in charge; a heartbeat would only add to it.
      if (attempt.socket.writableLength === 0 && !attempt.socket.destroyed) port.send({ address: heartbeat.address, args: [] });
      this.beatTimer = this.timers.setTimeout(beat, heartbeat.everyMs);
    };
    beat();
    this.watchAnswers(attempt);
  }

  /** Checks again when the last answer (or the connection, before any) turns staleMs old. */
  private watchAnswers(attempt: Attempt): void {
    const replies = this.replies;
    if (replies === null) return;
    this.clearStaleTimer();
    this.staleTimer = this.timers.setTimeout(() => {
      this.staleTimer = null;
      if (this.attempt !== attempt) return;
      const now = this.timers.now();
      if (this.answering(now) === 'silent') this.fallSilent(now);
      else this.watchAnswers(attempt);
    }, replies.silentIn(this.timers.now()) + 1);
  }

  /** The heartbeat's answer came: the receiver is alive. */
  private answered(attempt: Attempt): void {
    const replies = this.replies;
    if (replies === null) return;
    const now = this.timers.now();
    const before = replies.judge(now);
    replies.replied(now);
    this.watchAnswers(attempt);
    const silence = this.silence;
    if (silence !== null) {
      this.silence = null;
      this.lastError = null;
      this.options.reporter.resolve(this.name, 'not-answering');
      this.options.reporter.report(
        'info',
        this.name,
        'answering',
        `${this.where} answers ${this.heartbeat?.address} again after ${now - silence.since} ms without an answer; ${silence.dropped} message(s) were dropped meanwhile rather than written (what was written before the silence was noticed may still arrive late)`,
      );
    }
    if (before !== 'answering') this.pump();
  }

  /**
   * How the receiver answers now: always 'answering' without a heartbeat or
   * while not connected (the queue and its deadline are in charge then).
   */
  private answering(now: number): 'awaiting' | 'answering' | 'silent' {
    if (this.replies === null || this.state !== 'connected') return 'answering';
    return this.replies.judge(now);
  }

  /** The receiver stopped answering: reported once, and what waits is dropped. */
  private fallSilent(now: number): void {
    if (this.silence === null) {
      const heard = this.replies?.lastHeard() ?? now;
      this.silence = { since: heard, dropped: 0 };
      this.report(
        'not-answering',
        `${this.where} has not answered ${this.heartbeat?.address} for more than ${this.heartbeat?.staleMs} ms; its messages are dropped, not left to fire late, until it answers again`,
      );
    }
    this.dropSilent(this.queue.clear(), now);
  }

  private dropSilent(count: number, now: number): void {
    if (count <= 0) return;
    this.dropped += count;
    const silence = this.silence;
    if (silence !== null) silence.dropped += count;
    this.report(
      'not-answering',
      `${count} message(s) dropped: ${this.where} has not answered ${this.heartbeat?.address} for ${now - (silence?.since ?? now)} ms; ${silence?.dropped ?? count} dropped since it stopped answering`,
    );
  }

  /** Hands waiting messages to the socket while it holds nothing unsent. */
  private pump(): void {
    const attempt = this.attempt;
    if (this.state !== 'connected' || attempt === null || attempt.port === null) return;
    const answering = this.answering(this.timers.now());
    if (answering === 'silent') {
      this.fallSilent(this.timers.now());
      return;
    }
    // Until the receiver has answered on this connection, messages wait (within their deadline).
    if (answering === 'awaiting') return;
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
    const why =
      this.state !== 'connected'
        ? `no connection to ${this.where}`
        : this.answering(this.timers.now()) === 'awaiting'
          ? `${this.where} has not answered ${this.heartbeat?.address} yet`
          : `${this.where} is not taking data`;
    this.report('dropped', `${count} message(s) dropped: not sent within the ${this.queue.deadlineMs} ms deadline (${why}); ${this.dropped} dropped in all`);
  }

  private clearStallTimer(): void {
    if (this.stallTimer !== null) this.timers.clearTimeout(this.stallTimer);
    this.stallTimer = null;
  }

  private clearStaleTimer(): void {
    if (this.staleTimer !== null) this.timers.clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private clearTimers(): void {
    this.clearStallTimer();
    this.clearStaleTimer();
    if (this.healthyTimer !== null) this.timers.clearTimeout(this.healthyTimer);
    this.healthyTimer = null;
    if (this.beatTimer !== null) this.timers.clearTimeout(this.beatTimer);
    this.beatTimer = null;
    this.replies?.closed();
  }

  private report(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
