/**
 * Values the capture authors and two independent decoders (python-prodj-link,
 * prolink-connect) state for the real captures (fixtures PROVENANCE §1–§2).
 */
import type { PacketOf } from '../../src/prolink/packets';
import { decodeCapture, packetsOf, type CaptureName } from '../capture/prolink-datagrams';

function packets(name: CaptureName): ReturnType<typeof packetsOf> {
  return packetsOf(decodeCapture(name));
}

function statuses(name: CaptureName): { frame: number; status: PacketOf<'cdjStatus'>; payload: Buffer }[] {
  return packets(name).flatMap(({ frame, packet, payload }) => (packet.kind === 'cdjStatus' ? [{ frame, status: packet, payload }] : []));
}

function beats(name: CaptureName): { frame: number; beat: PacketOf<'beat'>; payload: Buffer }[] {
  return packets(name).flatMap(({ frame, packet, payload }) => (packet.kind === 'beat' ? [{ frame, beat: packet, payload }] : []));
}

/** Status packets counted per (device, track, source player, slot, play state, track BPM). */
function trackGroups(name: CaptureName): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const { status: s } of statuses(name)) {
    const k = `#${s.device} track ${s.trackId} from #${s.trackDevice} ${s.slot} ${s.playState} ${s.bpm === null ? '-' : s.bpm.toFixed(2)}`;
    groups[k] = (groups[k] ?? 0) + 1;
  }
  return groups;
}

/** Splits groups into those in settled states and those of a deck that is loading or empty. */
function settled(groups: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(groups).filter(([k]) => !/ (loading|empty) /.test(k)));
}

describe('NXS2 capture (CDJ-2000NXS2 ×2 + rekordbox)', () => {
  it('first beat packet, frame 4002: CDJ #3 at 124.00 BPM, +0.20 %, beat 2 of the bar, with its beat distances', () => {
    const [first] = beats('nxs2');
    expect(first?.frame).toBe(4002);
    expect(first?.payload.readUInt32BE(0x54)).toBe(0x00100831);
    expect(first?.beat).toMatchObject({
      name: 'CDJ-2000NXS2',
      device: 3,
      bpm: 124,
      beatInBar: 2,
      nextBeat: 484,
      secondBeat: 968,
      nextBar: 1452,
      fourthBeat: 1935,
      secondBar: 3387,
      eighthBeat: 3871,
    });
    expect(first?.beat.pitch).toBeCloseTo(0x100831 / 0x100000, 10);
    expect(first?.beat.pitchPercent).toBeCloseTo(0.2, 2);
    expect(first?.beat.effectiveBpm).toBeCloseTo(124 * (0x100831 / 0x100000), 10);
  });

  it('first status packet, frame 136: CDJ #2, 292 bytes, empty deck, packet counter 806', () => {
    const [first] = statuses('nxs2');
    expect(first?.frame).toBe(136);
    expect(first?.status).toMatchObject({ device: 2, length: 292, trackId: 0, playState: 'empty', packetCounter: 806, bpm: null });
  });

  it('per-track status counts agree with python-prodj-link and prolink-connect', () => {
    expect(settled(trackGroups('nxs2'))).toEqual({
      '#3 track 112 from #3 usb playing 124.00': 672,
      '#3 track 112 from #3 usb cued 124.00': 115,
      '#2 track 32 from #3 usb playing 127.00': 523, // Link: #2 plays from the USB in #3
      '#2 track 32 from #3 usb cued 127.00': 181,
      '#3 track 35 from #3 usb cued 127.00': 90,
      // The first two packets naming track 35 still carry track 112's cued state and BPM; loading follows.
      '#3 track 35 from #3 usb cued 124.00': 2,
    });
  });

  it('rekordbox answers the players\' 0x10 with a 296-byte 0x11 as device 41 (0x29), host name in UTF-16', () => {
    const requests = packets('nxs2').filter((p) => p.packet.kind === 'statusRequest');
    expect(requests.map((r) => r.frame)).toEqual([133, 1206]);
    for (const { packet, payload } of requests) {
      expect(packet).toMatchObject({ name: 'rekordbox', device: 0x29, deviceCopy: 0x29, hostName: 'DAVIDC96-PC', length: 296 });
      expect(payload[0x21]).toBe(0x29);
    }
    const hellos = packets('nxs2').filter((p) => p.packet.kind === 'opusHello');
    expect(hellos.map((h) => [h.frame, h.packet.name, h.packet.device])).toEqual([
      [132, 'CDJ-2000NXS2', 2],
      [1205, 'CDJ-2000NXS2', 3],
    ]);
  });

  it('both players send beats, 5194 in all, always beat 1-4 of a bar', () => {
    const all = beats('nxs2');
    expect(all).toHaveLength(5194);
    expect(new Set(all.map((b) => b.beat.device))).toEqual(new Set([2, 3]));
    expect(all.every((b) => b.beat.beatInBar >= 1 && b.beat.beatInBar <= 4)).toBe(true);
  });
});

describe('LinkInfo2 capture (CDJ-2000nexus ×2 + DJM-2000nexus)', () => {
  it('first status packet, frame 2: CDJ #2, 212 bytes, track 209, pitch 0.98450 (-1.55 %), packet counter 314', () => {
    const [first] = statuses('linkInfo2');
    expect(first?.frame).toBe(2);
    expect(first?.status).toMatchObject({ device: 2, length: 212, trackId: 209, packetCounter: 314 });
    expect(first?.status.pitch).toBeCloseTo(0.9845, 5);
    expect(first?.status.pitchPercent).toBeCloseTo(-1.55, 2);
  });

  it('per-track status counts agree with python-prodj-link and prolink-connect', () => {
    expect(settled(trackGroups('linkInfo2'))).toEqual({
      '#3 track 873 from #3 usb cued 130.00': 482,
      '#3 track 760 from #3 usb cued 128.00': 420,
      '#2 track 209 from #2 usb cued 126.00': 380,
      '#2 track 211 from #2 usb cued 126.00': 52,
    });
    const loading = Object.entries(trackGroups('linkInfo2')).filter(([k]) => / loading /.test(k));
    expect(loading.length).toBeGreaterThan(0);
  });

  it('frame 6 is a DJM beat: beat 1, 500 ms to the next beat, 2000 to the next bar', () => {
    const beat = beats('linkInfo2').find((b) => b.frame === 6);
    expect(beat?.beat).toMatchObject({
      device: 33,
      beatInBar: 1,
      nextBeat: 500,
      secondBeat: 1000,
      nextBar: 2000,
      fourthBeat: 2000,
      secondBar: 4000,
      eighthBeat: 4000,
    });
  });
});

describe('LinkInfo capture', () => {
  it('CDJ #3 has an empty deck whose BPM field is 0xffff (no BPM), CDJ #2 loads tracks 50, 760, 767 and 874', () => {
    const all = statuses('linkInfo');
    const three = all.filter((s) => s.status.device === 3);
    expect(three.length).toBeGreaterThan(0);
    expect(three.every((s) => s.status.trackId === 0 && s.status.bpm === null && s.payload.readUInt16BE(0x92) === 0xffff)).toBe(true);
    const tracks = new Set(all.filter((s) => s.status.device === 2 && s.status.trackId !== 0).map((s) => s.status.trackId));
    expect(tracks).toEqual(new Set([50, 760, 767, 874]));
  });
});

describe('DJM-2000nexus beats in the four dysentery captures', () => {
  it.each<CaptureName>(['powerup', 'toVirtual', 'linkInfo', 'linkInfo2'])('%s: every beat is the DJM (#33) at 120.00 BPM, pitch 1.0', (name) => {
    const all = beats(name);
    expect(all.length).toBeGreaterThan(0);
    const odd = all.filter(
      ({ beat, payload }) =>
        beat.name !== 'DJM-2000nexus' ||
        beat.device !== 33 ||
        !beat.fromMixer ||
        beat.bpm !== 120 ||
        beat.pitch !== 1 ||
        beat.effectiveBpm !== 120 ||
        payload.readUInt32BE(0x54) !== 0x00100000,
    );
    expect(odd.map((b) => b.frame)).toEqual([]);
  });
});
