/**
 * MIDI 1.0 byte values and validated builders for the channel and system
 * messages the bridge sends. Builders never clamp: a value MIDI cannot carry
 * is returned as a MidiError naming the field and its range.
 */
import { MidiError } from './midi-errors';

/** One complete MIDI message, status byte first. */
export type MidiMessage = readonly number[];

// Channel voice status bytes (MIDI 1.0 spec, Table I); the low nibble is the channel - 1.
export const NOTE_OFF = 0x80;
export const NOTE_ON = 0x90;
export const POLY_PRESSURE = 0xa0;
export const CONTROL_CHANGE = 0xb0;
export const PROGRAM_CHANGE = 0xc0;
export const CHANNEL_PRESSURE = 0xd0;
export const PITCH_BEND = 0xe0;

// System common (MIDI 1.0 spec, Table I; MTC quarter frame from the MTC addendum).
export const SYSEX = 0xf0;
export const MTC_QUARTER_FRAME = 0xf1;
export const SONG_POSITION = 0xf2;
export const SONG_SELECT = 0xf3;
export const TUNE_REQUEST = 0xf6;
export const SYSEX_END = 0xf7;

// System real-time (MIDI 1.0 spec, Table I).
export const TIMING_CLOCK = 0xf8;
export const START = 0xfa;
export const CONTINUE = 0xfb;
export const STOP = 0xfc;
export const ACTIVE_SENSING = 0xfe;
export const SYSTEM_RESET = 0xff;

// Channel mode controller numbers (MIDI 1.0 spec, Table III).
export const CC_ALL_SOUND_OFF = 120;
export const CC_RESET_ALL_CONTROLLERS = 121;
export const CC_ALL_NOTES_OFF = 123;

/** Highest value of a 7-bit data byte. */
export const DATA_MAX = 0x7f;
/** Highest value of a 14-bit (LSB + MSB) data pair. */
export const DATA14_MAX = 0x3fff;
export const CHANNEL_MIN = 1;
export const CHANNEL_MAX = 16;

/** Null when value is an integer in [min, max]; otherwise the error naming the field. */
export function checkRange(field: string, value: number, min: number, max: number): MidiError | null {
  if (Number.isInteger(value) && value >= min && value <= max) return null;
  return new MidiError('out-of-range', `${field} must be an integer from ${min} to ${max}, got ${value}`);
}

/**
 * A channel message of one or two data bytes, or the error naming the first
 * field out of range. Built straight into the message's own array: notes and
 * CCs go out on beats, and nothing else is allocated for them.
 */
function channelMessage(status: number, channel: number, field1: string, value1: number, field2: string | null = null, value2 = 0): MidiMessage | MidiError {
  const bad =
    checkRange('channel', channel, CHANNEL_MIN, CHANNEL_MAX) ?? checkRange(field1, value1, 0, DATA_MAX) ?? (field2 === null ? null : checkRange(field2, value2, 0, DATA_MAX));
  if (bad !== null) return bad;
  return field2 === null ? [status | (channel - 1), value1] : [status | (channel - 1), value1, value2];
}

/** Note On; channel 1–16, note and velocity 0–127 (velocity 0 is a note-off by convention). */
export function noteOn(channel: number, note: number, velocity: number): MidiMessage | MidiError {
  return channelMessage(NOTE_ON, channel, 'note', note, 'velocity', velocity);
}

/** Note Off with a release velocity (0 unless the receiver cares). */
export function noteOff(channel: number, note: number, velocity = 0): MidiMessage | MidiError {
  return channelMessage(NOTE_OFF, channel, 'note', note, 'velocity', velocity);
}

export function controlChange(channel: number, controller: number, value: number): MidiMessage | MidiError {
  return channelMessage(CONTROL_CHANGE, channel, 'controller', controller, 'value', value);
}

/** Program Change; program is the 0–127 wire value (shown as 1–128 by many devices). */
export function programChange(channel: number, program: number): MidiMessage | MidiError {
  return channelMessage(PROGRAM_CHANGE, channel, 'program', program);
}

/** Song Position Pointer in MIDI beats (sixteenth notes, 0–16383), LSB first. */
export function songPosition(sixteenths: number): MidiMessage | MidiError {
  const bad = checkRange('song position', sixteenths, 0, DATA14_MAX);
  if (bad !== null) return bad;
  return [SONG_POSITION, sixteenths & DATA_MAX, (sixteenths >> 7) & DATA_MAX];
}

/** Channel mode message 123: every sounding note on the channel stops. */
export function allNotesOff(channel: number): MidiMessage | MidiError {
  return controlChange(channel, CC_ALL_NOTES_OFF, 0);
}

/** Channel mode message 120: every sound on the channel stops, release tails included. */
export function allSoundOff(channel: number): MidiMessage | MidiError {
  return controlChange(channel, CC_ALL_SOUND_OFF, 0);
}

// Single-byte real-time messages, ready to send.
export const TIMING_CLOCK_MESSAGE: MidiMessage = [TIMING_CLOCK];
export const START_MESSAGE: MidiMessage = [START];
export const CONTINUE_MESSAGE: MidiMessage = [CONTINUE];
export const STOP_MESSAGE: MidiMessage = [STOP];
