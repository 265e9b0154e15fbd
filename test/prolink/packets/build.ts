/**
 * Builds test datagrams straight from the protocol doc's byte tables, for the
 * packet families that have no real capture among the fixture files. Nothing
 * here uses the codec under test.
 */
const MAGIC = [0x51, 0x73, 0x70, 0x74, 0x31, 0x57, 0x6d, 0x4a, 0x4f, 0x4c];

/** Bytes to place at an offset. */
export type Placement = readonly [offset: number, bytes: readonly number[]];

function place(buf: Buffer, placements: readonly Placement[]): void {
  for (const [offset, bytes] of placements) {
    bytes.forEach((b, i) => {
      buf[offset + i] = b;
    });
  }
}

function ascii(text: string): number[] {
  return [...text].map((c) => c.charCodeAt(0));
}

/** §1.1 shape B (ports 50001/50002): name at 0x0b, 0x1f, subtype 0x20, D 0x21, len_r 0x22. */
export function shapeB(
  type: number,
  h: { name: string; device: number; length: number; subtype?: number; one?: number; lengthField?: number },
  body: readonly Placement[] = [],
): Buffer {
  const buf = Buffer.alloc(h.length);
  const lengthField = h.lengthField ?? h.length - 0x24;
  place(buf, [
    [0x00, MAGIC],
    [0x0a, [type]],
    [0x0b, ascii(h.name)],
    [0x1f, [h.one ?? 0x01, h.subtype ?? 0x00, h.device, lengthField >> 8, lengthField & 0xff]],
  ]);
  place(buf, body);
  return buf;
}

/** §1.1 shape A (port 50000): sub-kind 0x0b, name at 0x0c, 01, structure 0x21, len_p 0x22. */
export function shapeA(
  type: number,
  h: { name: string; length: number; structure?: number; subKind?: number },
  body: readonly Placement[] = [],
): Buffer {
  const buf = Buffer.alloc(h.length);
  place(buf, [
    [0x00, MAGIC],
    [0x0a, [type, h.subKind ?? 0x00]],
    [0x0c, ascii(h.name)],
    [0x20, [0x01, h.structure ?? 0x02, h.length >> 8, h.length & 0xff]],
  ]);
  place(buf, body);
  return buf;
}

/** "de ad be ef" -> bytes. */
export function hex(text: string): Buffer {
  return Buffer.from(text.replace(/[^0-9a-fA-F]/g, ''), 'hex');
}

export function u32be(value: number): number[] {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

export function u16be(value: number): number[] {
  return [(value >> 8) & 0xff, value & 0xff];
}
