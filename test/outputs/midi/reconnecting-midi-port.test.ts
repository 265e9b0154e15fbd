import { openMidiOutput, type JulusianMidiPort, type NativeOutputFactory } from '../../../src/outputs/midi/julusian-midi-port';
import { MidiError } from '../../../src/outputs/midi/midi-errors';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { ReconnectingMidiPort, type MidiOpenResult } from '../../../src/outputs/midi/reconnecting-midi-port';
import type { OutputReport } from '../../../src/outputs/reporter';
import { VirtualTimers } from './virtual-timers';

/** A device that can be plugged and unplugged; each open yields a fresh recording port. */
class Device {
  present = true;
  opens = 0;
  ports: RecordingMidiPort[] = [];
  constructor(private readonly timers: VirtualTimers) {}

  open = (): MidiOpenResult<RecordingMidiPort> => {
    this.opens++;
    if (!this.present) return { ok: false, error: new MidiError('port-not-found', 'no MIDI output matches /Uno/ (available: Midi Through)') };
    const port = new RecordingMidiPort('USB Uno', () => this.timers.now());
    this.ports.push(port);
    return { ok: true, port };
  };

  unplug(): void {
    this.present = false;
    this.ports.at(-1)?.close(); // the system refuses further sends
  }

  get received(): [number, number][] {
    return this.ports.flatMap((p) => p.messages.map((m): [number, number] => [m.at, m.bytes[0] ?? -1]));
  }
}

function setup(options: { isAlive?: (p: RecordingMidiPort) => boolean; reportIntervalMs?: number } = {}) {
  const timers = new VirtualTimers();
  const device = new Device(timers);
  const reports: OutputReport[] = [];
  let reopened = 0;
  const port = new ReconnectingMidiPort<RecordingMidiPort>({
    name: 'lights',
    open: device.open,
    timers,
    report: (r) => reports.push(r),
    retryMs: 1000,
    maxRetryMs: 1000, // a fixed interval; the backoff has its own test
    onReopen: () => reopened++,
    ...options,
  });
  return { timers, device, reports, port, reopenCount: () => reopened };
}

describe('ReconnectingMidiPort', () => {
  it('does not open anything until started', () => {
    const { device, port } = setup();
    expect(device.opens).toBe(0);
    port.start();
    expect(device.opens).toBe(1);
    expect(port.isOpen).toBe(true);
  });

  it('passes messages through while the port is open', () => {
    const { device, port, reports, reopenCount } = setup();
    port.start();
    port.send([0x90, 60, 100]);
    expect(device.ports[0]?.messages.map((m) => m.bytes)).toEqual([[0x90, 60, 100]]);
    expect(reports).toEqual([]);
    expect(reopenCount()).toBe(1);
  });

  it('reports a failed send once, drops and counts while closed, retries, and resumes', () => {
    const { timers, device, port, reports, reopenCount } = setup();
    port.start();
    timers.advance(100);
    port.send([0xf8]);
    device.unplug();
    for (let i = 0; i < 50; i++) {
      port.send([0xf8]); // the first throws inside; the rest are dropped while closed
      timers.advance(100);
    }
    expect(port.isOpen).toBe(false);
    expect(reports).toHaveLength(1);
    expect(reports[0]).toEqual({
      level: 'error',
      target: 'lights',
      code: 'send-failed',
      message: 'MIDI output "lights" stopped taking messages; retrying every 1 s; messages are dropped until it returns',
      suppressed: 0,
    });
    expect(device.opens).toBe(1 + 5); // a retry each second, each failing quietly

    device.present = true;
    timers.advance(1000);
    expect(port.isOpen).toBe(true);
    expect(reopenCount()).toBe(2);
    expect(reports[1]).toEqual({
      level: 'info',
      target: 'lights',
      code: 'port-resumed',
      message: 'MIDI output "lights" is back; 50 messages were dropped while it was closed',
      suppressed: 0,
    });
    expect(port.dropped).toBe(50);
    port.send([0xfa]);
    expect(device.ports[1]?.messages.map((m) => [m.at, m.bytes])).toEqual([[6100, [0xfa]]]); // reopened by the retry at 6100
  });

  it('reminds about a long outage at most once per interval, counting the attempts held back', () => {
    const { timers, device, port, reports } = setup({ reportIntervalMs: 10_000 });
    device.present = false;
    port.start();
    timers.advance(25_000);
    expect(reports.map((r) => [r.code, r.suppressed])).toEqual([
      ['port-not-found', 0],
      ['port-not-found', 9],
      ['port-not-found', 9],
    ]);
    expect(reports[1]?.message).toContain('still retrying every 1 s');
    expect(reports[0]?.message).toContain('available: Midi Through');
  });

  it('backs off from 1 s to 30 s between retries by default, and starts again at 1 s after the port returns', () => {
    const timers = new VirtualTimers();
    const device = new Device(timers);
    const attempts: number[] = [];
    const reports: OutputReport[] = [];
    const port = new ReconnectingMidiPort<RecordingMidiPort>({
      name: 'lights',
      open: () => {
        attempts.push(timers.now());
        return device.open();
      },
      timers,
      report: (r) => reports.push(r),
    });
    device.present = false;
    port.start();
    timers.advance(120_000);
    expect(attempts).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 61_000, 91_000]);
    expect(reports[0]?.message).toBe(
      'no MIDI output matches /Uno/ (available: Midi Through); retrying in 1 s, then at growing intervals up to 30 s; messages are dropped until it returns',
    );
    expect(reports[1]?.message).toMatch(/; still retrying, now every 30 s; messages are dropped until it returns$/);

    device.present = true;
    timers.advance(30_000); // the attempt at 121 000 opens it
    expect(port.isOpen).toBe(true);
    expect(attempts.at(-1)).toBe(121_000);
    attempts.length = 0;
    const lostAt = timers.now();
    device.unplug();
    port.send([0xf8]); // fails: the port is lost, retrying starts over at 1 s
    timers.advance(4000);
    expect(attempts.map((t) => t - lostAt)).toEqual([1000, 3000]);
  });

  it('finds a vanished port through the liveness check when sends do not fail', () => {
    let listed = true;
    const { timers, device, port, reports } = setup({ isAlive: () => listed });
    port.start();
    timers.advance(2500);
    expect(reports).toEqual([]);
    listed = false;
    timers.advance(1000); // check at 3000
    expect(port.isOpen).toBe(false);
    expect(device.ports[0]?.closed).toBe(true);
    expect(reports[0]?.code).toBe('port-gone');
    expect(reports[0]?.message).toMatch(/^MIDI output "lights" \(USB Uno\) has disappeared; retrying/);
    listed = true;
    timers.advance(1000);
    expect(port.isOpen).toBe(true);
    expect(reports[1]?.code).toBe('port-resumed');
  });

  it('reports a warning from the opener, such as an ambiguous pattern', () => {
    const timers = new VirtualTimers();
    const reports: OutputReport[] = [];
    const port = new ReconnectingMidiPort({
      name: 'lights',
      open: () => ({ ok: true, port: new RecordingMidiPort('a'), warning: 'MIDI port /a/ matches 2 outputs (a, ab); using "a"' }),
      timers,
      report: (r) => reports.push(r),
    });
    port.start();
    expect(reports).toEqual([{ level: 'warn', target: 'lights', code: 'port-warning', message: 'MIDI port /a/ matches 2 outputs (a, ab); using "a"', suppressed: 0 }]);
  });

  it('close stops retrying and closes the port; later sends are dropped without reports', () => {
    const { timers, device, port, reports } = setup();
    const stop = port.start();
    stop();
    expect(device.ports[0]?.closed).toBe(true);
    expect(timers.scheduled).toBe(0);
    port.send([0xf8]);
    timers.advance(10_000);
    expect(device.opens).toBe(1);
    expect(reports).toEqual([]);
    port.start();
    expect(device.opens).toBe(1);
  });
});

describe('ReconnectingMidiPort over the @julusian/midi adapter', () => {
  it('follows a USB interface that is unplugged and comes back under a new ALSA client number', () => {
    // The MIDI system's port list, shared by every native client, as ALSA's is.
    let system = ['Midi Through:Midi Through Port-0 14:0', 'USB Uno:USB Uno MIDI 1 20:0'];
    const sent: [string, number[]][] = [];
    const factory: NativeOutputFactory = () => {
      let opened: string | null = null;
      return {
        getPortCount: () => system.length,
        getPortName: (i) => system[i] ?? '',
        openPort: (i) => {
          opened = system[i] ?? null;
        },
        openVirtualPort: () => undefined,
        // Like ALSA: a send to a vanished port does not fail.
        sendMessage: (m) => {
          if (opened !== null && system.includes(opened)) sent.push([opened, m]);
        },
        closePort: () => undefined,
      };
    };
    const timers = new VirtualTimers();
    const reports: OutputReport[] = [];
    const port = new ReconnectingMidiPort<JulusianMidiPort>({
      name: 'uno',
      open: () => openMidiOutput('/^USB Uno:USB Uno MIDI 1/', factory),
      isAlive: (p) => p.isPresent(),
      timers,
      report: (r) => reports.push(r),
      retryMs: 500,
      maxRetryMs: 500,
    });
    port.start();
    port.send([0xfa]);
    system = ['Midi Through:Midi Through Port-0 14:0'];
    timers.advance(500);
    port.send([0xf8]);
    timers.advance(500);
    system = ['Midi Through:Midi Through Port-0 14:0', 'USB Uno:USB Uno MIDI 1 24:0'];
    timers.advance(500);
    port.send([0xfb]);
    expect(sent).toEqual([
      ['USB Uno:USB Uno MIDI 1 20:0', [0xfa]],
      ['USB Uno:USB Uno MIDI 1 24:0', [0xfb]],
    ]);
    expect(reports.map((r) => r.code)).toEqual(['port-gone', 'port-resumed']);
    expect(reports[1]?.message).toBe('MIDI output "uno" is back; 1 message was dropped while it was closed');
    expect(port.dropped).toBe(1);
  });
});
