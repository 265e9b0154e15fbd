import type { OutputCommand } from '../mapping/engine';

/** One line for an output command, as the debug log and the monitor show it. */
export function describeCommand(c: OutputCommand): string {
  switch (c.kind) {
    case 'osc':
      return `${c.target} ${c.address}${c.args.map((a) => (a.type === 'nil' ? ' nil' : ` ${a.type}:${String(a.value)}`)).join('')}`;
    case 'midi-note':
      return `${c.target} note ${c.note} vel ${c.velocity} ch ${c.channel} for ${c.durationMs} ms`;
    case 'midi-cc':
      return `${c.target} cc ${c.controller}=${c.value} ch ${c.channel}`;
    case 'midi-program':
      return `${c.target} program ${c.program} ch ${c.channel}`;
    case 'ws':
      return `${c.target} ${JSON.stringify(c.message).slice(0, 80)}`;
  }
}
