import { WebSocket } from 'ws';
import { WebSocketTarget } from '../../../src/outputs/websocket/websocket-target';
import { RateLimitedReporter, type OutputReport } from '../../../src/outputs/reporter';
import { OutputRouter } from '../../../src/outputs/output-router';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import type { TargetConfig } from '../../../src/mapping/schema';

function connect(port: number): Promise<{ socket: WebSocket; received: (string | Buffer)[] }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`);
    const received: (string | Buffer)[] = [];
    socket.on('message', (data, isBinary) => received.push(isBinary ? (data as Buffer) : data.toString()));
    socket.once('open', () => resolve({ socket, received }));
    socket.once('error', reject);
  });
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!check()) throw new Error('condition not met in time');
}

describe('WebSocket target', () => {
  it('broadcasts JSON messages to every client and relays raw datagrams only when asked', async () => {
    const reports: OutputReport[] = [];
    const target = new WebSocketTarget({ name: 'dash', host: '127.0.0.1', port: 0, relayRaw: false, reporter: new RateLimitedReporter((r) => reports.push(r)) });
    expect(await target.listening).toBe(true);
    const a = await connect(target.port);
    const b = await connect(target.port);
    await until(() => target.status().clients === 2);

    target.sendJson({ event: 'phrase.start', deck: 1, phrase: 'chorus' });
    target.relayDatagram(Buffer.from([1, 2, 3]));
    await until(() => a.received.length === 1 && b.received.length === 1);
    expect(JSON.parse(a.received[0] as string)).toEqual({ event: 'phrase.start', deck: 1, phrase: 'chorus' });
    expect(b.received).toEqual(a.received);
    expect(target.status()).toMatchObject({ state: 'listening', clients: 2, sent: 2 });
    a.socket.close();
    b.socket.close();
    await target.close();
    expect(reports).toEqual([]);
  });

  it('relays raw status datagrams as binary frames in compatibility mode', async () => {
    const target = new WebSocketTarget({ name: 'relay', host: '127.0.0.1', port: 0, relayRaw: true, reporter: new RateLimitedReporter(() => undefined) });
    await target.listening;
    const client = await connect(target.port);
    await until(() => target.status().clients === 1);
    target.relayDatagram(Buffer.from('Qspt1WmJOL\x0a'));
    await until(() => client.received.length === 1);
    expect(Buffer.isBuffer(client.received[0])).toBe(true);
    expect((client.received[0] as Buffer).toString('latin1')).toBe('Qspt1WmJOL\x0a');
    client.socket.close();
    await target.close();
  });

  it('gets raw status datagrams from the output router only where relayRaw is on', async () => {
    const router = new OutputRouter({ reporter: new RateLimitedReporter(() => undefined), openMidi: () => ({ ok: true, port: new RecordingMidiPort() }) });
    const targets = new Map<string, TargetConfig>([
      ['relay', { websocket: { host: '127.0.0.1', port: 0, relayRaw: true } }],
      ['dash', { websocket: { host: '127.0.0.1', port: 0, relayRaw: false } }],
      ['lights', { osc: { host: '127.0.0.1', port: 9, protocol: 'udp' } }],
    ] as [string, TargetConfig][]);
    router.apply(targets);
    const relay = router.websocket('relay')!;
    const dash = router.websocket('dash')!;
    await Promise.all([relay.listening, dash.listening]);
    const relayClient = await connect(relay.port);
    const dashClient = await connect(dash.port);
    await until(() => relay.status().clients === 1 && dash.status().clients === 1);
    router.relayDatagram(Buffer.from('Qspt1WmJOL\x0a'));
    await until(() => relayClient.received.length === 1);
    await new Promise((r) => setTimeout(r, 50));
    expect((relayClient.received[0] as Buffer).toString('latin1')).toBe('Qspt1WmJOL\x0a');
    expect(dashClient.received).toEqual([]);
    relayClient.socket.close();
    dashClient.socket.close();
    await router.close();
  });

  it('reports a port already in use with the fix, without throwing', async () => {
    const first = new WebSocketTarget({ name: 'one', host: '127.0.0.1', port: 0, relayRaw: false, reporter: new RateLimitedReporter(() => undefined) });
    await first.listening;
    const reports: OutputReport[] = [];
    const second = new WebSocketTarget({ name: 'two', host: '127.0.0.1', port: first.port, relayRaw: false, reporter: new RateLimitedReporter((r) => reports.push(r)) });
    expect(await second.listening).toBe(false);
    expect(second.status().state).toBe('failed');
    expect(reports).toEqual([
      {
        level: 'error',
        target: 'two',
        code: 'listen-failed',
        message: `WebSocket port ${first.port} on 127.0.0.1 is already in use; pick another port for target "two"`,
        suppressed: 0,
      },
    ]);
    second.sendJson({ ignored: true }); // no throw while failed
    await second.close();
    await first.close();
  });
});
