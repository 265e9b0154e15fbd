/**
 * Notes with a duration and a guaranteed note-off.
 *
 * play() sends the note-on now and schedules its note-off on the injected
 * timers. Retrigger policy: playing a note that is still held first sends
 * its note-off, then the new note-on, and the new note gets its own full
 * duration. The receiver sees a fresh attack, the old note's pending off is
 * cancelled (and could not match the new note anyway, see `generation`), so
 * there is neither a stuck note nor a premature off of the new one.
 *
 * flush() (shutdown, mapping reload) sends every pending note-off at once,
 * then All Notes Off (CC 123) on every channel used since the last flush.
 */
import type { Timers } from '../reporter';
import { allNotesOff, noteOff, noteOn, type MidiMessage } from './midi-bytes';
import { MidiError, describeThrown, isMidiError } from './midi-errors';
import type { MidiPort } from './midi-port';

/** Longest duration accepted: a day, far beyond any cue, and safely inside setTimeout's range. */
export const MAX_NOTE_DURATION_MS = 24 * 60 * 60 * 1000;

interface HeldNote {
  readonly channel: number;
  readonly note: number;
  readonly generation: number;
  readonly timer: unknown;
}

export class NoteScheduler {
  private readonly held = new Map<string, HeldNote>();
  private readonly channelsUsed = new Set<number>();
  private generation = 0;

  constructor(
    private readonly port: MidiPort,
    private readonly timers: Pick<Timers, 'setTimeout' | 'clearTimeout'>,
    /** Called when the port throws; scheduling state stays consistent. */
    private readonly onError: (error: MidiError) => void,
  ) {}

  /** Notes sounding now, with an off pending. */
  get pending(): number {
    return this.held.size;
  }

  /** Sends note-on now and note-off after durationMs; returns an error value for out-of-range input. */
  play(channel: number, note: number, velocity: number, durationMs: number): MidiError | null {
    const on = noteOn(channel, note, velocity);
    if (isMidiError(on)) return on;
    if (!(durationMs >= 0 && durationMs <= MAX_NOTE_DURATION_MS)) {
      return new MidiError('out-of-range', `note duration must be from 0 to ${MAX_NOTE_DURATION_MS} ms, got ${durationMs}`);
    }

    const key = `${channel}:${note}`;
    const previous = this.held.get(key);
    if (previous !== undefined) this.release(key, previous);

    this.channelsUsed.add(channel);
    const generation = ++this.generation;
    const timer = this.timers.setTimeout(() => {
      const current = this.held.get(key);
      if (current !== undefined && current.generation === generation) this.release(key, current);
    }, durationMs);
    this.held.set(key, { channel, note, generation, timer });
    this.send(on);
    return null;
  }

  /** Sends every pending note-off now, then All Notes Off on each channel used. */
  flush(): void {
    for (const [key, held] of [...this.held]) this.release(key, held);
    for (const channel of [...this.channelsUsed].sort((a, b) => a - b)) {
      const message = allNotesOff(channel);
      if (!isMidiError(message)) this.send(message);
    }
    this.channelsUsed.clear();
  }

  private release(key: string, held: HeldNote): void {
    this.held.delete(key);
    this.timers.clearTimeout(held.timer);
    const off = noteOff(held.channel, held.note);
    if (!isMidiError(off)) this.send(off);
  }

  private send(message: MidiMessage): void {
    try {
      this.port.send(message);
    } catch (thrown) {
      this.onError(new MidiError('send-failed', `MIDI note could not be sent to "${this.port.name}"`, describeThrown(thrown)));
    }
  }
}
