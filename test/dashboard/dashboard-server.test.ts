/**
 * The dashboard's server on real sockets (127.0.0.1): the page and art need
 * the token when one is set, the feed's handshake checks Host, token and
 * Origin, the feed runs only while a page is connected, a page that sends
 * anything but "ping" is closed, and one that stops reading is dropped.
 */
import * as http from 'node:http';
import { Observable, Subject } from 'rxjs';
import WebSocket from 'ws';
import { DashboardServer } from '../../src/dashboard/dashboard-server';
import type { FeedText } from '../../src/dashboard/dashboard-feed';
import { readPageFiles, type PageFile } from '../../src/dashboard/page-files';
import { until } from '../support/until';

const read = readPageFiles();
if (typeof read === 'string') throw new Error(read);
const files: ReadonlyMap<string, PageFile> = read;
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xd9]);

interface Made {
  readonly server: DashboardServer;
  readonly port: number;
  readonly feed: Subject<FeedText>;
  readonly subscribed: { count: number; ended: number };
  readonly reports: { code: string; message: string }[];
}

async function make(options: { token?: string; maxBufferedBytes?: number } = {}): Promise<Made> {
  const feed = new Subject<FeedText>();
  const subscribed = { count: 0, ended: 0 };
  const reports: { code: string; message: string }[] = [];
  const server = new DashboardServer({
    host: '127.0.0.1',
    port: 0,
    token: options.token ?? null,
    // A cold feed that counts its subscriptions, as the real one (dashboard-feed.ts) is cold.
    feed: new Observable<FeedText>((subscriber) => {
      subscribed.count++;
      const s = feed.subscribe((v) => subscriber.next(v));
      return () => {
        subscribed.ended++;
        s.unsubscribe();
      };
    }),
    files,
    art: (deck, trackId) => (deck === 1 && trackId === 501 ? JPEG : null),
    report: (code, message) => reports.push({ code, message }),
    ...(options.maxBufferedBytes === undefined ? {} : { maxBufferedBytes: options.maxBufferedBytes }),
  });
  const listening = await server.listen();
  if (!listening.ok) throw new Error(listening.message);
  return { server, port: listening.port, feed, subscribed, reports };
}

function get(port: number, path: string, host = `127.0.0.1:${port}`): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path, headers: { Host: host } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, type: String(response.headers['content-type']), body: Buffer.concat(chunks) }));
    });
    request.on('error', reject);
  });
}

interface Client {
  readonly socket: WebSocket;
  readonly received: string[];
  closed: { code: number; reason: string } | null;
}

/** Opens the feed; resolves with the client, or with the HTTP status of a refused handshake. */
function open(port: number, path: string, headers: Record<string, string> = {}): Promise<Client | number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    const client: Client = { socket, received: [], closed: null };
    socket.on('message', (data: Buffer) => client.received.push(data.toString('utf8')));
    socket.on('close', (code: number, reason: Buffer) => (client.closed = { code, reason: reason.toString() }));
    socket.on('open', () => resolve(client));
    socket.on('unexpected-response', (_req, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

function opened(result: Client | number): Client {
  if (typeof result === 'number') throw new Error(`the handshake was refused with ${result}`);
  return result;
}

describe('dashboard server', () => {
  let made: Made | null = null;
  afterEach(async () => {
    await made?.server.close();
    made = null;
  });

  it('serves the page, its code and the art, and nothing else', async () => {
    made = await make();
    const page = await get(made.port, '/');
    expect(page.status).toBe(200);
    expect(page.type).toBe('text/html; charset=utf-8');
    expect(page.body.toString()).toContain('<script type="module" src="app.js"></script>');
    const code = await get(made.port, '/app.js');
    expect(code.status).toBe(200);
    expect(code.type).toBe('text/javascript; charset=utf-8');
    const art = await get(made.port, '/art/1/501');
    expect(art.status).toBe(200);
    expect(art.type).toBe('image/jpeg');
    expect(art.body.equals(JPEG)).toBe(true);
    expect((await get(made.port, '/art/1/502')).status).toBe(404);
    expect((await get(made.port, '/../package.json')).status).toBe(404);
    expect((await get(made.port, '/nothing.js')).status).toBe(404);
  });

  it('answers only to loopback names while it listens on 127.0.0.1 (no DNS rebinding)', async () => {
    made = await make();
    expect((await get(made.port, '/', `localhost:${made.port}`)).status).toBe(200);
    const foreign = await get(made.port, '/', `rebind.example:${made.port}`);
    expect(foreign.status).toBe(403);
    expect(foreign.body.toString()).toBe('the dashboard listens on this machine only: open it as http://127.0.0.1 or http://localhost\n');
    expect(await open(made.port, '/feed', { Host: `rebind.example:${made.port}`, Origin: `http://rebind.example:${made.port}` })).toBe(403);
  });

  it('asks for the token when one is set: 401 without it or with a wrong one, on the page, the art and the feed', async () => {
    made = await make({ token: 's3cret' });
    const missing = await get(made.port, '/');
    expect(missing.status).toBe(401);
    expect(missing.body.toString()).toBe('this dashboard needs its token: add ?token=<token> to the address\n');
    expect((await get(made.port, '/?token=wrong')).status).toBe(401);
    expect((await get(made.port, '/?token=s3cre')).status).toBe(401);
    expect((await get(made.port, '/?token=s3cret')).status).toBe(200);
    expect((await get(made.port, '/art/1/501')).status).toBe(401);
    expect((await get(made.port, '/art/1/501?token=s3cret')).status).toBe(200);
    expect(await open(made.port, '/feed')).toBe(401);
    expect(await open(made.port, '/feed?token=nope')).toBe(401);
    const client = opened(await open(made.port, '/feed?token=s3cret'));
    client.socket.close();
  });

  it('refuses a feed handshake from a page of another origin, and lets in its own page and non-browsers', async () => {
    made = await make();
    const port = made.port;
    expect(await open(port, '/feed', { Origin: 'http://evil.example' })).toBe(403);
    expect(await open(port, '/feed', { Origin: `http://127.0.0.1:${port + 1}` })).toBe(403);
    expect(await open(port, '/feed', { Origin: `http://localhost:${port}` })).toBe(403); // another host name than the one asked for
    expect(made.reports).toEqual(expect.arrayContaining([{ code: 'origin-refused', message: 'refused a dashboard connection from a page at "http://evil.example": only the dashboard\'s own page may connect' }]));
    const own = opened(await open(port, '/feed', { Origin: `http://127.0.0.1:${port}` }));
    const script = opened(await open(port, '/feed'));
    own.socket.close();
    script.socket.close();
    expect(await open(port, '/elsewhere')).toBe(404);
  });

  it('runs the feed only while a page is connected, and sends a page that connects the structures and the latest snapshot', async () => {
    made = await make();
    const m = made;
    expect(m.server.stats().feedRunning).toBe(false);
    expect(m.subscribed.count).toBe(0);
    const first = opened(await open(m.port, '/feed'));
    await until(() => m.subscribed.count === 1);
    m.feed.next({ kind: 'phrases', deck: 1, text: '{"t":"phrases","deck":1}' });
    m.feed.next({ kind: 'snapshot', text: '{"t":"snapshot","n":1}' });
    m.feed.next({ kind: 'beat', text: '{"t":"beat"}' });
    m.feed.next({ kind: 'snapshot', text: '{"t":"snapshot","n":2}' });
    await until(() => first.received.length === 4);
    const second = opened(await open(m.port, '/feed'));
    await until(() => second.received.length === 2);
    expect(second.received).toEqual(['{"t":"phrases","deck":1}', '{"t":"snapshot","n":2}']);
    expect(m.subscribed.count).toBe(1);
    first.socket.close();
    second.socket.close();
    await until(() => m.server.stats().clients === 0);
    expect(m.server.stats().feedRunning).toBe(false);
    expect(m.subscribed.ended).toBe(1);
  });

  it('takes "ping" and closes a page that sends anything else (1008)', async () => {
    made = await make();
    const m = made;
    const client = opened(await open(m.port, '/feed'));
    client.socket.send('ping');
    await new Promise((r) => setTimeout(r, 100));
    expect(client.closed).toBeNull();
    client.socket.send('{"command":"stop"}');
    await until(() => client.closed !== null);
    expect(client.closed).toEqual({ code: 1008, reason: 'the dashboard accepts no messages' });
    const big = opened(await open(m.port, '/feed'));
    big.socket.send('x'.repeat(1000));
    await until(() => big.closed !== null);
    expect(big.closed?.code).toBe(1009); // over maxPayload
  });

  it('drops a page that stops reading once it is over the buffer bound, and keeps feeding the others', async () => {
    made = await make({ maxBufferedBytes: 64 * 1024 });
    const m = made;
    const stalled = opened(await open(m.port, '/feed'));
    const reading = opened(await open(m.port, '/feed'));
    await until(() => m.server.stats().clients === 2);
    stalled.socket.pause();
    const payload = `{"t":"snapshot","pad":"${'y'.repeat(64 * 1024)}"}`;
    let sent = 0;
    while (m.server.stats().dropped === 0 && sent < 4000) {
      m.feed.next({ kind: 'snapshot', text: payload });
      sent++;
      if (sent % 2 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(m.server.stats().dropped).toBe(1);
    expect(m.reports).toEqual([
      { code: 'slow-page', message: expect.stringMatching(/^disconnected a dashboard page: it stopped reading and \d+ bytes were waiting for it \(at most 65536\)$/) as unknown as string },
    ]);
    await until(() => m.server.stats().clients === 1);
    m.feed.next({ kind: 'snapshot', text: '{"t":"snapshot","last":true}' });
    await until(() => reading.received.at(-1) === '{"t":"snapshot","last":true}', 10_000);
    reading.socket.close();
  });
});
