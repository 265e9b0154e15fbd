/**
 * `prolink-bridge decode <capture>`: prints every Pro DJ Link packet of a
 * pcap/pcapng file, decoded, one per line. Other UDP traffic is skipped.
 *
 * Exit codes: 0 the whole file was read; 2 the file cannot be read, is not a
 * capture, or is damaged (what could be read before the damage is printed).
 */
import { promises as fs } from 'node:fs';
import { CaptureError, captureFormat, readFrames, readUdpDatagrams, type UdpDatagram } from '../capture';
import { isProDjLinkPayload } from '../prolink/packets/header';
import { decodePacket } from '../prolink/packets/dispatch';
import { PacketError } from '../prolink/packets/errors';
import {
  humanCaptureErrorLine,
  humanPacketErrorLine,
  humanPacketLine,
  jsonCaptureErrorLine,
  jsonPacketErrorLine,
  jsonPacketLine,
  type DatagramContext,
} from './decode-format';

export interface DecodeOptions {
  /** One JSON object per line instead of the readable format. */
  readonly json: boolean;
}

export const DECODE_OK = 0;
export const DECODE_BAD_INPUT = 2;

export function isProDjLinkDatagram(d: UdpDatagram): boolean {
  return isProDjLinkPayload(d.dstPort, d.payload);
}

/** What a decode run saw. */
export interface DecodeTally {
  readonly packets: number;
  readonly decodeErrors: number;
  readonly otherUdp: number;
  readonly frames: number;
  readonly fatal: CaptureError | null;
}

function firstTimestamp(file: Buffer): bigint | null {
  for (const record of readFrames(file)) {
    return record instanceof CaptureError ? null : record.timestampNs;
  }
  return null;
}

/**
 * Decodes the capture in `file` and hands each line to `out`. Pure apart
 * from calling `out`; returns what it saw.
 */
export function decodeCapture(file: Buffer, opts: DecodeOptions, out: (line: string) => void): DecodeTally {
  const start = firstTimestamp(file);
  let packets = 0;
  let decodeErrors = 0;
  let otherUdp = 0;
  const iterator = readUdpDatagrams(file);
  for (;;) {
    const step = iterator.next();
    if (step.done === true) {
      return { packets, decodeErrors, otherUdp, frames: step.value.frames, fatal: step.value.fatal };
    }
    const item = step.value;
    if (item instanceof CaptureError) {
      out(opts.json ? jsonCaptureErrorLine(item) : humanCaptureErrorLine(item));
      continue;
    }
    if (!isProDjLinkDatagram(item)) {
      otherUdp++;
      continue;
    }
    const ctx: DatagramContext = {
      datagram: item,
      relativeSeconds:
        start === null || item.timestampNs === null ? null : Number(item.timestampNs - start) / 1e9,
    };
    const decoded = decodePacket(item.dstPort, item.payload);
    if (decoded instanceof PacketError) {
      decodeErrors++;
      out(opts.json ? jsonPacketErrorLine(ctx, decoded) : humanPacketErrorLine(ctx, decoded));
    } else {
      packets++;
      out(opts.json ? jsonPacketLine(ctx, decoded) : humanPacketLine(ctx, decoded));
    }
  }
}

/** A short reason for a failed read, from the error's code where it has one. */
function readFailure(error: unknown): string {
  const fields = typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  switch (fields.code) {
    case 'ENOENT':
      return 'no such file (ENOENT)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${fields.code})`;
    case 'EISDIR':
      return 'it is a folder, not a file (EISDIR)';
    default:
      return typeof fields.message === 'string' ? fields.message : String(error);
  }
}

/**
 * Reads `path` and prints its decoded Pro DJ Link packets. Problems with the
 * file itself go to `err` as one sentence. Resolves to the exit code.
 */
export async function runDecode(
  path: string,
  opts: DecodeOptions,
  out: (line: string) => void,
  err: (line: string) => void = out,
): Promise<number> {
  let file: Buffer;
  try {
    file = await fs.readFile(path);
  } catch (error) {
    err(`Cannot read capture ${path}: ${readFailure(error)}.`);
    return DECODE_BAD_INPUT;
  }
  if (captureFormat(file) === null) {
    err(`${path} is not a pcap or pcapng capture (save it from Wireshark as pcapng and try again).`);
    return DECODE_BAD_INPUT;
  }
  const tally = decodeCapture(file, opts, out);
  if (!opts.json) {
    out(
      `# ${tally.packets} Pro DJ Link packets, ${tally.decodeErrors} not decodable, ` +
        `${tally.otherUdp} other UDP datagrams skipped, ${tally.frames} frames`,
    );
  }
  if (tally.fatal !== null) {
    err(`${path} is damaged at byte ${tally.fatal.offset} (${tally.fatal.message}); packets before that point were printed.`);
    return DECODE_BAD_INPUT;
  }
  return DECODE_OK;
}
