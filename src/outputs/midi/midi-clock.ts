/**
 * MIDI clock (24 pulses per quarter note) phase-locked to a deck's beat grid
 * (protocol doc §10), written to a MidiPort on an injected TickScheduler.
 *
 * Locking. Pulse k stands for a fixed deck position; each pulse asks the
 * source where the grid is and times the next pulse to land on its position.
 * The tempo is fed forward: the interval is always the nominal 2500/BPM ms of
 * the source's current tempo, so a ±16 % step changes it at once, with no
 * burst and no gap. Only the phase is corrected (midi-clock-slew.ts): small
 * errors within ±maxNudge (2 %) of the nominal interval, errors of the source
 * above fastAboveBeats (1/8 beat) proportionally at up to ±fastNudge (10 %),
 * easing back as they shrink. Times come from the grid, never from adding
 * intervals, so nothing drifts.
 *
 * Jumps. A phase error above jumpBeats (¼ beat) re-anchors at the next pulse
 * boundary of the new grid. In follow mode the receiver is repositioned:
 * Stop, Song Position Pointer, Continue, then the next pulse on the following
 * sixteenth of the grid. A jump by whole bars with the phase kept (a quantized
 * loop) only shifts the mapping: the receiver's bars stay right and pulses run
 * on. In always mode the next pulse lands on the next 1/24 beat of the new
 * grid and no transport message is sent.
 *
 * Transport ('follow', the default): nothing runs while the deck is stopped.
 * On play, once the phase is known to within lockUncertaintyBeats (or after
 * startAfterMs of play regardless), an SPP for the next downbeat and a
 * Continue are sent one pulse before it, and the first pulse lands on that
 * downbeat. A deck playing with a tempo but no position (no beat grid) gets
 * Start and free-running pulses. ('always'): Start (or SPP + Continue on a
 * downbeat when the deck is already playing) once at start(); pulses never
 * stop; they lock whenever the deck plays and free-run otherwise.
 *
 * Edge cases:
 * - Deck paused (stop mid-bar) or tempo 0: follow sends Stop at the next pulse
 *   slot and no more pulses; the receiver keeps its mid-bar position until the
 *   next play repositions it. Always keeps running at the last tempo.
 * - Tempo unknown, or the source answers null (no deck, master lost): pulses
 *   free-run at the last tempo; follow sends Stop after holdoverMs of this.
 * - Phase uncertain (estimate wider than lockUncertaintyBeats): pulses
 *   free-run at the source's tempo, keeping their phase, until it narrows.
 * - The source changes (master hand-off, `follow()`): treated as any jump.
 * - The port throws: reported through onError; the clock keeps time.
 * - The receiver missed messages (its port was closed for a while and is back):
 *   resync() repositions it at once. Running on a known phase: Stop, SPP and
 *   Continue, then the next pulse on the following sixteenth of the grid (in
 *   both modes). Running without a known phase: Continue. Not running: Stop,
 *   in case the Stop that halted it was lost.
 * - stop() sends Stop if the receiver is running.
 */
import { BEATS_PER_BAR, BeatGrid, BeatGridSource, gridPositionAt, gridTimeOf, isUsableBpm, MS_PER_MINUTE } from '../../timing/beat-grid';
import type { Cancel, Tick, TickScheduler } from '../../timing/tick-scheduler';
import { CONTINUE_MESSAGE, songPosition, START_MESSAGE, STOP_MESSAGE, TIMING_CLOCK_MESSAGE } from './midi-bytes';
import { describeThrown, isMidiError, MidiError } from './midi-errors';
import {
  nextDownbeat,
  nextStep,
  PULSES_PER_BEAT,
  PULSES_PER_SIXTEENTH,
  pulseIntervalMs,
  SIXTEENTHS_PER_BEAT,
  songPositionOf,
} from './midi-clock-position';
import { heldBack, slewInterval, STEADY, type SlewState } from './midi-clock-slew';
import { DEFAULT_MIDI_CLOCK_OPTIONS, type MidiClockOptions, type MidiClockStats } from './midi-clock-options';
import type { MidiPort } from './midi-port';

/** Least spacing, in nominal intervals, after a pulse that ran late. */
const STALL_SPACING = 0.5;

export { DEFAULT_MIDI_CLOCK_OPTIONS, type MidiClockOptions, type MidiClockStats, type TransportMode } from './midi-clock-options';

export class MidiClock {
  private readonly options: MidiClockOptions;
  private source: BeatGridSource;
  private pending: Cancel | null = null;
  private active = false;
  /** Whether the receiver's transport is running (after Start/Continue, before Stop). */
  private running = false;
  /** Song-position pulse index of the next pulse. */
  private next = 0;
  /** Pulse `pulse` stands for deck position `position`; one pulse is 1/24 beat. */
  private anchor: { readonly position: number; readonly pulse: number } | null = null;
  /** Free-running schedule: pulse `pulse` at `at`, then one per interval at `bpm`. */
  private free: { readonly at: number; readonly pulse: number; readonly bpm: number } | null = null;
  private lastBpm: number | null = null;
  /** The tempo the next pulse interval was planned at. */
  private pulseBpm = 120;
  private lostSince: number | null = null;
  private playingSince: number | null = null;
  private slew: SlewState = STEADY;
  private counts = { pulses: 0, starts: 0, stops: 0, repositions: 0, realigns: 0, barShifts: 0, fastCorrections: 0, maxLatenessMs: 0 };

  constructor(
    private readonly port: MidiPort,
    private readonly scheduler: TickScheduler,
    source: BeatGridSource,
    options: Partial<MidiClockOptions> = {},
  ) {
    this.source = source;
    this.options = { ...DEFAULT_MIDI_CLOCK_OPTIONS, ...options };
  }

  /** Starts following the source; returns the way to stop. */
  start(): () => void {
    if (!this.active) {
      this.active = true;
      const now = this.scheduler.now();
      if (this.options.mode === 'follow') this.poll(now);
      else {
        const g = this.source.grid(now);
        if (g === null || !this.tryStart(now, g)) this.startFree(now, this.tempoOf(g));
      }
    }
    return () => this.stop();
  }

  stop(): void {
    if (!this.active) return;
    this.active = false;
    this.pending?.();
    this.pending = null;
    if (this.running) this.send(STOP_MESSAGE);
    this.running = false;
    this.playingSince = null;
  }

  /** Repositions a receiver that may have missed messages (its port was reopened); see the header. */
  resync(): void {
    if (!this.active) return;
    if (!this.running) {
      this.send(STOP_MESSAGE);
      return;
    }
    const now = this.scheduler.now();
    const g = this.source.grid(now);
    if (g === null || !g.playing || !isUsableBpm(g.bpm) || g.position === null || !this.certain(g)) {
      this.send(CONTINUE_MESSAGE);
      return;
    }
    this.pending?.();
    this.free = null;
    this.lastBpm = this.pulseBpm = g.bpm;
    const at = this.reposition(g, gridPositionAt(g, now) as number);
    this.pending = this.scheduler.at(at, (t) => this.pulse(t));
  }

  /** Follows another source from the next pulse on (master hand-off). */
  follow(source: BeatGridSource): void {
    this.source = source;
    this.lostSince = null;
  }

  get stats(): MidiClockStats {
    return { ...this.counts };
  }

  get isRunning(): boolean {
    return this.running;
  }

  private poll(now: number): void {
    const g = this.source.grid(now);
    if (g !== null && g.playing && isUsableBpm(g.bpm)) {
      this.playingSince ??= now;
      if (this.tryStart(now, g)) return;
    } else {
      this.playingSince = null;
    }
    this.pending = this.scheduler.at(now + this.options.pollMs, (t) => this.poll(t.firedAt), 'coarse');
  }

  /** Plans the transport start on the next downbeat; false when the deck cannot be followed yet. */
  private tryStart(now: number, g: BeatGrid): boolean {
    if (!g.playing || !isUsableBpm(g.bpm)) return false;
    if (g.position === null) {
      this.startFree(now, g.bpm);
      return true;
    }
    const waited = this.playingSince !== null && now - this.playingSince >= this.options.startAfterMs;
    if (!this.certain(g) && !waited) return false;
    const nominal = pulseIntervalMs(g.bpm);
    const downbeat = nextDownbeat(gridPositionAt(g, now + 2 * nominal) as number, g.barOffset);
    const at = gridTimeOf(g, downbeat) as number;
    this.pending = this.scheduler.at(Math.max(now, at - nominal), (t) => this.prime(t.firedAt, downbeat), 'coarse');
    return true;
  }

  /** One pulse before the downbeat: SPP and Continue, then the first pulse on it. */
  private prime(now: number, downbeat: number): void {
    const g = this.source.grid(now);
    if (g === null || !g.playing || !isUsableBpm(g.bpm) || g.position === null) {
      this.idleOrFree(now, g);
      return;
    }
    const nominal = pulseIntervalMs(g.bpm);
    const at = gridTimeOf(g, downbeat) as number;
    if (at - now < nominal / 4) {
      if (!this.tryStart(now, g)) this.idleOrFree(now, g);
      return;
    }
    if (at - now > 2 * nominal) {
      this.pending = this.scheduler.at(at - nominal, (t) => this.prime(t.firedAt, downbeat), 'coarse');
      return;
    }
    const spp = songPositionOf(downbeat, g.barOffset);
    this.sendSongPosition(spp);
    this.send(CONTINUE_MESSAGE);
    this.begin(spp * PULSES_PER_SIXTEENTH, { position: downbeat, pulse: spp * PULSES_PER_SIXTEENTH }, null);
    this.lastBpm = g.bpm;
    this.pending = this.scheduler.at(at, (t) => this.pulse(t));
  }

  private startFree(now: number, bpm: number): void {
    this.send(START_MESSAGE);
    this.begin(0, null, { at: now, pulse: -1, bpm });
    this.pending = this.scheduler.at(now + pulseIntervalMs(bpm), (t) => this.pulse(t));
  }

  private begin(next: number, anchor: MidiClock['anchor'], free: MidiClock['free']): void {
    this.running = true;
    this.counts.starts++;
    this.next = next;
    this.anchor = anchor;
    this.free = free;
    this.lostSince = null;
    this.slew = STEADY;
  }

  private idleOrFree(now: number, g: BeatGrid | null): void {
    if (this.options.mode === 'follow') this.poll(now);
    else this.startFree(now, this.tempoOf(g));
  }

  private pulse(tick: Tick): void {
    this.send(TIMING_CLOCK_MESSAGE);
    this.counts.pulses++;
    this.counts.maxLatenessMs = Math.max(this.counts.maxLatenessMs, tick.firedAt - tick.scheduledAt);
    const sent = this.next++;
    const at = this.plan(tick.scheduledAt, sent, this.source.grid(tick.scheduledAt));
    if (at === null || !this.active) return;
    // A pulse that ran a little late does not delay the next one (it keeps its grid time); after
    // a stall longer than half an interval the next pulse waits half an interval, so there is no
    // burst, and the lock absorbs the lag within the small nudge bound.
    const earliest = tick.firedAt + pulseIntervalMs(this.pulseBpm) * STALL_SPACING;
    if (earliest > at) {
      // Free-running pulses have no grid to catch up with: the schedule restarts after the stall.
      if (this.free !== null) this.free = { ...this.free, at: earliest, pulse: sent + 1 };
      else this.slew = heldBack(this.slew, earliest - at, this.pulseBpm);
    }
    this.pending = this.scheduler.at(Math.max(at, earliest), (t) => this.pulse(t));
  }

  /** When the pulse after `sent` is due, or null when the transport stopped. */
  private plan(ts: number, sent: number, g: BeatGrid | null): number | null {
    const follow = this.options.mode === 'follow';
    if (g === null || (g.playing && g.bpm === null)) {
      this.lostSince ??= ts;
      if (follow && ts - this.lostSince >= this.options.holdoverMs) return this.halt(ts);
      return this.freeRun(ts, sent, this.tempoOf(null));
    }
    this.lostSince = null;
    if (!g.playing || !isUsableBpm(g.bpm)) {
      return follow ? this.halt(ts) : this.freeRun(ts, sent, this.tempoOf(g));
    }
    this.lastBpm = g.bpm;
    if (g.position === null || !this.certain(g)) return this.freeRun(ts, sent, g.bpm);
    return this.lock(ts, sent, g, g.bpm);
  }

  private freeRun(ts: number, sent: number, bpm: number): number {
    this.pulseBpm = bpm;
    if (this.free === null || this.free.bpm !== bpm) this.free = { at: ts, pulse: sent, bpm };
    return this.free.at + (sent + 1 - this.free.pulse) * pulseIntervalMs(bpm);
  }

  private lock(ts: number, sent: number, g: BeatGrid, bpm: number): number {
    this.free = null;
    this.pulseBpm = bpm;
    const position = gridPositionAt(g, ts) as number;
    const { jumpBeats, barJumpsKeepRunning } = this.options;
    if (this.anchor === null) return this.reanchor(g, position);
    let error = position - (this.anchor.position + (sent - this.anchor.pulse) / PULSES_PER_BEAT);
    const bars = Math.round(error / BEATS_PER_BAR) * BEATS_PER_BAR;
    if (Math.abs(error) > jumpBeats && barJumpsKeepRunning && bars !== 0 && Math.abs(error - bars) <= jumpBeats) {
      this.anchor = { position: this.anchor.position + bars, pulse: this.anchor.pulse };
      this.counts.barShifts++;
      error -= bars;
    }
    if (Math.abs(error) > jumpBeats) return this.reanchor(g, position);
    const target = gridTimeOf(g, this.anchor.position + (sent + 1 - this.anchor.pulse) / PULSES_PER_BEAT) as number;
    const next = slewInterval(target - ts, pulseIntervalMs(bpm), error, this.slew, this.options);
    this.slew = next.state;
    if (next.startedFast) this.counts.fastCorrections++;
    return ts + next.interval;
  }

  /** Lands the next pulse on the new grid: on a sixteenth with SPP in follow mode, on a 1/24 beat otherwise. */
  private reanchor(g: BeatGrid, position: number): number {
    if (this.options.mode === 'follow') return this.reposition(g, position);
    const at = nextStep(this.earliestNext(position), PULSES_PER_BEAT);
    this.anchor = { position: at, pulse: this.next };
    this.slew = STEADY;
    this.counts.realigns++;
    return gridTimeOf(g, at) as number;
  }

  /** Stop, SPP for the next sixteenth at least one (nudged) pulse away, Continue; returns that sixteenth's time. */
  private reposition(g: BeatGrid, position: number): number {
    const at = nextStep(this.earliestNext(position), SIXTEENTHS_PER_BEAT);
    const spp = songPositionOf(at, g.barOffset);
    this.send(STOP_MESSAGE);
    this.sendSongPosition(spp);
    this.send(CONTINUE_MESSAGE);
    this.next = spp * PULSES_PER_SIXTEENTH;
    this.anchor = { position: at, pulse: this.next };
    this.slew = STEADY;
    this.counts.repositions++;
    return gridTimeOf(g, at) as number;
  }

  /** The earliest deck position the next pulse may stand for: one shortest allowed interval after `position`. */
  private earliestNext(position: number): number {
    return position + (1 - this.options.maxNudge) / PULSES_PER_BEAT;
  }

  private halt(ts: number): null {
    this.send(STOP_MESSAGE);
    this.running = false;
    this.counts.stops++;
    this.anchor = this.free = null;
    this.slew = STEADY;
    this.playingSince = null;
    this.pending = this.scheduler.at(ts + this.options.pollMs, (t) => this.poll(t.firedAt), 'coarse');
    return null;
  }

  private certain(g: BeatGrid): boolean {
    if (g.uncertaintyMs === null || !isUsableBpm(g.bpm)) return false;
    return g.uncertaintyMs <= (this.options.lockUncertaintyBeats * MS_PER_MINUTE) / g.bpm;
  }

  private tempoOf(g: BeatGrid | null): number {
    if (g !== null && isUsableBpm(g.bpm)) return g.bpm;
    return this.lastBpm ?? this.options.defaultBpm;
  }

  private sendSongPosition(sixteenths: number): void {
    const message = songPosition(sixteenths);
    if (isMidiError(message)) this.options.onError(message);
    else this.send(message);
  }

  private send(message: readonly number[]): void {
    try {
      this.port.send(message);
    } catch (thrown) {
      this.options.onError(new MidiError('send-failed', `MIDI clock could not be sent to "${this.port.name}"`, describeThrown(thrown)));
    }
  }
}
