/**
 * MIDI problems are values, never exceptions: message builders, timecode
 * conversions and port opening return either their result or a MidiError.
 */
export type MidiErrorCode =
  | 'out-of-range' // a channel, note, value or timecode field outside what MIDI can carry
  | 'bad-timecode' // a timecode label that cannot exist at its rate (e.g. a dropped frame)
  | 'midi-unavailable' // the MIDI system itself cannot be opened (no ALSA sequencer, native module missing)
  | 'port-not-found' // no output port matches the configured name or pattern
  | 'bad-port-pattern' // a `/regex/flags` port spec that is not a valid regular expression
  | 'port-open-failed' // the port exists but the MIDI system refused to open it
  | 'port-gone' // an open port disappeared from the system
  | 'send-failed'; // the MIDI system refused a message on an open port

export class MidiError {
  readonly name = 'MidiError';

  constructor(
    readonly code: MidiErrorCode,
    /** One sentence a user can act on. */
    readonly message: string,
    /** The underlying system error text, when there is one. */
    readonly cause: string | null = null,
  ) {}

  toString(): string {
    return `MidiError[${this.code}]: ${this.message}`;
  }
}

export function isMidiError(value: unknown): value is MidiError {
  return value instanceof MidiError;
}

/**
 * The text of anything thrown, for MidiError.cause. Errors from the native
 * module may come from another realm, so `instanceof Error` is not enough.
 */
export function describeThrown(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown && typeof thrown.message === 'string') return thrown.message;
  return String(thrown);
}
