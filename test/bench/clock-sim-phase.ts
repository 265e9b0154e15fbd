/**
 * MIDI clock phase against the beats of the simulator's CDJ, in virtual time.
 *
 * The simulator's cdj-pair rig plays one track on player 2, which broadcasts
 * a real beat packet (0x28) on every true beat and sends status to every
 * keep-alive peer. The bridge's side is what the bridge runs: a
 * ProlinkSession joined to the simulated LAN (so the players send it status),
 * the stream operators that turn datagrams into deck states and beat events
 * (decodeDatagrams, toDeckStates, realBeats), DeckGrids fed with both, and
 * the grid published on every status and beat (as ClockOutputs does) to the
 * SnapshotSource a MidiClock follows. Every datagram reaches the bridge after
 * a modelled delay (the LatencyModel); pulses are sent exactly when the clock
 * schedules them (the thread's own timing error is measured in real time by
 * the other sections). Each pulse on a beat is compared with the true instant
 * of the nearest beat of the simulated deck.
 */
import { filter, share, Subject } from 'rxjs';
import { DeckGrids } from '../../src/app/deck-grids';
import { MidiClock } from '../../src/outputs/midi/midi-clock';
import { RecordingMidiPort } from '../../src/outputs/midi/midi-port';
import { ProlinkSession } from '../../src/prolink/network/session';
import type { SessionStep } from '../../src/prolink/network/session-types';
import { VirtualClock } from '../../src/prolink/sim/clock';
import { seededRandom, type Random } from '../../src/prolink/sim/random';
import { parseScenario, ScenarioError, type Scenario } from '../../src/prolink/sim/scenario';
import { startSimulator } from '../../src/prolink/sim/simulator';
import { VirtualLan } from '../../src/prolink/sim/transport/virtual-lan';
import { decodeDatagrams } from '../../src/streams/decode-datagrams';
import { toDeckStates } from '../../src/streams/deck-states';
import { repairOpusFlags } from '../../src/streams/opus-flags';
import { realBeats } from '../../src/streams/real-beats';
import { isKindReceived, isReceived, type TimedDatagram } from '../../src/streams/received';
import { SnapshotSource } from '../../src/timing/grid-snapshot';
import { TickScheduler, type WaitStrategy } from '../../src/timing/tick-scheduler';
import { fmt, onBeat, percentile, pulsePositions } from './clock-measure';

/** How long after it was sent a datagram is stamped as arrived at the bridge (ms). */
export interface LatencyModel {
  readonly label: string;
  readonly delay: (random: Random) => number;
}

/** Wired LAN plus the receiving host's network stack (ms). */
const LAN_MIN_MS = 0.2;
const LAN_MAX_MS = 1.0;
const lan = (r: Random): number => LAN_MIN_MS + (LAN_MAX_MS - LAN_MIN_MS) * r();

export const LAN_JITTER: LatencyModel = {
  label: `LAN: each datagram ${LAN_MIN_MS}–${LAN_MAX_MS.toFixed(1)} ms late (uniform)`,
  delay: lan,
};

export const BUSY_BRIDGE: LatencyModel = {
  label: 'LAN, and 10 % of datagrams stamped 1–5 ms later still (busy main thread)',
  delay: (r) => lan(r) + (r() < 0.1 ? 1 + 4 * r() : 0),
};

export interface SimPhaseRun {
  /** Signed: pulse time − true beat time (ms); negative = early. */
  readonly errors: number[];
  /** ms from play to the clock's first pulse. */
  readonly startedAfterMs: number;
}

const PLAYER = 2;
const BRIDGE_ADDRESS = '169.254.1.2';
const SESSION_TICK_MS = 100;
const PLAY_AT = 2000;
/** Beats in the first seconds after play (before the estimate settles) are left out. */
const SETTLE_MS = 4000;

function scenarioAt(bpm: number, seed: number): Scenario {
  const scenario = parseScenario(
    {
      name: `clock-bench-${bpm}`,
      rig: 'cdj-pair',
      tracks: [{ id: 701, title: 'Bench', bpm, beats: 0xfff0, firstBeatMs: 5 + (seed % 40) }],
      steps: [
        { at: 0, do: 'load', deck: PLAYER, track: 701 },
        { at: PLAY_AT - 500, do: 'master', deck: PLAYER },
        { at: PLAY_AT, do: 'play', deck: PLAYER },
      ],
      options: { seed, mixerBeats: false },
    },
    'clock bench',
  );
  if (scenario instanceof ScenarioError) throw new Error(scenario.message);
  return scenario;
}

/** A TickScheduler strategy on the simulator's clock: every task runs exactly on time. */
function exactly(clock: VirtualClock): WaitStrategy {
  return {
    waitUntil: (at, fire) => {
      const handle = clock.setTimeout(fire, at - clock.now());
      return () => clock.clearTimeout(handle);
    },
  };
}

export async function simulatorPhase(bpm: number, seed: number, playMs: number, latency: LatencyModel): Promise<SimPhaseRun> {
  const clock = new VirtualClock(0);
  const lan = new VirtualLan({ clock });
  const sim = await startSimulator({ scenario: scenarioAt(bpm, seed), transport: { kind: 'lan', lan }, clock, seed });
  if (!('truth' in sim)) throw new Error(sim.message);

  // The bridge: network delay, then the stream operators, DeckGrids and the clock's grid source.
  const random = seededRandom(seed * 7907);
  const datagrams = new Subject<TimedDatagram>();
  const member = lan.join({
    address: BRIDGE_ADDRESS,
    onDatagram: (d) => {
      if (d.address === BRIDGE_ADDRESS) return; // our own broadcasts
      clock.setTimeout(() => datagrams.next({ port: d.port, address: d.address, data: d.data, at: clock.now() }), latency.delay(random));
    },
  });
  const session = new ProlinkSession({ mode: 'cdj', identity: { address: BRIDGE_ADDRESS, mac: member.mac, broadcast: lan.broadcast, hostName: 'prolink-bridge' } });
  const apply = (step: SessionStep): void => {
    for (const out of step.send) member.send(out.port, out.address, out.port, out.data);
  };
  const received = datagrams.pipe(decodeDatagrams(), filter(isReceived), share());
  const status = received.pipe(filter(isKindReceived('cdjStatus')), repairOpusFlags(), share());
  const grids = new DeckGrids();
  const source = new SnapshotSource();
  const publish = (): void => source.publish(grids.grid(PLAYER, clock.now()));
  received.subscribe((r) => apply(session.receive(r.packet, r.address, r.at)));
  status.pipe(toDeckStates()).subscribe((d) => {
    grids.observeStatus(d);
    publish();
  });
  realBeats(received.pipe(filter(isKindReceived('beat'))), status).subscribe((b) => {
    grids.observeBeat(b);
    publish();
  });
  apply(session.start(clock.now()));
  const tick = (): void => {
    apply(session.tick(clock.now()));
    clock.setTimeout(tick, SESSION_TICK_MS);
  };
  clock.setTimeout(tick, SESSION_TICK_MS);

  const port = new RecordingMidiPort('virtual', () => clock.now());
  const midiClock = new MidiClock(port, new TickScheduler(clock, exactly(clock)), source);
  midiClock.start();
  const end = PLAY_AT + playMs;
  clock.runUntil(end);
  midiClock.stop();
  datagrams.complete();
  await sim.stop();

  const truth = sim.truth.beats(PLAYER, 0, end + 1000).map((b) => b.at);
  const pulses = pulsePositions(port.messages);
  const errors: number[] = [];
  let i = 0;
  for (const { at, position } of pulses) {
    if (at < PLAY_AT + SETTLE_MS || !onBeat(position)) continue;
    while (i + 1 < truth.length && Math.abs((truth[i + 1] as number) - at) <= Math.abs((truth[i] as number) - at)) i++;
    errors.push(at - (truth[i] as number));
  }
  return { errors, startedAfterMs: (pulses[0]?.at ?? NaN) - PLAY_AT };
}

/** The benchmark section: both latency models at 120 and 174 BPM, `seeds` runs of `playMs` each. */
export async function printSimulatorPhase(seeds = 5, playMs = 60_000): Promise<void> {
  console.log(`\n3. phase error against beat packets from the simulator's CDJ (ms; target < 2): virtual time, ${seeds} seeded runs of ${playMs / 1000} s of play each,`);
  console.log(`clock beats from ${SETTLE_MS / 1000} s after play vs the true beat instants; bias = mean signed error (negative = early)`);
  for (const model of [LAN_JITTER, BUSY_BRIDGE]) {
    console.log(`${model.label.padEnd(76)}  beats     bias      p50      p95      p99      max   clock started`);
    for (const bpm of [120, 174]) {
      const runs = [];
      for (let seed = 1; seed <= seeds; seed++) runs.push(await simulatorPhase(bpm, seed, playMs, model));
      const errors = runs.flatMap((r) => r.errors);
      const abs = errors.map(Math.abs);
      const bias = errors.reduce((a, b) => a + b, 0) / errors.length;
      const start = percentile(runs.map((r) => r.startedAfterMs), 50);
      const label = `  ${bpm} BPM`;
      const row = `${String(errors.length).padStart(6)} ${fmt(bias)} ${fmt(percentile(abs, 50))} ${fmt(percentile(abs, 95))} ${fmt(percentile(abs, 99))} ${fmt(Math.max(...abs))}`;
      console.log(`${label.padEnd(76)} ${row}   ${(start / 1000).toFixed(1)} s after play (median)`);
    }
  }
  console.log(
    `(a beat packet cannot arrive before its beat: the deck's grid puts the beat at the latest instant all packets allow, ` +
      `set by the least-delayed one, so the clock runs late by about the LAN's minimum delay, ${LAN_MIN_MS} ms here, plus the spread of the few freshest packets)`,
  );
}
