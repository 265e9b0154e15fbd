import { MidiError } from '../../../src/outputs/midi/midi-errors';
import { RecordingMidiPort } from '../../../src/outputs/midi/midi-port';
import { NoteScheduler } from '../../../src/outputs/midi/note-scheduler';
import { VirtualTimers } from './virtual-timers';

function setup(): { timers: VirtualTimers; port: RecordingMidiPort; notes: NoteScheduler; errors: MidiError[]; sent: () => [number, number[]][] } {
  const timers = new VirtualTimers();
  const port = new RecordingMidiPort('notes', () => timers.now());
  const errors: MidiError[] = [];
  const notes = new NoteScheduler(port, timers, (e) => errors.push(e));
  return { timers, port, notes, errors, sent: () => port.messages.map((m) => [m.at, [...m.bytes]]) };
}

describe('NoteScheduler', () => {
  it('sends note-on now and note-off after the duration', () => {
    const { timers, notes, sent } = setup();
    expect(notes.play(1, 60, 100, 250)).toBeNull();
    expect(notes.pending).toBe(1);
    timers.advance(249);
    expect(sent()).toEqual([[0, [0x90, 60, 100]]]);
    timers.advance(1);
    expect(sent()).toEqual([
      [0, [0x90, 60, 100]],
      [250, [0x80, 60, 0]],
    ]);
    expect(notes.pending).toBe(0);
  });

  it('keeps notes on different channels and pitches independent', () => {
    const { timers, notes, sent } = setup();
    notes.play(1, 60, 100, 100);
    notes.play(2, 60, 90, 50);
    notes.play(1, 61, 80, 75);
    timers.advance(200);
    expect(sent()).toEqual([
      [0, [0x90, 60, 100]],
      [0, [0x91, 60, 90]],
      [0, [0x90, 61, 80]],
      [50, [0x81, 60, 0]],
      [75, [0x80, 61, 0]],
      [100, [0x80, 60, 0]],
    ]);
  });

  it('retriggers a held note as off-then-on, and the old off never cuts the new note short', () => {
    const { timers, notes, sent } = setup();
    notes.play(1, 60, 100, 100);
    timers.advance(80);
    notes.play(1, 60, 110, 100); // retrigger 20 ms before the first note would end
    timers.advance(20); // the first note's off time passes: nothing may happen
    expect(sent()).toEqual([
      [0, [0x90, 60, 100]],
      [80, [0x80, 60, 0]],
      [80, [0x90, 60, 110]],
    ]);
    timers.advance(80);
    expect(sent().at(-1)).toEqual([180, [0x80, 60, 0]]);
    expect(sent()).toHaveLength(4);
    expect(timers.scheduled).toBe(0);
  });

  it('leaves no note on, whatever the pattern of overlapping retriggers', () => {
    const { timers, notes, port } = setup();
    for (let i = 0; i < 200; i++) {
      notes.play(1 + (i % 3), 60 + ((i * 7) % 5), 100, 10 + ((i * 37) % 90));
      timers.advance((i * 13) % 23);
    }
    timers.advance(1000);
    const sounding = new Map<string, number>();
    for (const { bytes } of port.messages) {
      const key = `${(bytes[0] ?? 0) & 0x0f}:${bytes[1]}`;
      const delta = ((bytes[0] ?? 0) & 0xf0) === 0x90 ? 1 : -1;
      const next = (sounding.get(key) ?? 0) + delta;
      expect(next === 0 || next === 1).toBe(true); // never a double on or an off without an on
      sounding.set(key, next);
    }
    expect([...sounding.values()].every((v) => v === 0)).toBe(true);
  });

  it('flush sends pending offs at once, then All Notes Off on every channel used', () => {
    const { timers, notes, sent } = setup();
    notes.play(3, 40, 100, 1000);
    notes.play(1, 60, 100, 10);
    notes.play(1, 62, 100, 1000);
    timers.advance(100);
    notes.flush();
    expect(sent().slice(3)).toEqual([
      [10, [0x80, 60, 0]],
      [100, [0x82, 40, 0]],
      [100, [0x80, 62, 0]],
      [100, [0xb0, 123, 0]],
      [100, [0xb2, 123, 0]],
    ]);
    expect(notes.pending).toBe(0);
    expect(timers.scheduled).toBe(0);
    timers.advance(2000);
    expect(sent()).toHaveLength(8);
    notes.flush(); // nothing used since the last flush
    expect(sent()).toHaveLength(8);
  });

  it('rejects out-of-range notes without sending or scheduling anything', () => {
    const { timers, notes, port } = setup();
    expect(notes.play(17, 60, 100, 100)?.code).toBe('out-of-range');
    expect(notes.play(1, 128, 100, 100)?.code).toBe('out-of-range');
    expect(notes.play(1, 60, 100, -1)?.code).toBe('out-of-range');
    expect(notes.play(1, 60, 100, Number.NaN)?.code).toBe('out-of-range');
    expect(port.messages).toHaveLength(0);
    expect(timers.scheduled).toBe(0);
  });

  it('reports a port that throws, and still clears its state', () => {
    const { timers, port, notes, errors } = setup();
    notes.play(1, 60, 100, 100);
    port.close();
    timers.advance(100);
    expect(errors.map((e) => e.code)).toEqual(['send-failed']);
    expect(errors[0]?.cause).toBe('MIDI port "notes" is closed');
    expect(notes.pending).toBe(0);
  });
});
