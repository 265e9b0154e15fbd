/**
 * pcapng files: any number of sections (each with its own byte order and
 * interfaces), enhanced, simple and obsolete packet blocks. Unknown blocks
 * are skipped by their length.
 */
import { CaptureError } from './capture-error';
import { i64, u16, u32, u64Split } from './endian';
import type { CaptureFrame } from './frame';
import {
  BLOCK_ALIGNMENT,
  BLOCK_ENHANCED_PACKET,
  BLOCK_INTERFACE_DESCRIPTION,
  BLOCK_MIN_LENGTH,
  BLOCK_PACKET,
  BLOCK_SECTION_HEADER,
  BLOCK_SIMPLE_PACKET,
  BLOCK_TOTAL_LENGTH,
  BLOCK_TRAILER_LENGTH,
  BYTE_ORDER_MAGIC,
  BYTE_ORDER_MAGIC_SWAPPED,
  DEFAULT_TSRESOL,
  EPB_CAPTURED_LENGTH,
  EPB_DATA,
  EPB_INTERFACE,
  EPB_ORIGINAL_LENGTH,
  EPB_TIMESTAMP,
  IDB_LINK_TYPE,
  IDB_OPTIONS,
  IDB_SNAP_LENGTH,
  IF_TSOFFSET,
  IF_TSRESOL,
  OPT_END,
  OPT_HEADER_LENGTH,
  PB_CAPTURED_LENGTH,
  PB_DATA,
  PB_INTERFACE,
  PB_ORIGINAL_LENGTH,
  PB_TIMESTAMP,
  PCAPNG_VERSION_MAJOR,
  SHB_BYTE_ORDER,
  SHB_OPTIONS,
  SHB_VERSION_MAJOR,
  SPB_DATA,
  SPB_ORIGINAL_LENGTH,
  TSRESOL_BINARY,
  TSRESOL_EXPONENT,
  padTo4,
} from './pcapng-format';

const NS_PER_SECOND = 1_000_000_000n;

interface Interface {
  readonly linkType: number;
  readonly snapLength: number;
  /** Timestamp units per second (10^n or 2^n). */
  readonly unitsPerSecond: bigint;
  /** Nanoseconds per unit when that is a whole number (resolutions of 1 ns or coarser), else null. */
  readonly nsPerUnit: bigint | null;
  readonly offsetNs: bigint;
}

interface Section {
  readonly le: boolean;
  readonly interfaces: Interface[];
}

export function isPcapng(file: Buffer): boolean {
  return file.length >= 4 && file.readUInt32BE(0) === BLOCK_SECTION_HEADER;
}

/**
 * Yields every packet record of a pcapng file, numbered as Wireshark numbers
 * them. A fatal CaptureError is the last thing yielded when the file is damaged.
 */
export function* readPcapngFrames(file: Buffer): Generator<CaptureFrame | CaptureError, void, undefined> {
  if (!isPcapng(file)) {
    yield new CaptureError('unknown-format', 'not a pcapng file (no section header block)', 0, null, true);
    return;
  }
  let section: Section | null = null;
  let offset = 0;
  let frame = 0;

  while (offset < file.length) {
    if (file.length - offset < BLOCK_MIN_LENGTH) {
      yield new CaptureError('truncated', 'file ends inside a block header', offset, null, true);
      return;
    }
    const isSectionHeader = file.readUInt32BE(offset) === BLOCK_SECTION_HEADER;
    if (isSectionHeader) {
      const bom = file.readUInt32BE(offset + SHB_BYTE_ORDER);
      if (bom !== BYTE_ORDER_MAGIC && bom !== BYTE_ORDER_MAGIC_SWAPPED) {
        yield new CaptureError('bad-byte-order', 'section header has an unknown byte-order magic', offset, null, true);
        return;
      }
      section = { le: bom === BYTE_ORDER_MAGIC_SWAPPED, interfaces: [] };
    }
    if (section === null) {
      // Unreachable: the file starts with a section header.
      yield new CaptureError('unknown-format', 'block outside any section', offset, null, true);
      return;
    }
    const le = section.le;
    const type = u32(file, offset, le);
    const length = u32(file, offset + BLOCK_TOTAL_LENGTH, le);
    const framing = checkFraming(file, offset, length, le);
    if (framing !== null) {
      yield framing;
      return;
    }
    const end = offset + length - BLOCK_TRAILER_LENGTH; // end of body and options

    if (isSectionHeader) {
      if (length < SHB_OPTIONS + BLOCK_TRAILER_LENGTH) {
        yield tooShort(offset, 'section header', null);
        return;
      }
      const major = u16(file, offset + SHB_VERSION_MAJOR, le);
      if (major !== PCAPNG_VERSION_MAJOR) {
        yield new CaptureError('unsupported-version', `pcapng version ${major} is not 1`, offset, null, true);
        return;
      }
    } else if (type === BLOCK_INTERFACE_DESCRIPTION) {
      if (length < IDB_OPTIONS + BLOCK_TRAILER_LENGTH) {
        yield tooShort(offset, 'interface description', null);
        return;
      }
      const described = describeInterface(file, offset, end, le);
      if (described.error !== null) yield described.error;
      section.interfaces.push(described.iface);
    } else if (type === BLOCK_ENHANCED_PACKET || type === BLOCK_PACKET || type === BLOCK_SIMPLE_PACKET) {
      frame++;
      const record = readPacketBlock(file, offset, end, type, section, frame);
      yield record;
      if (record instanceof CaptureError && record.fatal) return;
    }
    offset += length;
  }
}

function checkFraming(file: Buffer, offset: number, length: number, le: boolean): CaptureError | null {
  if (length < BLOCK_MIN_LENGTH || length % BLOCK_ALIGNMENT !== 0) {
    return new CaptureError('bad-block-length', `block length ${length} is invalid`, offset, null, true);
  }
  if (length > file.length - offset) {
    return new CaptureError(
      'truncated',
      `block of ${length} bytes but only ${file.length - offset} remain`,
      offset,
      null,
      true,
    );
  }
  const trailer = u32(file, offset + length - BLOCK_TRAILER_LENGTH, le);
  if (trailer !== length) {
    return new CaptureError(
      'bad-block-length',
      `block length ${length} disagrees with its trailing copy ${trailer}`,
      offset,
      null,
      true,
    );
  }
  return null;
}

function tooShort(offset: number, what: string, frame: number | null): CaptureError {
  return new CaptureError('bad-block-length', `${what} block is too short for its fields`, offset, frame, true);
}

function describeInterface(
  file: Buffer,
  offset: number,
  end: number,
  le: boolean,
): { readonly iface: Interface; readonly error: CaptureError | null } {
  const linkType = u16(file, offset + IDB_LINK_TYPE, le);
  const snapLength = u32(file, offset + IDB_SNAP_LENGTH, le);
  let unitsPerSecond = 10n ** BigInt(DEFAULT_TSRESOL);
  let offsetNs = 0n;
  let error: CaptureError | null = null;

  let p = offset + IDB_OPTIONS;
  while (p + OPT_HEADER_LENGTH <= end) {
    const code = u16(file, p, le);
    const len = u16(file, p + 2, le);
    if (code === OPT_END) break;
    const value = p + OPT_HEADER_LENGTH;
    if (value + len > end) {
      error = new CaptureError('bad-option', `option ${code} runs past its block`, p, null, false);
      break;
    }
    if (code === IF_TSRESOL && len >= 1) {
      const resol = file[value] as number;
      const exponent = BigInt(resol & TSRESOL_EXPONENT);
      unitsPerSecond = (resol & TSRESOL_BINARY) !== 0 ? 2n ** exponent : 10n ** exponent;
    } else if (code === IF_TSOFFSET && len >= 8) {
      offsetNs = i64(file, value, le) * NS_PER_SECOND;
    }
    p = value + padTo4(len);
  }
  const nsPerUnit = NS_PER_SECOND % unitsPerSecond === 0n ? NS_PER_SECOND / unitsPerSecond : null;
  return { iface: { linkType, snapLength, unitsPerSecond, nsPerUnit, offsetNs }, error };
}

function toNanoseconds(units: bigint, iface: Interface): bigint {
  const ns = iface.nsPerUnit !== null ? units * iface.nsPerUnit : (units * NS_PER_SECOND) / iface.unitsPerSecond;
  return iface.offsetNs === 0n ? ns : ns + iface.offsetNs;
}

function readPacketBlock(
  file: Buffer,
  offset: number,
  end: number,
  type: number,
  section: Section,
  frame: number,
): CaptureFrame | CaptureError {
  const le = section.le;
  let interfaceId: number;
  let units: bigint | null;
  let captured: number;
  let original: number;
  let dataStart: number;

  if (type === BLOCK_SIMPLE_PACKET) {
    if (end < offset + SPB_DATA) return tooShort(offset, 'simple packet', frame);
    interfaceId = 0;
    units = null;
    original = u32(file, offset + SPB_ORIGINAL_LENGTH, le);
    dataStart = offset + SPB_DATA;
    const snap = section.interfaces[0]?.snapLength ?? 0;
    captured = Math.min(original, end - dataStart, snap === 0 ? Number.MAX_SAFE_INTEGER : snap);
  } else {
    const enhanced = type === BLOCK_ENHANCED_PACKET;
    const dataAt = enhanced ? EPB_DATA : PB_DATA;
    if (end < offset + dataAt) return tooShort(offset, enhanced ? 'enhanced packet' : 'packet', frame);
    interfaceId = enhanced ? u32(file, offset + EPB_INTERFACE, le) : u16(file, offset + PB_INTERFACE, le);
    units = u64Split(file, offset + (enhanced ? EPB_TIMESTAMP : PB_TIMESTAMP), le);
    captured = u32(file, offset + (enhanced ? EPB_CAPTURED_LENGTH : PB_CAPTURED_LENGTH), le);
    original = u32(file, offset + (enhanced ? EPB_ORIGINAL_LENGTH : PB_ORIGINAL_LENGTH), le);
    dataStart = offset + dataAt;
    if (captured > end - dataStart) {
      return new CaptureError(
        'bad-block-length',
        `packet claims ${captured} captured bytes but its block holds ${end - dataStart}`,
        offset,
        frame,
        true,
      );
    }
  }

  const iface = section.interfaces[interfaceId];
  if (iface === undefined) {
    return new CaptureError(
      'unknown-interface',
      `packet names interface ${interfaceId} but the section declares ${section.interfaces.length}`,
      offset,
      frame,
      false,
    );
  }
  return {
    frame,
    timestampNs: units === null ? null : toNanoseconds(units, iface),
    linkType: iface.linkType,
    interfaceId,
    originalLength: original,
    offset: dataStart,
    data: file.subarray(dataStart, dataStart + captured),
  };
}
