/**
 * The heartbeat of an OSC target from the mapping: its defaults (QLab's
 * /reply/<address> answer, stale at one and a half times every), the
 * path-qualified errors for a block that does not fit, and the target
 * health the dashboard shows for a receiver that does not answer.
 */
import * as net from 'node:net';
import { parseMappingSources } from '../../../src/mapping/load-mapping';
import type { TargetConfig } from '../../../src/mapping/schema';
import { heartbeatOptions } from '../../../src/outputs/osc/heartbeat';
import { OutputRouter } from '../../../src/outputs/output-router';
import { RateLimitedReporter, type OutputReport } from '../../../src/outputs/reporter';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { targetRows } from '../../../src/dashboard/target-health';
import { until } from '../../support/until';

function targetsOf(yaml: string): Map<string, TargetConfig> {
  const result = parseMappingSources([{ file: 'show.yaml', text: yaml }]);
  if (!result.ok) throw new Error(result.errors.map(String).join('\n'));
  return new Map([...result.mapping.targets].map(([name, located]) => [name, located.value]));
}

function errorsOf(yaml: string): string[] {
  const result = parseMappingSources([{ file: 'show.yaml', text: yaml }]);
  return result.ok ? [] : result.errors.map(String);
}

function oscOf(yaml: string): NonNullable<TargetConfig['osc']> {
  const osc = targetsOf(yaml).get('qlab')?.osc;
  if (osc === undefined) throw new Error('no osc target qlab');
  return osc;
}

describe('heartbeat in the mapping', () => {
  it("fills in QLab's answer and the timings when only the address is given", () => {
    expect(heartbeatOptions(oscOf('targets:\n  qlab: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /thump } } }\n'))).toEqual({
      address: '/thump',
      reply: '/reply/thump',
      everyMs: 1000,
      staleMs: 1500,
    });
    expect(heartbeatOptions(oscOf('targets:\n  qlab: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /version, every: 250ms } } }\n'))).toEqual({
      address: '/version',
      reply: '/reply/version',
      everyMs: 250,
      staleMs: 375,
    });
  });

  it('takes every key as written', () => {
    const osc = oscOf('targets:\n  qlab: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /ping, reply: /pong, every: 50ms, stale: 0.15s } } }\n');
    expect(heartbeatOptions(osc)).toEqual({ address: '/ping', reply: '/pong', everyMs: 50, staleMs: 150 });
  });

  it('adds nothing to a target without one', () => {
    const osc = oscOf('targets:\n  qlab: { osc: { port: 53000, protocol: tcp } }\n');
    expect(osc).toEqual({ host: '127.0.0.1', port: 53000, protocol: 'tcp' });
    expect(heartbeatOptions(osc)).toBeNull();
  });

  it('names the key and the fix for a heartbeat that does not fit', () => {
    expect(
      errorsOf(
        [
          'targets:',
          '  b: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /thump, every: 5ms } } }',
          '  d: { osc: { port: 53000, protocol: tcp, heartbeat: { address: thump } } }',
          '  e: { osc: { port: 53000, protocol: tcp, heartbeat: { every: 1s } } }',
          '  f: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /thump, interval: 1s } } }',
          '  g: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /thump, stale: 2m } } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'show.yaml:2:80 targets.b.osc.heartbeat.every: must be from 10ms to 60s',
      'show.yaml:3:65 targets.d.osc.heartbeat.address: must be an OSC address: a "/" followed by no spaces and none of # * , ? [ ] { } (got "thump")',
      'show.yaml:4:54 targets.e.osc.heartbeat.address: is required (text)',
      'show.yaml:5:73 targets.f.osc.heartbeat.interval: unknown key "interval" (valid: address, reply, every, stale)',
      'show.yaml:6:80 targets.g.osc.heartbeat.stale: must be from 10ms to 60s',
    ]);
    expect(
      errorsOf(
        [
          'targets:',
          '  a: { osc: { port: 53000, heartbeat: { address: /thump } } }',
          '  c: { osc: { port: 53000, protocol: tcp, heartbeat: { address: /thump, every: 1s, stale: 1s } } }',
          '',
        ].join('\n'),
      ),
    ).toEqual([
      'show.yaml:2:28 targets.a.osc.heartbeat: a heartbeat needs protocol: tcp (the replies come back on the same connection)',
      'show.yaml:3:91 targets.c.osc.heartbeat.stale: stale must be longer than every: a reply can only come after the heartbeat it answers',
    ]);
  });

  it('shows a target whose receiver does not answer as not-answering in the target health', async () => {
    // A receiver that accepts and reads but never answers.
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => undefined);
      socket.resume();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as net.AddressInfo;
    const reports: OutputReport[] = [];
    const router = new OutputRouter({ reporter: new RateLimitedReporter((r) => reports.push(r)), openMidi: () => ({ ok: true, port: new RecordingMidiPort() }) });
    try {
      router.apply(targetsOf(`targets:\n  qlab: { osc: { port: ${port}, protocol: tcp, heartbeat: { address: /thump, every: 50ms, stale: 150ms } } }\n`));
      await until(() => sockets.size === 1);
      expect(targetRows(router.targetStatuses(), new Map(), Date.now())[0]?.state).toBe('connected');
      await until(() => reports.some((r) => r.code === 'not-answering'));
      router.dispatch({ kind: 'osc', target: 'qlab', rule: 'cue', address: '/cue/1/go', args: [] });
      expect(router.targetStatuses()).toEqual([expect.objectContaining({ name: 'qlab', kind: 'osc-tcp', state: 'not-answering', dropped: 1 })]);
      expect(targetRows(router.targetStatuses(), new Map(), Date.now())[0]).toEqual(expect.objectContaining({ state: 'not-answering', dropped: 1 }));
    } finally {
      await router.close();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
