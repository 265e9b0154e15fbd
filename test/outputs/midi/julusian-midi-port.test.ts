import { existsSync } from 'node:fs';
import {
  listMidiOutputs,
  openMidiOutput,
  parsePortSpec,
  julusianOutputFactory,
  type NativeMidiOutput,
  type NativeOutputFactory,
} from '../../../src/outputs/midi/julusian-midi-port';
import { MidiError } from '../../../src/outputs/midi/midi-errors';

/** An in-memory stand-in for the native RtMidi output: the system edge, not the matching logic. */
class FakeNativeOutput implements NativeMidiOutput {
  opened: number | null = null;
  virtual: string | null = null;
  sent: number[][] = [];
  closed = false;
  destroyed = false;

  constructor(
    readonly ports: string[],
    private readonly failOpen = false,
  ) {}

  getPortCount(): number {
    return this.ports.length;
  }
  getPortName(index: number): string {
    return this.ports[index] ?? '';
  }
  openPort(index: number): void {
    if (this.failOpen) throw new Error('Internal RtMidi error');
    this.opened = index;
  }
  openVirtualPort(name: string): void {
    this.virtual = name;
  }
  sendMessage(message: number[]): void {
    if (this.destroyed) throw new Error('RtMidi not initialised');
    this.sent.push(message);
  }
  closePort(): void {
    this.closed = true;
  }
  destroy(): void {
    this.destroyed = true;
  }
}

const PORTS = ['Midi Through:Midi Through Port-0 14:0', 'USB Uno:USB Uno MIDI 1 20:0', 'grandMA3:MIDI In 24:0', 'USB Uno:USB Uno MIDI 2 20:1'];

function fake(ports = PORTS, failOpen = false): { factory: NativeOutputFactory; made: FakeNativeOutput[] } {
  const made: FakeNativeOutput[] = [];
  return {
    made,
    factory: () => {
      const output = new FakeNativeOutput([...ports], failOpen);
      made.push(output);
      return output;
    },
  };
}

function expectError(result: ReturnType<typeof openMidiOutput>, code: MidiError['code']): MidiError {
  if (result.ok) throw new Error(`expected ${code}, opened ${result.port.name}`);
  expect(result.error.code).toBe(code);
  return result.error;
}

describe('openMidiOutput with an in-memory native output', () => {
  it('opens an exact name and sends bytes through it', () => {
    const { factory, made } = fake();
    const result = openMidiOutput('grandMA3:MIDI In 24:0', factory);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.port.name).toBe('grandMA3:MIDI In 24:0');
    expect(result.warning).toBeNull();
    expect(made[0]?.opened).toBe(2);
    result.port.send([0x90, 60, 100]);
    expect(made[0]?.sent).toEqual([[0x90, 60, 100]]);
    result.port.close();
    expect(made[0]?.closed).toBe(true);
    expect(made[0]?.destroyed).toBe(true);
    expect(() => result.port.send([0xf8])).toThrow(/closed/);
  });

  it('does not treat an exact name as a substring or a case-insensitive match', () => {
    const { factory } = fake();
    expectError(openMidiOutput('grandMA3', factory), 'port-not-found');
    expectError(openMidiOutput('grandma3:MIDI In 24:0', factory), 'port-not-found');
  });

  it('matches /regex/flags and warns when several ports match, using the first', () => {
    const { factory, made } = fake();
    const result = openMidiOutput('/usb uno/i', factory);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.port.name).toBe('USB Uno:USB Uno MIDI 1 20:0');
    expect(made[0]?.opened).toBe(1);
    expect(result.warning).toBe(
      'MIDI port /usb uno/i matches 2 outputs (USB Uno:USB Uno MIDI 1 20:0, USB Uno:USB Uno MIDI 2 20:1); using "USB Uno:USB Uno MIDI 1 20:0"',
    );
  });

  it('ignores the g flag, which would make repeated matching stateful', () => {
    const { factory } = fake();
    const result = openMidiOutput('/MIDI 2/g', factory);
    expect(result.ok && result.port.name).toBe('USB Uno:USB Uno MIDI 2 20:1');
  });

  it('lists the ports that exist when nothing matches', () => {
    const { factory, made } = fake();
    const error = expectError(openMidiOutput('/QLab/', factory), 'port-not-found');
    expect(error.message).toBe(`no MIDI output matches /QLab/ (available: ${PORTS.join(', ')})`);
    expect(made[0]?.destroyed).toBe(true);
  });

  it('says so when there are no ports at all', () => {
    const error = expectError(openMidiOutput('IAC Driver Bus 1', fake([]).factory), 'port-not-found');
    expect(error.message).toBe('no MIDI output matches IAC Driver Bus 1 (no MIDI output ports exist)');
  });

  it('rejects a bad pattern before touching the MIDI system', () => {
    const { factory, made } = fake();
    const error = expectError(openMidiOutput('/USB (Uno/', factory), 'bad-port-pattern');
    expect(error.message).toMatch(/^MIDI port pattern \/USB \(Uno\/ is not a valid regular expression: /);
    expect(made).toHaveLength(0);
    expect(parsePortSpec('/a/x')).toBeInstanceOf(MidiError);
    expect(parsePortSpec('plain/name')).toBe('plain/name');
  });

  it('creates virtual ports', () => {
    const { factory, made } = fake([]);
    const result = openMidiOutput({ virtual: 'prolink-bridge' }, factory);
    if (!result.ok) throw new Error(result.error.message);
    expect(made[0]?.virtual).toBe('prolink-bridge');
    expect(result.port.name).toBe('prolink-bridge');
    expect(result.port.isPresent()).toBe(true);
  });

  it('turns a refused open into port-open-failed', () => {
    const error = expectError(openMidiOutput('grandMA3:MIDI In 24:0', fake(PORTS, true).factory), 'port-open-failed');
    expect(error.message).toBe('MIDI output grandMA3:MIDI In 24:0 could not be opened: Internal RtMidi error');
  });

  it('turns a factory that throws into midi-unavailable', () => {
    const error = expectError(
      openMidiOutput('x', () => {
        throw new Error('boom');
      }),
      'midi-unavailable',
    );
    expect(error.cause).toBe('boom');
  });

  it('notices when an opened port disappears from the system', () => {
    const { factory, made } = fake();
    const result = openMidiOutput('/grandMA3/', factory);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.port.isPresent()).toBe(true);
    made[0]?.ports.splice(2, 1);
    expect(result.port.isPresent()).toBe(false);
  });
});

describe('listMidiOutputs', () => {
  it('returns the names in system order and releases the client', () => {
    const { factory, made } = fake();
    expect(listMidiOutputs(factory)).toEqual({ ok: true, names: PORTS });
    expect(made[0]?.destroyed).toBe(true);
  });
});

describe('the real @julusian/midi module on this machine', () => {
  // This machine has no ALSA sequencer (/dev/snd/seq); RtMidi cannot initialise.
  const hasSequencer = existsSync('/dev/snd/seq');
  const onlyWithoutSequencer = hasSequencer || process.platform !== 'linux' ? it.skip : it;

  onlyWithoutSequencer('reports midi-unavailable with the fix, instead of crashing, without asking RtMidi', () => {
    const result = openMidiOutput('anything', julusianOutputFactory);
    const error = expectError(result, 'midi-unavailable');
    expect(error.cause).toBe('/dev/snd/seq does not exist: the ALSA sequencer is not loaded');
    expect(error.message).toContain('/dev/snd/seq does not exist');
    expect(error.message).toContain('sudo modprobe snd-seq');
    expect(error.message).toContain('/dev/snd/seq');
    expect(error.message).toContain('Audio MIDI Setup');
    expect(openMidiOutput({ virtual: 'prolink-bridge' }).ok).toBe(false);
    const listed = listMidiOutputs();
    expect(listed.ok).toBe(false);
    expect(!listed.ok && listed.error.code).toBe('midi-unavailable');
  });

  const onlyWithSequencer = hasSequencer ? it : it.skip;
  onlyWithSequencer('lists real outputs when a sequencer exists', () => {
    const listed = listMidiOutputs();
    expect(listed.ok).toBe(true);
  });
});
