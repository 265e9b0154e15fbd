import { encodeConstantPhraseRequest, encodePhraseRequest } from '../../../src/prolink/packets/phrase-request';
import { findPssiTag } from '../../../src/prolink/phrases/anlz-file';
import { PhraseError } from '../../../src/prolink/phrases/errors';
import { pssiTagFromTransfer, songStructureFromTransfer } from '../../../src/prolink/transfer/pssi-transfer';
import type { SongStructure } from '../../../src/prolink/phrases/song-structure';
import { LAN_ADDRESSES } from '../../../src/prolink/sim/simulator';
import { fixturePath, readFixture } from '../../support/fixtures';
import { ANLZ, DEMO1_PHRASES, DEMO2_PHRASES } from '../phrases/anlz-fixtures';
import { SessionPeer } from './session-peer';
import { rig, scenarioOf, typeOf } from './sim-rig';

const OPUS = LAN_ADDRESSES.opus;

/** Demo Track 1 (184, 128 BPM, 368 beats, first beat at 25 ms) and Demo Track 2 (120 BPM, 257 beats) with their real exported .EXT files. */
function demoScenario(): unknown {
  return {
    name: 'demo',
    rig: 'opus',
    tracks: [
      { id: 184, title: 'Demo Track 1', bpm: 128, beats: 368, firstBeatMs: 25, anlz: fixturePath(...ANLZ.demo1Export) },
      { id: 185, title: 'Demo Track 2', bpm: 120, beats: 257, firstBeatMs: 25, anlz: fixturePath(...ANLZ.demo2Export) },
      { id: 777, title: 'Generated', bpm: 124, beats: 300 },
    ],
    steps: [
      { at: 3000, do: 'load', deck: 1, track: 184 },
      { at: 3000, do: 'load', deck: 3, track: 185 },
      { at: 3500, do: 'play', deck: 1 },
    ],
  };
}

function summary(s: SongStructure): string {
  return s.phrases.map((p) => `${p.index}:${p.beat}:${p.kindRaw}`).join(' ');
}

function structure(data: Buffer): SongStructure {
  const s = songStructureFromTransfer(data);
  if (s instanceof PhraseError) throw new Error(s.toString());
  return s;
}

function fixtureTag(parts: readonly string[]): Buffer {
  const lookup = findPssiTag(readFixture(...parts));
  if (lookup instanceof PhraseError || lookup.status !== 'found') throw new Error('no PSSI tag in the fixture');
  return lookup.tag;
}

describe('OPUS-QUAD metadata over 0x55 / 0x56', () => {
  it('answers any 0x55 with the PSSI of every loaded deck by default (§7.3), so data arrives again that was not asked for', async () => {
    const { clock, lan, sim } = await rig(scenarioOf(demoScenario()));
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(4000);
    bridge.send(bridge.session.requestPhrases(9, 184));
    clock.advance(100);
    const pssi = bridge.transfers.filter((t) => t.transfer.dataType === 0x0a);
    expect(pssi.map((t) => t.transfer)).toEqual([
      { deck: 1, dataType: 0x0a, trackId: 184 },
      { deck: 3, dataType: 0x0a, trackId: 185 },
    ]);
    expect(summary(structure(pssi[1]?.data ?? Buffer.alloc(0)))).toBe(DEMO2_PHRASES);
    await sim.stop();
  });

  it('answers a per-deck 0x55 with that deck alone when told to, with the PSSI that reassembles to Demo Track 1 (19 phrases ending at beat 353)', async () => {
    const { clock, lan, sim } = await rig(scenarioOf(demoScenario()), { zeroFlagProbability: 0, phrasesPerDeck: true });
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(4000);
    expect(bridge.session.state.streaming).toBe(true);
    bridge.send(bridge.session.requestPhrases(9, 184));
    clock.advance(100);
    const pssi = bridge.transfers.filter((t) => t.transfer.dataType === 0x0a);
    expect(pssi.map((t) => t.transfer)).toEqual([{ deck: 1, dataType: 0x0a, trackId: 184 }]);
    const transfer = pssi[0]?.data ?? Buffer.alloc(0);
    const s = structure(transfer);
    expect(s.phrases).toHaveLength(19);
    expect(s.endBeat).toBe(353);
    expect(s.masked).toBe(true);
    expect(summary(s)).toBe(DEMO1_PHRASES);
    expect(Buffer.compare(pssiTagFromTransfer(transfer) as Buffer, fixtureTag(ANLZ.demo1Export))).toBe(0);
    expect(sim.truth.events.filter((e) => e.code === 'phrases')).toHaveLength(1);
    await sim.stop();
  });

  it('cuts large transfers into numbered chunks of at most the chunk size, each on port 50002', async () => {
    const { clock, lan, sim, traffic } = await rig(scenarioOf(demoScenario()), { zeroFlagProbability: 0, chunkBytes: 100, phrasesPerDeck: true });
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(4000);
    bridge.send(bridge.session.requestPhrases(11, 185));
    clock.advance(100);
    const chunks = bridge.kinds('binaryChunk').filter((c) => c.packet.dataType === 0x0a).map((c) => c.packet);
    expect(chunks.map((c) => [c.chunkIndex, c.chunkCount, c.payload.length])).toEqual([
      [0, 3, 100],
      [1, 3, 100],
      [2, 3, 96],
    ]);
    expect(chunks.every((c) => c.deck === 3 && c.trackId === 185 && c.name === 'OPUS-QUAD')).toBe(true);
    expect(traffic.filter((t) => t.from === OPUS && typeOf(t) === 'binaryChunk').every((t) => t.toPort === 50002)).toBe(true);
    const s = structure(bridge.transfers.find((t) => t.transfer.dataType === 0x0a)?.data ?? Buffer.alloc(0));
    expect(summary(s)).toBe(DEMO2_PHRASES);
    expect(s.endBeat).toBe(257);
    await sim.stop();
  });

  it('answers the constant 0x55 with the PSSI of every loaded deck, and ignores empty decks', async () => {
    const { clock, lan, sim } = await rig(scenarioOf(demoScenario()));
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(4000);
    bridge.member.send(50002, OPUS, 50002, encodeConstantPhraseRequest());
    bridge.member.send(50002, OPUS, 50002, encodePhraseRequest({ trackId: 1, deckDevice: 12 }));
    clock.advance(100);
    const got = bridge.transfers.filter((t) => t.transfer.dataType === 0x0a);
    expect(got.map((t) => [t.transfer.deck, t.transfer.trackId]).sort()).toEqual([
      [1, 184],
      [3, 185],
    ]);
    expect(summary(structure(got.find((t) => t.transfer.deck === 3)?.data ?? Buffer.alloc(0)))).toBe(DEMO2_PHRASES);
    await sim.stop();
  });

  it('gives a generated, masked structure to a track without an analysis file', async () => {
    const raw = demoScenario() as { steps: unknown[] };
    raw.steps.splice(2, 0, { at: 3000, do: 'load', deck: 2, track: 777 });
    const { clock, lan, sim } = await rig(scenarioOf(raw));
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(4000);
    bridge.send(bridge.session.requestPhrases(10, 777));
    clock.advance(100);
    const s = structure(bridge.transfers.find((t) => t.transfer.deck === 2 && t.transfer.dataType === 0x0a)?.data ?? Buffer.alloc(0));
    expect(s).toMatchObject({ mood: 'mid', masked: true });
    expect(s.phrases[0]?.beat).toBe(1);
    expect(s.endBeat).toBeLessThanOrEqual(301);
    expect(s.endBeat).toBeGreaterThan(270);
    await sim.stop();
  });

  it('ignores 0x55 from a host that has not completed the handshake', async () => {
    const { clock, lan, sim, traffic } = await rig(scenarioOf(demoScenario()));
    const stranger = lan.join({ address: '169.254.7.7', onDatagram: () => undefined });
    clock.advance(4000);
    stranger.send(50002, OPUS, 50002, encodePhraseRequest({ trackId: 184, deckDevice: 9 }));
    clock.advance(500);
    expect(traffic.filter((t) => typeOf(t) === 'binaryChunk')).toEqual([]);
    await sim.stop();
  });

  it('sends album art unprompted about a second after a load: a JPEG-framed placeholder in two chunks', async () => {
    const { clock, lan, sim } = await rig(scenarioOf(demoScenario()));
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(3900);
    expect(bridge.transfers).toEqual([]);
    clock.advance(200);
    const art = bridge.transfers.filter((t) => t.transfer.dataType === 0x02);
    expect(art.map((t) => [t.transfer.deck, t.transfer.trackId, t.chunkCount, t.at]).sort()).toEqual([
      [1, 184, 2, 4000],
      [3, 185, 2, 4000],
    ]);
    for (const t of art) {
      expect(t.data.subarray(0, 2).toString('hex')).toBe('ffd8');
      expect(t.data.subarray(-2).toString('hex')).toBe('ffd9');
      expect(t.data.length).toBe(2616);
    }
    const chunks = bridge.kinds('binaryChunk').filter((c) => c.packet.dataType === 0x02 && c.packet.deck === 1);
    expect(chunks.map((c) => c.packet.length)).toEqual([1420, 1300]);
    await sim.stop();
  });
});

describe('OPUS-QUAD restart', () => {
  it('goes silent, is noticed as lost, then greets from scratch and streams again', async () => {
    const scenario = scenarioOf({ ...(demoScenario() as object), steps: [...(demoScenario() as { steps: unknown[] }).steps, { at: 6000, do: 'opusRestart', ms: 15_000 }] });
    const { clock, lan, sim, traffic } = await rig(scenario);
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(40_000);
    const fromOpus = traffic.filter((t) => t.from === OPUS);
    expect(fromOpus.filter((t) => t.at > 6000 && t.at < 21_000)).toEqual([]);
    expect(bridge.noticeCodes()).toEqual(['opus-found', 'opus-streaming', 'opus-lost', 'opus-back', 'opus-streaming']);
    const lost = bridge.notices.find((n) => n.code === 'opus-lost');
    const lastBefore = Math.max(...fromOpus.filter((t) => t.at <= 6000).map((t) => t.at));
    expect((lost?.at ?? 0) - lastBefore).toBeGreaterThan(10_000);
    expect(lost?.at).toBeLessThan(21_000);
    const hellosAfter = fromOpus.filter((t) => t.at >= 21_000 && typeOf(t) === 'opusHello');
    expect(hellosAfter.length).toBeGreaterThanOrEqual(1);
    const statusAfter = fromOpus.filter((t) => t.at >= 21_000 && typeOf(t) === 'cdjStatus');
    expect((statusAfter[0]?.at ?? Infinity) - 21_000).toBeLessThan(2000);
    expect(bridge.session.state.streaming).toBe(true);
    expect(sim.truth.events.map((e) => e.code).filter((c) => ['restart', 'back', 'greeting', 'handshake'].includes(c))).toEqual([
      'greeting',
      'handshake',
      'restart',
      'back',
      'greeting',
      'handshake',
    ]);
    // Playback went on meanwhile: the deck's beat counter moved with the truth.
    const later = bridge.kinds('cdjStatus').filter((s) => s.packet.device === 9 && s.at > 30_000);
    for (const s of later) expect(s.packet.beat).toBe(sim.truth.deck(1)?.stateAt(s.at).beat);
    await sim.stop();
  });

  it('recovers from a restart shorter than the bridge timeout', async () => {
    const scenario = scenarioOf({ ...(demoScenario() as object), steps: [...(demoScenario() as { steps: unknown[] }).steps, { at: 6000, do: 'opusRestart', ms: 3000 }] });
    const { clock, lan, sim, traffic } = await rig(scenario);
    const bridge = new SessionPeer(lan, clock).start();
    clock.advance(15_000);
    expect(bridge.noticeCodes()).not.toContain('opus-lost');
    const statusAfter = traffic.filter((t) => t.from === OPUS && t.at >= 9000 && typeOf(t) === 'cdjStatus');
    expect((statusAfter[0]?.at ?? Infinity) - 9000).toBeLessThan(2000);
    expect(bridge.session.state.streaming).toBe(true);
    await sim.stop();
  });
});
