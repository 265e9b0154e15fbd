import { MidiClock, MidiClockOptions } from '../../../src/outputs/midi/midi-clock';
import { CONTINUE, SONG_POSITION, START, STOP, TIMING_CLOCK } from '../../../src/outputs/midi/midi-bytes';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { BeatGrid, BeatGridSource } from '../../../src/timing/beat-grid';
import { DeckEvent, DeckStart, SimDeck } from '../../../src/timing/sim/sim-deck';
import { TickScheduler } from '../../../src/timing/tick-scheduler';
import { VirtualTime } from '../../../src/timing/virtual-time';

function rig(source: BeatGridSource, options: Partial<MidiClockOptions> = {}) {
  const time = new VirtualTime(0);
  const scheduler = new TickScheduler(time, time.strategy());
  const port = new RecordingMidiPort('clock', () => time.now());
  const clock = new MidiClock(port, scheduler, source, options);
  return { time, scheduler, port, clock };
}

const pulses = (port: RecordingMidiPort, from = -Infinity, to = Infinity): number[] =>
  port.messages.filter((m) => m.bytes[0] === TIMING_CLOCK && m.at >= from && m.at < to).map((m) => m.at);
const intervals = (times: readonly number[]): number[] => times.slice(1).map((t, i) => t - times[i]!);
const transport = (port: RecordingMidiPort): { at: number; bytes: readonly number[] }[] =>
  port.messages.filter((m) => m.bytes[0] !== TIMING_CLOCK);
const spp = (lsb: number, msb: number): number => lsb | (msb << 7);

function deck(start: Partial<DeckStart>, events: DeckEvent[] = []): SimDeck {
  return new SimDeck({ at: 0, position: 1.3, bpm: 128, playing: true, barOffset: 1, ...start }, events);
}

/** For each pulse, how far it is from where the grid puts the position it stands for (ms). */
function phaseErrors(d: SimDeck, times: readonly number[], firstPosition: number, from: number): number[] {
  return times
    .map((t, k) => ({ t, position: firstPosition + k / 24 }))
    .filter((p) => p.t >= from)
    .map(({ t, position }) => ((d.positionAt(t) - position) * 60000) / d.bpmAt(t));
}

describe('MidiClock following an exact grid', () => {
  it('starts with SPP + Continue one pulse before the next downbeat, then sends exactly 24 pulses per beat on the grid', () => {
    const d = deck({ position: 1.3 });
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(20_000);
    const [songPos, cont] = transport(port);
    expect(songPos!.bytes[0]).toBe(SONG_POSITION);
    expect(cont!.bytes).toEqual([CONTINUE]);
    const all = pulses(port);
    // The first downbeat at least two pulses ahead of t = 0 is beat 5: SPP = (5 − 1) × 4 sixteenths.
    expect(spp(songPos!.bytes[1]!, songPos!.bytes[2]!)).toBe(16);
    expect(all[0]! - cont!.at).toBeCloseTo(2500 / 128, 6);
    const beatAt = (n: number): number => (n - 1.3) * (60000 / 128);
    expect(all[0]).toBeCloseTo(beatAt(5), 6);
    for (let n = 5; n < 40; n++) {
      expect(pulses(port, beatAt(n) - 0.001, beatAt(n + 1) - 0.001)).toHaveLength(24);
    }
    expect(Math.max(...phaseErrors(d, all, 5, 0).map(Math.abs))).toBeLessThan(1e-6);
    expect(clock.stats).toMatchObject({ starts: 1, stops: 0, repositions: 0 });
  });

  it('sends the SPP of the next downbeat on a mid-track start, bar-aligned wherever the grid puts bars', () => {
    for (const [barOffset, downbeat, expected] of [
      [1, 41, 160], // (41 − 1) × 4
      [3, 39, 160], // beat 3 is the first downbeat: bar 10 starts at beat 39
      [0, 40, 160], // beat 4 is the first downbeat
    ] as const) {
      const d = deck({ position: 37.4, playing: false, barOffset }, [{ at: 1000, kind: 'play' }]);
      const { time, port, clock } = rig(d);
      clock.start();
      time.runUntil(6000);
      const songPos = transport(port).find((m) => m.bytes[0] === SONG_POSITION)!;
      expect(spp(songPos.bytes[1]!, songPos.bytes[2]!)).toBe(expected);
      const first = pulses(port)[0]!;
      expect(d.positionAt(first)).toBeCloseTo(downbeat, 9);
      expect(pulses(port, 0, 1000)).toHaveLength(0);
    }
  });

  it('follows a +16 % tempo step with no burst and no gap', () => {
    const d = deck({ bpm: 120 }, [{ at: 10_000, kind: 'tempo', bpm: 139.2 }]);
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(20_000);
    const gaps = intervals(pulses(port));
    const before = 2500 / 120;
    const after = 2500 / 139.2;
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(after * 0.98 - 1e-9);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(before * 1.02 + 1e-9);
    // One beat after the step every pulse is back on the grid.
    expect(Math.max(...phaseErrors(d, pulses(port), 5, 0).slice(-100).map(Math.abs))).toBeLessThan(0.01);
    expect(clock.stats.repositions).toBe(0);
  });

  it('follows a pitch ramp pulse by pulse', () => {
    const d = deck({ bpm: 124 }, [{ at: 5000, kind: 'tempo', bpm: 131, overMs: 6000 }]);
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(14_000);
    const times = pulses(port);
    intervals(times).forEach((gap, i) => {
      const nominal = 2500 / d.bpmAt(times[i]!);
      expect(Math.abs(gap / nominal - 1)).toBeLessThan(0.02);
    });
    expect(Math.max(...phaseErrors(d, times, 5, 0).map(Math.abs))).toBeLessThan(0.05);
  });

  it('repositions after a jump (Stop, SPP, Continue) and is back on the grid within one beat', () => {
    const jumpAt = 10_000;
    const d = deck({ position: 1 }, [{ at: jumpAt, kind: 'jump', position: 60.37 }]);
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(16_000);
    const after = transport(port).filter((m) => m.at >= jumpAt);
    expect(after.map((m) => m.bytes[0])).toEqual([STOP, SONG_POSITION, CONTINUE]);
    expect(after[0]!.at - jumpAt).toBeLessThan(2500 / 128 + 1e-9); // at the next pulse slot
    const songPos = spp(after[1]!.bytes[1]!, after[1]!.bytes[2]!);
    const resumed = pulses(port, after[2]!.at + 1e-9);
    // The first pulse after the jump lands on the next sixteenth of the new grid, the one SPP names.
    expect(d.positionAt(resumed[0]!)).toBeCloseTo(1 + songPos / 4, 9);
    expect(resumed[0]! - after[0]!.at).toBeLessThan(60000 / 128); // within one beat
    expect(Math.max(...phaseErrors(d, resumed, 1 + songPos / 4, 0).map(Math.abs))).toBeLessThan(1e-6);
    expect(clock.stats.repositions).toBe(1);
  });

  it('runs on through a quantized 4-beat loop: no transport messages, no interval outside ±2 %', () => {
    const d = deck({ position: 1 }, [
      { at: 8000, kind: 'jump', position: 1 + (8000 * 128) / 60000 - 4 },
      { at: 9875, kind: 'jump', position: 1 + (9875 * 128) / 60000 - 8 },
    ]);
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(14_000);
    expect(transport(port).filter((m) => m.at > 2000)).toHaveLength(0); // only the start
    const nominal = 2500 / 128;
    for (const gap of intervals(pulses(port))) expect(Math.abs(gap / nominal - 1)).toBeLessThan(0.02 + 1e-9);
    expect(clock.stats.barShifts).toBe(2);
  });
});

describe('MidiClock under a stalled thread', () => {
  it('never bursts to catch up: one half interval after the stall, then the lag is nudged away within ±2 %', () => {
    const d = deck({ position: 1 });
    const { time, port, clock } = rig(d);
    clock.start();
    time.at(5000, () => time.busy(60)); // something else holds the thread for 60 ms
    time.runUntil(20_000);
    const nominal = 2500 / 128;
    const gaps = intervals(pulses(port));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(nominal * 0.5 - 1e-9);
    expect(gaps.filter((g) => g < nominal * 0.98 - 1e-9)).toHaveLength(1);
    const last = phaseErrors(d, pulses(port), 5, 15_000);
    expect(Math.max(...last.map(Math.abs))).toBeLessThan(1e-6); // caught up long before
    expect(clock.stats.maxLatenessMs).toBeGreaterThan(40);
  });
});

describe('MidiClock with late dispatch', () => {
  it('keeps every pulse on its grid time when pulses run a little late (no accumulated lag)', () => {
    const d = deck({ position: 1 });
    const time = new VirtualTime(0);
    let n = 0;
    const scheduler = new TickScheduler(time, time.strategy(() => (n++ % 10 === 0 ? 3 : 0.05)));
    const port = new RecordingMidiPort('clock', () => time.now());
    new MidiClock(port, scheduler, d).start();
    time.runUntil(10_000);
    const errors = phaseErrors(d, pulses(port), 5, 0);
    expect(Math.max(...errors.map(Math.abs))).toBeLessThanOrEqual(3 + 1e-9);
    expect(errors.filter((e) => Math.abs(e) > 0.05 + 1e-9).length).toBeLessThanOrEqual(Math.ceil(errors.length / 10));
  });
});

describe('MidiClock transport', () => {
  it('stops mid-bar at the next pulse slot, sends nothing while stopped, and restarts on a downbeat', () => {
    const d = deck({ position: 1 }, [
      { at: 10_300, kind: 'pause' },
      { at: 13_000, kind: 'play' },
    ]);
    const { time, port, clock } = rig(d);
    clock.start();
    time.runUntil(18_000);
    const stop = transport(port).find((m) => m.bytes[0] === STOP)!;
    expect(stop.at - 10_300).toBeGreaterThanOrEqual(0);
    expect(stop.at - 10_300).toBeLessThan(2500 / 128 + 1e-9);
    const [songPos, cont] = transport(port).filter((m) => m.at > stop.at);
    expect(pulses(port, stop.at + 1e-9, cont!.at)).toHaveLength(0);
    const downbeat = Math.ceil(d.positionAt(13_000) + 2 / 24);
    const expectedDownbeat = downbeat + ((1 - downbeat) % 4 + 4) % 4;
    expect(spp(songPos!.bytes[1]!, songPos!.bytes[2]!)).toBe((expectedDownbeat - 1) * 4);
    expect(d.positionAt(pulses(port, cont!.at)[0]!)).toBeCloseTo(expectedDownbeat, 9);
    expect(clock.stats).toMatchObject({ starts: 2, stops: 1 });
  });

  it('free-runs when the master is lost and sends Stop after the holdover', () => {
    const d = deck({ position: 1 });
    let lost = false;
    const source: BeatGridSource = { grid: (at) => (lost ? null : d.grid(at)) };
    const { time, port, clock } = rig(source, { holdoverMs: 2000 });
    clock.start();
    time.runUntil(10_000);
    lost = true;
    time.runUntil(15_000);
    const stop = transport(port).find((m) => m.bytes[0] === STOP)!;
    expect(stop.at).toBeGreaterThanOrEqual(12_000);
    expect(stop.at).toBeLessThan(12_000 + 2 * (2500 / 128) + 1e-6); // the first pulse slot 2 s after the first one without a master
    for (const gap of intervals(pulses(port, 10_000, stop.at))) expect(gap).toBeCloseTo(2500 / 128, 9);
    expect(pulses(port, stop.at + 1e-9)).toHaveLength(0);
  });

  it('treats tempo 0 as stopped and an unknown tempo as a lost master', () => {
    const d = deck({ position: 1 });
    let override: Partial<BeatGrid> | null = null;
    const source: BeatGridSource = { grid: (at) => ({ ...d.grid(at), ...override }) };
    const { time, port, clock } = rig(source, { holdoverMs: 1000 });
    clock.start();
    time.runUntil(5000);
    override = { bpm: 0 };
    time.runUntil(5100);
    expect(transport(port).filter((m) => m.at >= 5000).map((m) => m.bytes[0])).toEqual([STOP]);
    override = null;
    time.runUntil(9000);
    expect(clock.isRunning).toBe(true);
    override = { bpm: null };
    time.runUntil(9900);
    expect(clock.isRunning).toBe(true); // holdover: still pulsing at the last tempo
    for (const gap of intervals(pulses(port, 9000, 9900))) expect(gap).toBeCloseTo(2500 / 128, 9);
    time.runUntil(10_100);
    expect(clock.isRunning).toBe(false);
  });

  it('in always mode starts at once, free-runs while the deck is stopped and locks without transport messages', () => {
    const d = deck({ position: 20.2, playing: false }, [{ at: 3000, kind: 'play' }, { at: 9000, kind: 'pause' }]);
    const { time, port, clock } = rig(d, { mode: 'always', defaultBpm: 100 });
    clock.start();
    time.runUntil(12_000);
    expect(transport(port).map((m) => m.bytes[0])).toEqual([START]);
    // Stopped deck: its last tempo (128, from the grid) drives the pulses.
    for (const gap of intervals(pulses(port, 0, 3000))) expect(gap).toBeCloseTo(2500 / 128, 9);
    const locked = pulses(port, 3100, 9000);
    const errors = locked.map((t) => ((d.positionAt(t) * 24) % 1 + 1) % 1).map((f) => Math.min(f, 1 - f));
    expect(Math.max(...errors)).toBeLessThan(1e-6); // every pulse on a 1/24 beat of the grid
    expect(pulses(port, 9100, 12_000).length).toBeGreaterThan(140);
    expect(clock.stats.realigns).toBe(1);
  });

  it('repositions when the followed deck changes (master hand-off)', () => {
    const a = deck({ position: 1, bpm: 128 });
    const b = deck({ position: 17.6, bpm: 126 });
    const { time, port, clock } = rig(a);
    clock.start();
    time.runUntil(6000);
    clock.follow(b);
    time.runUntil(10_000);
    expect(transport(port).filter((m) => m.at >= 6000).map((m) => m.bytes[0])).toEqual([STOP, SONG_POSITION, CONTINUE]);
    const after = pulses(port, 6100);
    const offGrid = after.map((t) => ((b.positionAt(t) * 24) % 1 + 1) % 1).map((f) => Math.min(f, 1 - f));
    expect(Math.max(...offGrid)).toBeLessThan(1e-6);
  });

  it('reports a port that throws and keeps time; stop() sends Stop and leaves nothing scheduled', () => {
    const d = deck({ position: 1 });
    const errors: string[] = [];
    const { time, port, clock, scheduler } = rig(d, { onError: (e) => errors.push(e.code) });
    const stop = clock.start();
    time.runUntil(3000);
    const sent = pulses(port).length;
    port.close();
    time.runUntil(4000);
    expect(errors.length).toBeGreaterThan(40);
    expect(new Set(errors)).toEqual(new Set(['send-failed']));
    port.closed = false;
    time.runUntil(5000);
    expect(pulses(port).length).toBeGreaterThan(sent + 40);
    stop();
    expect(port.messages[port.messages.length - 1]!.bytes).toEqual([STOP]);
    expect(scheduler.pending).toBe(0);
  });
});
