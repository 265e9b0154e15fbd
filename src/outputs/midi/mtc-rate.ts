/**
 * The four MIDI Time Code frame rates and their 2-bit rate codes
 * (MTC addendum: 0 = 24, 1 = 25, 2 = 29.97 drop-frame, 3 = 30 non-drop).
 */
export type MtcRate = 24 | 25 | 29.97 | 30;

export const MTC_RATES: readonly MtcRate[] = [24, 25, 29.97, 30];

export interface MtcRateInfo {
  readonly rate: MtcRate;
  /** The 2-bit code carried in quarter-frame piece 7 and the full-frame hours byte. */
  readonly code: 0 | 1 | 2 | 3;
  /** Frames per timecode second in the labels (30 for 29.97 drop-frame). */
  readonly nominalFps: number;
  /** Frames per real second: 30000/1001 for 29.97, otherwise the nominal rate. */
  readonly realFps: number;
  /** SMPTE drop-frame numbering: labels ;00 and ;01 skipped at each minute except every tenth. */
  readonly dropFrame: boolean;
}

const INFO: Readonly<Record<MtcRate, MtcRateInfo>> = {
  24: { rate: 24, code: 0, nominalFps: 24, realFps: 24, dropFrame: false },
  25: { rate: 25, code: 1, nominalFps: 25, realFps: 25, dropFrame: false },
  29.97: { rate: 29.97, code: 2, nominalFps: 30, realFps: 30000 / 1001, dropFrame: true },
  30: { rate: 30, code: 3, nominalFps: 30, realFps: 30, dropFrame: false },
};

export function mtcRateInfo(rate: MtcRate): MtcRateInfo {
  return INFO[rate];
}

/** The rate a 2-bit code stands for, or null for anything else. */
export function mtcRateFromCode(code: number): MtcRate | null {
  return MTC_RATES.find((rate) => INFO[rate].code === code) ?? null;
}

export function isMtcRate(value: unknown): value is MtcRate {
  return typeof value === 'number' && (MTC_RATES as readonly number[]).includes(value);
}
