/**
 * The one seam between MIDI logic and a MIDI system. Clock, timecode and note
 * code write raw bytes to a MidiPort; production wraps @julusian/midi, tests
 * pass a RecordingMidiPort.
 */
export interface MidiPort {
  /** Human-readable port name, as the MIDI system lists it. */
  readonly name: string;
  /** Sends one complete MIDI message (status byte first). */
  send(message: readonly number[]): void;
  close(): void;
}

export interface RecordedMessage {
  /** The time the port's clock gave when the message was sent. */
  readonly at: number;
  readonly bytes: readonly number[];
}

/** A MidiPort that keeps every message with a timestamp from an injected clock. */
export class RecordingMidiPort implements MidiPort {
  readonly messages: RecordedMessage[] = [];
  closed = false;

  constructor(
    readonly name = 'recording',
    private readonly now: () => number = () => 0,
  ) {}

  send(message: readonly number[]): void {
    if (this.closed) throw new Error(`MIDI port "${this.name}" is closed`);
    this.messages.push({ at: this.now(), bytes: [...message] });
  }

  close(): void {
    this.closed = true;
  }

  clear(): void {
    this.messages.length = 0;
  }
}
