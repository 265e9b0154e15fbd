import * as dgram from 'node:dgram';
import { ArtnetTimecodeOutputs } from '../../src/app/artnet-timecode-outputs';
import { parseMappingSources } from '../../src/mapping/load-mapping';
import type { ArtnetTimecodeConfig } from '../../src/mapping/schema';
import { RateLimitedReporter, realTimers, type OutputReport } from '../../src/outputs/reporter';
import type { TimecodeInputs } from '../../src/timing/track-timeline';
import { until } from '../support/until';
import { deck } from '../mapping/engine-support';
import { decodeArtTimeCode, labelToFrames, type DecodedArtTimeCode } from '../outputs/artnet/artnet-decode';

function receiver(): Promise<{ socket: dgram.Socket; got: DecodedArtTimeCode[] }> {
  return new Promise((resolve) => {
    const socket = dgram.createSocket('udp4');
    const got: DecodedArtTimeCode[] = [];
    socket.on('message', (m) => {
      const d = decodeArtTimeCode(m);
      if (d !== null) got.push(d);
    });
    socket.bind({ port: 0, address: '127.0.0.1' }, () => resolve({ socket, got }));
  });
}

function configs(yaml: string): readonly ArtnetTimecodeConfig[] {
  const parsed = parseMappingSources([{ file: 'show.yaml', text: yaml }]);
  if (!parsed.ok) throw new Error(parsed.errors.map(String).join('\n'));
  return parsed.mapping.artnetTimecode.map((a) => a.value);
}

describe('artnet-timecode outputs', () => {
  it('sends the followed deck\'s timeline plus the track offset, and a reload moves the output', async () => {
    const a = await receiver();
    const b = await receiver();
    const reports: OutputReport[] = [];
    const outputs = new ArtnetTimecodeOutputs({ reporter: new RateLimitedReporter((r) => reports.push(r)), timers: realTimers, localAddresses: () => [] });
    const startedAt = realTimers.now();
    // Deck 2 plays track 184 from 10 s in; precise positions keep it fresh.
    const inputs: TimecodeInputs = {
      deckFor: (follow) => (follow === 2 || follow === 'master' ? deck(2, { trackId: 184, playing: true, pitch: 1 }) : null),
      grid: () => null,
      precise: () => ({ at: realTimers.now(), ms: 10_000 + (realTimers.now() - startedAt) }),
    };
    await outputs.apply(
      configs(`artnet-timecode:\n  - { to: 127.0.0.1, port: ${a.socket.address().port}, follow: 2, rate: 25, offsets: { "184": "01:00:00:00" } }\n`),
      inputs,
    );
    await until(() => a.got.length >= 10);
    const first = a.got[0] as DecodedArtTimeCode;
    expect(first.type).toBe(1);
    expect(first.hours).toBe(1);
    // 01:00:10:00 plus the few frames it took to get here.
    expect(labelToFrames(first) - (3600 + 10) * 25).toBeGreaterThanOrEqual(0);
    expect(labelToFrames(first) - (3600 + 10) * 25).toBeLessThan(25);
    const [status] = outputs.status();
    expect(status?.label).toBe(`artnet 127.0.0.1:${a.socket.address().port}`);
    expect(status?.sent).toBeGreaterThanOrEqual(10);
    expect(status?.last).toMatch(/^01:00:1\d:\d\d$/);

    await outputs.apply(configs(`artnet-timecode:\n  - { to: 127.0.0.1, port: ${b.socket.address().port}, rate: 30, onStop: stop }\n`), inputs);
    const countA = a.got.length;
    await until(() => b.got.length >= 5);
    expect(b.got.every((d) => d.type === 3 && d.hours === 0)).toBe(true);
    await new Promise((r) => setTimeout(r, 100));
    expect(a.got.length).toBe(countA);
    expect(reports).toEqual([]);
    await outputs.stop();
    // A packet sent just before the stop may still be on its way to a busy receiver.
    await new Promise((r) => setTimeout(r, 50));
    const countB = b.got.length;
    await new Promise((r) => setTimeout(r, 100));
    expect(b.got.length).toBe(countB);
    a.socket.close();
    b.socket.close();
  });
});
