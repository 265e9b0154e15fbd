/**
 * startSimulator: builds the rig a scenario asks for, puts its devices on a
 * transport (the in-process VirtualLan, or real UDP sockets) and runs the
 * scenario on a clock until stop().
 */
import * as fs from 'node:fs';
import { NetworkError } from '../network/network-error';
import type { Datagram } from '../network/udp-sockets';
import { decodePacket } from '../packets/dispatch';
import { isPacketError } from '../packets/errors';
import { realClock, type SimClock } from './clock';
import { CdjPairRig, PAIR_PLAYERS } from './devices/cdj-pair';
import type { EventSink, HostIdentity, Outgoing, SimDevice } from './devices/device';
import { VirtualOpusQuad } from './devices/opus-quad';
import type { SimRig } from './devices/rig';
import { Driver, type Actor } from './driver';
import { seededRandom, type Random } from './random';
import type { Scenario } from './scenario';
import { ScenarioError } from './scenario-error';
import { ScenarioRunner } from './scenario-runner';
import { tracksOf, type ReadFile } from './tracks/track-library';
import { resolveLibraryTracks, type ReadLibrary } from './tracks/export-tracks';
import { readLibraryFromDisk } from './scenario-library';
import { openUdpHost, type HostLink } from './transport/udp-host';
import type { VirtualLan } from './transport/virtual-lan';
import { SimTruth } from './truth';

export type SimTransport =
  /** In-process: every device is its own host on the LAN. */
  | { readonly kind: 'lan'; readonly lan: VirtualLan }
  /** Real UDP on the fixed ports of one interface; every device shares its address. */
  | { readonly kind: 'udp'; readonly host: HostIdentity; readonly bindAddress?: string };

/** Knobs mostly for tests; scenario options override none of them. */
export interface SimTuning {
  readonly keepAliveMs?: number;
  readonly statusMs?: number;
  readonly statusJitterMs?: number;
  readonly zeroFlagProbability?: number;
  readonly helloMs?: number;
  readonly artDelayMs?: number;
  readonly chunkBytes?: number;
  readonly chunkLossProbability?: number;
  readonly peerTimeoutMs?: number;
  /** OPUS-QUAD: answer a per-deck 0x55 with that deck's PSSI alone (default: every loaded deck's). */
  readonly phrasesPerDeck?: boolean;
}

export interface SimulatorOptions {
  readonly scenario: Scenario;
  readonly transport: SimTransport;
  /** Defaults to realClock. */
  readonly clock?: SimClock;
  /** Seeds jitter and the OPUS flag glitch; defaults to the scenario's seed, else 1. */
  readonly seed?: number;
  readonly onEvent?: EventSink;
  /** Reads analysis files named by tracks; defaults to the file system. */
  readonly readFile?: ReadFile;
  /** Reads the scenario's `library` export; defaults to scanning it on disk. */
  readonly readLibrary?: ReadLibrary;
  readonly tuning?: SimTuning;
}

export interface RunningSimulator {
  /** The scenario as played: its library tracks read from the export, with the IDs the decks report. */
  readonly scenario: Scenario;
  readonly rig: SimRig;
  readonly devices: readonly SimDevice[];
  readonly truth: SimTruth;
  readonly runner: ScenarioRunner;
  /** The address each device uses. */
  readonly addresses: ReadonlyMap<SimDevice, string>;
  stop(): Promise<void>;
}

/** Where the devices sit on the in-process LAN. */
export const LAN_ADDRESSES = { opus: '169.254.40.9', mixer: '169.254.40.33', player: (n: number): string => `169.254.40.${n}` } as const;

export const readFileFromDisk: ReadFile = (path) => {
  try {
    return fs.readFileSync(path);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
};

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Drops undefined values, so optional options can be passed on as "absent". */
function defined<T extends object>(value: T): Defined<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Defined<T>;
}

function buildRig(scenario: Scenario, hostFor: (role: string) => HostIdentity, events: EventSink, random: Random, now: number, tuning: SimTuning): SimRig {
  const options = scenario.options ?? {};
  const statusMs = tuning.statusMs ?? options.statusMs;
  if (scenario.rig === 'opus') {
    return new VirtualOpusQuad({
      host: hostFor('opus'),
      events,
      random,
      now,
      ...defined({
        keepAliveMs: tuning.keepAliveMs,
        statusMs,
        statusJitterMs: tuning.statusJitterMs,
        zeroFlagProbability: tuning.zeroFlagProbability ?? options.zeroFlagProbability,
        helloMs: tuning.helloMs,
        artDelayMs: tuning.artDelayMs,
        chunkBytes: tuning.chunkBytes,
        chunkLossProbability: tuning.chunkLossProbability,
        peerTimeoutMs: tuning.peerTimeoutMs,
        phrasesPerDeck: tuning.phrasesPerDeck,
      }),
    });
  }
  return new CdjPairRig({
    hosts: { players: new Map(PAIR_PLAYERS.map((n) => [n, hostFor(`player-${n}`)])), mixer: hostFor('mixer') },
    events,
    random,
    now,
    ...defined({ statusMs, keepAliveMs: tuning.keepAliveMs, mixerBeats: options.mixerBeats, players: options.players }),
  });
}

export async function startSimulator(options: SimulatorOptions): Promise<RunningSimulator | ScenarioError | NetworkError> {
  const { transport } = options;
  const clock = options.clock ?? realClock;
  const scenario = resolveLibraryTracks(options.scenario, options.readLibrary ?? readLibraryFromDisk);
  if (scenario instanceof ScenarioError) return scenario;
  const tracks = tracksOf(scenario, options.readFile ?? readFileFromDisk);
  if (tracks instanceof ScenarioError) return tracks;

  let deliver: (link: HostLink, datagram: Datagram) => void = () => undefined;
  const links = new Map<string, HostLink>();
  if (transport.kind === 'udp') {
    let link: HostLink | null = null;
    const opened = await openUdpHost({
      identity: transport.host,
      ...(transport.bindAddress === undefined ? {} : { bindAddress: transport.bindAddress }),
      onDatagram: (d) => link !== null && deliver(link, d),
    });
    if (opened instanceof NetworkError) return opened;
    link = opened;
    links.set('shared', opened);
  } else {
    const roles = scenario.rig === 'opus' ? [['opus', LAN_ADDRESSES.opus]] : [...PAIR_PLAYERS.map((n) => [`player-${n}`, LAN_ADDRESSES.player(n)]), ['mixer', LAN_ADDRESSES.mixer]];
    for (const [role, address] of roles as [string, string][]) {
      const member = transport.lan.join({ address, onDatagram: (d) => deliver(member, d) });
      links.set(role, member);
    }
  }
  const linkFor = (role: string): HostLink => (links.get('shared') ?? links.get(role)) as HostLink;

  const now = clock.now();
  const random = seededRandom(options.seed ?? scenario.options?.seed ?? 1);
  let truth: SimTruth | null = null;
  const events: EventSink = (event) => {
    truth?.record(event);
    options.onEvent?.(event);
  };
  const rig = buildRig(scenario, linkFor, events, random, now, options.tuning ?? {});
  truth = new SimTruth(rig);
  const runner = new ScenarioRunner(scenario, rig, tracks, now, events);

  const linkOf = new Map<SimDevice, HostLink>();
  for (const device of rig.devices) {
    const link = [...links.values()].find((l) => l.address === device.host.address) as HostLink;
    linkOf.set(device, link);
  }
  const send = (actor: Actor, out: readonly Outgoing[]): void => {
    const link = linkOf.get(actor as SimDevice);
    if (link === undefined) return;
    for (const o of out) link.send(o.port, o.address, o.port, o.data);
  };
  const driver = new Driver(clock, [runner, ...rig.devices], send);
  deliver = (link, datagram) => {
    const packet = decodePacket(datagram.port, datagram.data);
    if (isPacketError(packet)) return;
    driver.act((at) => {
      for (const device of rig.devices) {
        if (linkOf.get(device) !== link) continue;
        const out = device.receive(packet, datagram.address, at);
        if (out.length > 0) send(device, out);
      }
    });
  };
  driver.start();

  let stopped = false;
  return {
    scenario,
    rig,
    devices: rig.devices,
    truth,
    runner,
    addresses: new Map(rig.devices.map((d) => [d, d.host.address])),
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      driver.stop();
      await Promise.all([...links.values()].map((l) => l.close()));
    },
  };
}
