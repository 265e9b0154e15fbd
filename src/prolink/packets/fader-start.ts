/**
 * Fader start, type 0x02 on port 50001, 0x28 bytes (§6.3): one command byte
 * per channel at 0x24-0x27.
 */
import { B_DEVICE, B_NAME, PORT_BEAT } from './header';
import { checkPacket, nameAt, u8 } from './common';
import type { PacketError } from './errors';

export const TYPE_FADER_START = 0x02;
export const FADER_START_LENGTH = 0x28;
export const FADER_COMMANDS = 0x24;

/** §6.3: 00 start, 01 stop and return to cue, 02 leave alone. */
export type FaderCommand = 'start' | 'stop' | 'ignore' | 'unknown';
const COMMAND_NAMES: readonly FaderCommand[] = ['start', 'stop', 'ignore'];

export interface FaderStart {
  readonly kind: 'faderStart';
  readonly port: number;
  readonly type: number;
  readonly name: string;
  readonly device: number;
  /** Channel 1 first. */
  readonly commands: readonly FaderCommand[];
  readonly commandsRaw: readonly number[];
  readonly length: number;
}

export function decodeFaderStart(buf: Buffer, port: number = PORT_BEAT): FaderStart | PacketError {
  const error = checkPacket(buf, port, TYPE_FADER_START, FADER_START_LENGTH, 'fader start packet');
  if (error !== null) return error;
  const commandsRaw: number[] = [];
  const commands: FaderCommand[] = [];
  for (let i = 0; i < 4; i++) {
    const raw = u8(buf, FADER_COMMANDS + i);
    commandsRaw.push(raw);
    commands.push(COMMAND_NAMES[raw] ?? 'unknown');
  }
  return {
    kind: 'faderStart',
    port,
    type: TYPE_FADER_START,
    name: nameAt(buf, B_NAME),
    device: u8(buf, B_DEVICE),
    commands,
    commandsRaw,
    length: buf.length,
  };
}
