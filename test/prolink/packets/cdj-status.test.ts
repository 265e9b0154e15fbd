import { ST_MASTER_HANDOFF, decodeCdjStatus, type CdjStatus } from '../../../src/prolink/packets/cdj-status';
import { collectUdpDatagrams } from '../../../src/capture';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { PacketError } from '../../../src/prolink/packets/errors';
import { platterHeld, playheadMoves } from '../../../src/prolink/packets/status-names';
import { CAPTURES, readFixture } from '../../support/fixtures';

/** A real 284-byte nexus status packet (prolink-connect's fixture, PROVENANCE §3). */
const SIMPLE = readFixture('evanpurkhiser__prolink-connect', 'tests', '_data', 'status-simple.dat');

function status(bytes: Buffer): CdjStatus {
  const result = decodeCdjStatus(bytes);
  if (result instanceof PacketError) throw new Error(result.toString());
  return result;
}

/** The real packet with some bytes changed. */
function edited(changes: Readonly<Record<number, number>>, base: Buffer = SIMPLE): Buffer {
  const copy = Buffer.from(base);
  for (const [offset, value] of Object.entries(changes)) copy[Number(offset)] = value;
  return copy;
}

function withName(name: string, base: Buffer = SIMPLE): Buffer {
  const copy = Buffer.from(base);
  copy.fill(0, 0x0b, 0x1f);
  copy.write(name, 0x0b, 'latin1');
  return copy;
}

describe('CDJ status on the real status-simple.dat', () => {
  it('reproduces the values the fixture authors assert', () => {
    const s = status(SIMPLE);
    expect(s).toMatchObject({
      kind: 'cdjStatus',
      name: 'CDJ-2000nexus',
      device: 3,
      deck: 3,
      isOpus: false,
      packetCounter: 74108,
      beat: null,
      beatInBar: 0,
      beatsUntilCue: null,
      pitchPercent: 0,
      pitch: 1,
      master: false,
      onAir: false,
      sync: false,
      emergency: false,
      playState: 'empty',
      playStateRaw: 0,
      playing: false,
      bpm: null,
      effectiveBpm: null,
      trackDevice: 0,
      trackId: 0,
      slot: 'none',
      slotRaw: 0,
      trackType: 'none',
      trackTypeRaw: 0,
      length: 284,
    });
  });

  it('reads the bytes the doc describes: firmware, F, P2, sync counter, M_h', () => {
    expect(status(SIMPLE)).toMatchObject({
      firmware: '1.43',
      flags: 0x84,
      flagsZero: false,
      motion: 0xfe,
      moving: false,
      syncCounter: 3,
      masterHandoff: null,
    });
  });
});

describe('length guards (§3: parse by offset, never by fixed size)', () => {
  it.each([
    ['pre-nexus 0xd0', 0xd0, 74108, false],
    ['nexus 0xd4', 0xd4, 74108, false],
    ['nexus 2 0x124', 0x124, 74108, false],
  ] as const)('%s keeps every field', (_label, length, counter, emergency) => {
    const padded = Buffer.concat([SIMPLE, Buffer.alloc(Math.max(0, length - SIMPLE.length))]).subarray(0, length);
    expect(status(padded)).toMatchObject({ length, packetCounter: counter, emergency, device: 3 });
  });

  it('a CDJ-3000-sized packet (0x200) decodes with the same values', () => {
    const big = Buffer.concat([SIMPLE, Buffer.alloc(0x200 - SIMPLE.length)]);
    const { length: _a, ...small } = status(SIMPLE);
    const { length: b, ...large } = status(big);
    expect(b).toBe(0x200);
    expect(large).toEqual(small);
  });

  it('fields past the end come back null while the core is there', () => {
    expect(status(SIMPLE.subarray(0, 0xcc))).toMatchObject({ packetCounter: 74108 });
    expect(status(SIMPLE.subarray(0, 0xcb))).toMatchObject({ packetCounter: null, emergency: false });
    expect(status(SIMPLE.subarray(0, 0xbb))).toMatchObject({ packetCounter: null, emergency: false });
    expect(status(SIMPLE.subarray(0, 0xba))).toMatchObject({ packetCounter: null, emergency: null, beatInBar: 0 });
    expect(status(SIMPLE.subarray(0, 0xa7))).toMatchObject({ packetCounter: null, emergency: null });
  });

  it('is too-short once beat-in-bar (0xa6) is missing', () => {
    const result = decodeCdjStatus(SIMPLE.subarray(0, 0xa6));
    expect(result).toBeInstanceOf(PacketError);
    expect(result).toMatchObject({ code: 'too-short', port: 50002, type: 0x0a, length: 0xa6 });
  });
});

describe('the loop a CDJ-3000 reports (§3.1: Loop_s 0x1b6, Loop_e 0x1be, Loop_b 0x1c8)', () => {
  /** The real packet, grown to the CDJ-3000's 0x200 bytes, with the loop fields written at the doc's offsets. */
  function withLoop(start: number, end: number, beats: number, length = 0x200): Buffer {
    const big = Buffer.concat([SIMPLE, Buffer.alloc(0x200 - SIMPLE.length)]);
    big.writeUInt32BE(start, 0x1b6);
    big.writeUInt32BE(end, 0x1be);
    big.writeUInt16BE(beats, 0x1c8);
    return big.subarray(0, length);
  }

  it('reads start and end as raw × 65536 / 1000 ms and the whole beats (dysentery and beat-link read them so)', () => {
    // 458 and 490 units: 30 015.488 ms and 32 112.64 ms, a 4-beat loop at about 114 BPM.
    const s = status(withLoop(458, 490, 4));
    expect(s.loop?.startMs).toBeCloseTo(30_015.488, 6);
    expect(s.loop?.endMs).toBeCloseTo(32_112.64, 6);
    expect(s.loop?.beats).toBe(4);
  });

  it('says no loop when the end is zero, and no whole beats for a loop shorter than a beat', () => {
    expect(status(withLoop(0, 0, 0)).loop).toBeNull();
    // A loop from the very start of the track: the start is zero, the end says there is a loop.
    expect(status(withLoop(0, 8, 1)).loop).toMatchObject({ startMs: 0, beats: 1 });
    const roll = status(withLoop(458, 462, 0)).loop;
    expect(roll?.endMs).toBeCloseTo(462 * 65.536, 6);
    expect(roll?.beats).toBeNull();
  });

  it('is null on every shorter packet (nexus, NXS2, one byte short of Loop_b)', () => {
    expect(status(SIMPLE).loop).toBeNull();
    expect(status(withLoop(458, 490, 4, 0x1c9)).loop).toBeNull();
    expect(status(withLoop(458, 490, 4, 0x1ca)).loop?.beats).toBe(4);
  });
});

describe('field conversions (§3.1-§3.4)', () => {
  it('BPM raw 12800 at pitch 10a3d7 (+4 %) is 133.12 effective BPM (§10 example)', () => {
    const s = status(edited({ 0x8d: 0x10, 0x8e: 0xa3, 0x8f: 0xd7, 0x92: 0x32, 0x93: 0x00 }));
    expect(s.bpm).toBe(128);
    expect(s.pitchPercent).toBeCloseTo(4, 4);
    expect(s.effectiveBpm).toBeCloseTo(133.12, 3);
  });

  it('ignores the top byte of Pitch1 and maps -100 % / +100 %', () => {
    expect(status(edited({ 0x8c: 0xff, 0x8d: 0x00, 0x8e: 0, 0x8f: 0 })).pitchPercent).toBe(-100);
    expect(status(edited({ 0x8d: 0x20, 0x8e: 0, 0x8f: 0 })).pitch).toBe(2);
  });

  it('keeps beat 0 as 0 and maps the cue and hand-off sentinels', () => {
    const s = status(edited({ 0xa0: 0, 0xa1: 0, 0xa2: 0, 0xa3: 0, 0xa4: 0x01, 0xa5: 0x00, 0x9f: 0x02 }));
    expect(s.beat).toBe(0);
    expect(s.beatsUntilCue).toBe(0x100);
    expect(s.masterHandoff).toBe(2);
    expect(status(edited({ 0xa0: 0, 0xa1: 0, 0xa2: 0x01, 0xa3: 0x2c })).beat).toBe(300);
  });

  it('reads M_h from a real hand-off: the stopped master names the player taking over (wifi pioneer.pcapng, frame 6969)', () => {
    const frame = collectUdpDatagrams(readFixture(...CAPTURES.nxs2)).datagrams.find((d) => d.frame === 6969);
    if (frame === undefined) throw new Error('frame 6969 is missing from the capture');
    expect(frame.payload[ST_MASTER_HANDOFF]).toBe(2);
    expect(status(frame.payload)).toMatchObject({ device: 3, master: true, playing: false, masterHandoff: 2 });
  });

  it('names slots, track types and play states', () => {
    const s = status(edited({ 0x28: 2, 0x29: 0x03, 0x2a: 0x01, 0x7b: 0x06, 0x2c: 0, 0x2d: 0, 0x2e: 0x03, 0x2f: 0x69 }));
    expect(s).toMatchObject({ trackDevice: 2, slot: 'usb', trackType: 'rekordbox', playState: 'cued', trackId: 873 });
    const names = [0x00, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0e, 0x11, 0x12, 0x13].map(
      (p1) => status(edited({ 0x7b: p1 })).playState,
    );
    expect(names).toEqual([
      'empty',
      'loading',
      'playing',
      'looping',
      'paused',
      'cued',
      'cuePlaying',
      'cueScratching',
      'searching',
      'spunDown',
      'ended',
      'emergencyLoop',
      'unknown',
    ]);
    const slots = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((sr) => status(edited({ 0x29: sr })).slot);
    expect(slots).toEqual([
      'none',
      'cd',
      'sd',
      'usb',
      'rekordbox',
      'unknown',
      'streaming',
      'usb2',
      'unknown',
      'beatport',
      'unknown',
    ]);
    const types = [0, 1, 2, 5, 6, 7].map((tr) => status(edited({ 0x2a: tr })).trackType);
    expect(types).toEqual(['none', 'rekordbox', 'unanalysed', 'audioCd', 'streaming', 'unknown']);
  });

  it('reads each flag bit of F (§3.3)', () => {
    expect(status(edited({ 0x89: 0x84 | 0x40 | 0x20 }))).toMatchObject({ playing: true, master: true, sync: false });
    expect(status(edited({ 0x89: 0x84 | 0x10 | 0x08 | 0x02 }))).toMatchObject({
      playing: false,
      master: false,
      sync: true,
      onAir: true,
      bpmSyncOnly: true,
    });
  });
});

describe('F = 0x00: pre-nexus players and the OPUS glitch (§3.3, §3.5)', () => {
  it.each([
    ['playing (03)', 0x03, 0x7a, true],
    ['looping (04)', 0x04, 0x7a, true],
    ['searching while moving (09, P2 6a)', 0x09, 0x6a, true],
    ['searching while stopped (09, P2 6e)', 0x09, 0x6e, false],
    ['paused (05)', 0x05, 0x7e, false],
    ['cued (06)', 0x06, 0x6e, false],
  ] as const)('infers playing from P1/P2: %s', (_label, p1, p2, playing) => {
    const s = status(edited({ 0x89: 0x00, 0x7b: p1, 0x8b: p2 }));
    expect(s.flagsZero).toBe(true);
    expect(s.flags).toBe(0);
    expect(s.playing).toBe(playing);
    expect(s.master).toBe(false);
  });

  it('trusts F bit 6 when F is not zero, even if P1 says playing', () => {
    expect(status(edited({ 0x89: 0x84, 0x7b: 0x03 })).playing).toBe(false);
  });
});

describe('the platter held: P1 says playing, P2 says stopped (§3.2)', () => {
  it.each([
    ['playing, moving (NXS2 fa)', 0xc4, 0x03, 0xfa, false, true],
    ['playing, standing (NXS2 fe): held', 0xc4, 0x03, 0xfe, true, false],
    ['looping, standing (7e): held', 0xc4, 0x04, 0x7e, true, false],
    ['playing, a motion byte that says neither (00): not held', 0xc4, 0x03, 0x00, false, true],
    ['paused, standing: a pause, not a hold', 0x84, 0x05, 0xfe, false, false],
    ['cue play, standing (07): not a hold', 0xc4, 0x07, 0xfe, false, true],
  ] as const)('%s', (_label, f, p1, p2, held, moves) => {
    const s = status(edited({ 0x89: f, 0x7b: p1, 0x8b: p2 }));
    expect(platterHeld(s)).toBe(held);
    expect(playheadMoves(s)).toBe(moves);
  });

  it('never reads a real player as held while it plays: every playing status of the NXS2 capture moves', () => {
    const statuses = collectUdpDatagrams(readFixture(...CAPTURES.nxs2))
      .datagrams.map((d) => decodePacket(50002, d.payload))
      .filter((p): p is CdjStatus => !(p instanceof PacketError) && p.kind === 'cdjStatus');
    const playing = statuses.filter((x) => x.playing);
    expect(playing.length).toBeGreaterThan(1000);
    expect(playing.filter((x) => platterHeld(x))).toEqual([]);
  });
});

describe('OPUS-QUAD status (§3.5)', () => {
  it.each([
    [9, 1],
    [10, 2],
    [11, 3],
    [12, 4],
  ] as const)('device %i is deck %i, and so is the track source', (device, deck) => {
    const s = status(edited({ 0x21: device, 0x24: device, 0x28: device }, withName('OPUS-QUAD')));
    expect(s).toMatchObject({ isOpus: true, name: 'OPUS-QUAD', device, deck, trackDevice: deck });
  });

  it('leaves other players numbered 9-12 alone', () => {
    const s = status(edited({ 0x21: 9, 0x28: 10 }, withName('XDJ-AZ')));
    expect(s).toMatchObject({ isOpus: false, device: 9, deck: 9, trackDevice: 10 });
  });

  it('reads the OPUS fields the doc calls usable (track ID, P1, BPM, Pitch1, beat, Bb, master)', () => {
    const bytes = edited(
      {
        0x21: 10,
        0x2c: 0x00, 0x2d: 0x00, 0x2e: 0x01, 0x2f: 0x9e,
        0x7b: 0x03,
        0x89: 0xe4, 0x8b: 0xfa,
        0x92: 0x30, 0x93: 0xd4,
        0xa0: 0, 0xa1: 0, 0xa2: 0, 0xa3: 0x21,
        0xa6: 0x01,
      },
      withName('OPUS-QUAD'),
    );
    expect(status(bytes)).toMatchObject({
      deck: 2,
      trackId: 414,
      playState: 'playing',
      playing: true,
      moving: true,
      master: true,
      bpm: 125,
      effectiveBpm: 125,
      beat: 33,
      beatInBar: 1,
    });
  });

  it('flags the zeroed F byte so the stream layer can replace it', () => {
    const s = status(edited({ 0x21: 9, 0x89: 0x00, 0x7b: 0x03, 0x8b: 0xfa }, withName('OPUS-QUAD')));
    expect(s).toMatchObject({ flagsZero: true, playing: true, deck: 1 });
  });
});

describe('dispatch', () => {
  it('routes 50002/0x0a here and 50000/0x0a to hello', () => {
    expect(decodePacket(50002, SIMPLE)).toMatchObject({ kind: 'cdjStatus' });
    const asHello = decodePacket(50000, SIMPLE);
    expect(asHello).toMatchObject({ kind: 'hello', port: 50000 });
  });

  it('keeps names apart when several players alternate', () => {
    const names = ['CDJ-3000', 'CDJ-2000', 'CDJ-2000nexus', 'CDJ-3000X', 'OPUS-QUAD'];
    const packets = names.map((n) => withName(n));
    for (let round = 0; round < 3; round++) {
      expect(packets.map((p) => status(p).name)).toEqual(names);
    }
  });
});
