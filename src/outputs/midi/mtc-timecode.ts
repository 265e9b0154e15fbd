/**
 * Timecode labels <-> frame counts <-> milliseconds.
 *
 * A frame count is the number of real frames since 00:00:00:00. At 24, 25 and
 * 30 fps the label is the count split into h:m:s:f. At 29.97 drop-frame the
 * video runs at 30000/1001 frames per real second while labels count 30 per
 * second, so SMPTE drop-frame skips labels ;00 and ;01 at the start of every
 * minute except minutes 0, 10, 20, 30, 40 and 50 (17982 frames per 10 minutes).
 * Labels wrap at 24 hours; so do frame counts, including negative ones.
 */
import { MidiError } from './midi-errors';
import { mtcRateInfo, type MtcRate } from './mtc-rate';

export interface Timecode {
  readonly hours: number;
  readonly minutes: number;
  readonly seconds: number;
  readonly frames: number;
}

const HOURS_PER_DAY = 24;
const DROPPED_PER_MINUTE = 2;
/** Real frames in a 10-minute drop-frame block: 10 × 1800 − 9 × 2. */
export const DF_FRAMES_PER_10_MINUTES = 17982;
/** Real frames in a drop-frame minute that drops labels: 1800 − 2. */
const DF_FRAMES_PER_DROP_MINUTE = 1798;
/** Tolerance, in frames, for ms values that are a float's width short of a frame edge. */
const FRAME_EPSILON = 1e-6;

/** Real frames in 24 hours at this rate. */
export function framesPerDay(rate: MtcRate): number {
  const info = mtcRateInfo(rate);
  if (info.dropFrame) return DF_FRAMES_PER_10_MINUTES * 6 * HOURS_PER_DAY;
  return info.nominalFps * 60 * 60 * HOURS_PER_DAY;
}

function wrapFrames(count: number, rate: MtcRate): number {
  const day = framesPerDay(rate);
  return ((count % day) + day) % day;
}

/** The label of a frame count (wrapped into one day). */
export function frameCountToTimecode(count: number, rate: MtcRate): Timecode {
  const info = mtcRateInfo(rate);
  let n = wrapFrames(Math.floor(count), rate);
  if (info.dropFrame) {
    // Add back the labels skipped before this frame, then split as 30 fps.
    const blocks = Math.floor(n / DF_FRAMES_PER_10_MINUTES);
    const rest = n % DF_FRAMES_PER_10_MINUTES;
    const droppingMinutes = rest < DROPPED_PER_MINUTE ? 0 : Math.floor((rest - DROPPED_PER_MINUTE) / DF_FRAMES_PER_DROP_MINUTE);
    n += DROPPED_PER_MINUTE * (9 * blocks + droppingMinutes);
  }
  const fps = info.nominalFps;
  return {
    hours: Math.floor(n / (fps * 3600)) % HOURS_PER_DAY,
    minutes: Math.floor(n / (fps * 60)) % 60,
    seconds: Math.floor(n / fps) % 60,
    frames: n % fps,
  };
}

/** Null when every field is in range and the label exists at this rate. */
export function validateTimecode(tc: Timecode, rate: MtcRate): MidiError | null {
  const info = mtcRateInfo(rate);
  const fields: readonly (readonly [string, number, number])[] = [
    ['hours', tc.hours, HOURS_PER_DAY - 1],
    ['minutes', tc.minutes, 59],
    ['seconds', tc.seconds, 59],
    ['frames', tc.frames, info.nominalFps - 1],
  ];
  for (const [field, value, max] of fields) {
    if (!Number.isInteger(value) || value < 0 || value > max) {
      return new MidiError('out-of-range', `timecode ${field} must be an integer from 0 to ${max} at ${rate} fps, got ${value}`);
    }
  }
  if (info.dropFrame && tc.seconds === 0 && tc.frames < DROPPED_PER_MINUTE && tc.minutes % 10 !== 0) {
    return new MidiError('bad-timecode', `${formatTimecode(tc, rate)} does not exist in 29.97 drop-frame: frames 00 and 01 are skipped at this minute`);
  }
  return null;
}

/** The frame count of a label. */
export function timecodeToFrameCount(tc: Timecode, rate: MtcRate): number | MidiError {
  const bad = validateTimecode(tc, rate);
  if (bad !== null) return bad;
  const info = mtcRateInfo(rate);
  const labelCount = ((tc.hours * 60 + tc.minutes) * 60 + tc.seconds) * info.nominalFps + tc.frames;
  if (!info.dropFrame) return labelCount;
  const totalMinutes = tc.hours * 60 + tc.minutes;
  return labelCount - DROPPED_PER_MINUTE * (totalMinutes - Math.floor(totalMinutes / 10));
}

/** The frame a position falls in: frame n covers [n, n + 1) / realFps seconds. Not wrapped. */
export function msToFrameCount(ms: number, rate: MtcRate): number {
  return Math.floor((ms * mtcRateInfo(rate).realFps) / 1000 + FRAME_EPSILON);
}

/** The start of frame n in ms (exact real time, 1001/30 ms per frame at 29.97). */
export function frameCountToMs(count: number, rate: MtcRate): number {
  const info = mtcRateInfo(rate);
  return info.dropFrame ? (count * 1001) / 30 : (count * 1000) / info.nominalFps;
}

/** The label of the frame a position falls in; positions wrap at 24 hours. */
export function msToTimecode(ms: number, rate: MtcRate): Timecode | MidiError {
  if (!Number.isFinite(ms)) return new MidiError('out-of-range', `a timecode position must be a finite number of ms, got ${ms}`);
  return frameCountToTimecode(msToFrameCount(ms, rate), rate);
}

/** The real time at which a label's frame starts, in ms since 00:00:00:00. */
export function timecodeToMs(tc: Timecode, rate: MtcRate): number | MidiError {
  const count = timecodeToFrameCount(tc, rate);
  return typeof count === 'number' ? frameCountToMs(count, rate) : count;
}

const two = (value: number): string => String(value).padStart(2, '0');

/** HH:MM:SS:FF, with ';' before the frames at 29.97 drop-frame (the SMPTE convention). */
export function formatTimecode(tc: Timecode, rate: MtcRate): string {
  const separator = mtcRateInfo(rate).dropFrame ? ';' : ':';
  return `${two(tc.hours)}:${two(tc.minutes)}:${two(tc.seconds)}${separator}${two(tc.frames)}`;
}

const TIMECODE_TEXT = /^(\d{1,2}):(\d{2}):(\d{2})[:;.](\d{2})$/;

/** Parses HH:MM:SS:FF (';' or '.' also accepted before the frames) and checks it at this rate. */
export function parseTimecode(text: string, rate: MtcRate): Timecode | MidiError {
  const match = TIMECODE_TEXT.exec(text.trim());
  if (match === null) return new MidiError('bad-timecode', `"${text}" is not a timecode HH:MM:SS:FF`);
  const [hours, minutes, seconds, frames] = match.slice(1).map(Number) as [number, number, number, number];
  const tc: Timecode = { hours, minutes, seconds, frames };
  return validateTimecode(tc, rate) ?? tc;
}
