/**
 * Engine throughput: a compiled mapping and a live set's events through
 * runEvent, as MappingRuntime does (memory carried from event to event).
 * Events and worlds are generated between timed batches, never inside them.
 */
import type { BridgeEventType } from '../../src/events/bridge-event';
import type { CompiledMapping } from '../../src/mapping/compiled-mapping';
import { initialMemory, runEvent, type EngineMemory, type RunOptions } from '../../src/mapping/engine';

/** As MappingRuntime runs it: the memory is its own, updated in place. */
const OWNED: RunOptions = { memoryOwned: true };
import { LiveSet, type TimedInput } from './mapping-events';

const BATCH = 4096;

export interface ThroughputResult {
  readonly events: number;
  /** Rules runEvent looked at (those registered for the event's type). */
  readonly rulesEvaluated: number;
  readonly rulesFired: number;
  readonly commands: number;
  readonly problems: readonly string[];
  readonly ns: number;
}

export interface TypeSamples {
  readonly type: BridgeEventType;
  readonly ns: number[];
  rules: number;
  commands: number;
}

export interface SampledResult {
  readonly all: readonly number[];
  readonly byType: ReadonlyMap<BridgeEventType, TypeSamples>;
  /** Cost of the two clock reads around each sample, ns (median of empty samples). */
  readonly clockOverheadNs: number;
}

function rulesFor(mapping: CompiledMapping, inputs: readonly TimedInput[]): number {
  let sum = 0;
  for (const { event } of inputs) sum += mapping.rulesByEvent.get(event.type)?.length ?? 0;
  return sum;
}

export class EngineBench {
  private memory: EngineMemory;
  private readonly live = new LiveSet();
  private readonly problems: string[] = [];

  constructor(private readonly mapping: CompiledMapping) {
    this.memory = initialMemory(mapping);
  }

  /** Runs `count` events untimed, so the optimiser settles. */
  warmUp(count: number): void {
    for (let done = 0; done < count; ) {
      const batch = this.live.take(BATCH);
      for (const { event, world } of batch) this.memory = runEvent(this.mapping, event, world, this.memory, OWNED).memory;
      done += batch.length;
    }
  }

  /** Whole batches timed with one clock read each side, for `seconds` of engine time. */
  throughput(seconds: number): ThroughputResult {
    const budget = BigInt(Math.round(seconds * 1e9));
    let spent = 0n;
    let events = 0;
    let rulesEvaluated = 0;
    let rulesFired = 0;
    let commands = 0;
    while (spent < budget) {
      const batch = this.live.take(BATCH);
      rulesEvaluated += rulesFor(this.mapping, batch);
      let memory = this.memory;
      const start = process.hrtime.bigint();
      for (let i = 0; i < batch.length; i++) {
        const input = batch[i] as TimedInput;
        const result = runEvent(this.mapping, input.event, input.world, memory);
        memory = result.memory;
        commands += result.commands.length;
        rulesFired += result.fired.length;
        if (result.problems.length > 0 && this.problems.length < 5) this.problems.push(...result.problems.map((p) => `${p.rule}: ${p.message}`));
      }
      spent += process.hrtime.bigint() - start;
      this.memory = memory;
      events += batch.length;
    }
    return { events, rulesEvaluated, rulesFired, commands, problems: this.problems, ns: Number(spent) };
  }

  /** One clock read pair per event, for `seconds` of wall time. */
  sampled(seconds: number): SampledResult {
    const all: number[] = [];
    const byType = new Map<BridgeEventType, TypeSamples>();
    const end = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    while (process.hrtime.bigint() < end) {
      const batch = this.live.take(BATCH);
      for (let i = 0; i < batch.length; i++) {
        const input = batch[i] as TimedInput;
        const start = process.hrtime.bigint();
        const result = runEvent(this.mapping, input.event, input.world, this.memory);
        const ns = Number(process.hrtime.bigint() - start);
        this.memory = result.memory;
        all.push(ns);
        const type = input.event.type;
        let samples = byType.get(type);
        if (samples === undefined) byType.set(type, (samples = { type, ns: [], rules: 0, commands: 0 }));
        samples.ns.push(ns);
        samples.rules += this.mapping.rulesByEvent.get(type)?.length ?? 0;
        samples.commands += result.commands.length;
      }
    }
    const empty: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const start = process.hrtime.bigint();
      empty.push(Number(process.hrtime.bigint() - start));
    }
    empty.sort((a, b) => a - b);
    return { all, byType, clockOverheadNs: empty[empty.length >> 1] ?? 0 };
  }
}
