import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
  ALSA_SEQUENCER,
  checkedOutputFactory,
  midiSystemCheck,
  openMidiOutput,
  type NativeMidiOutput,
} from '../../../src/outputs/midi/julusian-midi-port';

/** An access function as fs.accessSync behaves for a path that is missing, forbidden or there. */
function access(code: 'ENOENT' | 'EACCES' | null): { access: (path: string) => void; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    access: (file) => {
      asked.push(file);
      if (code !== null) throw Object.assign(new Error(`${code}: ${file}`), { code });
    },
  };
}

/** Stands in for RtMidi: counts how often it is asked for an output. */
function rtMidi(ports: readonly string[] = ['Midi Through:Midi Through Port-0 14:0']): { load: () => NativeMidiOutput; loads: () => number } {
  let loads = 0;
  return {
    loads: () => loads,
    load: () => {
      loads++;
      return {
        getPortCount: () => ports.length,
        getPortName: (i) => ports[i] ?? '',
        openPort: () => undefined,
        openVirtualPort: () => undefined,
        sendMessage: () => undefined,
        closePort: () => undefined,
      };
    },
  };
}

describe('the ALSA sequencer check before RtMidi', () => {
  it('on Linux without /dev/snd/seq: midi-unavailable with the fix, and RtMidi is never asked', () => {
    const fs = access('ENOENT');
    const native = rtMidi();
    const result = openMidiOutput('Midi Through:Midi Through Port-0 14:0', checkedOutputFactory(midiSystemCheck('linux', fs.access), native.load));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('midi-unavailable');
    expect(result.error.cause).toBe('/dev/snd/seq does not exist: the ALSA sequencer is not loaded');
    expect(result.error.message).toContain('sudo modprobe snd-seq');
    expect(fs.asked).toEqual([ALSA_SEQUENCER]);
    expect(native.loads()).toBe(0);
  });

  it('on Linux with a sequencer this user may not open: says so, and RtMidi is never asked', () => {
    const native = rtMidi();
    const result = openMidiOutput('x', checkedOutputFactory(midiSystemCheck('linux', access('EACCES').access), native.load));
    expect(!result.ok && result.error.cause).toBe('this user may not open /dev/snd/seq');
    expect(!result.ok && result.error.message).toContain('audio group');
    expect(native.loads()).toBe(0);
  });

  it('on Linux with the sequencer present: RtMidi is asked and the port opens', () => {
    const native = rtMidi();
    const result = openMidiOutput('/Midi Through/', checkedOutputFactory(midiSystemCheck('linux', access(null).access), native.load));
    expect(result.ok && result.port.name).toBe('Midi Through:Midi Through Port-0 14:0');
    expect(native.loads()).toBe(1);
  });

  it('on macOS and Windows nothing is checked: RtMidi is asked directly', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const fs = access('ENOENT');
      const native = rtMidi();
      expect(openMidiOutput('/Midi Through/', checkedOutputFactory(midiSystemCheck(platform, fs.access), native.load)).ok).toBe(true);
      expect(fs.asked).toEqual([]);
      expect(native.loads()).toBe(1);
    }
  });
});

describe('no ALSA noise on stderr when the MIDI system is missing', () => {
  const root = path.resolve(__dirname, '..', '..', '..');
  // This machine has no ALSA sequencer; where one exists, the check above lets RtMidi in, as it should.
  const onlyWithoutSequencer = process.platform === 'linux' && !existsSync(ALSA_SEQUENCER) ? it : it.skip;

  onlyWithoutSequencer('opening and listing MIDI outputs with the real module (built) writes nothing to stderr', () => {
    const run = spawnSync(
      process.execPath,
      ['-e', `const m = require(${JSON.stringify(path.join(root, 'dist', 'outputs', 'midi', 'julusian-midi-port.js'))});
        for (let i = 0; i < 3; i++) { const r = m.openMidiOutput('anything'); if (r.ok) process.exit(3); }
        const listed = m.listMidiOutputs(); console.log(listed.ok ? 'listed' : listed.error.code);`],
      { encoding: 'utf8' },
    );
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe('midi-unavailable');
    expect(run.stderr).toBe('');
  });
});
