import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { encodeClaim2 } from '../../../src/prolink/packets/claim-encode';
import type { Beat } from '../../../src/prolink/packets/beat';
import { BUILTIN_SCENARIOS } from '../../../src/prolink/sim/scenario-builtins';
import { LAN_ADDRESSES } from '../../../src/prolink/sim/simulator';
import type { LanTraffic } from '../../../src/prolink/sim/transport/virtual-lan';
import { SessionPeer } from './session-peer';
import { rig, typeOf } from './sim-rig';

const BRIDGE = '169.254.1.2';

function cdjPair(): NonNullable<ReturnType<typeof BUILTIN_SCENARIOS.get>> {
  const scenario = BUILTIN_SCENARIOS.get('cdj-pair');
  if (scenario === undefined) throw new Error('no cdj-pair scenario');
  return scenario;
}

function beatOf(t: LanTraffic): Beat {
  const packet = decodePacket(t.toPort, t.data);
  if (isPacketError(packet) || packet.kind !== 'beat') throw new Error('not a beat packet');
  return packet;
}

describe('CDJ pair + DJM', () => {
  it('broadcasts a beat packet on port 50001 exactly on every true beat of both players, through a whole pass', async () => {
    const { clock, lan, sim, traffic } = await rig(cdjPair());
    const bridge = new SessionPeer(lan, clock, BRIDGE, 'cdj').start();
    clock.advance(135_000);
    for (const player of [2, 3]) {
      const sent = traffic.filter((t) => typeOf(t) === 'beat' && t.from === LAN_ADDRESSES.player(player));
      const truth = sim.truth.beats(player, 0, 135_000);
      expect(truth.length).toBeGreaterThan(100);
      expect(sent.map((t) => t.at)).toEqual(truth.map((b) => b.at));
      sent.forEach((t, i) => {
        const beat = beatOf(t);
        const truthBeat = truth[i];
        expect(t).toMatchObject({ to: lan.broadcast, toPort: 50001 });
        expect(beat.device).toBe(player);
        expect(beat.beatInBar).toBe(truthBeat?.beatInBar);
        expect(beat.effectiveBpm).toBeCloseTo(truthBeat?.bpm ?? 0, 2);
        expect(beat.nextBeat).toBe(Math.round(60_000 / (beat.bpm ?? 1)));
        expect(beat.nextBar).toBe(Math.round(((5 - beat.beatInBar) * 60_000) / (beat.bpm ?? 1)));
      });
      // Every player's beat packet reached the bridge at the same instant (no LAN latency configured).
      const heard = bridge.kinds('beat').filter((h) => h.packet.device === player).map((h) => h.at);
      expect(heard).toEqual(truth.map((b) => b.at));
    }
    // Player 3 jumped back to beat 65 at 70 s and looped beats 81–88 from 80 s to 90 s.
    const numbers = sim.truth.beats(3, 69_000, 95_000).map((b) => b.beat);
    expect(numbers).toContain(65);
    expect(numbers.indexOf(65)).toBeGreaterThan(0);
    const looped = sim.truth.beats(3, 80_000, 90_000).map((b) => b.beat);
    expect(Math.max(...looped)).toBeLessThanOrEqual(88);
    expect(looped.filter((b) => b === 81).length).toBeGreaterThanOrEqual(2);
    await sim.stop();
  });

  it('sends status to every keep-alive peer, with the hand-off of tempo master', async () => {
    const { clock, lan, sim } = await rig(cdjPair());
    const bridge = new SessionPeer(lan, clock, BRIDGE, 'cdj').start();
    clock.advance(52_000);
    const status = bridge.kinds('cdjStatus');
    for (const player of [2, 3]) {
      const times = status.filter((s) => s.packet.device === player && s.at > 10_000).map((s) => s.at);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(190 - 1e-9);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(210 + 1e-9);
    }
    const around = status.filter((s) => s.at >= 49_000 && s.at <= 52_000);
    const handoff = around.filter((s) => s.packet.device === 2 && s.packet.masterHandoff === 3);
    expect(handoff.length).toBeGreaterThan(0);
    // §6.3: M_h names the new master from the request until the old master lets go, 250 ms after the new one took over.
    expect(handoff.every((s) => s.at >= 50_000 && s.at < 50_550)).toBe(true);
    const p3master = around.filter((s) => s.packet.device === 3 && s.packet.master).map((s) => s.at);
    expect(Math.min(...p3master)).toBeGreaterThanOrEqual(50_300);
    // For that moment both players claim master.
    const overlap = around.filter((s) => s.packet.device === 2 && s.at >= 50_300 && s.at < 50_550);
    expect(overlap.length).toBeGreaterThan(0);
    expect(overlap.every((s) => s.packet.master && s.packet.masterHandoff === 3 && s.packet.syncCounter === 0)).toBe(true);
    const p2after = around.filter((s) => s.packet.device === 2 && s.at >= 50_550);
    expect(p2after.every((s) => !s.packet.master && s.packet.masterHandoff === null && s.packet.syncCounter === 1)).toBe(true);
    expect(sim.truth.masterAt(52_000)).toBe(3);
    // The players also send status to each other and to the mixer.
    expect(bridge.kinds('mixerStatus').length).toBeGreaterThan(100);
    const onAir = bridge.kinds('onAir').filter((h) => h.at > 40_000);
    expect(onAir[0]?.packet.onAir).toEqual([false, true, true, false]);
    const mixerBeats = bridge.kinds('beat').filter((h) => h.packet.fromMixer);
    expect(mixerBeats.length).toBeGreaterThan(50);
    await sim.stop();
  });

  it('as CDJ-3000s: a 0x200-byte status that names the loop while one plays, and a precise position every 30 ms', async () => {
    const pair = cdjPair();
    const { clock, lan, sim } = await rig({ ...pair, options: { ...pair.options, players: 'cdj-3000' } });
    const bridge = new SessionPeer(lan, clock, BRIDGE, 'cdj').start();
    clock.advance(95_000);
    const status = bridge.kinds('cdjStatus').filter((s) => s.packet.device === 3);
    expect(status.length).toBeGreaterThan(300);
    expect(status.every((s) => s.packet.length === 0x200 && s.packet.name === 'CDJ-3000' && s.packet.packetCounter === 0)).toBe(true);
    // Player 3 loops beats 81–88 from 80 s to 90 s: only those statuses name a loop, of 8 beats, 8 beats long at its tempo.
    const looping = status.filter((s) => s.packet.loop !== null);
    expect(looping.length).toBeGreaterThan(40);
    expect(looping.every((s) => s.at >= 80_000 && s.at < 90_000 && s.packet.playState === 'looping' && s.packet.loop?.beats === 8)).toBe(true);
    expect(status.filter((s) => s.packet.playState === 'looping' && s.packet.loop === null)).toEqual([]);
    for (const s of looping) {
      const beatMs = 60_000 / (s.packet.bpm ?? NaN);
      expect(Math.abs((s.packet.loop?.endMs ?? 0) - (s.packet.loop?.startMs ?? 0) - 8 * beatMs)).toBeLessThanOrEqual(65.536);
    }
    const positions = bridge.kinds('precisePosition').filter((p) => p.packet.device === 3 && p.at > 10_000);
    const gaps = positions.slice(1).map((p, i) => p.at - (positions[i]?.at ?? 0));
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(30 - 1e-9);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(31);
    // At every wrap the playhead is back at the loop's start: the first position after it, run back to the wrap.
    const wraps = sim.truth.beats(3, 80_500, 90_000).filter((b) => b.beat === 81);
    expect(wraps.length).toBeGreaterThanOrEqual(2);
    const startMs = looping[0]?.packet.loop?.startMs ?? NaN;
    for (const wrap of wraps) {
      const after = positions.find((p) => p.at >= wrap.at);
      if (after === undefined) throw new Error('no position after a wrap');
      const back = after.packet.positionMs - (after.at - wrap.at) * after.packet.pitch;
      expect(Math.abs(back - startMs)).toBeLessThanOrEqual(65.536 / 2 + 1);
    }
    await sim.stop();
  });

  it('defends its player number against a claim', async () => {
    const { clock, lan, sim, traffic } = await rig(cdjPair());
    const claimer = lan.join({ address: '169.254.7.7', onDatagram: () => undefined });
    clock.advance(2000);
    claimer.send(50000, lan.broadcast, 50000, encodeClaim2({ name: 'intruder', ip: '169.254.7.7', mac: claimer.mac, device: 2, sequence: 1, autoAssign: false }));
    clock.advance(100);
    const conflicts = traffic.filter((t) => typeOf(t) === 'conflict');
    expect(conflicts.map((t) => [t.from, t.to])).toEqual([[LAN_ADDRESSES.player(2), '169.254.7.7']]);
    await sim.stop();
  });
});
