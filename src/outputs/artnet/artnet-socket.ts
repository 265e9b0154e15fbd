/**
 * The UDP edge of Art-Net timecode: one dgram socket per output, allowed to
 * broadcast when the destination is a broadcast address. It sends from any
 * free port unless `fromPort` is given, so it never competes with a desk or
 * Resolume listening on 6454 on the same computer. The constructor does not
 * bind; open() does, and keeps trying every few seconds when the port is
 * taken. Every refusal (port in use, no route, broadcast refused) goes to
 * `onProblem` as one sentence, for every packet it hits (the reporter keeps
 * the log readable); packets keep being tried, and `onRecovered` says when
 * they go out again.
 */
import * as dgram from 'node:dgram';
import type { Timers } from '../reporter';
import { bindProblem, sendProblem, type ArtNetDestination } from './artnet-address';
import type { ArtNetError, ArtNetErrorCode } from './artnet-errors';

/** How long to wait before trying to bind a taken port again. */
export const REBIND_MS = 2000;

export interface ArtNetSocketOptions {
  readonly destination: ArtNetDestination;
  readonly port: number;
  /** The local port to send from; null for any free port. */
  readonly fromPort: number | null;
  readonly timers: Timers;
  readonly onProblem: (error: ArtNetError) => void;
  readonly onRecovered: (code: ArtNetErrorCode) => void;
  readonly rebindMs?: number;
}

export interface ArtNetSocketStats {
  /** Packets the system accepted. */
  readonly delivered: number;
  /** Packets refused, or dropped while the socket could not be opened. */
  readonly failed: number;
}

export class ArtNetSocket {
  private socket: dgram.Socket | null = null;
  private opening = false;
  private closed = false;
  private rebindTimer: unknown = null;
  private failing = new Set<ArtNetErrorCode>();
  private delivered = 0;
  private failed = 0;

  constructor(private readonly options: ArtNetSocketOptions) {}

  get stats(): ArtNetSocketStats {
    return { delivered: this.delivered, failed: this.failed };
  }

  /** Binds the socket; resolves once it is open or its first attempt failed (it then keeps trying). */
  open(): Promise<void> {
    if (this.closed || this.socket !== null || this.opening) return Promise.resolve();
    this.opening = true;
    return new Promise((resolve) => {
      const socket = dgram.createSocket({ type: 'udp4' });
      const onBindError = (error: NodeJS.ErrnoException): void => {
        this.opening = false;
        socket.close();
        this.problem(bindProblem(error.code, error.message, this.options.fromPort ?? 0));
        if (!this.closed) {
          this.rebindTimer = this.options.timers.setTimeout(() => {
            this.rebindTimer = null;
            void this.open();
          }, this.options.rebindMs ?? REBIND_MS);
        }
        resolve();
      };
      socket.once('error', onBindError);
      socket.bind({ port: this.options.fromPort ?? 0, exclusive: true }, () => {
        socket.off('error', onBindError);
        this.opening = false;
        if (this.closed) {
          socket.close();
          resolve();
          return;
        }
        if (this.options.destination.broadcast) socket.setBroadcast(true);
        socket.on('error', (error: NodeJS.ErrnoException) => this.problem(sendProblem(error.code, error.message, this.options.destination, this.options.port)));
        this.socket = socket;
        this.recovered('port-in-use');
        this.recovered('bind-failed');
        resolve();
      });
    });
  }

  /** Hands one packet to the system; failures are reported, never thrown. */
  send(packet: Buffer): void {
    const socket = this.socket;
    if (socket === null) {
      this.failed++;
      return;
    }
    const { destination, port } = this.options;
    try {
      socket.send(packet, port, destination.address, (error) => {
        if (error === null || error === undefined) {
          this.delivered++;
          for (const code of [...this.failing]) if (code !== 'port-in-use' && code !== 'bind-failed') this.recovered(code);
          return;
        }
        this.failed++;
        const code = (error as NodeJS.ErrnoException).code;
        this.problem(sendProblem(code, error.message, destination, port));
      });
    } catch (thrown) {
      this.failed++;
      const error = thrown as NodeJS.ErrnoException;
      this.problem(sendProblem(error.code, String(error.message), destination, port));
    }
  }

  close(): Promise<void> {
    this.closed = true;
    if (this.rebindTimer !== null) this.options.timers.clearTimeout(this.rebindTimer);
    this.rebindTimer = null;
    const socket = this.socket;
    this.socket = null;
    if (socket === null) return Promise.resolve();
    return new Promise((resolve) => socket.close(() => resolve()));
  }

  private problem(error: ArtNetError): void {
    this.failing.add(error.code);
    this.options.onProblem(error);
  }

  private recovered(code: ArtNetErrorCode): void {
    if (!this.failing.delete(code)) return;
    this.options.onRecovered(code);
  }
}
