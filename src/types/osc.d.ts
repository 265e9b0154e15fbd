// The parts of the `osc` package (2.4.x) this project uses. It ships no types.
declare module 'osc' {
  import type { Socket } from 'node:net';
  import type { EventEmitter } from 'node:events';

  export type OscTypeTag = 'i' | 'f' | 's' | 'T' | 'F' | 'N' | 'I' | 'd' | 'h' | 'b';

  export interface OscMetadataArgument {
    type: OscTypeTag;
    value?: unknown;
  }

  export interface OscMessagePacket {
    address: string;
    args: OscMetadataArgument[];
  }

  export interface OscOptions {
    metadata?: boolean;
    unpackSingleArgs?: boolean;
  }

  export function writePacket(packet: OscMessagePacket, options?: OscOptions): Uint8Array;
  export function readPacket(data: Uint8Array, options?: OscOptions): OscMessagePacket;

  export interface TCPSocketPortOptions extends OscOptions {
    socket?: Socket;
    useSLIP?: boolean;
  }

  export class TCPSocketPort extends EventEmitter {
    constructor(options: TCPSocketPortOptions);
    send(packet: OscMessagePacket): void;
    close(): void;
  }
}
