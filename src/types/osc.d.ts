// The parts of the `osc` package's Node entry (2.4.x) that tests use to check
// the bridge's output against the library. The bridge itself loads osc
// through src/outputs/osc/osc-library.ts, which carries its own types.
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
