/**
 * Art-Net problems are values, never exceptions: the encoder and the socket
 * return or report an ArtNetError whose message is one sentence a user can
 * act on.
 */
export type ArtNetErrorCode =
  | 'bad-timecode' // a timecode label that is out of range or cannot exist at its rate
  | 'bad-address' // `to:` is not an IPv4 address or "broadcast"
  | 'port-in-use' // the local port to send from is taken by another program
  | 'bind-failed' // the system refused to open the socket for another reason
  | 'unreachable' // no route to the address (interface down, wrong network)
  | 'broadcast-refused' // the system refused a broadcast (or a firewall refused the packet)
  | 'send-failed'; // any other refusal to send

export class ArtNetError {
  readonly name = 'ArtNetError';

  constructor(
    readonly code: ArtNetErrorCode,
    /** One sentence a user can act on. */
    readonly message: string,
    /** The underlying system error text, when there is one. */
    readonly cause: string | null = null,
  ) {}

  toString(): string {
    return `ArtNetError[${this.code}]: ${this.message}`;
  }
}
