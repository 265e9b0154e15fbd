/**
 * A WebSocket server for dashboards: every connected client receives the JSON
 * messages the mapping sends to this target. Bound to 127.0.0.1 unless the
 * mapping asks for another address. With `relayRaw`, it also relays raw
 * Pro DJ Link status datagrams as binary frames, as the original OPUS-QUAD
 * script did on port 8080, so existing dashboards keep working.
 */
import { WebSocketServer, WebSocket } from 'ws';
import type { RateLimitedReporter } from '../reporter';

export interface WebSocketTargetOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly relayRaw: boolean;
  readonly reporter: RateLimitedReporter;
}

export interface WebSocketTargetStatus {
  readonly state: 'starting' | 'listening' | 'failed' | 'closed';
  readonly clients: number;
  readonly sent: number;
  readonly lastError: string | null;
}

/** Above this many queued bytes a slow client is skipped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1 << 20;

export class WebSocketTarget {
  readonly name: string;
  private readonly server: WebSocketServer;
  private state: WebSocketTargetStatus['state'] = 'starting';
  private sent = 0;
  private lastError: string | null = null;
  readonly listening: Promise<boolean>;

  constructor(private readonly options: WebSocketTargetOptions) {
    this.name = options.name;
    this.server = new WebSocketServer({ host: options.host, port: options.port });
    this.listening = new Promise((resolve) => {
      this.server.once('listening', () => {
        this.state = 'listening';
        resolve(true);
      });
      this.server.on('error', (error: NodeJS.ErrnoException) => {
        this.state = 'failed';
        this.lastError =
          error.code === 'EADDRINUSE'
            ? `WebSocket port ${options.port} on ${options.host} is already in use; pick another port for target "${options.name}"`
            : `WebSocket server on ${options.host}:${options.port} failed: ${error.message}`;
        options.reporter.report('error', options.name, 'listen-failed', this.lastError);
        resolve(false);
      });
    });
    this.server.on('connection', (socket) => socket.on('error', () => undefined));
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address !== null ? address.port : this.options.port;
  }

  /** Sends one JSON message to every client. */
  sendJson(message: unknown): void {
    this.broadcast(JSON.stringify(message));
  }

  /** Relays a raw datagram as a binary frame, when relayRaw is on. */
  relayDatagram(data: Buffer): void {
    if (this.options.relayRaw) this.broadcast(data);
  }

  status(): WebSocketTargetStatus {
    return { state: this.state, clients: this.server.clients.size, sent: this.sent, lastError: this.lastError };
  }

  close(): Promise<void> {
    this.state = 'closed';
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private broadcast(data: string | Buffer): void {
    if (this.state !== 'listening') return;
    for (const client of this.server.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > MAX_BUFFERED_BYTES) {
        this.options.reporter.report('warn', this.name, 'slow-client', 'a WebSocket client is not keeping up; messages to it are being skipped');
        continue;
      }
      client.send(data);
      this.sent++;
    }
  }
}
