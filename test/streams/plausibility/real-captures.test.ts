import { VirtualTimeScheduler } from 'rxjs';
import { proDjLinkDatagrams, replayDatagrams } from '../../../src/replay/replay-capture';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { createBridgeStreams } from '../../../src/streams/bridge-streams';
import type { Implausible } from '../../../src/streams/plausibility/reasons';
import { CAPTURES, readFixture } from '../../support/fixtures';
import { lostBeatPackets } from '../../support/lost-beat-packets';

type CaptureName = keyof typeof CAPTURES;

interface Replayed {
  readonly implausible: Implausible[];
  readonly decks: number;
  readonly beats: number;
  readonly appeared: string[];
}

/** A real capture through the whole stream layer in virtual time, at `speed` (the stage told so). */
function replay(name: CaptureName, speed = 1): Replayed {
  const { datagrams } = proDjLinkDatagrams(readFixture(...CAPTURES[name]));
  const virtual = new VirtualTimeScheduler(undefined, 3_000_000);
  const streams = createBridgeStreams(replayDatagrams(datagrams, { scheduler: virtual, speed }), { scheduler: virtual, plausibility: { timeScale: speed } });
  const result: Replayed = { implausible: [], decks: 0, beats: 0, appeared: [] };
  streams.implausible$.subscribe((i) => result.implausible.push(i));
  streams.decks$.subscribe(() => (result as { decks: number }).decks++);
  streams.beats$.subscribe(() => (result as { beats: number }).beats++);
  streams.events$.subscribe((e) => {
    if (e.type === 'device.appeared') result.appeared.push(`${e.name} #${e.device}`);
  });
  virtual.flush();
  return result;
}

/** A beat packet byte for byte the same as its sender's last one, this soon after it, is the network delivering it twice. */
const COPY_WITHIN_MS = 100;

/** What the capture holds, counted by the codec alone; player beats without the copies Wi-Fi delivered twice; beat packets lost (counted from raw bytes). */
function contents(name: CaptureName): { statuses: number; playerBeats: number; beatCopies: number; lostBeats: number; identities: Set<string> } {
  const { datagrams } = proDjLinkDatagrams(readFixture(...CAPTURES[name]));
  let statuses = 0;
  let playerBeats = 0;
  let beatCopies = 0;
  const lastBeat = new Map<string, { readonly bytes: Buffer; readonly at: number }>();
  const identities = new Set<string>();
  for (const d of datagrams) {
    const p = decodePacket(d.dstPort, d.payload);
    if (isPacketError(p)) continue;
    if (p.kind === 'cdjStatus' && p.device >= 1 && p.device <= 6) statuses++;
    if (p.kind === 'beat' && !p.fromMixer) {
      const last = lastBeat.get(d.srcIp);
      const atMs = d.timestampNs === null ? NaN : Number(d.timestampNs) / 1e6;
      if (last !== undefined && atMs - last.at < COPY_WITHIN_MS && last.bytes.equals(d.payload)) beatCopies++;
      else playerBeats++;
      lastBeat.set(d.srcIp, { bytes: d.payload, at: atMs });
    }
    if (p.kind === 'keepAlive') identities.add(`${p.name} #${p.device}`);
  }
  const lostBeats = [...lostBeatPackets(datagrams).values()].reduce((a, n) => a + n, 0);
  return { statuses, playerBeats, beatCopies, lostBeats, identities };
}

/** Beat packets the NXS2 capture (recorded over Wi-Fi) holds twice, by the byte comparison above. */
const NXS2_BEAT_COPIES = 14;

describe('real captures through the plausibility stage', () => {
  it.each(Object.keys(CAPTURES) as CaptureName[])('%s: every real device believed, every status and beat kept', (name) => {
    const got = replay(name);
    const want = contents(name);
    // The NXS2 capture's #21 is the capture author's own tool (PROVENANCE §2), a virtual player with no deck: its
    // 664 status packets (a counter in the wrong byte order, master mode 0xb8) are refused, and only they.
    const expected = name === 'nxs2' ? [{ reason: 'device-out-of-range', address: '192.168.0.103', device: 21, count: 664 }] : [];
    const refused = new Map<string, number>();
    for (const i of got.implausible) refused.set(`${i.reason} ${i.address} ${i.device ?? '-'}`, (refused.get(`${i.reason} ${i.address} ${i.device ?? '-'}`) ?? 0) + 1);
    expect([...refused].map(([k, count]) => ({ key: k, count }))).toEqual(expected.map((e) => ({ key: `${e.reason} ${e.address} ${e.device}`, count: e.count })));
    expect(got.decks).toBe(want.statuses);
    // Each beat packet lost on the way is a beat too: it fires late, in its place.
    expect(got.beats).toBe(want.playerBeats + want.lostBeats);
    // Over Wi-Fi some beat packets arrive twice: each copy is one beat, counted once.
    expect(want.beatCopies).toBe(name === 'nxs2' ? NXS2_BEAT_COPIES : 0);
    expect(new Set(got.appeared)).toEqual(want.identities);
  });

  it('replayed ten times faster, with the stage told so, believes the same', () => {
    const got = replay('nxs2', 10);
    expect(got.implausible.filter((i) => i.device !== 21)).toEqual([]);
    expect(got.decks).toBe(contents('nxs2').statuses);
  });
});
