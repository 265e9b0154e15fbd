/**
 * Byte-level cases for every (port, type) the codec interprets, in the style
 * of a table of real captured bytes. Sources, in order of preference:
 *  - 'capture': real bytes from test/fixtures, with the values the
 *    fixture's authors assert (PROVENANCE §3, the kyleawayan section);
 *  - 'doc-table': bytes laid out from the protocol doc's tables because no
 *    fixture file holds such a packet yet (the pcapng captures are covered by
 *    the capture reader's own tests); values are the ones the table defines,
 *    or the decoded values PROVENANCE quotes for that capture frame;
 *  - encoder outputs are covered separately in encoders.test.ts.
 */
import { readFixture, readHexFixture } from '../../support/fixtures';
import { shapeA, shapeB, u16be, u32be } from './build';

export interface PacketCase {
  readonly label: string;
  readonly source: 'capture' | 'doc-table';
  readonly port: number;
  readonly bytes: Buffer;
  readonly expect: Readonly<Record<string, unknown>>;
}

const KYLE = 'kyleawayan__opus-quad-pro-dj-link-analysis';
const PROLINK_CONNECT = ['evanpurkhiser__prolink-connect', 'tests', '_data'] as const;
const FF24 = new Array<number>(24).fill(0xff);

export const PACKET_CASES: readonly PacketCase[] = [
  // ---- port 50000 -------------------------------------------------------
  {
    label: 'prolink-connect announce-cdj-2.dat (keep-alive)',
    source: 'capture',
    port: 50000,
    bytes: readFixture(...PROLINK_CONNECT, 'announce-cdj-2.dat'),
    // tests/devices/utils.spec.ts: id 2, CDJ, 'CDJ-2000nexus', 10.0.0.207, mac [116,94,28,87,130,216]
    expect: {
      kind: 'keepAlive',
      device: 2,
      deviceType: 'player',
      name: 'CDJ-2000nexus',
      ip: '10.0.0.207',
      mac: '74:5e:1c:57:82:d8',
      extra: null,
    },
  },
  {
    label: 'rekordbox-lighting-keepalive.hex',
    source: 'capture',
    port: 50000,
    bytes: readHexFixture(KYLE, 'rekordbox-lighting-keepalive.hex'),
    expect: {
      kind: 'keepAlive',
      name: 'rekordbox',
      device: 0x17,
      mac: '00:e0:4c:65:3b:75',
      ip: '192.168.112.173',
      peerCount: 4,
      deviceType: 'rekordbox',
      structure: 0x03,
      variant: 0x08,
    },
  },
  {
    label: '100-byte keep-alive with a peer table (sub-kind 01)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x06, { name: 'CDJ-2000NXS2', length: 100, subKind: 0x01 }, [
      [0x24, [0x02, 0x02, 0xc8, 0x3d, 0xfc, 0x04, 0x7d, 0x4f, 192, 168, 0, 102, 0x02, 0, 0, 0, 0x01, 0x20]],
      [0x44, [0x29, 0x01, 0x04, 0xea, 0x56, 0xe6, 0x43, 0x2b, 192, 168, 0, 103]],
    ]),
    expect: {
      kind: 'keepAlive',
      subKind: 1,
      device: 2,
      ip: '192.168.0.102',
      peerCount: 2,
      deviceType: 'player',
      lengthField: 100,
    },
  },
  {
    label: 'hello from a mixer (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x0a, { name: 'DJM-2000nexus', length: 0x25 }, [[0x24, [0x02]]]),
    expect: { kind: 'hello', device: null, deviceType: 'mixer', cdj3000Compatible: false },
  },
  {
    label: 'CDJ-3000-style hello (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x0a, { name: 'CDJ-3000', length: 0x26, structure: 0x04 }, [[0x24, [0x01, 0x64]]]),
    expect: { kind: 'hello', deviceType: 'player', cdj3000Compatible: true, structure: 4 },
  },
  {
    label: 'claim stage 1 (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x00, { name: 'CDJ-2000nexus', length: 0x2c }, [
      [0x24, [0x02, 0x01, 0x74, 0x5e, 0x1c, 0x56, 0xc0, 0x70]],
    ]),
    expect: { kind: 'claim1', device: null, sequence: 2, deviceType: 'player', mac: '74:5e:1c:56:c0:70' },
  },
  {
    label: 'mixer assignment intention 0x01 (unicast leg of §2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x01, { name: 'DJM-2000nexus', length: 0x2f }, [
      [0x24, [169, 254, 99, 60, 0x74, 0x5e, 0x1c, 0x35, 0x63, 0x3c, 0x01]],
    ]),
    expect: { kind: 'assignIntent', device: null, ip: '169.254.99.60', mac: '74:5e:1c:35:63:3c' },
  },
  {
    label: 'claim stage 2, fixed number (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x02, { name: 'CDJ-2000NXS2', length: 0x32 }, [
      [0x24, [192, 168, 0, 104, 0xc8, 0x3d, 0xfc, 0x04, 0x6a, 0xaf, 0x03, 0x01, 0x01, 0x02]],
    ]),
    expect: {
      kind: 'claim2',
      ip: '192.168.0.104',
      mac: 'c8:3d:fc:04:6a:af',
      device: 3,
      sequence: 1,
      autoAssign: false,
      assignmentRequest: false,
    },
  },
  {
    label: 'mixer assignment 0x03 (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x03, { name: 'DJM-2000nexus', length: 0x27, subKind: 0x01 }, [[0x24, [0x03, 0x01, 0x00]]]),
    expect: { kind: 'assignment', device: 3, sequence: 1, subKind: 1 },
  },
  {
    label: 'claim stage 3 (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x04, { name: 'DJM-2000nexus', length: 0x26 }, [[0x24, [0x21, 0x03]]]),
    expect: { kind: 'claim3', device: 33, sequence: 3 },
  },
  {
    label: 'assignment finished 0x05 (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x05, { name: 'DJM-2000nexus', length: 0x26 }, [[0x24, [0x21, 0x01]]]),
    expect: { kind: 'assignmentDone', device: 33 },
  },
  {
    label: 'number conflict 0x08 (§2.2)',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x08, { name: 'CDJ-2000NXS2', length: 0x29 }, [[0x24, [0x02, 192, 168, 0, 102]]]),
    expect: { kind: 'conflict', device: 2, ip: '192.168.0.102' },
  },
  // ---- port 50001 -------------------------------------------------------
  {
    label: 'beat from a CDJ-2000NXS2 (§4; values PROVENANCE quotes for NightClubMare frame 4002)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x28, { name: 'CDJ-2000NXS2', device: 3, length: 0x60 }, [
      [0x24, [...u32be(484), ...u32be(968), ...u32be(1452), ...u32be(1935), ...u32be(3387), ...u32be(3871)]],
      [0x3c, FF24],
      [0x54, [...u32be(0x00100831), 0x00, 0x00, ...u16be(12400), 0x02, 0x00, 0x00, 0x03]],
    ]),
    expect: {
      kind: 'beat',
      device: 3,
      bpm: 124,
      pitchPercent: expect.closeTo(0.2, 2),
      effectiveBpm: expect.closeTo(124.25, 1),
      beatInBar: 2,
      nextBeat: 484,
      secondBeat: 968,
      nextBar: 1452,
      fourthBeat: 1935,
      secondBar: 3387,
      eighthBeat: 3871,
      fromMixer: false,
    },
  },
  {
    label: 'beat from a DJM near the end of the track (§4: ffffffff = past the end)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x28, { name: 'DJM-2000nexus', device: 0x21, length: 0x60 }, [
      [0x24, [...u32be(500), ...u32be(1000), ...u32be(2000), ...u32be(2000)]],
      [0x34, [...u32be(0xffffffff), ...u32be(0xffffffff)]],
      [0x3c, FF24],
      [0x54, [...u32be(0x00100000), 0x00, 0x00, ...u16be(12000), 0x01, 0x00, 0x00, 0x21]],
    ]),
    expect: {
      kind: 'beat',
      device: 33,
      fromMixer: true,
      bpm: 120,
      pitch: 1,
      pitchPercent: 0,
      effectiveBpm: 120,
      nextBeat: 500,
      secondBar: null,
      eighthBeat: null,
    },
  },
  {
    label: 'precise position (§5: pitch 00000146 = +3.26 %)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x0b, { name: 'CDJ-3000', device: 2, length: 0x3c, one: 0x02 }, [
      [0x24, [...u32be(245), ...u32be(61234), ...u32be(0x146)]],
      [0x38, u32be(1321)],
    ]),
    expect: {
      kind: 'precisePosition',
      device: 2,
      deck: 2,
      trackLengthSeconds: 245,
      positionMs: 61234,
      pitchPercent: 3.26,
      effectiveBpm: 132.1,
    },
  },
  {
    label: 'precise position from the OPUS-QUAD, deck 3, BPM unknown (§5, §3.5)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x0b, { name: 'OPUS-QUAD', device: 11, length: 0x3c, one: 0x02 }, [
      [0x24, [...u32be(300), ...u32be(0), ...u32be(0xfffffed4)]],
      [0x38, u32be(0xffffffff)],
    ]),
    expect: { kind: 'precisePosition', device: 11, deck: 3, isOpus: true, pitchPercent: -3, effectiveBpm: null },
  },
  {
    label: 'channels on-air, four channels (§6.2)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x03, { name: 'DJM-2000nexus', device: 0x21, length: 0x2d }, [[0x24, [0x01, 0x00, 0x01, 0x00]]]),
    expect: { kind: 'onAir', device: 33, channelCount: 4, onAir: [true, false, true, false] },
  },
  {
    label: 'channels on-air, six channels (§6.2)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x03, { name: 'DJM-V10', device: 0x21, length: 0x35, subtype: 0x03 }, [
      [0x24, [0x00, 0x01, 0x00, 0x01]],
      [0x2d, [0x01, 0x00]],
    ]),
    expect: { kind: 'onAir', subtype: 3, channelCount: 6, onAir: [false, true, false, true, true, false] },
  },
  {
    label: 'fader start (§6.3)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x02, { name: 'DJM-900NXS2', device: 0x21, length: 0x28 }, [[0x24, [0x00, 0x01, 0x02, 0x02]]]),
    expect: { kind: 'faderStart', commands: ['start', 'stop', 'ignore', 'ignore'], commandsRaw: [0, 1, 2, 2] },
  },
  {
    label: 'master hand-off request (§6.3)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x26, { name: 'CDJ-2000nexus', device: 2, length: 0x28 }, [[0x27, [0x02]]]),
    expect: { kind: 'masterRequest', device: 2, requester: 2 },
  },
  {
    label: 'master hand-off response (§6.3)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x27, { name: 'CDJ-2000nexus', device: 3, length: 0x2c }, [[0x27, [0x03, 0x00, 0x00, 0x00, 0x01]]]),
    expect: { kind: 'masterResponse', device: 3, responder: 3, accepted: true },
  },
  {
    label: 'sync control: sync on (§6.3)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x2a, { name: 'DJM-2000nexus', device: 0x21, length: 0x2c }, [
      [0x27, [0x21, 0x00, 0x00, 0x00, 0x10]],
    ]),
    expect: { kind: 'syncControl', sender: 33, command: 'syncOn', commandRaw: 0x10 },
  },
  {
    label: 'sync control: become master (§6.3)',
    source: 'doc-table',
    port: 50001,
    bytes: shapeB(0x2a, { name: 'DJM-2000nexus', device: 0x21, length: 0x2c }, [
      [0x27, [0x21, 0x00, 0x00, 0x00, 0x01]],
    ]),
    expect: { kind: 'syncControl', command: 'becomeMaster' },
  },
  // ---- port 50002 -------------------------------------------------------
  {
    label: 'prolink-connect status-simple.dat (CDJ status, 284 bytes)',
    source: 'capture',
    port: 50002,
    bytes: readFixture(...PROLINK_CONNECT, 'status-simple.dat'),
    // tests/status/utils.spec.ts
    expect: {
      kind: 'cdjStatus',
      packetCounter: 74108,
      device: 3,
      beat: null,
      beatInBar: 0,
      beatsUntilCue: null,
      pitchPercent: 0,
      master: false,
      onAir: false,
      sync: false,
      emergency: false,
      playState: 'empty',
      bpm: null,
      trackDevice: 0,
      trackId: 0,
      slot: 'none',
      trackType: 'none',
    },
  },
  {
    label: 'prolink-connect media-slot-usb.dat (media response)',
    source: 'capture',
    port: 50002,
    bytes: readFixture(...PROLINK_CONNECT, 'media-slot-usb.dat'),
    // tests/status/utils.spec.ts
    expect: {
      kind: 'mediaResponse',
      color: 0,
      slot: 'usb',
      mediaName: '',
      slotDevice: 2,
      createdDate: '2020-10-10',
      playlistCount: 1,
      trackCount: 76,
      trackTypeRaw: 1,
      hasSettings: true,
      totalBytes: 62714675200,
      freeBytes: 61048520704,
    },
  },
  {
    label: 'media query (§1.2, media-slot layout)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x05, { name: 'CDJ-2000nexus', device: 3, length: 0x30 }, [
      [0x24, [169, 254, 192, 112]],
      [0x2b, [0x02]],
      [0x2f, [0x03]],
    ]),
    expect: { kind: 'mediaQuery', device: 3, ip: '169.254.192.112', slotDevice: 2, slot: 'usb', slotRaw: 3 },
  },
  {
    label: 'OPUS lighting hello 0x10 (§2.5: 36 bytes, len_r 0)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x10, { name: 'OPUS-QUAD', device: 9, length: 0x24 }),
    expect: { kind: 'opusHello', name: 'OPUS-QUAD', device: 9 },
  },
  {
    label: 'status request 0x11 from rekordbox (§2.5)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x11, { name: 'rekordbox', device: 0x17, length: 0x128, subtype: 0x01 }, [
      [0x24, [0x17, 0x01, 0x00, 0x00]],
      [0x28, [...'macbook pro'].flatMap((c) => [0x00, c.charCodeAt(0)])],
    ]),
    expect: { kind: 'statusRequest', device: 0x17, deviceCopy: 0x17, hostName: 'macbook pro' },
  },
  {
    label: 'DJM mixer status, tempo master (§6.1)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x29, { name: 'DJM-2000nexus', device: 0x21, length: 0x38 }, [
      [0x24, [0x21, 0x00, 0x00, 0xf0, ...u32be(0x00100000), 0x80, 0x00, ...u16be(12000)]],
      [0x30, [0x00, 0x10, 0x00, 0x00, 0x00, 0x09, 0xff, 0x03]],
    ]),
    expect: {
      kind: 'mixerStatus',
      device: 33,
      master: true,
      bpm: 120,
      pitchPercent: 0,
      masterHandoff: null,
      beatInBar: 3,
      lengthIsPacketLength: false,
    },
  },
  {
    label: 'rekordbox "mixer status" with subtype 01 and len_p (§6.1)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x29, { name: 'rekordbox', device: 0x11, length: 0x38, subtype: 0x01, lengthField: 0x38 }, [
      [0x24, [0x11, 0x00, 0x00, 0xc0, ...u32be(0x00100000), 0x80, 0x00, 0xff, 0xff]],
      [0x30, [0x00, 0x10, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00]],
    ]),
    expect: {
      kind: 'mixerStatus',
      device: 0x11,
      subtype: 1,
      lengthField: 0x38,
      lengthIsPacketLength: true,
      master: false,
      bpm: null,
      masterHandoff: 0,
    },
  },
  {
    label: 'phrase-request-0x55.hex',
    source: 'capture',
    port: 50002,
    bytes: readHexFixture(KYLE, 'phrase-request-0x55.hex'),
    expect: {
      kind: 'phraseRequest',
      name: 'rekordbox',
      device: 0x17,
      trackId: 184,
      dataType: 0x0a,
      deckDevice: 9,
      deck: 1,
    },
  },
  {
    label: 'art-chunk0-0x56-first160.hex (truncated)',
    source: 'capture',
    port: 50002,
    bytes: readHexFixture(KYLE, 'art-chunk0-0x56-first160.hex'),
    expect: {
      kind: 'binaryChunk',
      name: 'OPUS-QUAD',
      device: 9,
      deck: 1,
      dataType: 0x02,
      trackId: 414,
      chunkIndex: 0,
      chunkCount: 2,
      declaredPayloadLength: 0x568 - 0x10,
      truncated: true,
    },
  },
  {
    label: 'art-chunk1-0x56-first160.hex (truncated)',
    source: 'capture',
    port: 50002,
    bytes: readHexFixture(KYLE, 'art-chunk1-0x56-first160.hex'),
    expect: {
      kind: 'binaryChunk',
      deck: 1,
      dataType: 0x02,
      trackId: 414,
      chunkIndex: 1,
      chunkCount: 2,
      declaredPayloadLength: 0x4f0 - 0x10,
      truncated: true,
    },
  },
  // ---- outside the table ------------------------------------------------
  {
    label: 'rekordbox 0x16 on 50002 (§2.5: purpose unknown)',
    source: 'doc-table',
    port: 50002,
    bytes: shapeB(0x16, { name: 'rekordbox', device: 0x17, length: 48, subtype: 0x01, lengthField: 0 }),
    expect: { kind: 'unknown', type: 0x16, name: 'rekordbox', device: 0x17 },
  },
  {
    label: 'touch-audio type on port 50004 (§1.2)',
    source: 'doc-table',
    port: 50004,
    bytes: shapeB(0x1e, { name: 'CDJ-3000', device: 2, length: 0x28 }),
    expect: { kind: 'unknown', port: 50004, type: 0x1e, device: 2 },
  },
  {
    label: 'unlisted type on port 50000',
    source: 'doc-table',
    port: 50000,
    bytes: shapeA(0x07, { name: 'CDJ-2000nexus', length: 0x26 }),
    expect: { kind: 'unknown', port: 50000, type: 0x07, name: 'CDJ-2000nexus', device: null },
  },
];
