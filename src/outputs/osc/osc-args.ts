/**
 * The arguments of one OSC message while it is being built, in columns that
 * are cleared and filled again for every message: the engine resolves a
 * rule's arguments into one of these and a target encodes them at once, so a
 * message costs no argument objects. Whoever receives one reads it
 * synchronously and never keeps it (toArguments() makes a copy to keep).
 */
import type { OscArgument } from './osc-message';

export type OscArgType = OscArgument['type'];

export class OscArgs {
  private count = 0;
  private readonly typeColumn: OscArgType[] = [];
  private readonly valueColumn: (number | string | boolean | null)[] = [];

  get length(): number {
    return this.count;
  }

  clear(): void {
    this.count = 0;
  }

  push(type: OscArgType, value: number | string | boolean | null): void {
    this.typeColumn[this.count] = type;
    this.valueColumn[this.count] = value;
    this.count++;
  }

  typeAt(i: number): OscArgType {
    return this.typeColumn[i] as OscArgType;
  }

  valueAt(i: number): number | string | boolean | null {
    return this.valueColumn[i] as number | string | boolean | null;
  }

  /** Fills the columns from message arguments (the reverse of toArguments). */
  setArguments(args: readonly OscArgument[]): this {
    this.clear();
    for (const arg of args) this.push(arg.type, arg.type === 'nil' ? null : arg.value);
    return this;
  }

  /** The arguments as values of their own, to keep. */
  toArguments(): OscArgument[] {
    const args = new Array<OscArgument>(this.count);
    for (let i = 0; i < this.count; i++) {
      const type = this.typeAt(i);
      const value = this.valueAt(i);
      switch (type) {
        case 'int':
        case 'float':
          args[i] = { type, value: value as number };
          break;
        case 'string':
          args[i] = { type, value: value as string };
          break;
        case 'bool':
          args[i] = { type, value: value as boolean };
          break;
        case 'nil':
          args[i] = { type };
          break;
      }
    }
    return args;
  }
}
