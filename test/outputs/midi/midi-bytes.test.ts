import {
  allNotesOff,
  allSoundOff,
  controlChange,
  noteOff,
  noteOn,
  programChange,
  songPosition,
  CC_ALL_NOTES_OFF,
  CONTROL_CHANGE,
  NOTE_ON,
  START_MESSAGE,
  STOP_MESSAGE,
  CONTINUE_MESSAGE,
  TIMING_CLOCK_MESSAGE,
} from '../../../src/outputs/midi/midi-bytes';
import { MidiError, isMidiError } from '../../../src/outputs/midi/midi-errors';

function expectError(value: unknown, field: string): void {
  expect(isMidiError(value)).toBe(true);
  const error = value as MidiError;
  expect(error.code).toBe('out-of-range');
  expect(error.message).toContain(field);
}

describe('channel message builders', () => {
  it('builds exact bytes with the channel in the low nibble', () => {
    expect(noteOn(1, 60, 100)).toEqual([0x90, 60, 100]);
    expect(noteOn(16, 127, 127)).toEqual([0x9f, 0x7f, 0x7f]);
    expect(noteOff(10, 36)).toEqual([0x89, 36, 0]);
    expect(noteOff(2, 36, 64)).toEqual([0x81, 36, 64]);
    expect(controlChange(3, 7, 0)).toEqual([0xb2, 7, 0]);
    expect(programChange(1, 0)).toEqual([0xc0, 0]);
    expect(programChange(16, 127)).toEqual([0xcf, 127]);
    expect(allNotesOff(5)).toEqual([0xb4, 123, 0]);
    expect(allSoundOff(1)).toEqual([0xb0, 120, 0]);
  });

  it('uses the named constants', () => {
    expect(noteOn(1, 0, 0)).toEqual([NOTE_ON, 0, 0]);
    expect(allNotesOff(1)).toEqual([CONTROL_CHANGE, CC_ALL_NOTES_OFF, 0]);
  });

  it.each([
    ['channel 0', () => noteOn(0, 60, 100), 'channel'],
    ['channel 17', () => noteOff(17, 60), 'channel'],
    ['channel 1.5', () => controlChange(1.5, 1, 1), 'channel'],
    ['note 128', () => noteOn(1, 128, 100), 'note'],
    ['note -1', () => noteOff(1, -1), 'note'],
    ['velocity 128', () => noteOn(1, 60, 128), 'velocity'],
    ['velocity NaN', () => noteOn(1, 60, Number.NaN), 'velocity'],
    ['release velocity 200', () => noteOff(1, 60, 200), 'velocity'],
    ['controller 128', () => controlChange(1, 128, 0), 'controller'],
    ['value 127.5', () => controlChange(1, 1, 127.5), 'value'],
    ['program 128', () => programChange(1, 128), 'program'],
    ['all notes off channel 0', () => allNotesOff(0), 'channel'],
  ])('rejects %s without clamping', (_label, build, field) => {
    expectError(build(), field);
  });

  it('names the range in the message', () => {
    const error = noteOn(1, 300, 1) as MidiError;
    expect(error.message).toBe('note must be an integer from 0 to 127, got 300');
  });
});

describe('songPosition', () => {
  it('splits sixteenths into LSB then MSB', () => {
    expect(songPosition(0)).toEqual([0xf2, 0, 0]);
    expect(songPosition(127)).toEqual([0xf2, 0x7f, 0]);
    expect(songPosition(128)).toEqual([0xf2, 0, 1]);
    expect(songPosition(1000)).toEqual([0xf2, 1000 & 0x7f, 1000 >> 7]);
    expect(songPosition(16383)).toEqual([0xf2, 0x7f, 0x7f]);
  });

  it('rejects positions a 14-bit pointer cannot carry', () => {
    expectError(songPosition(16384), 'song position');
    expectError(songPosition(-1), 'song position');
    expectError(songPosition(2.5), 'song position');
  });
});

it('has the single-byte real-time messages', () => {
  expect([TIMING_CLOCK_MESSAGE, START_MESSAGE, CONTINUE_MESSAGE, STOP_MESSAGE]).toEqual([[0xf8], [0xfa], [0xfb], [0xfc]]);
});
