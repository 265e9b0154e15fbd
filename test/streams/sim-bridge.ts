/**
 * Test helper: the simulator's OPUS-QUAD (or CDJs) and the bridge's stream
 * layer (createBridgeStreams) on the in-process LAN, in virtual time. The
 * bridge joins in lighting or cdj mode through a real ProlinkSession, every
 * datagram reaches it after a modelled network delay, and the beats it emits
 * are scored against the simulator's true beat instants.
 */
import { Subject, Subscription, type SchedulerAction, type SchedulerLike } from 'rxjs';
import type { BeatEvent } from '../../src/events/bridge-event';
import { ProlinkSession } from '../../src/prolink/network/session';
import type { SessionMode, SessionStep } from '../../src/prolink/network/session-types';
import { VirtualClock } from '../../src/prolink/sim/clock';
import { seededRandom, type Random } from '../../src/prolink/sim/random';
import type { TrueBeat } from '../../src/prolink/sim/deck/deck';
import { parseScenario, ScenarioError, type Scenario } from '../../src/prolink/sim/scenario';
import { startSimulator, type SimTuning } from '../../src/prolink/sim/simulator';
import { VirtualLan } from '../../src/prolink/sim/transport/virtual-lan';
import { createBridgeStreams, type BridgeStreams } from '../../src/streams/bridge-streams';
import type { TimedDatagram } from '../../src/streams/received';

/** RxJS scheduling on the simulator's virtual clock, so the stream layer and the devices share one time. */
export class ClockScheduler implements SchedulerLike {
  constructor(private readonly clock: VirtualClock) {}

  now(): number {
    return this.clock.now();
  }

  schedule<T>(work: (this: SchedulerAction<T>, state?: T) => void, delay = 0, state?: T): Subscription {
    const clock = this.clock;
    let handle: unknown = null;
    const subscription = new Subscription(() => {
      if (handle !== null) clock.clearTimeout(handle);
      handle = null;
    });
    const action = Object.assign(subscription, {
      schedule(next?: T, again = 0): Subscription {
        arm(next, again);
        return action;
      },
    }) as SchedulerAction<T>;
    const arm = (s: T | undefined, ms: number): void => {
      if (handle !== null) clock.clearTimeout(handle);
      handle = clock.setTimeout(() => {
        handle = null;
        if (!subscription.closed) work.call(action, s);
      }, ms);
    };
    arm(state, delay);
    return action;
  }
}

/** Wired LAN plus the receiving host's stack: each datagram 0.2–1.0 ms late (uniform). */
export const lanDelay = (random: Random): number => 0.2 + 0.8 * random();

export interface SimBridgeRun {
  readonly beats: readonly BeatEvent[];
  truth(deck: number): readonly TrueBeat[];
  readonly decks: readonly number[];
}

const BRIDGE_ADDRESS = '169.254.1.2';
const SESSION_TICK_MS = 100;

export function scenarioOf(raw: unknown): Scenario {
  const scenario = parseScenario(raw, 'test');
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  return scenario;
}

/** Runs `scenario` for `runMs` with the bridge in `mode`, collecting the beats it emits. */
export async function runSimBridge(
  scenario: Scenario,
  options: {
    readonly mode: SessionMode;
    readonly runMs: number;
    readonly seed: number;
    readonly delay?: (random: Random) => number;
    readonly tuning?: SimTuning;
    /** Called with the streams and scheduler before the run, e.g. to subscribe to more of them. */
    readonly onStreams?: (streams: BridgeStreams, scheduler: SchedulerLike) => void;
  },
): Promise<SimBridgeRun> {
  const clock = new VirtualClock(0);
  const lan = new VirtualLan({ clock });
  const sim = await startSimulator({ scenario, transport: { kind: 'lan', lan }, clock, seed: options.seed, tuning: options.tuning ?? {} });
  if (!('truth' in sim)) throw new Error(sim.message);
  const random = seededRandom(options.seed * 7907 + 1);
  const delay = options.delay ?? lanDelay;
  const datagrams = new Subject<TimedDatagram>();
  const member = lan.join({
    address: BRIDGE_ADDRESS,
    onDatagram: (d) => {
      if (d.address === BRIDGE_ADDRESS) return;
      clock.setTimeout(() => datagrams.next({ port: d.port, address: d.address, data: d.data, at: clock.now() }), delay(random));
    },
  });
  const session = new ProlinkSession({ mode: options.mode, identity: { address: BRIDGE_ADDRESS, mac: member.mac, broadcast: lan.broadcast, hostName: 'prolink-bridge' } });
  const apply = (step: SessionStep): void => {
    for (const out of step.send) member.send(out.port, out.address, out.port, out.data);
  };
  const scheduler = new ClockScheduler(clock);
  const streams = createBridgeStreams(datagrams, { scheduler, ownAddress: BRIDGE_ADDRESS });
  options.onStreams?.(streams, scheduler);
  const beats: BeatEvent[] = [];
  const subscriptions = new Subscription();
  subscriptions.add(streams.received$.subscribe((r) => apply(session.receive(r.packet, r.address, clock.now()))));
  subscriptions.add(streams.beats$.subscribe((b) => beats.push(b)));
  subscriptions.add(streams.metadata$.subscribe((m) => {
    if (m.kind !== 'request') return;
    const out = session.requestPhrases(m.deckDevice, m.trackId);
    if (out !== null) apply({ send: [out], notices: [] });
  }));
  apply(session.start(clock.now()));
  const tick = (): void => {
    apply(session.tick(clock.now()));
    clock.setTimeout(tick, SESSION_TICK_MS);
  };
  clock.setTimeout(tick, SESSION_TICK_MS);
  clock.runUntil(options.runMs);
  subscriptions.unsubscribe();
  datagrams.complete();
  await sim.stop();
  const decks = [...sim.rig.decks.keys()];
  return { beats, decks, truth: (deck) => sim.truth.beats(deck, 0, options.runMs) };
}

export interface BeatScore {
  /** Truth beats, and those matched by exactly one emitted beat. */
  readonly truth: number;
  readonly matched: number;
  /** Truth beats with no emitted beat of that number near them. */
  readonly missing: number;
  /** Of those, the first beat of a stretch (after play or a jump). */
  readonly missingFirst: number;
  /** Emitted beats matching no truth beat, or matching one already matched. */
  readonly extra: number;
  /** |emitted − true| (ms) of matched beats from the fourth beat of each stretch of forward play. */
  readonly errors: readonly number[];
  /** Matched beats flagged late. */
  readonly late: number;
}

/**
 * Scores emitted beats against the truth, deck by deck. A stretch is a run of
 * true beats numbered n, n + 1, … without a gap of more than two periods; its
 * first three beats (after play or a jump) are left out of the timing errors.
 */
export interface ScoreWindow {
  readonly from?: number;
  readonly to?: number;
  /** Timing errors only once the deck has played this many beats of its current track (the grid is learned). */
  readonly afterTrackBeats?: number;
  /** An emitted beat matches a true beat of its number this close (in beat periods); default 0.5. */
  readonly matchWithin?: number;
}

export function scoreBeats(run: SimBridgeRun, options: ScoreWindow = {}): BeatScore {
  const window = { from: options.from ?? 0, to: options.to ?? Infinity };
  const learned = options.afterTrackBeats ?? 0;
  const within = options.matchWithin ?? 0.5;
  let truthCount = 0;
  let matched = 0;
  let missing = 0;
  let missingFirst = 0;
  let extra = 0;
  let late = 0;
  const errors: number[] = [];
  for (const deck of run.decks) {
    const truth = run.truth(deck).filter((t) => t.at >= window.from && t.at <= window.to);
    const emitted = run.beats.filter((b) => b.deck === deck && b.beat !== null);
    const used = new Set<BeatEvent>();
    let stretchIndex = 0;
    let previous: TrueBeat | null = null;
    let trackBeats = 0;
    for (const t of truth) {
      trackBeats = previous !== null && previous.trackId === t.trackId ? trackBeats + 1 : 0;
      const period = 60_000 / t.bpm;
      const continues = previous !== null && t.beat === previous.beat + 1 && t.at - previous.at < 2 * period;
      stretchIndex = continues ? stretchIndex + 1 : 0;
      previous = t;
      truthCount++;
      const candidates = emitted.filter((b) => b.beat === t.beat && !used.has(b) && Math.abs(b.at - t.at) < period * within);
      const best = candidates.sort((a, b) => Math.abs(a.at - t.at) - Math.abs(b.at - t.at))[0];
      if (best === undefined) {
        missing++;
        if (stretchIndex === 0) missingFirst++;
        continue;
      }
      used.add(best);
      matched++;
      if (best.late) late++;
      if (stretchIndex >= 3 && trackBeats >= learned) errors.push(Math.abs(best.at - t.at));
    }
    extra += emitted.filter((b) => !used.has(b) && b.at >= window.from && b.at <= window.to).length;
  }
  return { truth: truthCount, matched, missing, missingFirst, extra, errors, late };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] as number;
}
