import { renderMonitor } from '../../src/monitor/render/render-monitor';
import { reduceMonitor } from '../../src/monitor/reduce-monitor';
import { bridgeStatus } from '../../src/monitor/bridge-sources';
import { NO_COUNTERS, type NetworkOutputs } from '../../src/monitor/monitor-state';
import { clubState, T0 } from './states';

const OUTPUTS: NetworkOutputs = {
  artnetTimecode: [
    { label: 'artnet 2.255.255.255:6454', follow: 'master', sent: 1500, failed: 0, last: '01:00:59:24', running: true },
    { label: 'artnet 10.0.0.7:6454', follow: 2, sent: 0, failed: 3, last: null, running: false },
  ],
  link: { follow: 'master', state: 'joined', peers: 2, tempo: 125.97 },
};

describe('network outputs in the monitor', () => {
  it('shows one row per output between the decks and the activity', () => {
    const lines = renderMonitor({ ...clubState(), tail: [], outputs: OUTPUTS }, { width: 100, height: 30, now: T0 + 1000 });
    const rule = lines.findIndex((l) => l.startsWith('── activity'));
    expect(lines.slice(rule - 4, rule)).toEqual([
      '',
      'artnet 2.255.255.255:6454 follows master  running  tc 01:00:59:24  sent 1500  failed 0',
      'artnet 10.0.0.7:6454 follows deck 2  stopped  tc —  sent 0  failed 3',
      'ableton link follows master  joined  peers 2  tempo 125.97 BPM',
    ]);
  });

  it('says a Link session that is not running, and cuts rows to the width', () => {
    const state = { ...clubState(), tail: [], outputs: { artnetTimecode: [], link: { follow: 3, state: 'unavailable', peers: null, tempo: null } } as const };
    const lines = renderMonitor(state, { width: 40, height: 30, now: T0 + 1000 });
    expect(lines.filter((l) => l.startsWith('ableton'))).toEqual(['ableton link follows deck 3  unavailabl…']);
  });

  it('shows no rows and no gap without network outputs', () => {
    const lines = renderMonitor({ ...clubState(), tail: [] }, { width: 100, height: 30, now: T0 + 1000 });
    const rule = lines.findIndex((l) => l.startsWith('── activity'));
    expect(lines[rule - 1]).toMatch(/^4 /);
  });

  it('takes the outputs from the sampled bridge status', () => {
    const bridge = {
      stats: { received: 1, malformed: 0, events: 2 },
      router: { stats: () => ({ delivered: 3, undeliverable: 0 }) },
      session: null,
      artnetTimecode: { status: () => OUTPUTS.artnetTimecode },
      abletonLink: { status: () => OUTPUTS.link },
    } as unknown as Parameters<typeof bridgeStatus>[0];
    const status = bridgeStatus(bridge);
    expect(status.outputs).toEqual(OUTPUTS);
    const state = reduceMonitor({ ...clubState(), counters: NO_COUNTERS }, { kind: 'status', at: T0, status });
    expect(state.outputs).toEqual(OUTPUTS);
  });
});
