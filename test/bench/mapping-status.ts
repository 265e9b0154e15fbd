/**
 * OPUS-QUAD status datagrams for the loopback benchmark, built the way the
 * stream tests build them: the captured status packet of prolink-connect
 * (status-simple.dat) with chosen fields patched at their §3.1 offsets, here
 * with the OPUS-QUAD name and device numbers 9-12 (§3.5).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { B_DEVICE, B_NAME, OPUS_FIRST_DEVICE, OPUS_NAME, writeName } from '../../src/prolink/packets/header';
import {
  FLAG_MASTER,
  FLAG_ON_AIR,
  FLAG_PLAYING,
  ST_BEAT,
  ST_BEAT_IN_BAR,
  ST_BPM,
  ST_FLAGS,
  ST_MOTION,
  ST_PITCH,
  ST_PLAY_STATE,
  ST_SLOT,
  ST_TRACK_DEVICE,
  ST_TRACK_ID,
  ST_TRACK_TYPE,
} from '../../src/prolink/packets/cdj-status';
import { FIXTURES } from '../support/fixtures';

/** §3.1: copy of the device number. */
const ST_DEVICE_COPY = 0x24;
/** §3.1 Sr: USB slot; Tr: rekordbox-analysed track. */
const SLOT_USB = 0x03;
const TRACK_TYPE_REKORDBOX = 0x01;
/** §3.2 P1: playing. */
const PLAY_STATE_PLAYING = 0x03;
/** §3.1 P2, §3.5: the OPUS-QUAD's "moving" value. */
const MOTION_MOVING_OPUS = 0xfa;
/** §3.3: the low bits the captured packet carries in F besides play/master/sync/on-air. */
const FLAGS_BASE = 0x84;
/** §3.4: pitch 0x100000 = ±0 %. */
const PITCH_UNITY = 0x100000;

const TEMPLATE_PARTS = ['evanpurkhiser__prolink-connect', 'tests', '_data', 'status-simple.dat'] as const;

/** The fixtures folder, also when running from build/bench (beside the repository). */
function readTemplate(): Buffer {
  const candidates = [
    FIXTURES,
    path.resolve(__dirname, '..', '..', '..', '..', '..', 'shared', 'fixtures'),
    path.resolve(process.cwd(), '..', 'shared', 'fixtures'),
  ];
  for (const dir of candidates) {
    const file = path.join(dir, ...TEMPLATE_PARTS);
    if (fs.existsSync(file)) return fs.readFileSync(file);
  }
  throw new Error(`${TEMPLATE_PARTS.join('/')} not found; set PROLINK_FIXTURES to the fixtures folder`);
}

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
  private readonly template = readTemplate();

  get templateLength(): number {
    return this.template.length;
  }

  /** A playing, on-air OPUS deck with a rekordbox track from USB loaded. */
  build(s: OpusStatus): Buffer {
    const buf = Buffer.from(this.template);
    const device = OPUS_FIRST_DEVICE + s.deck - 1;
    writeName(buf, B_NAME, OPUS_NAME);
    buf[B_DEVICE] = device;
    buf[ST_DEVICE_COPY] = device;
    buf[ST_TRACK_DEVICE] = device;
    buf[ST_SLOT] = SLOT_USB;
    buf[ST_TRACK_TYPE] = TRACK_TYPE_REKORDBOX;
    buf.writeUInt32BE(s.trackId, ST_TRACK_ID);
    buf[ST_PLAY_STATE] = PLAY_STATE_PLAYING;
    buf[ST_FLAGS] = FLAGS_BASE | FLAG_PLAYING | FLAG_ON_AIR | (s.master ? FLAG_MASTER : 0);
    buf[ST_MOTION] = MOTION_MOVING_OPUS;
    buf.writeUInt32BE(PITCH_UNITY, ST_PITCH);
    buf.writeUInt16BE(s.bpmRaw, ST_BPM);
    buf.writeUInt32BE(s.beat, ST_BEAT);
    buf[ST_BEAT_IN_BAR] = ((s.beat - 1) % 4) + 1;
    return buf;
  }
}
