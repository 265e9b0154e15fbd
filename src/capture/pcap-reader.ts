/**
 * Classic libpcap files: a 24-byte file header, then 16-byte record headers
 * each followed by the captured bytes. Either byte order, micro- or
 * nanosecond timestamps. The header's time-zone field is ignored (writers
 * leave it 0 and timestamps are UTC), as other readers do.
 */
import { CaptureError } from './capture-error';
import { u16, u32 } from './endian';
import type { CaptureFrame } from './frame';

/** Magic numbers as read big-endian from the first four bytes. */
export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
const PCAP_MAGIC_MICRO_SWAPPED = 0xd4c3b2a1;
const PCAP_MAGIC_NANO_SWAPPED = 0x4d3cb2a1;

export const PCAP_FILE_HEADER_LENGTH = 24;
export const PCAP_RECORD_HEADER_LENGTH = 16;
const PCAP_VERSION_MAJOR = 2;

// File header offsets.
const FH_VERSION_MAJOR = 4;
const FH_LINK_TYPE = 20;
// Record header offsets.
const RH_SECONDS = 0;
const RH_FRACTION = 4;
const RH_CAPTURED = 8;
const RH_ORIGINAL = 12;

/** The link type is the low 16 bits; the upper bits may carry FCS information. */
const LINK_TYPE_MASK = 0xffff;

export function isPcap(file: Buffer): boolean {
  return pcapByteOrder(file) !== null;
}

interface PcapByteOrder {
  readonly le: boolean;
  readonly nanos: boolean;
}

function pcapByteOrder(file: Buffer): PcapByteOrder | null {
  if (file.length < 4) return null;
  switch (file.readUInt32BE(0)) {
    case PCAP_MAGIC_MICRO:
      return { le: false, nanos: false };
    case PCAP_MAGIC_NANO:
      return { le: false, nanos: true };
    case PCAP_MAGIC_MICRO_SWAPPED:
      return { le: true, nanos: false };
    case PCAP_MAGIC_NANO_SWAPPED:
      return { le: true, nanos: true };
    default:
      return null;
  }
}

/**
 * Yields every record of a classic pcap file. A fatal CaptureError is the last
 * thing yielded when the file is damaged.
 */
export function* readPcapFrames(file: Buffer): Generator<CaptureFrame | CaptureError, void, undefined> {
  const order = pcapByteOrder(file);
  if (order === null) {
    yield new CaptureError('unknown-format', 'not a pcap file', 0, null, true);
    return;
  }
  if (file.length < PCAP_FILE_HEADER_LENGTH) {
    yield new CaptureError('truncated', 'file ends inside the pcap file header', 0, null, true);
    return;
  }
  const { le, nanos } = order;
  const major = u16(file, FH_VERSION_MAJOR, le);
  if (major !== PCAP_VERSION_MAJOR) {
    yield new CaptureError('unsupported-version', `pcap version ${major} is not 2`, FH_VERSION_MAJOR, null, true);
    return;
  }
  const linkType = u32(file, FH_LINK_TYPE, le) & LINK_TYPE_MASK;
  const fractionToNs = nanos ? 1n : 1000n;

  let offset = PCAP_FILE_HEADER_LENGTH;
  let frame = 0;
  while (offset < file.length) {
    frame++;
    if (file.length - offset < PCAP_RECORD_HEADER_LENGTH) {
      yield new CaptureError('truncated', 'file ends inside a record header', offset, frame, true);
      return;
    }
    const seconds = u32(file, offset + RH_SECONDS, le);
    const fraction = u32(file, offset + RH_FRACTION, le);
    const captured = u32(file, offset + RH_CAPTURED, le);
    const original = u32(file, offset + RH_ORIGINAL, le);
    const dataStart = offset + PCAP_RECORD_HEADER_LENGTH;
    if (captured > file.length - dataStart) {
      yield new CaptureError(
        'truncated',
        `record claims ${captured} captured bytes but only ${file.length - dataStart} remain`,
        offset,
        frame,
        true,
      );
      return;
    }
    yield {
      frame,
      timestampNs: BigInt(seconds) * 1_000_000_000n + BigInt(fraction) * fractionToNs,
      linkType,
      interfaceId: 0,
      originalLength: original,
      offset: dataStart,
      data: file.subarray(dataStart, dataStart + captured),
    };
    offset = dataStart + captured;
  }
}
