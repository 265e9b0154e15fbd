import { MidiClock, type MidiClockOptions } from '../../../src/outputs/midi/midi-clock';
import { CONTINUE, SONG_POSITION, STOP, TIMING_CLOCK } from '../../../src/outputs/midi/midi-bytes';
import { MidiError } from '../../../src/outputs/midi/midi-errors';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { ReconnectingMidiPort, type MidiOpenResult } from '../../../src/outputs/midi/reconnecting-midi-port';
import type { OutputReport, Timers } from '../../../src/outputs/reporter';
import type { BeatGrid, BeatGridSource } from '../../../src/timing/beat-grid';
import { SimDeck, type DeckEvent, type DeckStart } from '../../../src/timing/sim/sim-deck';
import { TickScheduler } from '../../../src/timing/tick-scheduler';
import { VirtualTime } from '../../../src/timing/virtual-time';

/** A USB interface that can be unplugged; each open gives a fresh port, as the MIDI system does. */
class Interface {
  present = true;
  readonly ports: RecordingMidiPort[] = [];
  constructor(private readonly time: VirtualTime) {}

  open = (): MidiOpenResult<RecordingMidiPort> => {
    if (!this.present) return { ok: false, error: new MidiError('port-not-found', 'no MIDI output matches Uno (available: Midi Through)') };
    const port = new RecordingMidiPort(`Uno #${this.ports.length + 1}`, () => this.time.now());
    this.ports.push(port);
    return { ok: true, port };
  };

  unplug(): void {
    this.present = false;
    this.ports.at(-1)?.close(); // further sends throw
  }
}

function rig(source: BeatGridSource, options: Partial<MidiClockOptions> = {}) {
  const time = new VirtualTime(0);
  const timers: Timers = { now: () => time.now(), setTimeout: (fn, ms) => time.at(time.now() + ms, fn), clearTimeout: (cancel) => (cancel as () => void)() };
  const device = new Interface(time);
  const reports: OutputReport[] = [];
  let clock: MidiClock | null = null;
  const port = new ReconnectingMidiPort({ name: 'desk', open: device.open, timers, report: (r) => reports.push(r), retryMs: 500, maxRetryMs: 500, isAlive: (p) => !p.closed, onReopen: () => clock?.resync() });
  clock = new MidiClock(port, new TickScheduler(time, time.strategy()), source, options);
  port.start();
  return { time, device, reports, port, clock };
}

function deck(start: Partial<DeckStart>, events: DeckEvent[] = []): SimDeck {
  return new SimDeck({ at: 0, position: 1, bpm: 128, playing: true, barOffset: 1, ...start }, events);
}

const statuses = (port: RecordingMidiPort | undefined): number[] => (port?.messages ?? []).map((m) => m.bytes[0] ?? -1);
const pulseTimes = (port: RecordingMidiPort): number[] => port.messages.filter((m) => m.bytes[0] === TIMING_CLOCK).map((m) => m.at);

describe('MidiClock.resync after its port comes back', () => {
  it('repositions a running receiver at once: Stop, SPP, Continue, then pulses exactly on the grid from the sixteenth SPP names', () => {
    const d = deck({ position: 1 });
    const { time, device, reports, clock } = rig(d);
    clock.start();
    time.runUntil(5000);
    device.unplug();
    time.runUntil(7200);
    device.present = true;
    time.runUntil(12_000);

    expect(device.ports).toHaveLength(2);
    const back = device.ports[1]!;
    const reopenedAt = back.messages[0]!.at;
    expect(reopenedAt).toBeGreaterThanOrEqual(7200);
    expect(reopenedAt).toBeLessThanOrEqual(7700); // the next retry
    expect(statuses(back).slice(0, 4)).toEqual([STOP, SONG_POSITION, CONTINUE, TIMING_CLOCK]);
    const sppBytes = back.messages[1]!.bytes;
    const sixteenths = sppBytes[1]! | (sppBytes[2]! << 7);
    const pulses = pulseTimes(back);
    // The first pulse lands on the sixteenth SPP names, within a beat of the return; every later one on its 1/24 beat.
    expect(d.positionAt(pulses[0]!)).toBeCloseTo(1 + sixteenths / 4, 9);
    expect(pulses[0]! - reopenedAt).toBeLessThan(60_000 / 128);
    pulses.forEach((t, k) => expect(d.positionAt(t)).toBeCloseTo(1 + sixteenths / 4 + k / 24, 6));
    expect(statuses(back).filter((s) => s !== TIMING_CLOCK)).toEqual([STOP, SONG_POSITION, CONTINUE]);

    expect(reports.map((r) => [r.level, r.code])).toEqual([
      ['error', 'send-failed'],
      ['info', 'port-resumed'],
    ]);
    expect(clock.stats.repositions).toBe(1);
  });

  it('only sends Stop when the receiver is not running (the port was found gone while idle), then starts it on a downbeat when the deck plays', () => {
    const d = deck({ position: 1 }, [
      { at: 3000, kind: 'pause' },
      { at: 8000, kind: 'play' },
    ]);
    const { time, device, clock } = rig(d);
    clock.start();
    time.runUntil(3500);
    device.unplug();
    time.runUntil(5000);
    device.present = true;
    time.runUntil(7900);
    expect(statuses(device.ports[1])).toEqual([STOP]);
    time.runUntil(12_000);
    const back = device.ports[1]!;
    expect(statuses(back).filter((s) => s !== TIMING_CLOCK)).toEqual([STOP, SONG_POSITION, CONTINUE]);
    expect(d.positionAt(pulseTimes(back)[0]!) % 4).toBeCloseTo(1, 9); // a downbeat
  });

  it('sends Continue alone when the deck gives no position to reposition to', () => {
    const noPosition: BeatGridSource = { grid: (at): BeatGrid => ({ at, playing: true, position: null, bpm: 124, barOffset: null, uncertaintyMs: null }) };
    const { time, device, clock } = rig(noPosition);
    clock.start();
    time.runUntil(2000);
    device.unplug();
    time.runUntil(3000);
    device.present = true;
    time.runUntil(4000);
    expect(statuses(device.ports[1]).filter((s) => s !== TIMING_CLOCK)).toEqual([CONTINUE]);
    expect(pulseTimes(device.ports[1]!).length).toBeGreaterThan(40);
  });

  it('does nothing before start() or after stop()', () => {
    const d = deck({ position: 1 });
    const { time, device, clock } = rig(d);
    clock.resync();
    time.runUntil(1000);
    expect(device.ports[0]!.messages).toEqual([]);
    clock.start();
    time.runUntil(3000);
    clock.stop();
    const sent = device.ports[0]!.messages.length;
    clock.resync();
    time.runUntil(4000);
    expect(device.ports[0]!.messages).toHaveLength(sent);
  });
});
