import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { OscUdpTarget } from '../../../src/outputs/osc/osc-udp-target';
import { OscTcpTarget } from '../../../src/outputs/osc/osc-tcp-target';
import { encodeOscMessage } from '../../../src/outputs/osc/osc-message';
import { RateLimitedReporter, type OutputReport } from '../../../src/outputs/reporter';
import { decodeOsc, slipFrames, type DecodedMessage } from '../../support/osc-decode';

function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - started > timeoutMs) reject(new Error('condition not met in time'));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A TCP OSC receiver like QLab's: collects SLIP-framed messages. */
function tcpReceiver(port: number): Promise<{ messages: DecodedMessage[]; connections: number; server: net.Server; dropAll(): void }> {
  return new Promise((resolve) => {
    const state = { messages: [] as DecodedMessage[], connections: 0, sockets: [] as net.Socket[] };
    const server = net.createServer((socket) => {
      state.connections++;
      state.sockets.push(socket);
      let pending = Buffer.alloc(0);
      socket.on('data', (chunk) => {
        const { frames, rest } = slipFrames(Buffer.concat([pending, chunk]));
        pending = Buffer.from(rest);
        for (const frame of frames) state.messages.push(decodeOsc(frame));
      });
      socket.on('error', () => undefined);
    });
    server.listen(port, '127.0.0.1', () =>
      resolve({
        get messages() {
          return state.messages;
        },
        get connections() {
          return state.connections;
        },
        server,
        dropAll: () => state.sockets.forEach((s) => s.destroy()),
      }),
    );
  });
}

describe('OSC message encoding', () => {
  it('sends every argument with its explicit type', () => {
    const encoded = encodeOscMessage({
      address: '/composition/tempocontroller/tempo',
      args: [
        { type: 'int', value: 12 },
        { type: 'float', value: 0.5 },
        { type: 'string', value: 'chorus' },
        { type: 'bool', value: true },
        { type: 'bool', value: false },
        { type: 'nil' },
      ],
    });
    expect(encoded.ok).toBe(true);
    if (!encoded.ok) return;
    expect(decodeOsc(encoded.bytes)).toEqual({
      address: '/composition/tempocontroller/tempo',
      args: [
        { type: 'i', value: 12 },
        { type: 'f', value: 0.5 },
        { type: 's', value: 'chorus' },
        { type: 'T', value: true },
        { type: 'F', value: false },
        { type: 'N', value: null },
      ],
    });
  });

  it('refuses values that would change meaning on the wire', () => {
    expect(encodeOscMessage({ address: 'cue/1', args: [] })).toEqual({ ok: false, message: 'OSC address "cue/1" must start with "/"' });
    expect(encodeOscMessage({ address: '/a', args: [{ type: 'int', value: 1.5 }] })).toEqual({ ok: false, message: 'int argument 1.5 is not a 32-bit integer' });
    expect(encodeOscMessage({ address: '/a', args: [{ type: 'int', value: 2 ** 31 }] }).ok).toBe(false);
    expect(encodeOscMessage({ address: '/a', args: [{ type: 'float', value: NaN }] })).toEqual({ ok: false, message: 'float argument NaN is not a finite number' });
  });
});

describe('OSC over UDP', () => {
  it('delivers typed messages to a real UDP socket', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'resolume', host: '127.0.0.1', port: receiver.address().port, reporter: new RateLimitedReporter((r) => reports.push(r)) });

    target.send({ address: '/composition/tempocontroller/resync', args: [{ type: 'int', value: 1 }] });
    target.send({ address: '/composition/tempocontroller/tempo', args: [{ type: 'float', value: 128.5 }] });
    await until(() => received.length === 2);
    expect(received).toEqual([
      { address: '/composition/tempocontroller/resync', args: [{ type: 'i', value: 1 }] },
      { address: '/composition/tempocontroller/tempo', args: [{ type: 'f', value: 128.5 }] },
    ]);
    expect(target.status()).toMatchObject({ state: 'ready', sent: 2, dropped: 0 });
    expect(reports).toEqual([]);
    await target.close();
    receiver.close();
  });

  it('counts and reports a message it cannot encode, once, without throwing', async () => {
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'td', host: '127.0.0.1', port: 9, reporter: new RateLimitedReporter((r) => reports.push(r)) });
    target.send({ address: '/x', args: [{ type: 'int', value: 0.25 }] });
    target.send({ address: '/x', args: [{ type: 'int', value: 0.25 }] });
    expect(target.status().dropped).toBe(2);
    expect(reports).toEqual([
      { level: 'warn', target: 'td', code: 'encode-error', message: 'cannot encode /x: int argument 0.25 is not a 32-bit integer', suppressed: 0 },
    ]);
    await target.close();
  });
});

describe('OSC over TCP (SLIP, as QLab)', () => {
  it('sends /connect with the passcode first, then the messages', async () => {
    const port = await freePort();
    const qlab = await tcpReceiver(port);
    const target = new OscTcpTarget({ name: 'qlab', host: '127.0.0.1', port, passcode: '1234', reporter: new RateLimitedReporter(() => undefined) });
    target.send({ address: '/cue/chorus/start', args: [] });
    target.send({ address: '/cue/12/go', args: [{ type: 'string', value: 'now' }] });
    await until(() => qlab.messages.length === 3);
    expect(qlab.messages).toEqual([
      { address: '/connect', args: [{ type: 's', value: '1234' }] },
      { address: '/cue/chorus/start', args: [] },
      { address: '/cue/12/go', args: [{ type: 's', value: 'now' }] },
    ]);
    await target.close();
    qlab.server.close();
  });

  it('reports an unreachable host once, keeps retrying, and connects when the listener appears', async () => {
    const port = await freePort();
    const reports: OutputReport[] = [];
    const target = new OscTcpTarget({
      name: 'qlab',
      host: '127.0.0.1',
      port,
      reporter: new RateLimitedReporter((r) => reports.push(r)),
      initialBackoffMs: 20,
      maxBackoffMs: 40,
      maxQueueAgeMs: 60_000,
    });
    await until(() => reports.length > 0);
    await new Promise((r) => setTimeout(r, 200)); // several failed attempts
    expect(reports.filter((r) => r.code === 'unreachable')).toHaveLength(1);
    expect(reports[0]?.message).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port} over TCP: connect ECONNREFUSED .*; retrying$`));

    target.send({ address: '/cue/1/go', args: [] }); // queued while down
    const qlab = await tcpReceiver(port);
    await until(() => qlab.messages.length === 1);
    expect(qlab.messages[0]).toEqual({ address: '/cue/1/go', args: [] });
    expect(target.status()).toMatchObject({ state: 'connected', sent: 1, dropped: 0, lastError: null });
    expect(reports.at(-1)).toMatchObject({ level: 'info', code: 'connected' });

    // The receiver drops the connection: the target reconnects by itself.
    qlab.dropAll();
    await until(() => qlab.connections === 2);
    target.send({ address: '/cue/2/go', args: [] });
    await until(() => qlab.messages.length === 2);
    expect(qlab.messages[1]).toEqual({ address: '/cue/2/go', args: [] });
    await target.close();
    qlab.server.close();
  });

  it('drops messages that waited longer than the queue age instead of firing them late', async () => {
    let now = 0;
    const port = await freePort();
    const reports: OutputReport[] = [];
    const target = new OscTcpTarget({
      name: 'qlab',
      host: '127.0.0.1',
      port,
      reporter: new RateLimitedReporter((r) => reports.push(r), () => now),
      timers: { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout), now: () => now },
      initialBackoffMs: 20,
      maxBackoffMs: 20,
      maxQueueAgeMs: 1000,
    });
    target.send({ address: '/stale', args: [] });
    now = 5000;
    target.send({ address: '/fresh', args: [] });
    const qlab = await tcpReceiver(port);
    await until(() => qlab.messages.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(qlab.messages).toEqual([{ address: '/fresh', args: [] }]);
    expect(target.status().dropped).toBe(1);
    expect(reports.some((r) => r.code === 'dropped' && r.message.startsWith('1 message(s) dropped'))).toBe(true);
    await target.close();
    qlab.server.close();
  });
});
