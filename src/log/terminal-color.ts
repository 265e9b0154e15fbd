/**
 * Whether text for a terminal may carry colour: not when NO_COLOR is set to
 * anything but the empty string (https://no-color.org), nor on a dumb
 * terminal. The logs and the live monitor both ask here.
 */
export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  const noColor = env['NO_COLOR'];
  return (noColor === undefined || noColor === '') && env['TERM'] !== 'dumb';
}
