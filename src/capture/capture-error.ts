/**
 * Problems found while reading or writing a capture file. Readers return
 * these as values; they never throw on bad input.
 */
export type CaptureErrorCode =
  | 'unknown-format' // neither a pcap nor a pcapng magic at the start of the file
  | 'unsupported-version' // a pcap/pcapng major version this reader does not know
  | 'bad-byte-order' // a pcapng section header whose byte-order magic is unknown
  | 'truncated' // the file ends inside a header, record or block
  | 'bad-block-length' // a pcapng block length that is too small, unaligned or disagrees with its trailer
  | 'bad-option' // a pcapng option that runs past its block (the options are ignored)
  | 'unknown-interface' // a packet block names an interface no description block declared
  | 'bad-packet'; // a frame whose link, IPv4 or UDP header cannot be read

export class CaptureError {
  readonly name = 'CaptureError';

  constructor(
    readonly code: CaptureErrorCode,
    readonly message: string,
    /** Byte offset in the file where the problem was found. */
    readonly offset: number,
    /** 1-based frame number the problem belongs to, when it belongs to one. */
    readonly frame: number | null,
    /** A fatal error ends the reading: nothing after `offset` can be trusted. */
    readonly fatal: boolean,
  ) {}

  toString(): string {
    const where = this.frame === null ? `offset ${this.offset}` : `frame ${this.frame} (offset ${this.offset})`;
    return `CaptureError[${this.code}] at ${where}: ${this.message}`;
  }
}

export function isCaptureError(value: unknown): value is CaptureError {
  return value instanceof CaptureError;
}

export type CaptureWriteErrorCode =
  | 'bad-address' // not a dotted-quad IPv4 address or a six-byte MAC
  | 'bad-port' // outside 0–65535
  | 'bad-timestamp' // negative or beyond 64 bits of nanoseconds
  | 'too-large'; // the payload does not fit one IPv4/UDP datagram

export class CaptureWriteError {
  readonly name = 'CaptureWriteError';

  constructor(
    readonly code: CaptureWriteErrorCode,
    readonly message: string,
  ) {}

  toString(): string {
    return `CaptureWriteError[${this.code}]: ${this.message}`;
  }
}

export function isCaptureWriteError(value: unknown): value is CaptureWriteError {
  return value instanceof CaptureWriteError;
}
