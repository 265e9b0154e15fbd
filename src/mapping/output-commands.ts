/**
 * What the engine asks the outputs to do. A run hands each command to a
 * CommandSink the moment it is made: the output router's sink sends it at once
 * (an OSC message is encoded from the engine's argument columns with no
 * objects in between), and CommandList keeps them as OutputCommand values
 * for whoever wants to look at them (runEvent's result, logs, monitors).
 */
import type { OscArgument } from '../outputs/osc/osc-message';
import type { OscArgs } from '../outputs/osc/osc-args';
import type { CompiledRule } from './compiled-mapping';

export type OutputCommand =
  | { readonly kind: 'osc'; readonly target: string; readonly rule: string; readonly address: string; readonly args: readonly OscArgument[] }
  | { readonly kind: 'midi-note'; readonly target: string; readonly rule: string; readonly channel: number; readonly note: number; readonly velocity: number; readonly durationMs: number }
  | { readonly kind: 'midi-cc'; readonly target: string; readonly rule: string; readonly channel: number; readonly controller: number; readonly value: number }
  | { readonly kind: 'midi-program'; readonly target: string; readonly rule: string; readonly channel: number; readonly program: number }
  | { readonly kind: 'ws'; readonly target: string; readonly rule: string; readonly message: Readonly<Record<string, unknown>> };

/** Takes commands as the engine makes them, in order; `args` is only valid during the call. */
export interface CommandSink {
  /** A rule fired; its commands follow. */
  ruleFired(rule: CompiledRule): void;
  osc(target: string, rule: string, address: string, args: OscArgs): void;
  midiNote(target: string, rule: string, channel: number, note: number, velocity: number, durationMs: number): void;
  midiCc(target: string, rule: string, channel: number, controller: number, value: number): void;
  midiProgram(target: string, rule: string, channel: number, program: number): void;
  ws(target: string, rule: string, message: Readonly<Record<string, unknown>>): void;
}

/** A sink that keeps every command as a value, and the rules that fired. */
export class CommandList implements CommandSink {
  readonly commands: OutputCommand[] = [];
  readonly fired: CompiledRule[] = [];

  ruleFired(rule: CompiledRule): void {
    this.fired.push(rule);
  }

  osc(target: string, rule: string, address: string, args: OscArgs): void {
    this.commands.push({ kind: 'osc', target, rule, address, args: args.toArguments() });
  }

  midiNote(target: string, rule: string, channel: number, note: number, velocity: number, durationMs: number): void {
    this.commands.push({ kind: 'midi-note', target, rule, channel, note, velocity, durationMs });
  }

  midiCc(target: string, rule: string, channel: number, controller: number, value: number): void {
    this.commands.push({ kind: 'midi-cc', target, rule, channel, controller, value });
  }

  midiProgram(target: string, rule: string, channel: number, program: number): void {
    this.commands.push({ kind: 'midi-program', target, rule, channel, program });
  }

  ws(target: string, rule: string, message: Readonly<Record<string, unknown>>): void {
    this.commands.push({ kind: 'ws', target, rule, message });
  }
}

/** Hands a command value to a sink (the router takes kept commands this way). */
export function replayCommand(command: OutputCommand, sink: CommandSink, args: OscArgs): void {
  switch (command.kind) {
    case 'osc':
      sink.osc(command.target, command.rule, command.address, args.setArguments(command.args));
      break;
    case 'midi-note':
      sink.midiNote(command.target, command.rule, command.channel, command.note, command.velocity, command.durationMs);
      break;
    case 'midi-cc':
      sink.midiCc(command.target, command.rule, command.channel, command.controller, command.value);
      break;
    case 'midi-program':
      sink.midiProgram(command.target, command.rule, command.channel, command.program);
      break;
    case 'ws':
      sink.ws(command.target, command.rule, command.message);
      break;
  }
}
