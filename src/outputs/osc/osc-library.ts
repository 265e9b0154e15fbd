/**
 * The `osc` package, loaded without its Node entry point: that entry also
 * loads osc's serial-port transport and with it the native `serialport`
 * addon, which the bridge never uses and which costs start-up time. This
 * module takes osc's core (OSC encoding and decoding) and its SLIP port
 * (the framing of OSC 1.1 over TCP), and carries the types of the parts the
 * bridge uses, since the package ships none.
 */
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';

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

export interface TCPSocketPortOptions extends OscOptions {
  /** A connected (or connecting) TCP socket; the port sends on it and decodes what it receives. */
  socket: Socket;
}

/** osc's SLIPPort: SLIP-framed OSC out through `sendRaw`, and decoding of the bytes emitted to it as 'data'. */
interface OscSlipPort {
  send(packet: OscMessagePacket): void;
  sendRaw: (encoded: Uint8Array) => void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  emit(event: string, ...args: unknown[]): boolean;
}

interface OscCore {
  writePacket(packet: OscMessagePacket, options?: OscOptions): Uint8Array;
  readPacket(data: Uint8Array, options?: OscOptions): OscMessagePacket;
  SLIPPort: new (options: OscOptions & { useSLIP: boolean }) => OscSlipPort;
}

// osc-transports.js is osc's core (osc.js) with its transport-independent ports added; it needs only `slip`.
const core = require('osc/src/osc-transports.js') as OscCore;

/** One OSC message as bytes (with `metadata: true`, arguments carry explicit types). */
export function writePacket(packet: OscMessagePacket, options?: OscOptions): Uint8Array {
  return core.writePacket(packet, options);
}

export function readPacket(data: Uint8Array, options?: OscOptions): OscMessagePacket {
  return core.readPacket(data, options);
}

/** Events of osc's port passed on to the users of a TCPSocketPort. */
const PORT_EVENTS = ['message', 'bundle', 'osc', 'raw', 'error'] as const;

/**
 * OSC over a TCP socket with SLIP framing, as osc's own Node TCPSocketPort
 * does it: packets are encoded and framed by osc's SLIPPort; socket errors
 * and the close are emitted as 'error' and 'close'.
 */
export class TCPSocketPort extends EventEmitter {
  private readonly socket: Socket;
  private readonly slip: OscSlipPort;

  constructor(options: TCPSocketPortOptions) {
    super();
    const { socket, ...oscOptions } = options;
    this.socket = socket;
    this.slip = new core.SLIPPort({ ...oscOptions, useSLIP: true });
    this.slip.sendRaw = (encoded) => this.write(encoded);
    for (const event of PORT_EVENTS) this.slip.on(event, (...args) => this.emit(event, ...args));
    socket.on('data', (data: Buffer) => this.slip.emit('data', data, undefined));
    socket.on('error', (error: Error) => this.emit('error', error));
    socket.on('close', (hadError: boolean) => this.emit('close', hadError));
  }

  send(packet: OscMessagePacket): void {
    this.slip.send(packet);
  }

  close(): void {
    this.socket.end();
  }

  private write(encoded: Uint8Array): void {
    try {
      this.socket.write(Buffer.from(encoded));
    } catch (error) {
      this.emit('error', error);
    }
  }
}
