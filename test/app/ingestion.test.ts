/**
 * The ingestion (app/ingestion): the link's datagrams are taken and decoded
 * from the moment it starts, held in order until the release, then passed on
 * as they come; our own datagrams are passed on but not decoded; completion
 * waits behind what is held; beyond the limit datagrams are counted, not
 * kept. And the bridge given an early ingestion lets no datagram of its
 * start-up be lost or doubled: each reaches the mapping once, in order.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler } from 'rxjs';
import { startBridge } from '../../src/app/bridge';
import { startIngestion, type DebugLog } from '../../src/app/ingestion';
import type { Link } from '../../src/app/link';
import { createLogger } from '../../src/log/logger';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { PORT_ANNOUNCE } from '../../src/prolink/packets/header';
import { isReceived, type TimedDatagram } from '../../src/streams/received';
import { keepAliveBytes } from '../streams/plausibility/packets';

const BRIDGE = '169.254.1.2';

function testLink(): { link: Link; datagrams: Subject<TimedDatagram> } {
  const datagrams = new Subject<TimedDatagram>();
  return {
    datagrams,
    link: {
      description: 'a test network',
      datagrams,
      identity: { address: BRIDGE, mac: '02:00:00:00:00:99', broadcast: '169.254.255.255', hostName: 'prolink-bridge' },
      send: () => undefined,
      close: async () => datagrams.complete(),
    },
  };
}

function keepAlive(device: number, at: number): TimedDatagram {
  const address = `169.254.1.${device + 10}`;
  return { port: PORT_ANNOUNCE, address, data: keepAliveBytes('CDJ-3000', device, address), at };
}

const ownKeepAlive: TimedDatagram = { port: PORT_ANNOUNCE, address: BRIDGE, data: keepAliveBytes('CDJ-3000', 5, BRIDGE), at: 3 };

function debugLines(): { logger: DebugLog; lines: string[] } {
  const lines: string[] = [];
  return { lines, logger: { debug: (_fields, message) => lines.push(message) } };
}

describe('the ingestion', () => {
  it('decodes at once, holds until the release, then delivers in order and passes later datagrams straight on', () => {
    const { link, datagrams } = testLink();
    const { logger, lines } = debugLines();
    const ingestion = startIngestion(link, logger);
    datagrams.next(keepAlive(2, 1));
    datagrams.next(ownKeepAlive);
    datagrams.next(keepAlive(3, 4));
    expect(ingestion.taken()).toBe(3);
    expect(lines).toEqual(['first packet decoded']);

    const seen: string[] = [];
    ingestion.datagrams$.subscribe((d) => seen.push(`datagram ${d.at}`));
    ingestion.decoded$.subscribe((d) => {
      if (isReceived(d) && d.packet.kind === 'keepAlive') seen.push(`decoded ${d.packet.device}`);
    });
    expect(seen).toEqual([]);

    // Each decoded before its datagram; our own (at 3) not decoded.
    expect(ingestion.release()).toBe(0);
    expect(seen).toEqual(['decoded 2', 'datagram 1', 'datagram 3', 'decoded 3', 'datagram 4']);

    seen.length = 0;
    datagrams.next(keepAlive(4, 5));
    expect(seen).toEqual(['decoded 4', 'datagram 5']);
    expect(lines).toEqual(['first packet decoded']);
  });

  it('completes after what it holds, not before', () => {
    const { link, datagrams } = testLink();
    const ingestion = startIngestion(link, debugLines().logger);
    datagrams.next(keepAlive(2, 1));
    datagrams.complete();
    const seen: string[] = [];
    ingestion.datagrams$.subscribe({ next: (d) => seen.push(`datagram ${d.at}`), complete: () => seen.push('complete') });
    ingestion.decoded$.subscribe({ complete: () => seen.push('decoded complete') });
    expect(seen).toEqual([]);
    ingestion.release();
    expect(seen).toEqual(['datagram 1', 'decoded complete', 'complete']);
  });

  it('holds at most its limit and says how many it dropped', () => {
    const { link, datagrams } = testLink();
    const ingestion = startIngestion(link, debugLines().logger, 2);
    for (let at = 1; at <= 5; at++) datagrams.next(keepAlive(2, at));
    const seen: number[] = [];
    ingestion.datagrams$.subscribe((d) => seen.push(d.at));
    expect(ingestion.release()).toBe(3);
    expect(seen).toEqual([1, 2]);
  });

  it('stops taking the link once stopped', () => {
    const { link, datagrams } = testLink();
    const ingestion = startIngestion(link, debugLines().logger);
    expect(datagrams.observed).toBe(true);
    ingestion.stop();
    expect(datagrams.observed).toBe(false);
  });
});

describe('the bridge with an early ingestion', () => {
  it('hands the mapping every datagram of its start-up once, in order, with those that come after', async () => {
    const scheduler = new VirtualTimeScheduler(VirtualAction, 20_000);
    const { link, datagrams } = testLink();
    const ingestion = startIngestion(link, debugLines().logger);
    // Heard while the mapping loads.
    datagrams.next(keepAlive(2, 0));
    datagrams.next(keepAlive(3, 0));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ingestion-'));
    const mapping = path.join(dir, 'show.yaml');
    fs.writeFileSync(mapping, 'targets:\n  show: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - { on: device.appeared, send: [{ osc: { to: show, address: /device } }] }\n');
    const started = await startBridge({
      link,
      mode: 'passive',
      mappingPaths: [mapping],
      watchMappings: false,
      logger: createLogger({ level: 'silent', destination: fs.createWriteStream('/dev/null') }),
      openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
      scheduler,
      ingestion,
    });
    fs.rmSync(dir, { recursive: true, force: true });
    if (!started.ok) throw new Error(started.message);
    const bridge = started.bridge;
    try {
      // Still held: the caller releases once its own subscribers are on.
      datagrams.next(keepAlive(4, 0));
      expect(bridge.stats.received).toBe(0);
      const appeared: number[] = [];
      bridge.activity.subscribe((a) => {
        if (a.kind === 'fired' && a.event.type === 'device.appeared') appeared.push(a.event.device);
      });
      ingestion.release();
      datagrams.next(keepAlive(5, 0));
      expect(appeared).toEqual([2, 3, 4, 5]);
      expect(bridge.stats.received).toBe(4);
    } finally {
      await bridge.stop();
    }
    expect(datagrams.observed).toBe(false);
  });
});
