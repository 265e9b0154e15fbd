import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { MappingRuntime } from '../../src/mapping/mapping-runtime';
import { OutputRouter } from '../../src/outputs/output-router';
import { RateLimitedReporter } from '../../src/outputs/reporter';
import type { MappingError } from '../../src/mapping/mapping-error';
import type { BeatEvent } from '../../src/events/bridge-event';
import { decodeOsc, type DecodedMessage } from '../support/osc-decode';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';
import { deck, world } from './engine-support';

function mappingText(port: number, version: string): string {
  return `targets:\n  vj: { osc: { port: ${port} } }\nrules:\n  - on: beat\n    send: [{ osc: { to: vj, address: /${version}/beat, args: [{ int: "{{ event.beat }}" }] } }]\n`;
}

async function until(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('mapping runtime', () => {
  it('hot-reloads while events flow: an invalid save keeps the old mapping, a valid one swaps, no event lost or sent twice', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const port = receiver.address().port;

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
    const file = path.join(dir, 'show.yaml');
    fs.writeFileSync(file, mappingText(port, 'v1'));
    const reporter = new RateLimitedReporter(() => undefined);
    const router = new OutputRouter({ reporter, openMidi: () => ({ ok: true, port: new RecordingMidiPort() }) });
    const rejected: string[][] = [];
    const loads: string[] = [];
    const runtime = new MappingRuntime({
      paths: [file],
      router,
      watch: true,
      debounceMs: 30,
      events: {
        loaded: (m, reload) => loads.push(`${reload ? 'reload' : 'load'}:${m.rules.length}`),
        rejected: (errors: readonly MappingError[]) => rejected.push(errors.map(String)),
        fired: () => undefined,
        problem: () => undefined,
      },
    });
    expect(await runtime.start()).toBe(true);

    const w = world([deck(1)]);
    const total = 240;
    let sent = 0;
    const flow = setInterval(() => {
      sent++;
      const event: BeatEvent = { type: 'beat', at: sent, deck: 1, beat: sent, beatInBar: ((sent - 1) % 4) + 1, effectiveBpm: 128, estimated: false, late: false, coasting: false };
      runtime.handle(event, w);
      if (sent === 60) fs.writeFileSync(file, mappingText(port, 'v2').replace('to: vj', 'to: vj2')); // invalid: unknown target
      if (sent === 140) fs.writeFileSync(file, mappingText(port, 'v2'));
      if (sent >= total) clearInterval(flow);
    }, 4);

    await until(() => sent >= total && received.length >= total);
    await new Promise((r) => setTimeout(r, 100));
    runtime.stop();
    await router.close();
    receiver.close();
    fs.rmSync(dir, { recursive: true });

    const beats = received.map((m) => m.args[0]?.value);
    expect(beats).toHaveLength(total);
    expect(new Set(beats).size).toBe(total);
    expect([...beats].sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    // v1 until the valid save is picked up, v2 after; never the broken one.
    const versions = received.map((m) => m.address);
    const firstV2 = versions.indexOf('/v2/beat');
    expect(firstV2).toBeGreaterThan(140 - 1);
    expect(versions.slice(0, firstV2).every((a) => a === '/v1/beat')).toBe(true);
    expect(versions.slice(firstV2).every((a) => a === '/v2/beat')).toBe(true);
    expect(rejected).toEqual([[`${file}:5:25 rules[0].send[0].osc.to: unknown target "vj2" (known: vj)`]]);
    expect(loads).toEqual(['load:1', 'reload:1']);
  });

  it('sends straight from the engine while nobody watches what fires, and lists the commands again once someone does', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: DecodedMessage[] = [];
    receiver.on('message', (m) => received.push(decodeOsc(m)));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'runtime-'));
    const file = path.join(dir, 'show.yaml');
    fs.writeFileSync(
      file,
      `targets:\n  vj: { osc: { port: ${receiver.address().port} } }\nrules:\n  - name: beats\n    on: beat\n    send: [{ osc: { to: vj, address: "/deck/{{ deck.number }}/beat", args: [{ int: "{{ event.beat }}" }, { float: "{{ event.effectiveBpm }}" }, "{{ phrase.label ?? 'none' }}"] } }]\n`,
    );
    const router = new OutputRouter({ reporter: new RateLimitedReporter(() => undefined), openMidi: () => ({ ok: true, port: new RecordingMidiPort() }) });
    let watched = false;
    const fired: string[] = [];
    const runtime = new MappingRuntime({
      paths: [file],
      router,
      watch: false,
      events: {
        loaded: () => undefined,
        rejected: () => undefined,
        fired: (rule, event, commands) => fired.push(`${rule.name} ${event.type === 'beat' ? event.beat : ''} ${commands.length}`),
        firedWatched: () => watched,
        problem: () => undefined,
      },
    });
    expect(await runtime.start()).toBe(true);
    await until(() => router.targetStatuses()[0]?.state === 'ready');
    const w = world([deck(1)]);
    for (let n = 1; n <= 40; n++) {
      watched = n > 30;
      runtime.handle({ type: 'beat', at: n, deck: 1, beat: n, beatInBar: ((n - 1) % 4) + 1, effectiveBpm: 128.5, estimated: false, late: false, coasting: false }, w);
    }
    await until(() => received.length === 40);
    runtime.stop();
    await router.close();
    receiver.close();
    fs.rmSync(dir, { recursive: true });

    expect(received).toEqual(Array.from({ length: 40 }, (_, i) => ({ address: '/deck/1/beat', args: [{ type: 'i', value: i + 1 }, { type: 'f', value: 128.5 }, { type: 's', value: 'none' }] })));
    expect(fired).toEqual(Array.from({ length: 10 }, (_, i) => `beats ${31 + i} 1`));
    expect(router.stats()).toEqual({ delivered: 40, undeliverable: 0 });
  });
});

