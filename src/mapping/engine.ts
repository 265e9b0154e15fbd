/**
 * The mapping engine: a pure function from one event (and what is known about
 * the decks) to the output commands the mapping asks for. It never sends
 * anything itself, never throws, and keeps its only state (throttle times and
 * every-N counters) in an explicit memory value that it returns updated.
 */
import type { BridgeEvent } from '../events/bridge-event';
import type { OscArgument } from '../outputs/osc/osc-message';
import { formatValue, isTruthy, type Value } from './expr/values';
import { cueMatches } from './cue-conditions';
import type { CompiledAction, CompiledConditions, CompiledMapping, CompiledOscArg, CompiledRule, Source } from './compiled-mapping';
import { barOf, eventPhrase, expressionContext, type ExpressionContext, type World } from './expression-context';
import { trackConditionsHold } from './track-conditions';
import { memorySlotFor } from './memory-slots';

export type OutputCommand =
  | { readonly kind: 'osc'; readonly target: string; readonly rule: string; readonly address: string; readonly args: readonly OscArgument[] }
  | { readonly kind: 'midi-note'; readonly target: string; readonly rule: string; readonly channel: number; readonly note: number; readonly velocity: number; readonly durationMs: number }
  | { readonly kind: 'midi-cc'; readonly target: string; readonly rule: string; readonly channel: number; readonly controller: number; readonly value: number }
  | { readonly kind: 'midi-program'; readonly target: string; readonly rule: string; readonly channel: number; readonly program: number }
  | { readonly kind: 'ws'; readonly target: string; readonly rule: string; readonly message: Readonly<Record<string, unknown>> };

export interface EngineProblem {
  readonly rule: string;
  readonly message: string;
}

/**
 * Per rule with a throttle or every-N (by CompiledRule.memorySlot): when it
 * last fired, and how often its event matched. A pass that changes them
 * copies the arrays once, so they hold only the rules that need them.
 */
export interface EngineMemory {
  readonly lastFired: readonly number[];
  readonly matches: readonly number[];
}

export interface EngineResult {
  readonly commands: readonly OutputCommand[];
  readonly problems: readonly EngineProblem[];
  readonly memory: EngineMemory;
  /** The rules that fired, for logs and monitors. */
  readonly fired: readonly CompiledRule[];
}

export function initialMemory(mapping: CompiledMapping): EngineMemory {
  return { lastFired: new Array<number>(mapping.memorySlots).fill(-Infinity), matches: new Array<number>(mapping.memorySlots).fill(0) };
}

const NO_RULES: readonly CompiledRule[] = [];

function eventMatches(rule: CompiledRule, event: BridgeEvent): boolean {
  if (rule.on === 'downbeat' || rule.on === 'bar') return event.type === 'beat' && event.beatInBar === 1;
  return rule.on === event.type;
}

function inSet<T>(set: ReadonlySet<T> | null, value: T | null | undefined): boolean {
  return set === null || (value !== null && value !== undefined && set.has(value));
}

function conditionsHold(when: CompiledConditions, event: BridgeEvent, world: World, pass: Pass, rule: CompiledRule): boolean {
  const deck = event.deck === null ? undefined : world.decks.get(event.deck);
  switch (when.deck.kind) {
    case 'master':
      if (event.deck === null || event.deck !== world.masterDeck) return false;
      break;
    case 'decks':
      if (event.deck === null || !when.deck.decks.has(event.deck)) return false;
      break;
    case 'any':
      break;
  }
  if (when.onAir !== null && (deck?.onAir ?? false) !== when.onAir) return false;
  if (when.playing !== null && (deck?.playing ?? false) !== when.playing) return false;
  if (when.bpmMin !== null || when.bpmMax !== null) {
    const bpm = event.type === 'tempo' || event.type === 'master.change' ? event.effectiveBpm : (deck?.effectiveBpm ?? null);
    if (bpm === null || (when.bpmMin !== null && bpm < when.bpmMin) || (when.bpmMax !== null && bpm > when.bpmMax)) return false;
  }
  if (when.beatInBar !== null && !inSet(when.beatInBar, event.type === 'beat' ? event.beatInBar : (deck?.beatInBar ?? null))) return false;
  const phrase = eventPhrase(event) ?? deck?.phrase ?? null;
  if (when.phrase !== null && (phrase === null || (!when.phrase.has(phrase.kind) && !when.phrase.has(phrase.family)))) return false;
  if (!inSet(when.label, phrase?.label.toLowerCase())) return false;
  if (!inSet(when.mood, phrase?.mood)) return false;
  if (!inSet(when.bank, phrase?.bank)) return false;
  const trackId = event.type === 'track.load' || event.type === 'track.unload' ? event.trackId : (deck?.trackId ?? null);
  if (!inSet(when.trackId, trackId)) return false;
  if (when.trackText !== null || when.color !== null) {
    const track = event.type === 'track.load' || event.type === 'track.unload' ? event.track : (deck?.track ?? null);
    if (!trackConditionsHold(when.trackText, when.color, track)) return false;
  }
  if (when.cue !== null || when.cueKind !== null) {
    if (event.type !== 'cue' || !cueMatches(when, event.cue)) return false;
  }
  if (when.expr !== null) {
    const result = when.expr.evaluate(contextOf(pass, event, world));
    if (!result.ok) {
      pass.problems.push({ rule: rule.name, message: `when.expr "${when.expr.source}": ${result.error.message}` });
      return false;
    }
    if (!isTruthy(result.value)) return false;
  }
  return true;
}

/** For every-N: beats count by beat number and bars by bar number when known (so they stay on the grid), else by matches. */
function everyHolds(rule: CompiledRule, event: BridgeEvent, matchCount: number): boolean {
  if (rule.every === null) return true;
  if (event.type === 'beat' && event.beat !== null && event.beat >= 1) {
    const unit = rule.on === 'beat' ? event.beat - 1 : (barOf(event.beat) ?? 1) - 1;
    return unit % rule.every === 0;
  }
  return (matchCount - 1) % rule.every === 0;
}

/**
 * Why a value could not be worked out. Values are primitives, so a Failure
 * is told from one by `instanceof`: resolving allocates nothing per value
 * (no `{ ok, value }` wrapper), only per problem.
 */
class Failure {
  constructor(readonly message: string) {}
}

function resolve(source: Source<Value>, context: ExpressionContext): Value | Failure {
  if ('literal' in source) return source.literal;
  const result = source.template.evaluate(context);
  return result.ok ? result.value : new Failure(`"${source.template.source}": ${result.error.message}`);
}

function midiNumber(source: Source<number>, context: ExpressionContext, what: string): number | Failure {
  const r = resolve(source, context);
  if (r instanceof Failure) return r;
  if (typeof r !== 'number') return new Failure(`${what} must be a number, not ${JSON.stringify(r)}`);
  const n = Math.round(r);
  return n >= 0 && n <= 127 ? n : new Failure(`${what} ${r} is outside 0–127`);
}

function oscValue(type: string, value: Value): OscArgument | Failure {
  switch (type) {
    case 'int':
      return typeof value === 'number' ? { type: 'int', value: Math.round(value) } : new Failure(`int argument is ${JSON.stringify(value)}`);
    case 'float':
      return typeof value === 'number' ? { type: 'float', value } : new Failure(`float argument is ${JSON.stringify(value)}`);
    case 'bool':
      return { type: 'bool', value: typeof value === 'boolean' ? value : isTruthy(value) };
    default:
      return { type: 'string', value: formatValue(value) };
  }
}

function commandFor(action: CompiledAction, rule: string, context: ExpressionContext, event: BridgeEvent): OutputCommand | Failure {
  switch (action.kind) {
    case 'osc': {
      const address = resolve(action.address, context);
      if (address instanceof Failure) return address;
      // Sized up front: an empty array grows to room for 17 on its first push.
      const n = action.args.length;
      const args = new Array<OscArgument>(n);
      for (let i = 0; i < n; i++) {
        const arg = action.args[i] as CompiledOscArg;
        const value = resolve(arg.value, context);
        if (value instanceof Failure) return value;
        const typed = oscValue(arg.type, value);
        if (typed instanceof Failure) return typed;
        args[i] = typed;
      }
      return { kind: 'osc', target: action.target, rule, address: formatValue(address), args };
    }
    case 'midi-note': {
      const note = midiNumber(action.note, context, 'note');
      if (note instanceof Failure) return note;
      const velocity = midiNumber(action.velocity, context, 'velocity');
      if (velocity instanceof Failure) return velocity;
      return { kind: 'midi-note', target: action.target, rule, channel: action.channel, note, velocity, durationMs: action.durationMs };
    }
    case 'midi-cc': {
      const controller = midiNumber(action.controller, context, 'cc');
      if (controller instanceof Failure) return controller;
      const value = midiNumber(action.value, context, 'value');
      if (value instanceof Failure) return value;
      return { kind: 'midi-cc', target: action.target, rule, channel: action.channel, controller, value };
    }
    case 'midi-program': {
      const program = midiNumber(action.program, context, 'program');
      if (program instanceof Failure) return program;
      return { kind: 'midi-program', target: action.target, rule, channel: action.channel, program };
    }
    case 'ws': {
      if (action.fields === null) return { kind: 'ws', target: action.target, rule, message: { ...event, rule } };
      const message: Record<string, unknown> = {};
      for (const [key, source] of action.fields) {
        const value = resolve(source, context);
        if (value instanceof Failure) return value;
        message[key] = value;
      }
      return { kind: 'ws', target: action.target, rule, message };
    }
  }
}

/**
 * How a run may treat the memory it is given. By default runs are pure: the
 * memory passed in is never changed, and a changed one comes back new (a
 * copy of the arrays a rule wrote to). A caller that owns the memory (made
 * it with initialMemory and only ever uses the one each run returns, as the
 * mapping runtime does) may let runs update it in place: no copy per event.
 */
export interface RunOptions {
  readonly memoryOwned?: boolean;
}

const PURE: RunOptions = {};

interface Pass {
  readonly memory: EngineMemory;
  /** The memory's arrays may be written in place. */
  readonly owned: boolean;
  lastFired: readonly number[];
  matches: readonly number[];
  context: ExpressionContext | null;
  readonly commands: OutputCommand[];
  readonly problems: EngineProblem[];
  readonly fired: CompiledRule[];
}

function newPass(memory: EngineMemory, options: RunOptions): Pass {
  return { memory, owned: options.memoryOwned === true, lastFired: memory.lastFired, matches: memory.matches, context: null, commands: [], problems: [], fired: [] };
}

/**
 * The pass's expression context, made on first need: most events a rule's
 * type matches are turned away by its plain conditions (another deck's
 * beat for a master rule), and need none.
 */
function contextOf(pass: Pass, event: BridgeEvent, world: World): ExpressionContext {
  return (pass.context ??= expressionContext(event, world));
}

function evaluate(pass: Pass, rule: CompiledRule, event: BridgeEvent, world: World): void {
  if (!eventMatches(rule, event)) return;
  if (!conditionsHold(rule.when, event, world, pass, rule)) return;
  const slot = memorySlotFor(rule, event.deck);
  if (rule.every !== null) {
    if (!pass.owned && pass.matches === pass.memory.matches) pass.matches = [...pass.matches];
    const count = (pass.matches[slot] ?? 0) + 1;
    (pass.matches as number[])[slot] = count;
    if (!everyHolds(rule, event, count)) return;
  }
  if (rule.throttleMs !== null) {
    if (event.at - (pass.lastFired[slot] ?? -Infinity) < rule.throttleMs) return;
    if (!pass.owned && pass.lastFired === pass.memory.lastFired) pass.lastFired = [...pass.lastFired];
    (pass.lastFired as number[])[slot] = event.at;
  }
  pass.fired.push(rule);
  const context = contextOf(pass, event, world);
  for (const action of rule.actions) {
    const command = commandFor(action, rule.name, context, event);
    if (command instanceof Failure) pass.problems.push({ rule: rule.name, message: command.message });
    else pass.commands.push(command);
  }
}

function resultOf(pass: Pass): EngineResult {
  const { memory, lastFired, matches } = pass;
  const next = lastFired === memory.lastFired && matches === memory.matches ? memory : { lastFired, matches };
  return { commands: pass.commands, problems: pass.problems, memory: next, fired: pass.fired };
}

function runRules(rules: readonly CompiledRule[], event: BridgeEvent, world: World, memory: EngineMemory, options: RunOptions): EngineResult {
  if (rules.length === 0) return { commands: [], problems: [], memory, fired: [] };
  const pass = newPass(memory, options);
  for (const rule of rules) evaluate(pass, rule, event, world);
  return resultOf(pass);
}

/** Runs an event through every rule it can fire (rules with a lead fire through runRule, rules with confirm through runConfirmedEvent). */
export function runEvent(mapping: CompiledMapping, event: BridgeEvent, world: World, memory: EngineMemory, options: RunOptions = PURE): EngineResult {
  return runRules(mapping.rulesByEvent.get(event.type) ?? NO_RULES, event, world, memory, options);
}

/** Runs a beat or phrase event that the deck's own packets confirmed through the rules with `confirm: true`. */
export function runConfirmedEvent(mapping: CompiledMapping, event: BridgeEvent, world: World, memory: EngineMemory, options: RunOptions = PURE): EngineResult {
  return runRules(mapping.confirmRulesByEvent.get(event.type) ?? NO_RULES, event, world, memory, options);
}

/** Runs an event through one rule: a look-ahead firing, or a lead rule fired on the event itself. */
export function runRule(rule: CompiledRule, event: BridgeEvent, world: World, memory: EngineMemory, options: RunOptions = PURE): EngineResult {
  const pass = newPass(memory, options);
  evaluate(pass, rule, event, world);
  return resultOf(pass);
}
