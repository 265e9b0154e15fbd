/**
 * Keys that end the monitor: q, Esc or Ctrl-C (raw mode turns Ctrl-C into a
 * byte instead of SIGINT). Escape sequences (arrows, function keys) start with
 * Esc too, and are not a quit.
 */
const ESC = '\x1b';
const CTRL_C = '\x03';

/** Whether a chunk read from a raw-mode terminal asks to quit. */
export function isQuitKey(data: string): boolean {
  if (data === ESC) return true;
  if (data.includes(CTRL_C)) return true;
  if (data.startsWith(ESC)) return false;
  return data.includes('q') || data.includes('Q');
}
