import { ClockOutputs, type ClockThreadLike } from '../../src/app/clock-outputs';
import { timelineOf, type TimecodeInputs } from '../../src/timing/track-timeline';
import type { ClockThreadSetup } from '../../src/outputs/midi/midi-clock-thread';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { RateLimitedReporter, type OutputReport } from '../../src/outputs/reporter';
import { VirtualClock } from '../../src/prolink/sim/clock';
import type { BeatGrid } from '../../src/timing/beat-grid';
import type { ClockConfig, TargetConfig, TimecodeConfig } from '../../src/mapping/schema';
import { deck } from '../mapping/engine-support';

class RecordingThread implements ClockThreadLike {
  readonly published: (BeatGrid | null)[] = [];
  stopped = false;
  constructor(
    readonly setup: ClockThreadSetup,
    private readonly result: MidiError | null,
  ) {}
  start(): Promise<MidiError | null> {
    return Promise.resolve(this.result);
  }
  publish(grid: BeatGrid | null): void {
    this.published.push(grid);
  }
  stop(): Promise<null> {
    this.stopped = true;
    return Promise.resolve(null);
  }
}

function virtualTimers(): VirtualClock {
  return new VirtualClock();
}

const grid = (deckNo: number): BeatGrid => ({ at: 0, playing: true, position: deckNo * 100, bpm: 128, barOffset: 1, uncertaintyMs: 1 });
const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('MIDI clock outputs', () => {
  const targets = new Map<string, TargetConfig>([
    ['desk', { midi: { port: 'MagicQ' } }],
    ['soft', { midi: { virtual: 'bridge' } }],
  ]);
  const clockTo = (to: string, follow: ClockConfig['follow'] = 'master', run: ClockConfig['run'] = 'follow-play'): ClockConfig => ({ to, follow, run });

  it('starts a clock thread per entry on the target port and publishes the followed deck\'s grid', async () => {
    const threads: RecordingThread[] = [];
    let master: number | null = 1;
    const outputs = new ClockOutputs({
      reporter: new RateLimitedReporter(() => undefined),
      timers: virtualTimers(),
      now: () => 0,
      gridFor: (follow) => grid(follow === 'master' ? (master ?? 0) : follow),
      createThread: (setup) => {
        const t = new RecordingThread(setup, null);
        threads.push(t);
        return t;
      },
    });
    await outputs.apply([clockTo('desk'), clockTo('soft', 3, 'always')], targets);
    expect(threads.map((t) => [t.setup.port.args, t.setup.clock])).toEqual([
      [['MagicQ'], { mode: 'follow' }],
      [[{ virtual: 'bridge clock' }], { mode: 'always' }],
    ]);
    outputs.publish();
    master = 2;
    outputs.publish();
    expect(threads[0]?.published.map((g) => g?.position)).toEqual([100, 200]);
    expect(threads[1]?.published.map((g) => g?.position)).toEqual([300, 300]);

    // A reload with the same clock keeps its thread; a removed clock stops.
    await outputs.apply([clockTo('desk')], targets);
    expect(threads).toHaveLength(2);
    expect(threads.map((t) => t.stopped)).toEqual([false, true]);
    await outputs.stop();
    expect(threads[0]?.stopped).toBe(true);
  });

  it('reports a port it cannot open and tries again every 5 s', async () => {
    const timers = virtualTimers();
    const reports: OutputReport[] = [];
    let attempts = 0;
    const outputs = new ClockOutputs({
      reporter: new RateLimitedReporter((r) => reports.push(r), () => 0),
      timers,
      now: () => 0,
      gridFor: () => null,
      createThread: (setup, onError) => {
        attempts++;
        const error = attempts < 3 ? new MidiError('port-not-found', 'no MIDI output matches MagicQ (available: none)') : null;
        if (error !== null) onError(error);
        return new RecordingThread(setup, error);
      },
    });
    await outputs.apply([clockTo('desk')], targets);
    await flush();
    expect(attempts).toBe(1);
    timers.advance(5000);
    await flush();
    expect(attempts).toBe(2);
    timers.advance(5000);
    await flush();
    expect(attempts).toBe(3);
    timers.advance(20_000);
    await flush();
    expect(attempts).toBe(3); // running now: no more attempts
    expect(reports[0]).toMatchObject({ target: 'desk', code: 'port-not-found', message: 'clock 1 → desk: no MIDI output matches MagicQ (available: none)' });
    await outputs.stop();
  });
});

describe('timecode timeline', () => {
  const config: TimecodeConfig = { to: 'desk', follow: 'master', rate: 25, offsets: { '184': '01:00:00:00' }, defaultOffset: 0 };
  const inputs = (over: Partial<TimecodeInputs> = {}): TimecodeInputs => ({
    deckFor: () => deck(1, { trackId: 184, bpm: 120, pitch: 1.02, playing: true }),
    grid: () => ({ at: 1000, playing: true, position: 17, bpm: 122.4, barOffset: 1, uncertaintyMs: 2 }),
    precise: () => null,
    ...over,
  });

  it('places the track on its own offset and derives the position from the beat grid', () => {
    // Beat 17 of a 120 BPM track is 8 s in; pitch +2 % makes the timeline run 1.02 ms per ms.
    expect(timelineOf(config, inputs(), 1000)).toEqual({ positionMs: 3_600_000 + 8000, speed: 1.02 });
  });

  it('prefers a fresh precise position, and stops the timeline when the deck stops', () => {
    const withPrecise = inputs({ precise: () => ({ at: 900, ms: 12_345 }) });
    expect(timelineOf(config, withPrecise, 1000)).toEqual({ positionMs: 3_600_000 + 12_345 + 100 * 1.02, speed: 1.02 });
    const stopped = inputs({ deckFor: () => deck(1, { trackId: 7, bpm: 120, playing: false }) });
    expect(timelineOf(config, stopped, 1000)).toEqual({ positionMs: 8000, speed: 0 });
    expect(timelineOf(config, inputs({ deckFor: () => null }), 1000)).toBeNull();
  });
});
