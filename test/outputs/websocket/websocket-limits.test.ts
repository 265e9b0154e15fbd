/**
 * What the WebSocket target refuses: client messages over a few KiB, pages
 * from origins that are not allowed, and clients that stop reading (real
 * `ws` clients on 127.0.0.1).
 */
import { WebSocket, type ClientOptions } from 'ws';
import { WebSocketTarget, DEFAULT_MAX_PAYLOAD_BYTES } from '../../../src/outputs/websocket/websocket-target';
import { RateLimitedReporter, type OutputReport } from '../../../src/outputs/reporter';

async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

interface Client {
  readonly socket: WebSocket;
  readonly received: string[];
  closed: { code: number } | null;
}

function connect(port: number, options: ClientOptions = {}): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, options);
    const client: Client = { socket, received: [], closed: null };
    socket.on('message', (data) => client.received.push(data.toString()));
    socket.on('close', (code) => (client.closed = { code }));
    socket.once('open', () => resolve(client));
    socket.once('error', reject);
  });
}

/** Tries a handshake; resolves with the HTTP status when it is refused, 101 when it opens. */
function handshake(port: number, origin: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, origin === undefined ? {} : { origin });
    socket.once('open', () => {
      socket.close();
      resolve(101);
    });
    socket.once('unexpected-response', (_request, response) => {
      resolve(response.statusCode ?? 0);
      socket.terminate();
    });
    socket.on('error', () => undefined);
  });
}

function makeTarget(reports: OutputReport[], extra: Partial<ConstructorParameters<typeof WebSocketTarget>[0]> = {}): WebSocketTarget {
  return new WebSocketTarget({ name: 'dash', host: '127.0.0.1', port: 0, relayRaw: false, reporter: new RateLimitedReporter((r) => reports.push(r)), ...extra });
}

describe('WebSocket target limits', () => {
  it('disconnects a client that sends a 1 MiB message, and keeps serving the others', async () => {
    const reports: OutputReport[] = [];
    const target = makeTarget(reports);
    await target.listening;
    const big = await connect(target.port);
    const quiet = await connect(target.port);
    await until(() => target.status().clients === 2);

    big.socket.send('x'.repeat(1 << 20));
    await until(() => big.closed !== null);
    expect(big.closed?.code).toBe(1009); // "message too big"
    expect(reports).toEqual([
      expect.objectContaining({ level: 'warn', code: 'client-too-big', message: expect.stringMatching(new RegExp(`^disconnected the WebSocket client at 127\\.0\\.0\\.1:\\d+: it sent a message over ${DEFAULT_MAX_PAYLOAD_BYTES} bytes`)) }),
    ]);
    await until(() => target.status().clients === 1);
    expect(target.status().disconnected).toBe(1);

    // A message within the limit is simply ignored.
    quiet.socket.send(JSON.stringify({ hello: 'bridge' }));
    target.sendJson({ event: 'beat', deck: 1 });
    await until(() => quiet.received.length === 1);
    expect(JSON.parse(quiet.received[0] ?? '')).toEqual({ event: 'beat', deck: 1 });
    expect(quiet.closed).toBeNull();
    quiet.socket.close();
    await target.close();
  });

  it('lets in pages from this machine and clients without an Origin, and refuses other pages with a log line', async () => {
    const reports: OutputReport[] = [];
    const target = makeTarget(reports);
    await target.listening;
    expect(await handshake(target.port, undefined)).toBe(101);
    expect(await handshake(target.port, 'http://localhost:3000')).toBe(101);
    expect(await handshake(target.port, 'http://127.0.0.1:8080')).toBe(101);
    expect(await handshake(target.port, 'http://[::1]:5173')).toBe(101);
    expect(reports).toEqual([]);

    expect(await handshake(target.port, 'https://evil.example')).toBe(403);
    expect(await handshake(target.port, 'http://localhost.evil.example')).toBe(403);
    expect(target.status().refused).toBe(2);
    expect(reports).toEqual([
      {
        level: 'warn',
        target: 'dash',
        code: 'origin-refused',
        message: 'refused a WebSocket connection from a page at "https://evil.example": allowed origins are localhost (add it to "origins" of target "dash" to let it in)',
        suppressed: 0,
      },
    ]);
    await target.close();
  });

  it('lets in exactly the origins the mapping lists', async () => {
    const reports: OutputReport[] = [];
    const target = makeTarget(reports, { origins: ['http://192.168.1.20:8000', 'null'] });
    await target.listening;
    expect(await handshake(target.port, 'http://192.168.1.20:8000')).toBe(101);
    expect(await handshake(target.port, 'null')).toBe(101); // a page opened from a file
    expect(await handshake(target.port, undefined)).toBe(101);
    expect(await handshake(target.port, 'http://192.168.1.20:8001')).toBe(403);
    expect(await handshake(target.port, 'http://localhost:3000')).toBe(403);
    expect(target.status().refused).toBe(2);
    await target.close();
  });

  it('disconnects a client that stops reading once it is over the buffer bound, with a log line, and keeps sending to the others', async () => {
    const reports: OutputReport[] = [];
    const maxBufferedBytes = 128 * 1024;
    const target = makeTarget(reports, { maxBufferedBytes });
    await target.listening;
    const stalled = await connect(target.port);
    const reading = await connect(target.port);
    await until(() => target.status().clients === 2);
    stalled.socket.pause();

    const payload = 'y'.repeat(64 * 1024);
    let sent = 0;
    // The operating system's buffers take the first megabytes; then the client's bound is reached.
    while (target.status().disconnected === 0 && sent < 4000) {
      target.sendJson({ n: sent++, payload });
      if (sent % 2 === 0) await new Promise((r) => setImmediate(r));
    }
    expect(target.status().disconnected).toBe(1);
    expect(reports).toEqual([
      expect.objectContaining({
        code: 'slow-client',
        message: expect.stringMatching(/^disconnected the WebSocket client at 127\.0\.0\.1:\d+: it stopped reading and \d+ bytes were waiting for it \(at most 131072\)$/),
      }),
    ]);
    await until(() => target.status().clients === 1);
    target.sendJson({ n: 'last' });
    await until(() => reading.received.length === sent + 1);
    expect(JSON.parse(reading.received.at(-1) ?? '')).toEqual({ n: 'last' });
    stalled.socket.resume();
    await until(() => stalled.closed !== null);
    reading.socket.close();
    await target.close();
  });
});
