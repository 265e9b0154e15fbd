/**
 * How the monitor writes numbers and times.
 */

/** Shown where the gear does not say. */
export const NONE = '—';

export function formatBpm(bpm: number | null): string {
  return bpm === null ? NONE : bpm.toFixed(2);
}

/** Signed percent with two decimals (one from ±100 %), e.g. '+1.59%', '-0.25%', '+0.00%'. */
export function formatPitch(percent: number): string {
  const decimals = Math.abs(percent) >= 99.995 ? 1 : 2;
  const rounded = Number(percent.toFixed(decimals));
  return `${rounded < 0 ? '-' : '+'}${Math.abs(rounded).toFixed(decimals)}%`;
}

export function formatCount(n: number | null): string {
  return n === null ? NONE : String(n);
}

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** Wall-clock time of day, HH:MM:SS, from epoch milliseconds and the local offset from UTC. */
export function clockTime(epochMs: number, utcOffsetMinutes: number): string {
  const dayMs = 86_400_000;
  const local = (((Math.floor(epochMs) + utcOffsetMinutes * 60_000) % dayMs) + dayMs) % dayMs;
  const seconds = Math.floor(local / 1000);
  return `${two(Math.floor(seconds / 3600))}:${two(Math.floor(seconds / 60) % 60)}:${two(seconds % 60)}`;
}

/** An elapsed time: '0:42', '12:03', '1:02:03'. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor(seconds / 60) % 60;
  const s = seconds % 60;
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}
