import { checkHeader, hasMagic, opusDeck, readName, writeName, MAGIC } from '../../../src/prolink/packets/header';
import { PacketError } from '../../../src/prolink/packets/errors';
import { readHexFixture } from '../../support/fixtures';

describe('common header', () => {
  const keepAlive = readHexFixture('kyleawayan__opus-quad-pro-dj-link-analysis', 'rekordbox-lighting-keepalive.hex');

  it('recognises the magic of a captured packet', () => {
    expect(hasMagic(keepAlive)).toBe(true);
    expect(checkHeader(keepAlive, 50000, 0x36)).toBe(0x06);
  });

  it('reads the NUL-padded name at the shape A offset', () => {
    expect(readName(keepAlive, 0x0c)).toBe('rekordbox');
  });

  it('reports short and foreign datagrams as errors, not exceptions', () => {
    const short = checkHeader(Buffer.alloc(3), 50000, 0x36);
    expect(short).toBeInstanceOf(PacketError);
    expect((short as PacketError).code).toBe('too-short');
    const foreign = Buffer.from(keepAlive);
    foreign[0] = 0;
    expect((checkHeader(foreign, 50000, 0x36) as PacketError).code).toBe('bad-magic');
    expect((checkHeader(keepAlive.subarray(0, 20), 50000, 0x36) as PacketError).code).toBe('too-short');
  });

  it('writes names NUL-padded to twenty bytes', () => {
    const buf = Buffer.alloc(32, 0xff);
    writeName(buf, 4, 'OPUS-QUAD');
    expect(buf.subarray(4, 24).toString('latin1')).toBe('OPUS-QUAD' + '\0'.repeat(11));
    expect(buf[24]).toBe(0xff);
    expect(MAGIC.toString('latin1')).toBe('Qspt1WmJOL');
  });

  it('maps OPUS device numbers 9-12 to decks 1-4 and leaves others alone', () => {
    expect([9, 10, 11, 12].map(opusDeck)).toEqual([1, 2, 3, 4]);
    expect([1, 4, 8, 13, 33].map(opusDeck)).toEqual([1, 4, 8, 13, 33]);
  });
});
