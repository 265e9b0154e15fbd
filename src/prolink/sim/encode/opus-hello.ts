/**
 * The OPUS-QUAD's lighting hello, type 0x10 on port 50002 (protocol doc §2.5):
 * the 36-byte header alone, name OPUS-QUAD, 0x1f = 01, 0x20 = 00, D = 09 and
 * a length field of 0000. It is sent to a rekordbox-lighting peer until that
 * peer answers with 0x11.
 */
import { OPUS_HELLO_LENGTH, TYPE_OPUS_HELLO } from '../../packets/status-request';
import { OPUS_FIRST_DEVICE, OPUS_NAME } from '../../packets/header';
import { shapeB } from './shape-b';

export interface OpusHelloFields {
  /** Defaults to OPUS-QUAD. */
  readonly name?: string;
  /** Defaults to 9, the first deck. */
  readonly device?: number;
}

export function encodeOpusHello(f: OpusHelloFields = {}): Buffer {
  return shapeB({
    type: TYPE_OPUS_HELLO,
    length: OPUS_HELLO_LENGTH,
    name: f.name ?? OPUS_NAME,
    device: f.device ?? OPUS_FIRST_DEVICE,
    lengthField: 0,
  });
}
