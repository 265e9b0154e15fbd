import { CaptureError } from './capture-error';
import type { CaptureFormat, CaptureFrame } from './frame';
import { isPcap, readPcapFrames } from './pcap-reader';
import { isPcapng, readPcapngFrames } from './pcapng-reader';

/** Tells pcap from pcapng by the first four bytes; null for anything else. */
export function captureFormat(file: Buffer): CaptureFormat | null {
  if (isPcapng(file)) return 'pcapng';
  if (isPcap(file)) return 'pcap';
  return null;
}

/**
 * Every packet record of a pcap or pcapng file, in file order. Never throws:
 * damage is reported as a CaptureError (fatal ones end the iteration).
 */
export function* readFrames(file: Buffer): Generator<CaptureFrame | CaptureError, void, undefined> {
  switch (captureFormat(file)) {
    case 'pcapng':
      yield* readPcapngFrames(file);
      return;
    case 'pcap':
      yield* readPcapFrames(file);
      return;
    case null:
      yield new CaptureError('unknown-format', 'neither a pcap nor a pcapng file', 0, null, true);
  }
}
