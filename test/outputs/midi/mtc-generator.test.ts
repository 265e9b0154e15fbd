import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { INITIAL_MTC_STATE, quarterFrameMs, slotAt, slotStartMs, stepMtc, type MtcGeneratorState, type MtcInput } from '../../../src/outputs/midi/mtc-generator';
import { MTC_RATES, mtcRateInfo, type MtcRate } from '../../../src/outputs/midi/mtc-rate';
import { MtcSender } from '../../../src/outputs/midi/mtc-sender';
import type { TimelineSample } from '../../../src/timing/track-timeline';
import { frameCountToMs, frameCountToTimecode, msToFrameCount, timecodeToFrameCount, type Timecode } from '../../../src/outputs/midi/mtc-timecode';
import { decodeCycles, decodeFullFrame, isFullFrame, isQuarterFrame } from './mtc-decode';
import { VirtualTimers } from './virtual-timers';

const FULL_00 = [0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 0, 0xf7];

function run(steps: readonly Omit<MtcInput, 'rate'>[], rate: MtcRate = 25): { state: MtcGeneratorState; all: ReturnType<typeof stepMtc>[] } {
  let state = INITIAL_MTC_STATE;
  const all = steps.map((input) => {
    const step = stepMtc(state, { ...input, rate });
    state = step.state;
    return step;
  });
  return { state, all };
}

describe('stepMtc', () => {
  it('starts with a full frame and piece 0 when the position is on a cycle start', () => {
    const step = stepMtc(INITIAL_MTC_STATE, { now: 1000, positionMs: 0, speed: 1, rate: 25 });
    expect(step.messages).toEqual([FULL_00, [0xf1, 0x00]]);
    expect(step.located).toEqual({ hours: 0, minutes: 0, seconds: 0, frames: 0 });
    expect(step.nextAt).toBe(1010); // 1 / (4 × 25) s
  });

  it('starting mid-cycle sends only the full frame and resumes at the next cycle start', () => {
    // 25 fps: slots are 10 ms; position 35 ms is slot 3 of the cycle describing frame 0.
    const step = stepMtc(INITIAL_MTC_STATE, { now: 0, positionMs: 35, speed: 1, rate: 25 });
    expect(step.messages).toEqual([FULL_00]);
    expect(step.nextAt).toBe(45); // slot 8 starts at position 80
    const next = stepMtc(step.state, { now: 45, positionMs: 80, speed: 1, rate: 25 });
    expect(next.messages).toEqual([[0xf1, 0x02]]); // piece 0 of frame 2
  });

  it('has a quarter-frame interval of 1 / (4 · fps)', () => {
    expect(quarterFrameMs(24)).toBeCloseTo(10.41667, 5);
    expect(quarterFrameMs(25)).toBe(10);
    expect(quarterFrameMs(29.97)).toBeCloseTo(8.341667, 6);
    expect(quarterFrameMs(30)).toBeCloseTo(8.33333, 5);
  });

  it('sends nothing more when asked again before the next slot', () => {
    const { all } = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 5, positionMs: 5, speed: 1 },
    ]);
    expect(all[1]?.messages).toEqual([]);
    expect(all[1]?.nextAt).toBe(10);
  });

  it('catches up on late steps of up to two frames, and locates on anything larger', () => {
    const late = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 80, positionMs: 80, speed: 1 }, // 8 slots late: two frames
    ]);
    expect(late.all[1]?.messages).toHaveLength(8);
    expect(late.all[1]?.located).toBeNull();

    const jump = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 90, positionMs: 90, speed: 1 }, // 9 slots: more than two frames
    ]);
    expect(jump.all[1]?.messages[0]).toEqual([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 2, 0xf7]);
    expect(jump.all[1]?.messages).toHaveLength(1);
  });

  it('ignores small backward jitter without repeating pieces', () => {
    const { all } = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 30, positionMs: 30, speed: 1 },
      { now: 31, positionMs: 12, speed: 1 }, // corrected back by ~2 slots
      { now: 40, positionMs: 31, speed: 1 },
      { now: 50, positionMs: 41, speed: 1 },
    ]);
    expect(all[2]?.messages).toEqual([]);
    expect(all[2]?.nextAt).toBe(31 + 28); // waits for slot 4 at position 40
    expect(all[3]?.messages).toEqual([]);
    expect(all[4]?.messages).toEqual([[0xf1, 0x40]]);
  });

  it('locates on a backward jump', () => {
    const { all } = run([
      { now: 0, positionMs: 10_000, speed: 1 },
      { now: 100, positionMs: 2_000, speed: 1 },
    ]);
    expect(all[1]?.located).toEqual({ hours: 0, minutes: 0, seconds: 2, frames: 0 });
    expect(all[1]?.messages[1]).toEqual([0xf1, 0x00]); // 2000 ms is a cycle start: piece 0 follows
  });

  it('locates on a rate change, with the new rate bits', () => {
    let state = stepMtc(INITIAL_MTC_STATE, { now: 0, positionMs: 0, speed: 1, rate: 25 }).state;
    state = stepMtc(state, { now: 10, positionMs: 10, speed: 1, rate: 25 }).state;
    const changed = stepMtc(state, { now: 20, positionMs: 20, speed: 1, rate: 30 });
    expect(changed.messages[0]).toEqual([0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x60, 0, 0, 0, 0xf7]);
  });

  it('locates once when stopped, again only when the stopped position moves to another frame', () => {
    const { all } = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 50, positionMs: 50, speed: 0 }, // pause at frame 1
      { now: 60, positionMs: 55, speed: 0 }, // same frame
      { now: 70, positionMs: 960, speed: 0 }, // cue elsewhere
      { now: 80, positionMs: 960, speed: 1 }, // play (960 ms is frame 24, a cycle start)
    ]);
    expect(all[1]?.messages).toEqual([[0xf0, 0x7f, 0x7f, 0x01, 0x01, 0x20, 0, 0, 1, 0xf7]]);
    expect(all[1]?.nextAt).toBeNull();
    expect(all[2]?.messages).toEqual([]);
    expect(all[3]?.located).toEqual({ hours: 0, minutes: 0, seconds: 0, frames: 24 });
    expect(all[4]?.located).toEqual({ hours: 0, minutes: 0, seconds: 0, frames: 24 }); // start is a locate too
    expect(all[4]?.messages[1]).toEqual([0xf1, 0x08]);
  });

  it('goes quiet with nothing to follow and locates when a timeline returns', () => {
    const { all } = run([
      { now: 0, positionMs: 0, speed: 1 },
      { now: 10, positionMs: null, speed: 0 },
      { now: 20, positionMs: 20, speed: 1 },
    ]);
    expect(all[1]).toMatchObject({ messages: [], nextAt: null });
    expect(isFullFrame(all[2]?.messages[0] ?? [])).toBe(true);
  });

  it('spaces slots by timeline speed', () => {
    const step = stepMtc(INITIAL_MTC_STATE, { now: 0, positionMs: 0, speed: 1.25, rate: 25 });
    expect(step.nextAt).toBe(8);
  });
});

/** Runs an MtcSender on virtual time following a timeline, returns what a port saw. */
function drive(rate: MtcRate, sample: (now: number) => TimelineSample | null, ms: number, timers = new VirtualTimers()): { port: RecordingMidiPort; sender: MtcSender; timers: VirtualTimers } {
  const port = new RecordingMidiPort('mtc', () => timers.now());
  const sender = new MtcSender({ port, timers, rate, sample, onError: (e) => { throw new Error(e.message); } });
  sender.start();
  timers.advance(ms);
  return { port, sender, timers };
}

describe('MtcSender on virtual time', () => {
  it.each(MTC_RATES)('sends one quarter frame per slot, on time, that decodes to the timeline at %s fps', (rate) => {
    const start = 3_600_000; // about 01:00:00:00: exercises hours and, at 29.97, drop-frame labels
    const { port } = drive(rate, (now) => ({ positionMs: start + now, speed: 1 }), 2000);
    const quarter = port.messages.filter((m) => isQuarterFrame(m.bytes));
    // Quarter frames start at the first cycle start at or after the start position.
    const firstSlot = Math.ceil(slotAt(start, rate) / 8) * 8;
    const lastSlot = slotAt(start + 2000, rate);
    expect(quarter).toHaveLength(lastSlot - firstSlot + 1);
    expect(quarter.length).toBeGreaterThan(2 * 4 * mtcRateInfo(rate).realFps - 10);
    quarter.forEach((m, k) => {
      expect(m.at).toBeCloseTo(Math.max(0, slotStartMs(firstSlot + k, rate) - start), 6);
      expect((m.bytes[1] ?? 0) >> 4).toBe(k % 8);
    });
    const cycles = decodeCycles(quarter.map((m) => m.bytes));
    expect(cycles).toHaveLength(Math.floor(quarter.length / 8));
    cycles.forEach((cycle, i) => {
      const frame = timecodeToFrameCount(cycle.tc, rate) as number;
      // The eight pieces describe the frame in which piece 0 goes out; cycles describe even frames two apart.
      expect(cycle.start).toBe(8 * i);
      expect(frame % 2).toBe(0);
      expect(msToFrameCount(start + (quarter[cycle.start]?.at ?? 0), rate)).toBe(frame);
      expect(cycle.rateCode).toBe(mtcRateInfo(rate).code);
      if (i > 0) expect(frame - (timecodeToFrameCount(cycles[i - 1]?.tc as Timecode, rate) as number)).toBe(2);
    });
  });

  it('starts with a full frame at the timeline position', () => {
    const { port } = drive(29.97, (now) => ({ positionMs: 60_060 + now, speed: 1 }), 100);
    const first = port.messages[0];
    expect(first?.at).toBe(0);
    expect(decodeFullFrame(first?.bytes ?? [])).toEqual({ tc: { hours: 0, minutes: 1, seconds: 0, frames: 2 }, rateCode: 2 });
  });

  it('sends a full frame on a jump and resumes whole cycles from the new place', () => {
    let offset = 0;
    const timers = new VirtualTimers();
    const { port, sender } = drive(25, (now) => ({ positionMs: offset + now, speed: 1 }), 505, timers);
    offset = 60_000; // the DJ jumps a minute ahead
    sender.update();
    timers.advance(500);
    const afterJump = port.messages.filter((m) => m.at >= 505);
    expect(afterJump[0]?.at).toBe(505);
    expect(decodeFullFrame(afterJump[0]?.bytes ?? []).tc).toEqual({ hours: 0, minutes: 1, seconds: 0, frames: 12 });
    const cycles = decodeCycles(afterJump.slice(1).map((m) => m.bytes));
    expect(cycles[0]?.start).toBe(0);
    // 60 505 ms is slot 6050; whole cycles resume at slot 6056, frame 1514, position 60 560 ms.
    expect(afterJump[1]?.at).toBe(560);
    expect(cycles[0]?.tc).toEqual(frameCountToTimecode(msToFrameCount(60_560, 25), 25));
    expect(cycles[0]?.tc).toEqual({ hours: 0, minutes: 1, seconds: 0, frames: 14 });
    expect(port.messages.filter((m) => isFullFrame(m.bytes))).toHaveLength(2);
  });

  it('wraps from 23:59:59 to 00:00:00 without a locate', () => {
    const day = frameCountToMs(24 * 60 * 60 * 30, 30);
    const { port } = drive(30, (now) => ({ positionMs: day - 500 + now, speed: 1 }), 1000);
    expect(port.messages.filter((m) => isFullFrame(m.bytes))).toHaveLength(1);
    const labels = decodeCycles(port.messages.map((m) => m.bytes)).map((c) => c.tc);
    expect(labels).toContainEqual({ hours: 23, minutes: 59, seconds: 59, frames: 28 });
    expect(labels).toContainEqual({ hours: 0, minutes: 0, seconds: 0, frames: 0 });
  });

  it('stops sending quarter frames when stopped, and stop() cancels its timer', () => {
    let speed = 1;
    const timers = new VirtualTimers();
    const { port, sender } = drive(25, (now) => ({ positionMs: speed > 0 ? now : 200, speed }), 200, timers);
    speed = 0;
    sender.update();
    const count = port.messages.length;
    timers.advance(1000);
    expect(port.messages.length).toBe(count);
    expect(isFullFrame(port.messages[count - 1]?.bytes ?? [])).toBe(true);
    speed = 1;
    sender.update();
    sender.stop();
    expect(timers.scheduled).toBe(0);
  });

  it('reports a port that throws and keeps its schedule', () => {
    const timers = new VirtualTimers();
    const errors: string[] = [];
    const port = new RecordingMidiPort('gone', () => timers.now());
    port.close();
    const sender = new MtcSender({ port, timers, rate: 25, sample: (now) => ({ positionMs: now, speed: 1 }), onError: (e) => errors.push(e.code) });
    const stop = sender.start();
    timers.advance(100);
    expect(errors.length).toBeGreaterThan(5);
    expect(new Set(errors)).toEqual(new Set(['send-failed']));
    stop();
  });
});
