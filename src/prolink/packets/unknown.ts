/**
 * Any (port, type) the dispatch table does not know (§1.2 lists several, e.g.
 * 0x16, 0x19/0x1a, 0x34, and captures show 0x46/0x47). Not an error: the
 * datagram is valid Pro DJ Link, just not one this codec interprets.
 */
import { B_DEVICE, OFFSET_TYPE, PORT_ANNOUNCE } from './header';
import { nameAt, nameOffsetFor, startsWithMagic, u8 } from './common';
import { PacketError } from './errors';

export interface UnknownPacket {
  readonly kind: 'unknown';
  readonly port: number;
  readonly type: number;
  /** The name at the shape A/B offset for the port ('' when the datagram is too short). */
  readonly name: string;
  /** D at 0x21 on ports with a shape B header, when present; null otherwise. */
  readonly device: number | null;
  /** The whole datagram (the same Buffer, not a copy). */
  readonly raw: Buffer;
  readonly length: number;
}

export function decodeUnknown(buf: Buffer, port: number): UnknownPacket | PacketError {
  const length = buf.length;
  if (length <= OFFSET_TYPE) {
    return new PacketError('too-short', `datagram of ${length} bytes has no type byte`, port, null, length);
  }
  const type = u8(buf, OFFSET_TYPE);
  if (!startsWithMagic(buf)) {
    return new PacketError('bad-magic', 'missing the Qspt1WmJOL magic', port, type, length);
  }
  const nameOffset = nameOffsetFor(port);
  return {
    kind: 'unknown',
    port,
    type,
    name: length > nameOffset ? nameAt(buf, nameOffset) : '',
    device: port !== PORT_ANNOUNCE && length > B_DEVICE ? u8(buf, B_DEVICE) : null,
    raw: buf,
    length,
  };
}
