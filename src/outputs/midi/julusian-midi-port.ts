/**
 * The production MidiPort: an @julusian/midi (RtMidi) output. The native
 * module is reached only through a factory, so port matching is tested with
 * an in-memory output and the real module is loaded only when first used.
 *
 * Port specs: an exact port name, a `/regex/flags` pattern, or
 * `{ virtual: name }` for a port this process creates (Linux, macOS).
 * When a pattern matches several ports, the first in system order is opened
 * and the result carries a warning naming it and the others.
 *
 * On Linux, ALSA's sequencer device is looked for before RtMidi is asked:
 * without it, RtMidi's ALSA library writes its own error lines straight to
 * stderr (through the JSON log stream) every time it is tried.
 */
import * as fs from 'node:fs';
import type { Output } from '@julusian/midi';
import { MidiError, describeThrown } from './midi-errors';
import type { MidiPort } from './midi-port';

/** The part of an @julusian/midi Output this adapter uses. */
export interface NativeMidiOutput {
  getPortCount(): number;
  getPortName(index: number): string;
  openPort(index: number): void;
  openVirtualPort(name: string): void;
  sendMessage(message: number[]): void;
  closePort(): void;
  /** Releases the MIDI system client; optional because only the real module has it. */
  destroy?(): void;
}

/** Creates one native output; throws when the MIDI system cannot be initialised. */
export type NativeOutputFactory = () => NativeMidiOutput;

/** The device RtMidi opens on Linux (ALSA's sequencer). */
export const ALSA_SEQUENCER = '/dev/snd/seq';

/** Says why the MIDI system cannot be reached (a short cause), or null when RtMidi may be asked. */
export type MidiSystemCheck = () => string | null;

/**
 * The check for this platform: on Linux, that ALSA's sequencer device exists
 * and this user may open it; elsewhere nothing to check. `access` throws as
 * fs.accessSync does.
 */
export function midiSystemCheck(
  platform: NodeJS.Platform = process.platform,
  access: (path: string) => void = (path) => fs.accessSync(path, fs.constants.R_OK | fs.constants.W_OK),
): MidiSystemCheck {
  if (platform !== 'linux') return () => null;
  return () => {
    try {
      access(ALSA_SEQUENCER);
      return null;
    } catch (thrown) {
      const code = typeof thrown === 'object' && thrown !== null && 'code' in thrown ? String(thrown.code) : null;
      if (code === 'ENOENT') return `${ALSA_SEQUENCER} does not exist: the ALSA sequencer is not loaded`;
      if (code === 'EACCES' || code === 'EPERM') return `this user may not open ${ALSA_SEQUENCER}`;
      return `${ALSA_SEQUENCER} cannot be opened (${describeThrown(thrown)})`;
    }
  };
}

/** Loads @julusian/midi and creates one output. */
function loadJulusianOutput(): NativeMidiOutput {
  // Loaded here, not at import: the main entry throws at load time when the native binding is missing.
  const midi = require('@julusian/midi') as { Output: new () => Output };
  return new midi.Output();
}

/** A factory that runs `check` first and asks `load` (RtMidi) only when the check passes. */
export function checkedOutputFactory(check: MidiSystemCheck, load: NativeOutputFactory = loadJulusianOutput): NativeOutputFactory {
  return () => {
    const cause = check();
    if (cause !== null) throw new Error(cause);
    return load();
  };
}

export const julusianOutputFactory: NativeOutputFactory = checkedOutputFactory(midiSystemCheck());

export type MidiPortSpec = string | { readonly virtual: string };

export type OpenMidiResult =
  | { readonly ok: true; readonly port: JulusianMidiPort; readonly warning: string | null }
  | { readonly ok: false; readonly error: MidiError };

export type ListMidiResult = { readonly ok: true; readonly names: readonly string[] } | { readonly ok: false; readonly error: MidiError };

const PATTERN_SPEC = /^\/(.*)\/([a-z]*)$/s;
/** Flags that make RegExp.test stateful; matching a name never needs them. */
const STATEFUL_FLAGS = /[gy]/g;

/** A spec as a matcher: a RegExp for `/regex/flags`, a string for an exact name, or the error. */
export function parsePortSpec(spec: string): RegExp | string | MidiError {
  const match = PATTERN_SPEC.exec(spec);
  if (match === null) return spec;
  try {
    return new RegExp(match[1] ?? '', (match[2] ?? '').replace(STATEFUL_FLAGS, ''));
  } catch (thrown) {
    return new MidiError('bad-port-pattern', `MIDI port pattern ${spec} is not a valid regular expression: ${describeThrown(thrown)}`);
  }
}

export function describeSpec(spec: MidiPortSpec): string {
  return typeof spec === 'string' ? spec : `virtual "${spec.virtual}"`;
}

export function midiUnavailable(cause: string): MidiError {
  return new MidiError(
    'midi-unavailable',
    `MIDI is not available on this system (${cause}): on Linux load the ALSA sequencer with \`sudo modprobe snd-seq\` ` +
      'and make sure your user can open /dev/snd/seq (usually by joining the audio group); ' +
      'on macOS CoreMIDI is always present, so check the device in Audio MIDI Setup.',
    cause,
  );
}

function createNative(factory: NativeOutputFactory): NativeMidiOutput | MidiError {
  try {
    return factory();
  } catch (thrown) {
    return midiUnavailable(describeThrown(thrown));
  }
}

function release(native: NativeMidiOutput): void {
  try {
    native.closePort();
    native.destroy?.();
  } catch {
    // Releasing a client the system already dropped has nothing left to report.
  }
}

function matchesSpec(matcher: RegExp | string, name: string): boolean {
  return typeof matcher === 'string' ? name === matcher : matcher.test(name);
}

function portNames(native: NativeMidiOutput): readonly string[] {
  const names: string[] = [];
  const count = native.getPortCount();
  for (let i = 0; i < count; i++) names.push(native.getPortName(i));
  return names;
}

function listAvailable(names: readonly string[]): string {
  return names.length === 0 ? 'no MIDI output ports exist' : `available: ${names.join(', ')}`;
}

/** The names of the MIDI outputs the system offers now. */
export function listMidiOutputs(factory: NativeOutputFactory = julusianOutputFactory): ListMidiResult {
  const native = createNative(factory);
  if (native instanceof MidiError) return { ok: false, error: native };
  try {
    return { ok: true, names: portNames(native) };
  } catch (thrown) {
    return { ok: false, error: midiUnavailable(describeThrown(thrown)) };
  } finally {
    release(native);
  }
}

/** Opens the output a spec names; never throws. */
export function openMidiOutput(spec: MidiPortSpec, factory: NativeOutputFactory = julusianOutputFactory): OpenMidiResult {
  const matcher = typeof spec === 'string' ? parsePortSpec(spec) : null;
  if (matcher instanceof MidiError) return { ok: false, error: matcher };
  const native = createNative(factory);
  if (native instanceof MidiError) return { ok: false, error: native };
  try {
    if (typeof spec !== 'string') {
      native.openVirtualPort(spec.virtual);
      return { ok: true, port: new JulusianMidiPort(spec.virtual, native, true), warning: null };
    }
    const names = portNames(native);
    const matches = names.map((name, index) => ({ name, index })).filter(({ name }) => matchesSpec(matcher ?? spec, name));
    const chosen = matches[0];
    if (chosen === undefined) {
      release(native);
      return { ok: false, error: new MidiError('port-not-found', `no MIDI output matches ${spec} (${listAvailable(names)})`) };
    }
    native.openPort(chosen.index);
    const warning =
      matches.length > 1
        ? `MIDI port ${spec} matches ${matches.length} outputs (${matches.map((m) => m.name).join(', ')}); using "${chosen.name}"`
        : null;
    return { ok: true, port: new JulusianMidiPort(chosen.name, native, false), warning };
  } catch (thrown) {
    release(native);
    return { ok: false, error: new MidiError('port-open-failed', `MIDI output ${describeSpec(spec)} could not be opened: ${describeThrown(thrown)}`, describeThrown(thrown)) };
  }
}

/** An open @julusian/midi output. Its send throws when the MIDI system refuses a message. */
export class JulusianMidiPort implements MidiPort {
  private closed = false;

  constructor(
    readonly name: string,
    private readonly native: NativeMidiOutput,
    /** A port this process created, which cannot disappear while open. */
    private readonly virtual: boolean,
  ) {}

  send(message: readonly number[]): void {
    if (this.closed) throw new Error(`MIDI port "${this.name}" is closed`);
    this.native.sendMessage([...message]);
  }

  /**
   * Whether the port is still listed by the MIDI system. ALSA drops messages
   * to a vanished port without an error, so this is how a disconnect shows.
   */
  isPresent(): boolean {
    if (this.closed) return false;
    if (this.virtual) return true;
    try {
      return portNames(this.native).includes(this.name);
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    release(this.native);
  }
}
