/**
 * OSC messages as the mapping engine produces them: an address and explicitly
 * typed arguments. Untyped numbers are never sent (the osc package would send
 * them as floats, which QLab and grandMA3 read differently from ints).
 */
import * as osc from './osc-library';
import { OscArgs } from './osc-args';
import { oscMessageProblem } from './osc-writer';

export type OscArgument =
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'nil' };

export interface OscMessage {
  readonly address: string;
  readonly args: readonly OscArgument[];
}

export type EncodeResult = { ok: true; bytes: Buffer; packet: osc.OscMessagePacket } | { ok: false; message: string };

function toPacketArgument(arg: OscArgument): osc.OscMetadataArgument {
  switch (arg.type) {
    case 'int':
      return { type: 'i', value: arg.value };
    case 'float':
      return { type: 'f', value: arg.value };
    case 'string':
      return { type: 's', value: arg.value };
    case 'bool':
      return { type: arg.value ? 'T' : 'F' };
    case 'nil':
      return { type: 'N' };
  }
}

/** The arguments being checked (osc-writer.ts holds the rules both encoders follow). */
const checked = new OscArgs();

/** Encodes one message with the osc package; a bad value is a result, not an exception. */
export function encodeOscMessage(message: OscMessage): EncodeResult {
  const problem = oscMessageProblem(message.address, checked.setArguments(message.args));
  if (problem !== null) return { ok: false, message: problem };
  const packet: osc.OscMessagePacket = { address: message.address, args: message.args.map(toPacketArgument) };
  try {
    return { ok: true, packet, bytes: Buffer.from(osc.writePacket(packet, { metadata: true })) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

export function describeOscMessage(message: OscMessage): string {
  const args = message.args.map((a) => (a.type === 'nil' ? 'nil' : `${a.type}:${JSON.stringify(a.value)}`));
  return [message.address, ...args].join(' ');
}
