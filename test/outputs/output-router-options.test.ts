/**
 * The backpressure options of a mapping's targets, from YAML to behaviour:
 * `deadline` on OSC targets and `origins` on WebSocket targets, and the
 * path-qualified errors for values that do not fit.
 */
import * as net from 'node:net';
import { WebSocket } from 'ws';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import type { TargetConfig } from '../../src/mapping/schema';
import { OutputRouter } from '../../src/outputs/output-router';
import { RateLimitedReporter, type OutputReport, type Timers } from '../../src/outputs/reporter';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';

function targetsOf(yaml: string): Map<string, TargetConfig> {
  const result = parseMappingSources([{ file: 'show.yaml', text: yaml }]);
  if (!result.ok) throw new Error(result.errors.map(String).join('\n'));
  return new Map([...result.mapping.targets].map(([name, located]) => [name, located.value]));
}

function errorsOf(yaml: string): string[] {
  const result = parseMappingSources([{ file: 'show.yaml', text: yaml }]);
  return result.ok ? [] : result.errors.map(String);
}

/** A port nothing listens on (bound, then closed). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function handshake(port: number, origin: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}`, { origin });
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

describe('target options from the mapping', () => {
  it('drops OSC messages after the deadline the mapping sets', async () => {
    const port = await freePort();
    let time = 0;
    const timers: Timers = { setTimeout: () => null, clearTimeout: () => undefined, now: () => time };
    const reports: OutputReport[] = [];
    const router = new OutputRouter({ reporter: new RateLimitedReporter((r) => reports.push(r), () => time), openMidi: () => ({ ok: true, port: new RecordingMidiPort() }), timers });
    router.apply(targetsOf(`targets:\n  qlab: { osc: { port: ${port}, protocol: tcp, deadline: 200ms } }\n`));
    const cue = (n: number): void => router.dispatch({ kind: 'osc', target: 'qlab', rule: 'cue', address: `/cue/${n}/go`, args: [] });
    cue(1);
    time = 150;
    cue(2); // the first is 150 ms old: still within 200 ms
    expect(reports.filter((r) => r.code === 'dropped')).toEqual([]);
    time = 300;
    cue(3); // the first is 300 ms old now, the second 150 ms
    expect(reports.filter((r) => r.code === 'dropped').map((r) => r.message)).toEqual([
      `1 message(s) dropped: not sent within the 200 ms deadline (no connection to 127.0.0.1:${port}); 1 dropped in all`,
    ]);
    await router.close();
  });

  it('lets in the origins the mapping lists on a WebSocket target', async () => {
    const router = new OutputRouter({ reporter: new RateLimitedReporter(() => undefined), openMidi: () => ({ ok: true, port: new RecordingMidiPort() }) });
    const [dashPort, openPort] = [await freePort(), await freePort()];
    router.apply(targetsOf(`targets:\n  dash: { websocket: { port: ${dashPort}, origins: ["http://10.0.0.5:8000"] } }\n  open: { websocket: { port: ${openPort} } }\n`));
    const dash = router.websocket('dash')!;
    const open = router.websocket('open')!;
    await Promise.all([dash.listening, open.listening]);
    expect(await handshake(dash.port, 'http://10.0.0.5:8000')).toBe(101);
    expect(await handshake(dash.port, 'http://localhost:3000')).toBe(403);
    expect(await handshake(open.port, 'http://localhost:3000')).toBe(101);
    expect(await handshake(open.port, 'http://10.0.0.5:8000')).toBe(403);
    await router.close();
  });

  it('names the key and the fix for values that do not fit', () => {
    expect(
      errorsOf(
        [
          'targets:',
          '  a: { osc: { port: 53000, deadline: 0ms } }',
          '  b: { osc: { port: 53000, deadline: 2m } }',
          '  c: { websocket: { origins: [] } }',
          '  d: { websocket: { origins: ["http://10.0.0.5:8000/dash"] } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'show.yaml:2:38 targets.a.osc.deadline: must be from 1ms to 60s',
      'show.yaml:3:38 targets.b.osc.deadline: must be from 1ms to 60s',
      'show.yaml:4:30 targets.c.websocket.origins: needs at least 1 item(s) (got a list)',
      'show.yaml:5:31 targets.d.websocket.origins[0]: must be an origin such as http://192.168.1.20:8000, or localhost, null or * (got "http://10.0.0.5:8000/dash")',
    ]);
  });
});
