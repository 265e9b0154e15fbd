/**
 * Plays a scenario on the simulator and the real bridge together, in virtual
 * time: the simulator on an in-process LAN, the bridge (startBridge, with its
 * session, streams, mapping engine and MIDI output path) joined to it, and a
 * mapping with one rule per kind of event. Every firing is recorded with the
 * virtual instant it happened, and the simulator writes its truth for the
 * same span. Outages cut the bridge off the LAN (both ways) for a while, as a
 * pulled cable or a dead switch would, while the decks play on. A busy link
 * holds each packet for the bridge a random while (seeded), so packets come
 * late and out of order, as on a loaded switch, Wi-Fi or host, and may lose
 * some.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, VirtualAction, VirtualTimeScheduler, type Subscription } from 'rxjs';
import { startBridge } from '../../src/app/bridge';
import { Catalogue } from '../../src/library/catalogue';
import { scenarioCatalogue } from '../../src/prolink/sim/scenario-library';
import { ScenarioError } from '../../src/prolink/sim/scenario';
import type { Link } from '../../src/app/link';
import { createLogger } from '../../src/log/logger';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';
import type { SessionMode } from '../../src/prolink/network/session-types';
import type { SimClock } from '../../src/prolink/sim/clock';
import type { Scenario } from '../../src/prolink/sim/scenario';
import { showTruth, type TruthEvent } from '../../src/prolink/sim/show-truth';
import { startSimulator, type SimTuning } from '../../src/prolink/sim/simulator';
import { between, seededRandom } from '../../src/prolink/sim/random';
import { LAN_BROADCAST, VirtualLan } from '../../src/prolink/sim/transport/virtual-lan';
import type { TimedDatagram } from '../../src/streams/received';
import type { Observed, Window } from './score';

/** The kinds of event scored, each with a rule of its own. */
const RULE_EVENTS = ['beat', 'phrase.start', 'phrase.end', 'phrase.fill', 'master.change', 'track.load', 'play', 'stop', 'cue'] as const;

export function showMapping(extra: { readonly confirm?: boolean } = {}): string {
  const rules = RULE_EVENTS.map((on, i) => {
    const confirm = extra.confirm === true && (on === 'beat' || on.startsWith('phrase.')) ? ', confirm: true' : '';
    return `  - { name: "${on}", on: ${on}${confirm}, send: [{ midi: { to: rec, channel: 1, cc: ${i + 1}, value: 1 } }] }`;
  });
  return ['targets:', '  rec: { midi: { port: recording } }', 'rules:', ...rules, ''].join('\n');
}

export interface Busy {
  readonly minMs: number;
  readonly maxMs: number;
  /** The share of packets for the bridge lost on the way (0 … 1). */
  readonly loss?: number;
}

export interface ShowSpec {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mode: SessionMode;
  /** Virtual ms to play. */
  readonly durationMs: number;
  readonly outages?: readonly Window[];
  /** Each packet for the bridge arrives this many ms late, uniform in [minMs, maxMs). */
  readonly busy?: Busy;
  readonly tuning?: SimTuning;
  /** The mapping to run; showMapping() by default. */
  readonly mapping?: string;
}

export interface ShowRun {
  readonly truth: readonly TruthEvent[];
  readonly observed: readonly Observed[];
  /** Outages as given, and OPUS-QUAD restarts as the simulator logged them. */
  readonly outages: readonly Window[];
  /** MIDI messages the rules sent (a check that firings really left through the output path). */
  readonly sent: number;
  /** Where judging ends: a little before the show's end, so the last events' late firings are not cut off. */
  readonly until: number;
}

/** A SimClock on an RxJS virtual-time scheduler, so the simulator and the bridge share one timeline. */
function clockOn(scheduler: VirtualTimeScheduler): SimClock {
  return {
    now: () => scheduler.now(),
    setTimeout: (callback, ms) => scheduler.schedule(() => callback(), Math.max(0, ms)),
    clearTimeout: (handle) => (handle as Subscription).unsubscribe(),
  };
}

const BRIDGE_ADDRESS = '169.254.1.2';
/** Virtual time starts here, so nothing sits at or before zero. */
const START_MS = 1000;
/** How long the show plays on after its end, for late events of its last moments. */
const TAIL_MS = 3000;
/** Events of the show's last second are not judged: a late one may still be due when the run stops. */
const JUDGED_BEFORE_END_MS = 1000;

export async function runShow(spec: ShowSpec): Promise<ShowRun> {
  const scheduler = new VirtualTimeScheduler(VirtualAction, START_MS);
  scheduler.schedule(() => undefined, START_MS);
  scheduler.flush();
  const clock = clockOn(scheduler);
  const outages = (spec.outages ?? []).map((w) => ({ from: START_MS + w.from, to: START_MS + w.to }));
  const cut = (): boolean => outages.some((w) => clock.now() >= w.from && clock.now() < w.to);

  const lan = new VirtualLan({ clock });
  const sim = await startSimulator({
    scenario: spec.scenario,
    transport: { kind: 'lan', lan },
    clock,
    seed: spec.seed,
    ...(spec.tuning === undefined ? {} : { tuning: spec.tuning }),
  });
  if (!('truth' in sim)) throw new Error(sim.message);

  const datagrams = new Subject<TimedDatagram>();
  const busy = spec.busy;
  const random = seededRandom(spec.seed * 7919 + 17);
  const member = lan.join({
    address: BRIDGE_ADDRESS,
    onDatagram: (d) => {
      if (cut() || (busy?.loss !== undefined && random() < busy.loss)) return;
      const deliver = (): void => datagrams.next({ port: d.port, address: d.address, data: d.data, at: clock.now() });
      if (busy === undefined || busy.maxMs <= 0) deliver();
      else scheduler.schedule(deliver, between(random, busy.minMs, busy.maxMs));
    },
  });
  const link: Link = {
    description: `the simulator, scenario "${spec.scenario.name}", in virtual time`,
    datagrams,
    identity: { address: member.address, mac: member.mac, broadcast: member.broadcast ?? LAN_BROADCAST, hostName: 'prolink-bridge' },
    send: (out) => {
      if (!cut()) member.send(out.port, out.address, out.port, out.data);
    },
    close: async () => {
      await member.close();
      datagrams.complete();
    },
  };

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'show-'));
  const mappingFile = path.join(dir, 'show.yaml');
  fs.writeFileSync(mappingFile, spec.mapping ?? showMapping());
  const port = new RecordingMidiPort('recording', () => scheduler.now());
  // A scenario with `library:` gives the bridge that export as its library, with the scenario's cues in it.
  const library = scenarioCatalogue(spec.scenario);
  if (library instanceof ScenarioError) throw new Error(library.message);
  const started = await startBridge({
    ...(library === null ? {} : { library: new Catalogue(library) }),
    link,
    mode: spec.mode,
    mappingPaths: [mappingFile],
    watchMappings: false,
    logger: createLogger({ level: 'silent', destination: fs.createWriteStream('/dev/null') }),
    openMidi: () => ({ ok: true, port }),
    scheduler,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  if (!started.ok) throw new Error(started.message);
  const bridge = started.bridge;
  const observed: Observed[] = [];
  bridge.activity.subscribe((a) => {
    if (a.kind === 'fired') observed.push({ event: a.event, firedAt: scheduler.now() });
  });

  const end = START_MS + spec.durationMs;
  // Played on past the end, so events of the last moments can still arrive; only those up to the end are kept.
  scheduler.maxFrames = end + TAIL_MS;
  scheduler.flush();
  const kept = observed.filter((o) => Math.min(o.event.at, o.firedAt) <= end);

  const truth = showTruth({ scenario: sim.scenario, decks: sim.rig.decks, log: sim.truth.events, from: START_MS - 1, to: end });
  const restarts: Window[] = [];
  for (const e of sim.truth.events) {
    if (e.code === 'restart') restarts.push({ from: e.at, to: end });
    if (e.code === 'back') {
      const open = restarts[restarts.length - 1];
      if (open !== undefined && open.to === end) restarts[restarts.length - 1] = { from: open.from, to: e.at };
    }
  }
  await bridge.stop();
  await sim.stop();
  return { truth, observed: kept, outages: [...outages, ...restarts], sent: port.messages.length, until: end - JUDGED_BEFORE_END_MS };
}
