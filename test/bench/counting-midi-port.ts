/**
 * A MidiPort for the latency benchmark: it counts what the rules send and
 * keeps none of it, as a real port hands the bytes on. A RecordingMidiPort
 * keeps every message; over a run of thousands of packets those records
 * outlive young-generation collections, each of which copies them again, so
 * the benchmark would charge the bridge's pauses for its own recorder.
 */
import type { MidiPort } from '../../src/outputs/midi/midi-port';

export class CountingMidiPort implements MidiPort {
  /** Messages sent. */
  messages = 0;

  constructor(readonly name: string) {}

  send(): void {
    this.messages++;
  }

  close(): void {}
}
