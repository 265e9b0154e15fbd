import * as dgram from 'node:dgram';
import * as net from 'node:net';
import { CHECK_INTERVAL_MS, OscUdpTarget, type UdpLookup } from '../../../src/outputs/osc/osc-udp-target';
import { OscTcpTarget } from '../../../src/outputs/osc/osc-tcp-target';
import { encodeOscMessage } from '../../../src/outputs/osc/osc-message';
import { OscArgs } from '../../../src/outputs/osc/osc-args';
import { RateLimitedReporter, realTimers, type OutputReport, type Timers } from '../../../src/outputs/reporter';
import { decodeOsc, slipFrames, type DecodedMessage } from '../../support/osc-decode';
import { until } from '../../support/until';


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

  it('sends bursts built in one reused set of argument columns intact and in order (each encoded into the slab, released as the socket is done)', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const target = new OscUdpTarget({ name: 'lights', host: '127.0.0.1', port: receiver.address().port, reporter: new RateLimitedReporter(() => undefined) });
    await until(() => target.status().state === 'ready');
    const args = new OscArgs();
    const expected: DecodedMessage[] = [];
    for (let burst = 0; burst < 5; burst++) {
      for (let i = 0; i < 100; i++) {
        const n = burst * 100 + i;
        args.clear();
        args.push('int', n);
        args.push('string', `cue ${n}`);
        args.push('float', n / 4);
        target.sendArgs(`/burst/${burst}`, args);
        expected.push({ address: `/burst/${burst}`, args: [{ type: 'i', value: n }, { type: 's', value: `cue ${n}` }, { type: 'f', value: n / 4 }] });
      }
      await until(() => received.length === expected.length);
    }
    expect(received).toEqual(expected);
    expect(target.status()).toMatchObject({ state: 'ready', sent: 500, dropped: 0 });
    await target.close();
    receiver.close();
  });

  it('checks one send per interval for failure, counts messages dropped from a failed check until a check goes through, and reports the failure', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    // A real socket whose route goes away while `broken`: every send fails (with a callback, it hears why; without, it cannot).
    let broken = false;
    let checks = 0;
    const createSocket = (options: dgram.SocketOptions): dgram.Socket => {
      const socket = dgram.createSocket(options);
      const send = socket.send.bind(socket) as (msg: Buffer, callback?: (error: Error | null) => void) => void;
      (socket as unknown as { send: unknown }).send = (msg: Buffer, callback?: (error: Error | null) => void): void => {
        if (callback !== undefined) checks++;
        if (!broken) return send(msg, callback);
        if (callback !== undefined) process.nextTick(callback, Object.assign(new Error('send ENETUNREACH 127.0.0.1'), { code: 'ENETUNREACH' }));
      };
      return socket;
    };
    let now = 1_000;
    const timers: Timers = { setTimeout: realTimers.setTimeout, clearTimeout: realTimers.clearTimeout, now: () => now };
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'desk', host: '127.0.0.1', port: receiver.address().port, reporter: new RateLimitedReporter((r) => reports.push(r)), timers, createSocket });
    await until(() => target.status().state === 'ready');
    const cue = (n: number): void => target.send({ address: '/cue', args: [{ type: 'int', value: n }] });

    for (let n = 1; n <= 5; n++) cue(n); // one check (the first), four plain sends
    await until(() => received.length === 5);
    expect(checks).toBe(1);
    expect(target.status()).toMatchObject({ sent: 5, dropped: 0 });

    broken = true;
    now += CHECK_INTERVAL_MS;
    cue(6); // checked: fails
    await new Promise((r) => setImmediate(r));
    expect(target.status()).toMatchObject({ sent: 5, dropped: 1, lastError: 'cannot send to 127.0.0.1:' + String(receiver.address().port) + ': send ENETUNREACH 127.0.0.1' });
    cue(7);
    cue(8); // not checked, counted dropped: the last check failed
    expect(target.status()).toMatchObject({ sent: 5, dropped: 3 });
    expect(reports.map((r) => r.code)).toEqual(['send-failed']);

    broken = false;
    cue(9); // no check yet within the interval: still counted dropped, though it goes
    now += CHECK_INTERVAL_MS;
    cue(10); // checked: goes through
    await until(() => received.length === 7);
    cue(11);
    await until(() => received.length === 8);
    expect(target.status()).toMatchObject({ sent: 7, dropped: 4 });
    expect(received.map((m) => m.args[0]?.value)).toEqual([1, 2, 3, 4, 5, 9, 10, 11]);
    expect(checks).toBe(3);
    await target.close();
    receiver.close();
  });

  it('counts and reports a message it cannot encode or that no datagram holds, once each, without throwing', async () => {
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'td', host: '127.0.0.1', port: 9, reporter: new RateLimitedReporter((r) => reports.push(r)) });
    target.send({ address: '/x', args: [{ type: 'int', value: 0.25 }] });
    target.send({ address: '/x', args: [{ type: 'int', value: 0.25 }] });
    expect(target.status().dropped).toBe(2);
    target.send({ address: '/huge', args: [{ type: 'string', value: 'x'.repeat(70_000) }] });
    expect(target.status().dropped).toBe(3);
    expect(reports).toEqual([
      { level: 'warn', target: 'td', code: 'encode-error', message: 'cannot encode /x: int argument 0.25 is not a 32-bit integer', suppressed: 0 },
      { level: 'warn', target: 'td', code: 'too-large', message: 'cannot send /huge: 70016 bytes is more than a UDP datagram holds (65507)', suppressed: 0 },
    ]);
    await target.close();
  });
});

describe('OSC over UDP: unreachable receivers', () => {
  /** A UDP port with nothing listening on it (bound, then closed). */
  async function closedUdpPort(): Promise<number> {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((r) => probe.bind(0, '127.0.0.1', () => r()));
    const port = probe.address().port;
    await new Promise<void>((r) => probe.close(() => r()));
    return port;
  }

  it('reports a port nothing listens on (ICMP port unreachable) once per interval, keeps sending, and delivers when a receiver binds it', async () => {
    const port = await closedUdpPort();
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'resolume', host: '127.0.0.1', port, reporter: new RateLimitedReporter((r) => reports.push(r)) });
    const tempo = (bpm: number): void => target.send({ address: '/tempo', args: [{ type: 'float', value: bpm }] });
    tempo(120);
    await until(() => reports.length > 0);
    for (let bpm = 121; bpm < 126; bpm++) {
      tempo(bpm);
      await new Promise((r) => setTimeout(r, 5));
    }
    expect(reports).toEqual([
      { level: 'warn', target: 'resolume', code: 'refused', message: `nothing is listening on 127.0.0.1:${port} (the host answered "port unreachable"); still sending`, suppressed: 0 },
    ]);
    expect(target.status()).toMatchObject({ state: 'ready', lastError: reports[0]?.message });

    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(port, '127.0.0.1', () => r()));
    tempo(130);
    await until(() => received.length === 1);
    expect(received).toEqual([{ address: '/tempo', args: [{ type: 'f', value: 130 }] }]);
    await target.close();
    receiver.close();
  });

  it('retries a host name that does not resolve, with backoff, and sends what waited once it does', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    // A resolver that knows the name only from its third question on (no query leaves the machine).
    const asked: string[] = [];
    const lookup: UdpLookup = (hostname, _options, callback) => {
      const cb = callback as (error: NodeJS.ErrnoException | null, address: string, family: number) => void;
      if (net.isIP(hostname) !== 0) return process.nextTick(() => cb(null, hostname, 4)); // the socket's own bind address
      asked.push(hostname);
      if (asked.length < 3) process.nextTick(() => cb(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4));
      else process.nextTick(() => cb(null, '127.0.0.1', 4));
    };
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'td', host: 'touchdesigner.local', port: receiver.address().port, reporter: new RateLimitedReporter((r) => reports.push(r), Date.now, 0), lookup, initialBackoffMs: 20 });
    target.send({ address: '/cue', args: [{ type: 'int', value: 1 }] });
    await until(() => received.length === 1);
    expect(asked).toEqual(['touchdesigner.local', 'touchdesigner.local', 'touchdesigner.local']);
    expect(reports.map((r) => `${r.code}: ${r.message}`)).toEqual([
      'unresolved: cannot send to touchdesigner.local:' + receiver.address().port + ': getaddrinfo ENOTFOUND touchdesigner.local; retrying in 20 ms',
      'unresolved: cannot send to touchdesigner.local:' + receiver.address().port + ': getaddrinfo ENOTFOUND touchdesigner.local; retrying in 40 ms',
    ]);
    expect(received).toEqual([{ address: '/cue', args: [{ type: 'i', value: 1 }] }]);
    expect(target.status()).toMatchObject({ state: 'ready', sent: 1, dropped: 0 });
    target.send({ address: '/cue', args: [{ type: 'int', value: 2 }] });
    await until(() => received.length === 2);
    expect(asked).toHaveLength(3); // resolved once, not per message
    await target.close();
    receiver.close();
  });

  it('drops messages that waited longer than the queue age for the host to resolve, and counts them', async () => {
    let now = 0;
    const pending: (() => void)[] = [];
    const timers = { setTimeout: (fn: () => void) => pending.push(fn), clearTimeout: () => undefined, now: () => now };
    let resolvable = false;
    const lookup: UdpLookup = (hostname, _options, callback) => {
      const cb = callback as (error: NodeJS.ErrnoException | null, address: string, family: number) => void;
      if (net.isIP(hostname) !== 0) return process.nextTick(() => cb(null, hostname, 4));
      process.nextTick(() => (resolvable ? cb(null, '127.0.0.1', 4) : cb(Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' }), '', 4)));
    };
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const reports: OutputReport[] = [];
    const target = new OscUdpTarget({ name: 'ma', host: 'gma3.local', port: receiver.address().port, reporter: new RateLimitedReporter((r) => reports.push(r), () => now), timers, lookup, deadlineMs: 2000 });
    target.send({ address: '/old', args: [] });
    await until(() => pending.length === 1);
    now = 2500;
    target.send({ address: '/new', args: [] });
    resolvable = true;
    pending.shift()!();
    await until(() => received.length === 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(received).toEqual([{ address: '/new', args: [] }]);
    expect(target.status()).toMatchObject({ state: 'ready', sent: 1, dropped: 1 });
    expect(reports.map((r) => r.code)).toEqual(['unresolved', 'dropped']);
    expect(reports[1]?.message).toBe('1 message(s) dropped: gma3.local did not resolve within the 2000 ms deadline; 1 dropped in all');
    await target.close();
    receiver.close();
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
      deadlineMs: 60_000,
    });
    await until(() => reports.length > 0);
    await new Promise((r) => setTimeout(r, 200)); // several failed attempts
    expect(reports.filter((r) => r.code === 'unreachable')).toHaveLength(1);
    expect(reports[0]?.message).toMatch(new RegExp(`^cannot reach 127\\.0\\.0\\.1:${port} over TCP: connect ECONNREFUSED .*; retrying in 20 ms$`));

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
      deadlineMs: 1000,
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
