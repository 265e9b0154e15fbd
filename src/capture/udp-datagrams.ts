/**
 * UDP-over-IPv4 datagrams out of a pcap or pcapng file.
 */
import { CaptureError } from './capture-error';
import type { CaptureFormat } from './frame';
import { parseIpv4Udp } from './ipv4-udp';
import { ipv4Offset } from './link-layer';
import { captureFormat, readFrames } from './read-frames';

export interface UdpDatagram {
  /** 1-based frame number in the file, as Wireshark numbers it. */
  readonly frame: number;
  /** Capture time in nanoseconds since the Unix epoch; null when the record has none. */
  readonly timestampNs: bigint | null;
  readonly srcIp: string;
  readonly dstIp: string;
  readonly srcPort: number;
  readonly dstPort: number;
  /** The UDP payload, a view into the file buffer. */
  readonly payload: Buffer;
  /** True when fewer payload bytes were captured than the UDP length says. */
  readonly truncated: boolean;
}

export interface CaptureSummary {
  readonly format: CaptureFormat | null;
  /** Packet records read (Wireshark's frame count for an undamaged file). */
  readonly frames: number;
  readonly udp: number;
  /** Frames whose link type this reader does not decode. */
  readonly unsupportedLink: number;
  /** Frames carrying something other than IPv4 (ARP, IPv6, …). */
  readonly notIpv4: number;
  /** IPv4 packets carrying something other than UDP (TCP, ICMP, IGMP, …). */
  readonly notUdp: number;
  /** Non-first IPv4 fragments, skipped (no reassembly). */
  readonly fragments: number;
  /** UDP datagrams yielded with `truncated` set (snap length or first fragment). */
  readonly truncated: number;
  /** Frames given as a non-fatal CaptureError instead of a datagram or a skip. */
  readonly malformed: number;
  /** The fatal error that ended reading, or null when the whole file was read. */
  readonly fatal: CaptureError | null;
}

type Counts = { -readonly [K in keyof CaptureSummary]: CaptureSummary[K] };

/**
 * Every UDP datagram of the capture, in file order, with non-fatal problems
 * yielded as CaptureError between them. The generator's return value counts
 * what was skipped.
 */
export function* readUdpDatagrams(file: Buffer): Generator<UdpDatagram | CaptureError, CaptureSummary, undefined> {
  const counts: Counts = {
    format: captureFormat(file),
    frames: 0,
    udp: 0,
    unsupportedLink: 0,
    notIpv4: 0,
    notUdp: 0,
    fragments: 0,
    truncated: 0,
    malformed: 0,
    fatal: null,
  };
  for (const record of readFrames(file)) {
    if (record instanceof CaptureError) {
      if (record.fatal) {
        counts.fatal = record;
      } else if (record.frame !== null) {
        counts.frames++;
        counts.malformed++;
      }
      yield record;
      continue;
    }
    counts.frames++;
    const { data, frame } = record;
    const ip = ipv4Offset(record.linkType, data);
    if (typeof ip !== 'number') {
      if (ip === 'unsupported-link') counts.unsupportedLink++;
      else if (ip === 'not-ipv4') counts.notIpv4++;
      else {
        counts.malformed++;
        yield new CaptureError('bad-packet', 'frame ends inside its link-layer header', record.offset, frame, false);
      }
      continue;
    }
    const parsed = parseIpv4Udp(data, ip);
    if (parsed.kind === 'skip') {
      if (parsed.reason === 'fragment') counts.fragments++;
      else counts.notUdp++;
      continue;
    }
    if (parsed.kind === 'bad') {
      counts.malformed++;
      yield new CaptureError('bad-packet', parsed.message, record.offset + parsed.at, frame, false);
      continue;
    }
    counts.udp++;
    if (parsed.truncated) counts.truncated++;
    yield {
      frame,
      timestampNs: record.timestampNs,
      srcIp: parsed.srcIp,
      dstIp: parsed.dstIp,
      srcPort: parsed.srcPort,
      dstPort: parsed.dstPort,
      payload: data.subarray(parsed.payloadStart, parsed.payloadEnd),
      truncated: parsed.truncated,
    };
  }
  return counts;
}

export interface CaptureContents {
  readonly datagrams: readonly UdpDatagram[];
  readonly errors: readonly CaptureError[];
  readonly summary: CaptureSummary;
}

/** Reads the whole capture at once. */
export function collectUdpDatagrams(file: Buffer): CaptureContents {
  const datagrams: UdpDatagram[] = [];
  const errors: CaptureError[] = [];
  const iterator = readUdpDatagrams(file);
  for (;;) {
    const step = iterator.next();
    if (step.done === true) return { datagrams, errors, summary: step.value };
    if (step.value instanceof CaptureError) errors.push(step.value);
    else datagrams.push(step.value);
  }
}
