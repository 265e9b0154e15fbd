import { LAN_ADDRESSES } from '../../../src/prolink/sim/simulator';
import type { LanTraffic } from '../../../src/prolink/sim/transport/virtual-lan';
import { encodeLightingKeepAlive } from '../../../src/prolink/packets/keep-alive';
import { SessionPeer } from './session-peer';
import { opusScenario, rig, typeOf } from './sim-rig';

const OPUS = LAN_ADDRESSES.opus;
const BRIDGE = '169.254.1.2';

describe('OPUS-QUAD handshake with the real ProlinkSession (virtual time)', () => {
  it('goes keep-alive → 0x10 → 0x11 → status, and keeps streaming ~every 200 ms per deck', async () => {
    const { clock, lan, sim, traffic } = await rig(opusScenario());
    const bridge = new SessionPeer(lan, clock, BRIDGE).start();
    clock.advance(6000);

    const first = (from: string, kind: string): LanTraffic | undefined => traffic.find((t) => t.from === from && typeOf(t) === kind);
    const bridgeKeepAlive = first(BRIDGE, 'keepAlive');
    const hello = first(OPUS, 'opusHello');
    const request = first(BRIDGE, 'statusRequest');
    const status = first(OPUS, 'cdjStatus');
    expect(first(OPUS, 'keepAlive')).toBeDefined();
    expect(bridgeKeepAlive).toBeDefined();
    expect(hello).toMatchObject({ to: BRIDGE, toPort: 50002 });
    expect(request).toMatchObject({ to: OPUS, toPort: 50002 });
    expect(status).toMatchObject({ to: BRIDGE, toPort: 50002 });
    const order = [bridgeKeepAlive, hello, request, status].map((t) => traffic.indexOf(t as LanTraffic));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    // No status before the 0x11, no greeting after it.
    expect(traffic.filter((t) => t.from === OPUS && typeOf(t) === 'cdjStatus' && t.at < (request as LanTraffic).at)).toEqual([]);
    expect(traffic.filter((t) => t.from === OPUS && typeOf(t) === 'opusHello' && t.at > (request as LanTraffic).at)).toEqual([]);

    expect(bridge.noticeCodes()).toEqual(expect.arrayContaining(['opus-found', 'opus-streaming']));
    expect(bridge.session.state).toMatchObject({ role: 'lighting', opusAddress: OPUS, streaming: true });
    expect(sim.truth.events.map((e) => e.code)).toEqual(expect.arrayContaining(['device-up', 'greeting', 'handshake']));

    const statuses = bridge.kinds('cdjStatus');
    expect(new Set(statuses.map((s) => s.packet.device))).toEqual(new Set([9, 10, 11, 12]));
    for (const device of [9, 10, 11, 12]) {
      const times = statuses.filter((s) => s.packet.device === device).map((s) => s.at);
      const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
      expect(gaps.length).toBeGreaterThan(20);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(185 - 1e-9);
      for (const gap of gaps) expect(gap).toBeLessThanOrEqual(215 + 1e-9);
      expect(new Set(gaps.map((g) => Math.round(g))).size).toBeGreaterThan(1);
    }
    await sim.stop();
  });

  it('reports the deck truth in its status: name, device 9–12, track, beat counter, master', async () => {
    const { clock, lan, sim } = await rig(opusScenario());
    const bridge = new SessionPeer(lan, clock, BRIDGE).start();
    clock.advance(5000);
    const deck1 = bridge.kinds('cdjStatus').filter((s) => s.packet.device === 9);
    const last = deck1[deck1.length - 1];
    expect(last?.packet).toMatchObject({ name: 'OPUS-QUAD', isOpus: true, deck: 1, trackId: 301, trackDevice: 1, bpm: 128, playing: true, master: true, length: 0x200 });
    for (const s of deck1) {
      const truth = sim.truth.deck(1)?.stateAt(s.at);
      expect(s.packet.beat).toBe(truth?.beat);
      expect(s.packet.beatInBar).toBe(truth?.beatInBar);
    }
    const empty = bridge.kinds('cdjStatus').find((s) => s.packet.device === 12);
    expect(empty?.packet).toMatchObject({ trackId: 0, bpm: null, beat: null, playState: 'empty' });
    await sim.stop();
  });

  it('never sends beat or position packets, and zeroes the flag byte now and then', async () => {
    const { clock, lan, sim, traffic } = await rig(opusScenario(), { zeroFlagProbability: 0.2 });
    const bridge = new SessionPeer(lan, clock, BRIDGE).start();
    clock.advance(20_000);
    const fromOpus = traffic.filter((t) => t.from === OPUS).map(typeOf);
    expect(fromOpus).not.toContain('beat');
    expect(fromOpus).not.toContain('precisePosition');
    expect(fromOpus).not.toContain('error');
    const statuses = bridge.kinds('cdjStatus');
    const zeroed = statuses.filter((s) => s.packet.flagsZero).length;
    expect(zeroed / statuses.length).toBeGreaterThan(0.1);
    expect(zeroed / statuses.length).toBeLessThan(0.3);
    await sim.stop();
  });

  it('greets every 1.5 s until it is answered', async () => {
    const { clock, lan, sim, traffic } = await rig(opusScenario());
    // A lighting host that only sends keep-alives: its 0x11 never comes.
    const mute = lan.join({ address: BRIDGE, onDatagram: () => undefined });
    const keepAlive = (): void => {
      mute.send(50000, lan.broadcast, 50000, encodeLightingKeepAlive({ mac: mute.mac, ip: BRIDGE }));
      clock.setTimeout(keepAlive, 1500);
    };
    keepAlive();
    clock.advance(7000);
    const hellos = traffic.filter((t) => t.from === OPUS && typeOf(t) === 'opusHello').map((t) => t.at);
    expect(hellos).toEqual([0, 1500, 3000, 4500, 6000]);
    expect(traffic.filter((t) => t.from === OPUS && typeOf(t) === 'cdjStatus')).toEqual([]);
    expect(lan.dropped).toBe(0);
    await sim.stop();
  });
});
