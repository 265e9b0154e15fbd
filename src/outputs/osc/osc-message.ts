/**
 * OSC messages as the mapping engine produces them: an address and explicitly
 * typed arguments. Untyped numbers are never sent (the osc package would send
 * them as floats, which QLab and grandMA3 read differently from ints).
 */
import * as osc from './osc-library';

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

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

function toPacketArgument(arg: OscArgument): osc.OscMetadataArgument | string {
  switch (arg.type) {
    case 'int':
      if (!Number.isInteger(arg.value) || arg.value < INT32_MIN || arg.value > INT32_MAX) {
        return `int argument ${arg.value} is not a 32-bit integer`;
      }
      return { type: 'i', value: arg.value };
    case 'float':
      if (!Number.isFinite(arg.value)) return `float argument ${arg.value} is not a finite number`;
      return { type: 'f', value: arg.value };
    case 'string':
      return { type: 's', value: arg.value };
    case 'bool':
      return { type: arg.value ? 'T' : 'F' };
    case 'nil':
      return { type: 'N' };
  }
}

/** Encodes one message with the osc package; a bad value is a result, not an exception. */
export function encodeOscMessage(message: OscMessage): EncodeResult {
  if (!message.address.startsWith('/')) {
    return { ok: false, message: `OSC address "${message.address}" must start with "/"` };
  }
  const args: osc.OscMetadataArgument[] = [];
  for (const arg of message.args) {
    const converted = toPacketArgument(arg);
    if (typeof converted === 'string') return { ok: false, message: converted };
    args.push(converted);
  }
  const packet: osc.OscMessagePacket = { address: message.address, args };
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
