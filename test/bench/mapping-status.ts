/**
 * OPUS-QUAD status datagrams for the loopback benchmark: playing, on-air OPUS
 * decks (device numbers 9-12, §3.5) built by patching the captured status
 * packet, exactly as the stream tests build them.
 */
import { OPUS_FIRST_DEVICE, OPUS_NAME } from '../../src/prolink/packets/header';
import { statusBytes } from '../streams/status-bytes';

export interface OpusStatus {
  /** OPUS deck 1-4 (sent as device 9-12). */
  readonly deck: number;
  readonly trackId: number;
  /** Raw BPM field: BPM × 100. */
  readonly bpmRaw: number;
  readonly beat: number;
  readonly master: boolean;
}

export class OpusStatusBuilder {
  get templateLength(): number {
    return statusBytes({}).length;
  }

  /** A playing, on-air OPUS deck with a rekordbox track loaded. */
  build(s: OpusStatus): Buffer {
    return statusBytes({
      name: OPUS_NAME,
      device: OPUS_FIRST_DEVICE + s.deck - 1,
      trackId: s.trackId,
      playing: true,
      onAir: true,
      master: s.master,
      bpm: s.bpmRaw / 100,
      beat: s.beat,
      beatInBar: ((s.beat - 1) % 4) + 1,
    });
  }
}
