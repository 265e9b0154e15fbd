/**
 * The dashboard's HTTP server: the page, each deck's album art, and the live
 * feed over a WebSocket at /feed. The feed stream is subscribed while at
 * least one page is connected and not otherwise, so a bridge nobody watches
 * computes nothing for it.
 *
 * The feed only talks: a page may send nothing but "ping" (a text message of
 * at most a few bytes); anything else closes that page's connection (1008).
 * A page that falls more than maxBufferedBytes behind (a phone that went to
 * sleep, a stalled network) is disconnected, not buffered for. Access rules
 * (token, Host, Origin) are in dashboard-access.ts.
 */
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Observable, Subscription } from 'rxjs';
import { WebSocketServer, WebSocket } from '../outputs/websocket/ws-library';
import { checkAccess, hostName, isLoopbackAddress, sameOrigin, type AccessPolicy, type AccessVerdict } from './dashboard-access';
import type { FeedText } from './dashboard-feed';
import type { PageFile } from './page-files';

/** What a page may have waiting (about 20 snapshots) before it is disconnected. */
export const DASHBOARD_MAX_BUFFERED_BYTES = 256 * 1024;
/** The largest message a page may send: "ping" fits. */
export const DASHBOARD_MAX_PAYLOAD_BYTES = 64;
const FEED_PATH = '/feed';
const ART_PATH = /^\/art\/(\d{1,2})\/(\d{1,10})$/;
/** WebSocket close code 1008: policy violation. */
const CLOSE_POLICY = 1008;

const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
};

export interface DashboardServerOptions {
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  /** The cold feed; subscribed while a page is connected. */
  readonly feed: Observable<FeedText>;
  readonly files: ReadonlyMap<string, PageFile>;
  readonly art: (deck: number, trackId: number) => Buffer | null;
  /** Problems worth a log line: refused handshakes, dropped pages. */
  readonly report: (code: string, message: string) => void;
  readonly maxBufferedBytes?: number;
}

export interface DashboardStats {
  readonly clients: number;
  /** True while the feed stream is subscribed. */
  readonly feedRunning: boolean;
  readonly refused: number;
  readonly dropped: number;
  readonly messagesSent: number;
}

export class DashboardServer {
  private readonly http: http.Server;
  private readonly wss: WebSocketServer;
  private readonly policy: AccessPolicy;
  private readonly clients = new Set<WebSocket>();
  private readonly maxBufferedBytes: number;
  private feed: Subscription | null = null;
  /** What a page that connects now is sent first: each deck's structure, then the latest snapshot. */
  private readonly phrases = new Map<number, string>();
  private lastSnapshot: string | null = null;
  private refused = 0;
  private dropped = 0;
  private messagesSent = 0;

  constructor(private readonly options: DashboardServerOptions) {
    this.policy = { token: options.token, loopbackOnly: isLoopbackAddress(options.host) };
    this.maxBufferedBytes = options.maxBufferedBytes ?? DASHBOARD_MAX_BUFFERED_BYTES;
    this.wss = new WebSocketServer({ noServer: true, maxPayload: DASHBOARD_MAX_PAYLOAD_BYTES, perMessageDeflate: false });
    this.http = http.createServer((request, response) => this.serve(request, response));
    this.http.on('upgrade', (request: http.IncomingMessage, socket: Duplex, head: Buffer) => this.upgrade(request, socket, head));
    this.http.on('clientError', (_error, socket: Duplex) => socket.destroy());
  }

  /** Starts listening; the port it listens on, or a sentence saying why it cannot. */
  listen(): Promise<{ ok: true; port: number } | { ok: false; message: string }> {
    return new Promise((resolve) => {
      const onError = (error: NodeJS.ErrnoException): void => {
        const { host, port } = this.options;
        resolve({
          ok: false,
          message:
            error.code === 'EADDRINUSE'
              ? `the dashboard cannot listen on ${host}:${port}: the port is in use; give another with --dashboard <port>`
              : error.code === 'EADDRNOTAVAIL'
                ? `the dashboard cannot listen on ${host}: this machine has no such address (check --dashboard-host)`
                : `the dashboard cannot listen on ${host}:${port}: ${error.message}`,
        });
      };
      this.http.once('error', onError);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', onError);
        const address = this.http.address();
        resolve({ ok: true, port: typeof address === 'object' && address !== null ? address.port : this.options.port });
      });
    });
  }

  stats(): DashboardStats {
    return { clients: this.clients.size, feedRunning: this.feed !== null, refused: this.refused, dropped: this.dropped, messagesSent: this.messagesSent };
  }

  close(): Promise<void> {
    this.stopFeed();
    for (const client of this.clients) client.terminate();
    this.clients.clear();
    this.wss.close();
    return new Promise((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  private access(request: http.IncomingMessage, url: URL): AccessVerdict {
    return checkAccess({ url, host: request.headers.host, origin: request.headers.origin }, this.policy);
  }

  private serve(request: http.IncomingMessage, response: http.ServerResponse): void {
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const reply = (status: number, type: string, body: string | Buffer, headers: Readonly<Record<string, string>> = {}): void => {
      response.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(body)), ...PAGE_HEADERS, ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      reply(405, 'text/plain; charset=utf-8', 'the dashboard only shows: GET only\n', { Allow: 'GET, HEAD' });
      return;
    }
    const path = url.pathname === '/' ? '/index.html' : url.pathname;
    const art = ART_PATH.exec(path);
    // The page and the art show the show: they need the token. The page's code and style (no data) do not.
    if (path === '/index.html' || art !== null || path === FEED_PATH) {
      const verdict = this.access(request, url);
      if (!verdict.ok) {
        this.refused++;
        reply(verdict.status, 'text/plain; charset=utf-8', `${verdict.reason}\n`);
        return;
      }
    } else if (this.policy.loopbackOnly && !isLoopbackAddress(hostName(request.headers.host ?? ''))) {
      reply(403, 'text/plain; charset=utf-8', 'the dashboard listens on this machine only\n');
      return;
    }
    if (art !== null) {
      const jpeg = this.options.art(Number(art[1]), Number(art[2]));
      if (jpeg === null) reply(404, 'text/plain; charset=utf-8', 'no album art for that deck and track\n');
      else reply(200, 'image/jpeg', jpeg);
      return;
    }
    if (path === FEED_PATH) {
      reply(426, 'text/plain; charset=utf-8', 'the feed is a WebSocket\n', { Upgrade: 'websocket' });
      return;
    }
    const file = this.options.files.get(path);
    if (file === undefined) reply(404, 'text/plain; charset=utf-8', 'not found\n');
    else reply(200, file.type, file.body);
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'http://dashboard.invalid');
    const refuse = (status: number, reason: string): void => {
      this.refused++;
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status] ?? ''}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(reason) + 1}\r\n\r\n${reason}\n`);
    };
    if (url.pathname !== FEED_PATH) {
      refuse(404, 'the feed is at /feed');
      return;
    }
    const verdict = this.access(request, url);
    if (!verdict.ok) {
      refuse(verdict.status, verdict.reason);
      return;
    }
    if (!sameOrigin(request.headers.origin, request.headers.host)) {
      const origin = JSON.stringify(String(request.headers.origin).replace(/[^\x20-\x7e]/g, '?').slice(0, 80));
      this.options.report('origin-refused', `refused a dashboard connection from a page at ${origin}: only the dashboard's own page may connect`);
      refuse(403, 'only the dashboard\'s own page may connect');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (client) => this.accept(client, request));
  }

  private accept(client: WebSocket, request: http.IncomingMessage): void {
    const peer = `${request.socket.remoteAddress ?? '?'}:${request.socket.remotePort ?? '?'}`;
    this.clients.add(client);
    client.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary && data.toString('utf8') === 'ping') return;
      this.options.report('client-message', `closed the dashboard page at ${peer}: it sent a message, and the dashboard accepts none`);
      client.close(CLOSE_POLICY, 'the dashboard accepts no messages');
    });
    client.on('error', () => client.terminate());
    client.on('close', () => {
      this.clients.delete(client);
      if (this.clients.size === 0) this.stopFeed();
    });
    if (this.feed === null) {
      this.startFeed();
    } else {
      for (const text of this.phrases.values()) this.sendTo(client, text);
      if (this.lastSnapshot !== null) this.sendTo(client, this.lastSnapshot);
    }
  }

  private startFeed(): void {
    this.feed = this.options.feed.subscribe((message) => {
      if (message.kind === 'phrases') this.phrases.set(message.deck, message.text);
      else if (message.kind === 'snapshot') this.lastSnapshot = message.text;
      for (const client of this.clients) this.sendTo(client, message.text);
    });
  }

  private stopFeed(): void {
    this.feed?.unsubscribe();
    this.feed = null;
    this.phrases.clear();
    this.lastSnapshot = null;
  }

  private sendTo(client: WebSocket, text: string): void {
    if (client.readyState !== WebSocket.OPEN) return;
    if (client.bufferedAmount > this.maxBufferedBytes) {
      const behind = client.bufferedAmount;
      this.dropped++;
      client.terminate();
      this.options.report('slow-page', `disconnected a dashboard page: it stopped reading and ${behind} bytes were waiting for it (at most ${this.maxBufferedBytes})`);
      return;
    }
    client.send(text);
    this.messagesSent++;
  }
}
