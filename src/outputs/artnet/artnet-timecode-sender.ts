/**
 * Sends ArtTimeCode for a timeline, one packet per frame while it runs, with
 * injected timers. Each wake-up samples the timeline afresh, so timer
 * lateness never accumulates and a jump (a cue, a loop, a new track) is in
 * the next packet, at most one frame later; `update()` re-samples at once,
 * and `reposition()` (for each new position reading) does so only when the
 * timeline jumped, so the packet after the reading that shows a jump has it
 * while the frame cadence is otherwise left alone.
 *
 * Packets go out on the frame boundaries of the timeline: at 25 fps every
 * 40 ms, at 29.97 drop-frame every 1001/30 ms, at 24 fps every 41.7 ms
 * (scaled by the deck's pitch, as the timeline runs faster or slower). A
 * small step backwards (position jitter) sends nothing until the timeline
 * passes the last frame sent again; a larger one is a jump and is sent at once.
 *
 * While the deck is stopped:
 *  - `hold` sends the frame it stopped on at once and then again every
 *    HOLD_RESEND_MS, so receivers that treat a silent network as "timecode
 *    lost" keep showing (and holding) the position instead of timing out;
 *    a locate while stopped is sent at once.
 *  - `stop` sends nothing until the deck plays again, for receivers that
 *    pause (or release) their show when timecode stops arriving.
 */
import type { Timers } from '../reporter';
import type { MtcRate } from '../midi/mtc-rate';
import { frameCountToMs, frameCountToTimecode, msToFrameCount, type Timecode } from '../midi/mtc-timecode';
import type { TimelineSample } from '../../timing/track-timeline';
import { encodeArtTimeCodeUnchecked } from './artnet-timecode-packet';

export const ARTNET_STOP_BEHAVIOURS = ['hold', 'stop'] as const;
export type ArtNetStopBehaviour = (typeof ARTNET_STOP_BEHAVIOURS)[number];

/** How often `hold` repeats the frame a stopped deck holds. */
export const HOLD_RESEND_MS = 250;
/** A step back of more than this many frames is a jump, sent at once. */
export const DEFAULT_JUMP_FRAMES = 2;
/** Timers may fire this much before a frame boundary (ms rounding); the frame counts as reached. */
const TIMER_SLACK_MS = 0.5;

export interface ArtNetTimecodeSenderOptions {
  readonly timers: Timers;
  readonly rate: MtcRate;
  readonly onStop: ArtNetStopBehaviour;
  /** Where the timeline is at clock time `now`, or null when there is nothing to follow. */
  readonly sample: (now: number) => TimelineSample | null;
  /** Hands one packet to the network; it reports its own failures. */
  readonly send: (packet: Buffer) => void;
  readonly jumpFrames?: number;
  readonly holdResendMs?: number;
}

export interface ArtNetTimecodeStats {
  /** Packets handed to the network since start. */
  readonly sent: number;
  /** The label of the last packet, or null before the first. */
  readonly last: Timecode | null;
  /** Whether the followed timeline is running. */
  readonly running: boolean;
}

export class ArtNetTimecodeSender {
  private timer: unknown = null;
  private started = false;
  private lastFrame: number | null = null;
  private lastSentAt = -Infinity;
  private playing = false;
  private sent = 0;
  private last: Timecode | null = null;

  constructor(private readonly options: ArtNetTimecodeSenderOptions) {}

  /** Begins following the timeline; returns the way to stop. */
  start(): () => void {
    this.started = true;
    this.update();
    return () => this.stop();
  }

  stop(): void {
    this.started = false;
    this.cancelTimer();
    this.lastFrame = null;
    this.playing = false;
  }

  get stats(): ArtNetTimecodeStats {
    return { sent: this.sent, last: this.last, running: this.playing };
  }

  /** Re-reads the timeline now: call it whenever position, play state or track changes. */
  update(): void {
    if (!this.started) return;
    this.cancelTimer();
    const { timers, rate } = this.options;
    const now = timers.now();
    const sample = this.options.sample(now);
    const framePeriod = frameCountToMs(1, rate);
    if (sample === null || !Number.isFinite(sample.positionMs)) {
      // Nothing to follow: nothing to send; look again a frame later.
      this.lastFrame = null;
      this.playing = false;
      this.schedule(framePeriod);
      return;
    }
    if (sample.speed > 0) {
      this.whilePlaying(now, sample, framePeriod);
    } else {
      this.whileStopped(now, sample, framePeriod);
    }
  }

  /**
   * A new position reading arrived (a precise position packet, a status): if
   * the timeline is now more than `jumpFrames` from the last frame sent, or
   * it started or stopped, re-reads it at once (update()); otherwise the
   * frame cadence carries on untouched.
   */
  reposition(): void {
    if (!this.started) return;
    const last = this.lastFrame;
    if (last === null) {
      this.update();
      return;
    }
    const sample = this.options.sample(this.options.timers.now());
    if (sample === null || !Number.isFinite(sample.positionMs)) return;
    const frame = msToFrameCount(sample.positionMs, this.options.rate);
    const jumpFrames = this.options.jumpFrames ?? DEFAULT_JUMP_FRAMES;
    if (Math.abs(frame - last) > jumpFrames || sample.speed > 0 !== this.playing) this.update();
  }

  private whilePlaying(now: number, sample: TimelineSample, framePeriod: number): void {
    const { rate } = this.options;
    const frame = msToFrameCount(sample.positionMs + TIMER_SLACK_MS * sample.speed, rate);
    const jumpFrames = this.options.jumpFrames ?? DEFAULT_JUMP_FRAMES;
    const last = this.lastFrame;
    if (!this.playing || last === null || frame > last || last - frame > jumpFrames) this.send(frame, now);
    this.playing = true;
    const sent = this.lastFrame ?? frame;
    const nextStart = frameCountToMs(Math.max(frame, sent) + 1, rate);
    const wait = (nextStart - sample.positionMs) / sample.speed;
    this.schedule(Math.min(Math.max(0, wait), framePeriod * 4));
  }

  private whileStopped(now: number, sample: TimelineSample, framePeriod: number): void {
    const { rate } = this.options;
    const frame = msToFrameCount(sample.positionMs, rate);
    const wasPlaying = this.playing;
    this.playing = false;
    if (this.options.onStop === 'hold') {
      const holdMs = this.options.holdResendMs ?? HOLD_RESEND_MS;
      if (wasPlaying || frame !== this.lastFrame || now - this.lastSentAt >= holdMs) this.send(frame, now);
    }
    this.schedule(framePeriod);
  }

  private send(frame: number, now: number): void {
    const tc = frameCountToTimecode(frame, this.options.rate);
    this.lastFrame = frame;
    this.lastSentAt = now;
    this.sent++;
    this.last = tc;
    this.options.send(encodeArtTimeCodeUnchecked(tc, this.options.rate));
  }

  private schedule(ms: number): void {
    this.timer = this.options.timers.setTimeout(() => {
      this.timer = null;
      this.update();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
