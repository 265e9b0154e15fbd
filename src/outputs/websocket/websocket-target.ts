/**
 * A WebSocket server for dashboards: every connected client receives the JSON
 * messages the mapping sends to this target. Bound to 127.0.0.1 unless the
 * mapping asks for another address. With `relayRaw`, it also relays raw
 * Pro DJ Link status datagrams as binary frames, as the original OPUS-QUAD
 * script did on port 8080, so existing dashboards keep working.
 *
 * The bridge never reads what clients send, so a client message may be at
 * most a few KiB (a larger one closes that client). A client that falls more
 * than maxBufferedBytes behind (it stopped reading) is disconnected with a
 * log line rather than buffered for and sent stale data. Browser pages are
 * let in only from the allowed origins (this machine's pages by default).
 */
import { WebSocketServer, WebSocket } from './ws-library';
import type { IncomingMessage } from 'node:http';
import type { RateLimitedReporter } from '../reporter';
import { DEFAULT_ORIGINS, originAllowed, printableOrigin } from './origins';

export interface WebSocketTargetOptions {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly relayRaw: boolean;
  readonly reporter: RateLimitedReporter;
  /** Origins whose pages may connect (see origins.ts); default: localhost only. */
  readonly origins?: readonly string[];
  /** Bytes a client may have waiting before it is disconnected. */
  readonly maxBufferedBytes?: number;
  /** The largest message a client may send (bytes). */
  readonly maxPayloadBytes?: number;
}

export interface WebSocketTargetStatus {
  readonly state: 'starting' | 'listening' | 'failed' | 'closed';
  readonly clients: number;
  readonly sent: number;
  /** Handshakes refused because of their Origin. */
  readonly refused: number;
  /** Clients disconnected for not reading or for sending too much. */
  readonly disconnected: number;
  readonly lastError: string | null;
}

export const DEFAULT_MAX_BUFFERED_BYTES = 256 * 1024;
export const DEFAULT_MAX_PAYLOAD_BYTES = 4 * 1024;
/** ws's error code for a client message over maxPayload (it then closes with 1009, "message too big"). */
const TOO_BIG = 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH';

export class WebSocketTarget {
  readonly name: string;
  private readonly server: WebSocketServer;
  /** Where each client connects from, for log lines. */
  private readonly peers = new WeakMap<WebSocket, string>();
  private readonly origins: readonly string[];
  private readonly maxBufferedBytes: number;
  private readonly maxPayloadBytes: number;
  private state: WebSocketTargetStatus['state'] = 'starting';
  private sent = 0;
  private refused = 0;
  private disconnected = 0;
  private lastError: string | null = null;
  readonly listening: Promise<boolean>;

  constructor(private readonly options: WebSocketTargetOptions) {
    this.name = options.name;
    this.origins = options.origins ?? DEFAULT_ORIGINS;
    this.maxBufferedBytes = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
    this.maxPayloadBytes = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
    this.server = new WebSocketServer({
      host: options.host,
      port: options.port,
      maxPayload: this.maxPayloadBytes,
      verifyClient: (info: { origin: string; req: IncomingMessage }, done: (verified: boolean, code?: number, message?: string) => void) =>
        done(this.verify(info.req), 403, 'Origin not allowed'),
    });
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
    this.server.on('connection', (socket, request) => this.accept(socket, request));
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
    return {
      state: this.state,
      clients: this.server.clients.size,
      sent: this.sent,
      refused: this.refused,
      disconnected: this.disconnected,
      lastError: this.lastError,
    };
  }

  close(): Promise<void> {
    this.state = 'closed';
    for (const client of this.server.clients) client.terminate();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private verify(request: IncomingMessage): boolean {
    const origin = request.headers.origin;
    if (originAllowed(origin, this.origins)) return true;
    this.refused++;
    this.report(
      'origin-refused',
      `refused a WebSocket connection from a page at ${printableOrigin(origin ?? '')}: allowed origins are ${this.origins.join(', ')} (add it to "origins" of target "${this.name}" to let it in)`,
    );
    return false;
  }

  private accept(socket: WebSocket, request: IncomingMessage): void {
    const peer = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
    this.peers.set(socket, peer);
    socket.on('error', (error: Error & { code?: string }) => {
      this.disconnected++;
      if (error.code === TOO_BIG) {
        this.report('client-too-big', `disconnected the WebSocket client at ${peer}: it sent a message over ${this.maxPayloadBytes} bytes (the bridge does not read what clients send)`);
      } else {
        this.report('client-error', `disconnected the WebSocket client at ${peer}: ${error.message}`);
      }
    });
  }

  private broadcast(data: string | Buffer): void {
    if (this.state !== 'listening') return;
    for (const client of this.server.clients) {
      if (client.readyState !== WebSocket.OPEN) continue;
      if (client.bufferedAmount > this.maxBufferedBytes) {
        this.dropSlow(client);
        continue;
      }
      client.send(data);
      this.sent++;
    }
  }

  private dropSlow(client: WebSocket): void {
    const behind = client.bufferedAmount;
    client.terminate();
    this.disconnected++;
    this.report(
      'slow-client',
      `disconnected the WebSocket client at ${this.peers.get(client) ?? '?'}: it stopped reading and ${behind} bytes were waiting for it (at most ${this.maxBufferedBytes})`,
    );
  }

  private report(code: string, message: string): void {
    this.lastError = message;
    this.options.reporter.report('warn', this.name, code, message);
  }
}
