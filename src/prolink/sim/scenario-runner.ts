/**
 * Plays a scenario's steps on a rig at their times. It is polled like a device
 * (it sends nothing itself), ahead of the devices at the same instant, so a
 * step at time t is visible in every packet sent at t.
 */
import type { SimTrack } from './deck/track';
import type { EventSink, Outgoing } from './devices/device';
import type { SimRig } from './devices/rig';
import type { Scenario, ScenarioStep } from './scenario';

/** How long Beat Sync takes to pull a deck onto the master's beat when the step does not say (ms). */
const SYNC_MS = 100;
/** How long a nudge of the jog wheel lasts when the step does not say (ms). */
export const NUDGE_MS = 400;

export class ScenarioRunner {
  private index = 0;
  private base: number;
  private passes = 1;

  constructor(
    private readonly scenario: Scenario,
    private readonly rig: SimRig,
    private readonly tracks: ReadonlyMap<number, SimTrack>,
    startAt: number,
    private readonly events: EventSink,
  ) {
    this.base = startAt;
  }

  /** How many times the scenario has started (1 on the first pass). */
  get pass(): number {
    return this.passes;
  }

  nextDue(): number {
    const step = this.scenario.steps[this.index];
    return step === undefined ? Infinity : this.base + step.at;
  }

  poll(now: number): readonly Outgoing[] {
    for (let guard = 0; guard < 10_000; guard++) {
      const step = this.scenario.steps[this.index];
      if (step === undefined || this.base + step.at > now) break;
      this.index++;
      this.apply(step, this.base + step.at);
    }
    return [];
  }

  private apply(step: ScenarioStep, at: number): void {
    const rig = this.rig;
    const deck = rig.commands;
    switch (step.do) {
      case 'load': {
        const track = step.track !== undefined ? this.tracks.get(step.track) : [...this.tracks.values()].find((t) => t.title === step.title);
        if (track !== undefined) deck.load(step.deck, track, at);
        return;
      }
      case 'play':
        return deck.play(step.deck, at);
      case 'stop':
        return deck.stop(step.deck, at);
      case 'pitch':
        return deck.pitch(step.deck, step.percent, at, step.overMs ?? 0);
      case 'nudge':
        return deck.nudge(step.deck, step.ms, step.overMs ?? NUDGE_MS, at);
      case 'sync':
        return deck.sync(step.deck, step.overMs ?? SYNC_MS, at);
      case 'hold':
        return deck.hold(step.deck, step.ms, at);
      case 'jump':
        return deck.jump(step.deck, step.beat, at);
      case 'beatJump':
        return deck.beatJump(step.deck, step.beats, at);
      case 'double':
        return deck.double(step.deck, step.from, at);
      case 'master':
        return deck.setMaster(step.deck, at);
      case 'loop':
        return deck.loop(step.deck, step.beat, step.beats, at);
      case 'exitLoop':
        return deck.exitLoop(step.deck, at);
      case 'opusRestart':
        rig.restart(step.ms, at);
        return;
      case 'repeat':
        this.base = at;
        this.index = 0;
        this.passes++;
        this.events({ at, source: 'scenario', code: 'scenario', message: `${this.scenario.name}: starting pass ${this.passes}` });
        return;
    }
  }
}
