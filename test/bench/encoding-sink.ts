/**
 * The engine's sink for the allocation bench: what the output router and a
 * UDP OSC target do with each command, short of the socket. OSC messages are
 * encoded into the target's slab (and released at once, as the socket's
 * callback would), MIDI commands are read as a port would take them, and a
 * WebSocket message is kept as the target would queue it.
 */
import type { CompiledRule } from '../../src/mapping/compiled-mapping';
import type { CommandSink } from '../../src/mapping/output-commands';
import type { OscArgs } from '../../src/outputs/osc/osc-args';
import { OscSlab } from '../../src/outputs/osc/osc-slab';

export class EncodingSink implements CommandSink {
  private readonly slab = new OscSlab();
  /** Bytes encoded and commands taken, so nothing is optimised away. */
  bytes = 0;
  commands = 0;
  rules = 0;

  ruleFired(_rule: CompiledRule): void {
    this.rules++;
  }

  osc(_target: string, _rule: string, address: string, args: OscArgs): void {
    const encoded = this.slab.encode(address, args);
    if (typeof encoded === 'string') return;
    this.bytes += encoded.length;
    this.commands++;
    this.slab.release();
  }

  midiNote(_target: string, _rule: string, channel: number, note: number, velocity: number): void {
    this.bytes += channel + note + velocity > 0 ? 3 : 0;
    this.commands++;
  }

  midiCc(_target: string, _rule: string, channel: number, controller: number, value: number): void {
    this.bytes += channel + controller + value > 0 ? 3 : 0;
    this.commands++;
  }

  midiProgram(_target: string, _rule: string, channel: number, program: number): void {
    this.bytes += channel + program > 0 ? 2 : 0;
    this.commands++;
  }

  ws(_target: string, _rule: string, message: Readonly<Record<string, unknown>>): void {
    this.bytes += Object.keys(message).length;
    this.commands++;
  }
}
