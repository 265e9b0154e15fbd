/**
 * The built-in simulator, in the same process: a virtual OPUS-QUAD (or CDJ
 * pair) on an in-memory LAN that the bridge joins like a real network. No
 * privileges, sockets or special network are needed, on any OS.
 */
import type { Observable } from 'rxjs';
import { defer, Subject } from '../rx';
import { LAN_BROADCAST, VirtualLan } from '../prolink/sim/transport/virtual-lan';
import { realClock } from '../prolink/sim/clock';
import { findScenario } from '../prolink/sim/scenario-file';
import { readFileFromDisk, startSimulator, type RunningSimulator } from '../prolink/sim/simulator';
import { simulatedUsb } from '../prolink/sim/scenario-library';
import type { Scenario } from '../prolink/sim/scenario';
import { Catalogue } from '../library/catalogue/catalogue';
import { ScenarioError } from '../prolink/sim/scenario-error';
import type { SimEvent } from '../prolink/sim/devices/device';
import type { TimedDatagram } from '../streams/received';
import { monotonicMs, type Link } from './link';

/** The bridge's address on the simulated LAN (outside the simulator's 169.254.40.x). */
export const SIMULATED_BRIDGE_ADDRESS = '169.254.1.2';

export interface SimLink {
  readonly link: Link;
  readonly simulator: RunningSimulator;
  /** The scenario as written (the simulator's has its export tracks resolved). */
  readonly scenario: Scenario;
}

/**
 * The simulated DJ's USB as the bridge's library: the scenario's synthetic
 * tracks, and the tracks of its `library:` export; or why it cannot be read,
 * in a sentence.
 */
export function simulatedLibrary(scenario: Scenario): Catalogue | string {
  const data = simulatedUsb(scenario, readFileFromDisk);
  return data instanceof ScenarioError ? data.message : new Catalogue(data);
}

export async function openSimLink(scenarioName: string, onEvent?: (event: SimEvent) => void): Promise<SimLink | string> {
  const scenario = findScenario(scenarioName);
  if (scenario instanceof ScenarioError) return scenario.message;
  const lan = new VirtualLan({ clock: realClock });
  // On the LAN before the gear starts, so its first keep-alive is heard rather than the next one 1.5 s later.
  const datagrams = new HeldUntilSubscribed<TimedDatagram>();
  const member = lan.join({ address: SIMULATED_BRIDGE_ADDRESS, onDatagram: (d) => datagrams.next({ port: d.port, address: d.address, data: d.data, at: monotonicMs() }) });
  const simulator = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock: realClock, ...(onEvent === undefined ? {} : { onEvent }) });
  if (!('truth' in simulator)) {
    await member.close();
    return simulator.message;
  }
  return {
    simulator,
    scenario,
    link: {
      description: `the built-in simulator (scenario "${scenario.name}")`,
      datagrams: datagrams.observable,
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

/** Most datagrams held for a subscriber that is late (a few seconds of a busy simulated network). */
const MAX_HELD = 2000;

/**
 * A hot stream that keeps what arrives before anyone subscribes (the
 * simulated gear starts talking while the bridge still loads its mapping)
 * and delivers it, in order, just after the first subscription: on the next
 * turn of the event loop, so every subscriber of that same start-up gets it.
 */
class HeldUntilSubscribed<T> {
  private readonly subject = new Subject<T>();
  private held: T[] | null = [];
  private releasing = false;
  readonly observable: Observable<T> = defer(() => {
    if (this.held !== null && !this.releasing) {
      this.releasing = true;
      setImmediate(() => this.release());
    }
    return this.subject;
  });

  next(value: T): void {
    if (this.held === null) this.subject.next(value);
    else if (this.held.length < MAX_HELD) this.held.push(value);
  }

  complete(): void {
    this.held = null;
    this.subject.complete();
  }

  private release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const value of held) this.subject.next(value);
  }
}
