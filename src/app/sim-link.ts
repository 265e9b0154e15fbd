/**
 * The built-in simulator, in the same process: a virtual OPUS-QUAD (or CDJ
 * pair) on an in-memory LAN that the bridge joins like a real network. No
 * privileges, sockets or special network are needed, on any OS.
 */
import { Subject } from 'rxjs';
import { LAN_BROADCAST, VirtualLan } from '../prolink/sim/transport/virtual-lan';
import { realClock } from '../prolink/sim/clock';
import { findScenario } from '../prolink/sim/scenario-file';
import { startSimulator, type RunningSimulator } from '../prolink/sim/simulator';
import { ScenarioError } from '../prolink/sim/scenario';
import type { SimEvent } from '../prolink/sim/devices/device';
import type { TimedDatagram } from '../streams/received';
import { monotonicMs, type Link } from './link';

/** The bridge's address on the simulated LAN (outside the simulator's 169.254.40.x). */
export const SIMULATED_BRIDGE_ADDRESS = '169.254.1.2';

export interface SimLink {
  readonly link: Link;
  readonly simulator: RunningSimulator;
}

export async function openSimLink(scenarioName: string, onEvent?: (event: SimEvent) => void): Promise<SimLink | string> {
  const scenario = findScenario(scenarioName);
  if (scenario instanceof ScenarioError) return scenario.message;
  const lan = new VirtualLan({ clock: realClock });
  const simulator = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock: realClock, ...(onEvent === undefined ? {} : { onEvent }) });
  if (!('truth' in simulator)) return simulator.message;
  const datagrams = new Subject<TimedDatagram>();
  const member = lan.join({ address: SIMULATED_BRIDGE_ADDRESS, onDatagram: (d) => datagrams.next({ port: d.port, address: d.address, data: d.data, at: monotonicMs() }) });
  return {
    simulator,
    link: {
      description: `the built-in simulator (scenario "${scenario.name}")`,
      datagrams,
      identity: { address: member.address, mac: member.mac, broadcast: member.broadcast ?? LAN_BROADCAST, hostName: 'prolink-bridge' },
      send: (out) => member.send(out.port, out.address, out.port, out.data),
      close: async () => {
        await member.close();
        await simulator.stop();
        datagrams.complete();
      },
    },
  };
}
