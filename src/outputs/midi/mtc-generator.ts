/**
 * The MTC generator as a pure state machine: given where the timeline is at a
 * moment (position, speed, rate), it says which messages to send now and when
 * to be asked again. No timers here; mtc-sender.ts drives it.
 *
 * The timeline is cut into quarter-frame slots of 1000 / (4 × realFps) ms
 * (8.34 ms at 29.97, 10.42 ms at 24). Slot q belongs to frame ⌊q / 4⌋ and is
 * piece q mod 8 of the cycle that describes frame 2⌊q / 8⌋, so cycles start on
 * even frame counts and follow the convention in mtc-messages.ts.
 *
 * A full frame is sent on start, on a rate change, on any jump of more than
 * `jumpFrames` frames (forwards or backwards), and whenever a stopped
 * timeline is located at a new frame. After a full frame, quarter frames
 * resume with piece 0 at the next cycle start, so receivers never see a
 * cycle that began before the locate. A small step backwards (position
 * jitter) sends nothing until the timeline passes the last slot sent.
 * Playing backwards is treated as stopped: each new frame is a locate.
 */
import type { MidiMessage } from './midi-bytes';
import { encodeFullFrame, encodeQuarterFrame, FRAMES_PER_CYCLE, QUARTER_FRAME_PIECES } from './mtc-messages';
import { mtcRateInfo, type MtcRate } from './mtc-rate';
import { frameCountToTimecode, type Timecode } from './mtc-timecode';

const SLOTS_PER_FRAME = 4;
/** Tolerance, in slots, for positions a float's width short of a slot edge. */
const SLOT_EPSILON = 1e-6;
export const DEFAULT_JUMP_FRAMES = 2;

export interface MtcInput {
  /** The clock time of this step, in ms (any monotonic clock). */
  readonly now: number;
  /** Timecode position at `now`, in ms since 00:00:00:00; null when there is nothing to follow. */
  readonly positionMs: number | null;
  /** Timeline ms per clock ms: 1 at normal speed, 1.08 at +8 % pitch, 0 (or less) when stopped. */
  readonly speed: number;
  readonly rate: MtcRate;
}

export interface MtcGeneratorState {
  readonly rate: MtcRate | null;
  readonly running: boolean;
  /** While running: the last slot sent (or the slot before the next cycle to start). */
  readonly lastSlot: number | null;
  /** While stopped: the frame count the last full frame located at. */
  readonly locatedFrame: number | null;
}

export interface MtcStep {
  readonly state: MtcGeneratorState;
  /** Messages to send now, in order. */
  readonly messages: readonly MidiMessage[];
  /** The timecode a full frame in `messages` located at, or null when none was sent. */
  readonly located: Timecode | null;
  /** Clock time at which the next quarter frame is due, or null while stopped. */
  readonly nextAt: number | null;
}

export const INITIAL_MTC_STATE: MtcGeneratorState = { rate: null, running: false, lastSlot: null, locatedFrame: null };

/** Duration of one quarter-frame slot in timeline ms: 1 / (4 · fps) s. */
export function quarterFrameMs(rate: MtcRate): number {
  return 1000 / (SLOTS_PER_FRAME * mtcRateInfo(rate).realFps);
}

export function slotAt(positionMs: number, rate: MtcRate): number {
  return Math.floor((positionMs * SLOTS_PER_FRAME * mtcRateInfo(rate).realFps) / 1000 + SLOT_EPSILON);
}

export function slotStartMs(slot: number, rate: MtcRate): number {
  return (slot * 1000) / (SLOTS_PER_FRAME * mtcRateInfo(rate).realFps);
}

const SLOTS_PER_CYCLE = QUARTER_FRAME_PIECES;

function mod(value: number, by: number): number {
  return ((value % by) + by) % by;
}

/** The quarter-frame message of one slot. */
export function slotMessage(slot: number, rate: MtcRate): MidiMessage {
  const cycle = Math.floor(slot / SLOTS_PER_CYCLE);
  return encodeQuarterFrame(mod(slot, SLOTS_PER_CYCLE), frameCountToTimecode(cycle * FRAMES_PER_CYCLE, rate), rate);
}

function locate(frame: number, rate: MtcRate): { message: MidiMessage; tc: Timecode } {
  const tc = frameCountToTimecode(frame, rate);
  return { message: encodeFullFrame(tc, rate), tc };
}

export function stepMtc(state: MtcGeneratorState, input: MtcInput, jumpFrames = DEFAULT_JUMP_FRAMES): MtcStep {
  const { now, positionMs, speed, rate } = input;
  if (positionMs === null || !Number.isFinite(positionMs)) {
    return { state: INITIAL_MTC_STATE, messages: [], located: null, nextAt: null };
  }
  const rateChanged = state.rate !== null && state.rate !== rate;
  const slot = slotAt(positionMs, rate);
  const frame = Math.floor(slot / SLOTS_PER_FRAME);

  if (!(speed > 0)) {
    if (state.running || rateChanged || state.locatedFrame !== frame) {
      const { message, tc } = locate(frame, rate);
      return { state: { rate, running: false, lastSlot: null, locatedFrame: frame }, messages: [message], located: tc, nextAt: null };
    }
    return { state, messages: [], located: null, nextAt: null };
  }

  const messages: MidiMessage[] = [];
  let located: Timecode | null = null;
  let lastSlot = state.lastSlot;
  const jumpSlots = jumpFrames * SLOTS_PER_FRAME;
  if (!state.running || rateChanged || lastSlot === null || Math.abs(slot - lastSlot) > jumpSlots) {
    const full = locate(frame, rate);
    messages.push(full.message);
    located = full.tc;
    lastSlot = Math.ceil(slot / SLOTS_PER_CYCLE) * SLOTS_PER_CYCLE - 1;
  }
  for (let next = lastSlot + 1; next <= slot; next++) {
    messages.push(slotMessage(next, rate));
    lastSlot = next;
  }
  const nextSlot = Math.max(lastSlot + 1, slot + 1);
  const nextAt = now + (slotStartMs(nextSlot, rate) - positionMs) / speed;
  return { state: { rate, running: true, lastSlot, locatedFrame: null }, messages, located, nextAt };
}
