import { Subject, Subscription } from 'rxjs';
import { ProlinkSession } from '../../../src/prolink/network/session';
import type { SessionMode, SessionStep } from '../../../src/prolink/network/session-types';
import { VirtualClock } from '../../../src/prolink/sim/clock';
import { builtinScenario } from '../../../src/prolink/sim/scenario-builtins';
import { ScenarioError } from '../../../src/prolink/sim/scenario';
import { startSimulator } from '../../../src/prolink/sim/simulator';
import { VirtualLan } from '../../../src/prolink/sim/transport/virtual-lan';
import { createBridgeStreams } from '../../../src/streams/bridge-streams';
import type { Implausible } from '../../../src/streams/plausibility/reasons';
import type { BridgeEvent } from '../../../src/events/bridge-event';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';
import { flipBits, seeded, spoofStatus } from './flood';
import type { TimedDatagram } from '../../../src/streams/received';
import { ClockScheduler } from '../sim-bridge';

const BRIDGE = '169.254.1.2';

/** Extra datagrams to mix in after each one the simulator sends (same instant). */
type Garbage = (d: TimedDatagram) => readonly TimedDatagram[];

interface Run {
  readonly implausible: Implausible[];
  readonly events: BridgeEvent[];
  readonly statuses: number;
  readonly decks: number;
  readonly beats: number;
  readonly keepAlives: number;
}

/** The built-in simulator (what `npm start` shows) with the bridge's stream layer, in virtual time. */
async function run(scenarioName: string, mode: SessionMode, runMs: number, garbage: Garbage = () => []): Promise<Run> {
  const scenario = builtinScenario(scenarioName);
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  const clock = new VirtualClock(0);
  const lan = new VirtualLan({ clock });
  const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock, seed: 7, tuning: {} });
  if (!('truth' in sim)) throw new Error(sim.message);
  const datagrams = new Subject<TimedDatagram>();
  const counts = { statuses: 0, decks: 0, beats: 0, keepAlives: 0 };
  let session: ProlinkSession | null = null;
  const member = lan.join({
    address: BRIDGE,
    onDatagram: (d) => {
      const timed = { port: d.port, address: d.address, data: d.data, at: clock.now() };
      // The session hears only the simulator, so both runs of a scenario play the same show.
      const packet = decodePacket(d.port, d.data);
      if (!isPacketError(packet) && session !== null && d.address !== BRIDGE) {
        if (packet.kind === 'cdjStatus') counts.statuses++;
        if (packet.kind === 'beat' && !packet.fromMixer) counts.beats++;
        if (packet.kind === 'keepAlive') counts.keepAlives++;
        apply(session.receive(packet, d.address, clock.now()));
      }
      datagrams.next(timed);
      if (d.address !== BRIDGE) for (const g of garbage(timed)) datagrams.next(g);
    },
  });
  session = new ProlinkSession({ mode, identity: { address: BRIDGE, mac: member.mac, broadcast: lan.broadcast, hostName: 'prolink-bridge' } });
  function apply(step: SessionStep): void {
    for (const out of step.send) member.send(out.port, out.address, out.port, out.data);
  }
  const streams = createBridgeStreams(datagrams, { scheduler: new ClockScheduler(clock), ownAddress: BRIDGE });
  const implausible: Implausible[] = [];
  const events: BridgeEvent[] = [];
  const subscriptions = new Subscription();
  subscriptions.add(streams.implausible$.subscribe((i) => implausible.push(i)));
  subscriptions.add(streams.decks$.subscribe(() => counts.decks++));
  subscriptions.add(streams.events$.subscribe((e) => events.push(e)));
  subscriptions.add(streams.metadata$.subscribe((m) => {
    if (m.kind !== 'request') return;
    const out = session?.requestPhrases(m.deckDevice, m.trackId) ?? null;
    if (out !== null) apply({ send: [out], notices: [] });
  }));
  const running = session;
  apply(running.start(clock.now()));
  const tick = (): void => {
    apply(running.tick(clock.now()));
    clock.setTimeout(tick, 100);
  };
  clock.setTimeout(tick, 100);
  clock.runUntil(runMs);
  subscriptions.unsubscribe();
  datagrams.complete();
  await sim.stop();
  return { implausible, events, ...counts };
}

describe('the simulator through the plausibility stage: everything is believed', () => {
  it.each([
    ['club', 'lighting'],
    ['club', 'cdj'],
    ['cdj-pair', 'auto'],
  ] as const)('%s in %s mode, a full round of the scenario', async (scenario, mode) => {
    const result = await run(scenario, mode, 200_000);
    expect(result.implausible).toEqual([]);
    expect(result.statuses).toBeGreaterThan(1000);
    // Every status becomes a deck state; nothing was held back for good.
    expect(result.decks).toBe(result.statuses);
  });
});

describe('the simulated OPUS-QUAD show under mutated copies and spoofed decks', () => {
  it('makes exactly the events of the clean show', async () => {
    const clean = await run('club', 'lighting', 120_000);
    const random = seeded(99);
    let mutated = 0;
    let spoofed = 0;
    const flooded = await run('club', 'lighting', 120_000, (d) => {
      const out: TimedDatagram[] = [];
      for (let n = 0; n < 3; n++) out.push({ ...d, data: flipBits(d.data, 1 + Math.floor(random() * 3), random) });
      mutated += 3;
      const packet = decodePacket(d.port, d.data);
      if (!isPacketError(packet) && packet.kind === 'cdjStatus') {
        // Each real status is answered by spoofs for every OPUS deck, from a stranger and from a fresh address.
        for (const device of [9, 10, 11, 12]) {
          out.push({ ...d, address: '169.254.77.7', data: spoofStatus(d.data, 'OPUS-QUAD', device, random) });
          out.push({ ...d, address: `169.254.78.${1 + Math.floor(random() * 254)}`, data: spoofStatus(d.data, 'OPUS-QUAD', device, random) });
          spoofed += 2;
        }
      }
      return out;
    });
    const reasons: Record<string, number> = {};
    for (const i of flooded.implausible) reasons[i.reason] = (reasons[i.reason] ?? 0) + 1;
    console.log(`simulated show, 120 s: ${mutated} mutated copies, ${spoofed} spoofed OPUS status packets; events clean ${clean.events.length}, flooded ${flooded.events.length}; refused ${JSON.stringify(reasons)}`);
    expect(clean.implausible).toEqual([]);
    expect(clean.events.length).toBeGreaterThan(100);
    expect(flooded.events).toEqual(clean.events);
  });
});
