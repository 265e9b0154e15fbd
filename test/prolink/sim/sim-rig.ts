/**
 * Test helpers: a simulator on the in-process LAN in virtual time, with every
 * datagram recorded, and a small OPUS scenario.
 */
import { VirtualClock } from '../../../src/prolink/sim/clock';
import { startSimulator, type RunningSimulator, type SimTuning } from '../../../src/prolink/sim/simulator';
import { parseScenario, ScenarioError, type Scenario } from '../../../src/prolink/sim/scenario';
import { VirtualLan, type LanTraffic } from '../../../src/prolink/sim/transport/virtual-lan';
import { decodePacket } from '../../../src/prolink/packets/dispatch';
import { isPacketError } from '../../../src/prolink/packets/errors';

export function opusScenario(extra: Partial<Scenario> = {}): Scenario {
  const scenario = parseScenario(
    {
      name: 'test',
      rig: 'opus',
      tracks: [
        { id: 301, title: 'A', bpm: 128, beats: 400, firstBeatMs: 25 },
        { id: 302, title: 'B', bpm: 120, beats: 300 },
      ],
      steps: [
        { at: 0, do: 'load', deck: 1, track: 301 },
        { at: 500, do: 'play', deck: 1 },
        { at: 500, do: 'master', deck: 1 },
        { at: 4000, do: 'load', deck: 2, track: 302 },
      ],
      ...extra,
    },
    'test',
  );
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  return scenario;
}

export async function rig(scenario: Scenario, tuning: SimTuning = { zeroFlagProbability: 0 }): Promise<{ clock: VirtualClock; lan: VirtualLan; sim: RunningSimulator; traffic: LanTraffic[] }> {
  const clock = new VirtualClock(0);
  const lan = new VirtualLan({ clock });
  const traffic: LanTraffic[] = [];
  lan.tap((t) => traffic.push(t));
  const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock, tuning });
  if (!('truth' in sim)) throw new Error(sim.message);
  return { clock, lan, sim, traffic };
}

/** The packet kind of a recorded datagram ('error' when the codec rejects it). */
export function typeOf(t: LanTraffic): string {
  const packet = decodePacket(t.toPort, t.data);
  return isPacketError(packet) ? 'error' : packet.kind;
}

/** Checks plain scenario data, failing the test on a mistake. */
export function scenarioOf(raw: unknown): Scenario {
  const scenario = parseScenario(raw, 'test');
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  return scenario;
}
