/**
 * Decode failures are values, never exceptions. Every decoder in this folder
 * returns either its packet type or a PacketError.
 */
export type PacketErrorCode =
  | 'too-short' // fewer bytes than the furthest offset the decoder reads
  | 'bad-magic' // the first ten bytes are not "Qspt1WmJOL"
  | 'bad-length' // a length field disagrees with the datagram
  | 'bad-value'; // a field holds a value the decoder cannot accept

export class PacketError {
  readonly name = 'PacketError';

  constructor(
    readonly code: PacketErrorCode,
    readonly message: string,
    /** UDP port the datagram arrived on, when known. */
    readonly port: number | null,
    /** Packet type byte (offset 0x0a), when the datagram is long enough to have one. */
    readonly type: number | null,
    /** Number of bytes in the datagram. */
    readonly length: number,
  ) {}

  toString(): string {
    const t = this.type === null ? '??' : this.type.toString(16).padStart(2, '0');
    return `PacketError[${this.code}] port ${this.port ?? '?'} type 0x${t}: ${this.message}`;
  }
}

export function isPacketError(value: unknown): value is PacketError {
  return value instanceof PacketError;
}
