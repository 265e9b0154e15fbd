/** "50ms", "1.5s", "2m" or a number of milliseconds, as the schema allows. */
export function durationMs(value: number | string): number {
  if (typeof value === 'number') return value;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(value);
  if (match === null) return NaN;
  const amount = Number(match[1]);
  switch (match[2]) {
    case 's':
      return amount * 1000;
    case 'm':
      return amount * 60_000;
    default:
      return amount;
  }
}
