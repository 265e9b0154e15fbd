/**
 * One packet record of a capture file, before any link-layer decoding.
 */
export interface CaptureFrame {
  /** 1-based position among the file's packet records (Wireshark's "No." column). */
  readonly frame: number;
  /**
   * Capture time in nanoseconds since the Unix epoch, or null when the record has
   * none (pcapng simple packet blocks). Finer resolutions than 1 ns are truncated.
   */
  readonly timestampNs: bigint | null;
  readonly linkType: number;
  /** Interface index within its pcapng section (always 0 in classic pcap). */
  readonly interfaceId: number;
  /** Length of the packet on the wire; `data` may be shorter (snap length). */
  readonly originalLength: number;
  /** Byte offset of `data` in the file. */
  readonly offset: number;
  /** The captured bytes, a view into the file buffer. */
  readonly data: Buffer;
}

/** Which container format a capture uses. */
export type CaptureFormat = 'pcap' | 'pcapng';
