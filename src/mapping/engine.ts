/**
 * The mapping engine: a pure function from one event (and what is known about
 * the decks) to the output commands the mapping asks for. It never sends
 * anything itself, never throws, and keeps its only state (throttle times and
 * every-N counters) in an explicit memory value that it returns updated.
 */
import type { BridgeEvent } from '../events/bridge-event';
import { OscArgs } from '../outputs/osc/osc-args';
import { CommandList, type CommandSink, type OutputCommand } from './output-commands';
import { formatValue, isTruthy, type Value } from './expr/values';
import { EvalError } from './expr/errors';
import { cueMatches } from './cue-conditions';
import type { CompiledAction, CompiledConditions, CompiledMapping, CompiledOscArg, CompiledRule, OscArgType, Source } from './compiled-mapping';
import { barOf, eventPhrase, expressionContext, type ExpressionContext, type World } from './expression-context';
import { ReusedContext } from './reused-context';
import { trackConditionsHold } from './track-conditions';
import { memorySlotFor } from './memory-slots';

export type { OutputCommand } from './output-commands';

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
    const value = when.expr.evaluateValue(contextOf(pass, rule, event, world));
    if (value instanceof EvalError) {
      pass.problems.push({ rule: rule.name, message: `when.expr "${when.expr.source}": ${value.message}` });
      return false;
    }
    if (!isTruthy(value)) return false;
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
  const value = source.template.evaluateValue(context);
  return value instanceof EvalError ? new Failure(`"${source.template.source}": ${value.message}`) : value;
}

function midiNumber(source: Source<number>, context: ExpressionContext, what: string): number | Failure {
  const r = resolve(source, context);
  if (r instanceof Failure) return r;
  if (typeof r !== 'number') return new Failure(`${what} must be a number, not ${JSON.stringify(r)}`);
  const n = Math.round(r);
  return n >= 0 && n <= 127 ? n : new Failure(`${what} ${r} is outside 0–127`);
}

/** Puts a resolved argument into the message's columns, typed as the rule says. */
function pushOscValue(args: OscArgs, type: OscArgType, value: Value): Failure | null {
  switch (type) {
    case 'int':
      if (typeof value !== 'number') return new Failure(`int argument is ${JSON.stringify(value)}`);
      args.push('int', Math.round(value));
      return null;
    case 'float':
      if (typeof value !== 'number') return new Failure(`float argument is ${JSON.stringify(value)}`);
      args.push('float', value);
      return null;
    case 'bool':
      args.push('bool', typeof value === 'boolean' ? value : isTruthy(value));
      return null;
    default:
      args.push('string', formatValue(value));
      return null;
  }
}

/** Works out one action and hands it to the sink; a value that cannot be worked out sends nothing. */
function emitAction(action: CompiledAction, rule: string, context: ExpressionContext, event: BridgeEvent, sink: CommandSink, args: OscArgs): Failure | null {
  switch (action.kind) {
    case 'osc': {
      const address = resolve(action.address, context);
      if (address instanceof Failure) return address;
      args.clear();
      for (let i = 0; i < action.args.length; i++) {
        const arg = action.args[i] as CompiledOscArg;
        const value = resolve(arg.value, context);
        if (value instanceof Failure) return value;
        const failed = pushOscValue(args, arg.type, value);
        if (failed !== null) return failed;
      }
      sink.osc(action.target, rule, formatValue(address), args);
      return null;
    }
    case 'midi-note': {
      const note = midiNumber(action.note, context, 'note');
      if (note instanceof Failure) return note;
      const velocity = midiNumber(action.velocity, context, 'velocity');
      if (velocity instanceof Failure) return velocity;
      sink.midiNote(action.target, rule, action.channel, note, velocity, action.durationMs);
      return null;
    }
    case 'midi-cc': {
      const controller = midiNumber(action.controller, context, 'cc');
      if (controller instanceof Failure) return controller;
      const value = midiNumber(action.value, context, 'value');
      if (value instanceof Failure) return value;
      sink.midiCc(action.target, rule, action.channel, controller, value);
      return null;
    }
    case 'midi-program': {
      const program = midiNumber(action.program, context, 'program');
      if (program instanceof Failure) return program;
      sink.midiProgram(action.target, rule, action.channel, program);
      return null;
    }
    case 'ws': {
      if (action.fields === null) {
        sink.ws(action.target, rule, { ...event, rule });
        return null;
      }
      const message: Record<string, unknown> = {};
      for (const [key, source] of action.fields) {
        const value = resolve(source, context);
        if (value instanceof Failure) return value;
        message[key] = value;
      }
      sink.ws(action.target, rule, message);
      return null;
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
  /**
   * Where commands go. Without one, the result lists them (and the rules that
   * fired). With one, each fired rule and each command goes to the sink the
   * moment it is made, in the same order, and the result's lists are empty.
   */
  readonly sink?: CommandSink;
}

const PURE: RunOptions = {};
const NO_COMMANDS: readonly OutputCommand[] = [];
const NO_PROBLEMS: readonly EngineProblem[] = [];

/**
 * The working state of one run: the memory it writes, where its commands go,
 * the argument columns of the message being built, and the event's contexts.
 * Runs are synchronous and nothing keeps a pass's objects past its run (a
 * sink reads the argument columns before it returns; expressions take only
 * values out of a context), so one pass serves run after run; a run that
 * starts inside another (a sink that runs the engine) takes a pass of its own.
 */
class Pass {
  memory: EngineMemory = NO_MEMORY;
  /** The memory's arrays may be written in place. */
  owned = false;
  lastFired: readonly number[] = [];
  matches: readonly number[] = [];
  /** The context with the decks' plain views, and the one with live positions (for rules that read them), made on first need. */
  plain: ExpressionContext | null = null;
  positioned: ExpressionContext | null = null;
  sink: CommandSink = NO_SINK;
  /** The sink the result reads, when the caller gave none. */
  list: CommandList | null = null;
  problems: EngineProblem[] = [];
  /** The problems list of runs that report them as they go (runInto), kept from run to run. */
  readonly kept: EngineProblem[] = [];
  readonly args = new OscArgs();
  readonly contexts = new ReusedContext();

  begin(memory: EngineMemory, owned: boolean, sink: CommandSink, list: CommandList | null, problems: EngineProblem[]): this {
    this.memory = memory;
    this.owned = owned;
    this.lastFired = memory.lastFired;
    this.matches = memory.matches;
    this.plain = null;
    this.positioned = null;
    this.sink = sink;
    this.list = list;
    this.problems = problems;
    return this;
  }

  /** Lets go of what the run was given. */
  end(): void {
    this.begin(NO_MEMORY, false, NO_SINK, null, NO_PROBLEM_LIST);
  }
}

const NO_MEMORY: EngineMemory = { lastFired: [], matches: [] };
const NO_PROBLEM_LIST: EngineProblem[] = [];
const NO_SINK: CommandSink = new CommandList();

let sparePass: Pass | null = new Pass();

function takePass(): Pass {
  const pass = sparePass ?? new Pass();
  sparePass = null;
  return pass;
}

function givePass(pass: Pass): void {
  pass.end();
  sparePass = pass;
}

function newPass(memory: EngineMemory, options: RunOptions): Pass {
  const list = options.sink === undefined ? new CommandList() : null;
  return takePass().begin(memory, options.memoryOwned === true, options.sink ?? (list as CommandList), list, []);
}

/**
 * The pass's expression context for a rule, made on first need: most events
 * a rule's type matches are turned away by its plain conditions (another
 * deck's beat for a master rule) and need none. Rules that never read a
 * position share one with plain deck views; the others one with live positions.
 */
function contextOf(pass: Pass, rule: CompiledRule, event: BridgeEvent, world: World): ExpressionContext {
  return rule.readsPositions ? (pass.positioned ??= expressionContext(event, world)) : (pass.plain ??= pass.contexts.fill(event, world));
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
  pass.sink.ruleFired(rule);
  const context = contextOf(pass, rule, event, world);
  for (const action of rule.actions) {
    const failed = emitAction(action, rule.name, context, event, pass.sink, pass.args);
    if (failed !== null) pass.problems.push({ rule: rule.name, message: failed.message });
  }
}

function resultOf(pass: Pass): EngineResult {
  const { memory, lastFired, matches, list, problems } = pass;
  givePass(pass);
  const next = lastFired === memory.lastFired && matches === memory.matches ? memory : { lastFired, matches };
  return { commands: list?.commands ?? NO_COMMANDS, problems, memory: next, fired: list?.fired ?? NO_RULES };
}

function runRules(rules: readonly CompiledRule[], event: BridgeEvent, world: World, memory: EngineMemory, options: RunOptions): EngineResult {
  if (rules.length === 0) return { commands: NO_COMMANDS, problems: NO_PROBLEMS, memory, fired: NO_RULES };
  const pass = newPass(memory, options);
  for (const rule of rules) evaluate(pass, rule, event, world);
  return resultOf(pass);
}

/** The rules an event runs through (rules with a lead fire through runRule, rules with confirm through confirmRulesFor). */
export function rulesFor(mapping: CompiledMapping, event: BridgeEvent): readonly CompiledRule[] {
  return mapping.rulesByEvent.get(event.type) ?? NO_RULES;
}

/** The rules with `confirm: true` a confirmed beat or phrase event runs through. */
export function confirmRulesFor(mapping: CompiledMapping, event: BridgeEvent): readonly CompiledRule[] {
  return mapping.confirmRulesByEvent.get(event.type) ?? NO_RULES;
}

/**
 * Runs an event through `rules` straight into a sink, for a caller that owns
 * its memory (made by initialMemory, as RunOptions.memoryOwned says): the
 * throttle and every-N memory is updated in place, each command goes to the
 * sink as it is made, each problem to `problem` once the rules have run, and
 * nothing is returned. The same firings, commands and order as runEvent.
 */
export function runInto(rules: readonly CompiledRule[], event: BridgeEvent, world: World, memory: EngineMemory, sink: CommandSink, problem: (problem: EngineProblem) => void): void {
  if (rules.length === 0) return;
  const pass = takePass();
  pass.kept.length = 0;
  pass.begin(memory, true, sink, null, pass.kept);
  for (const rule of rules) evaluate(pass, rule, event, world);
  // Told before the pass is given back: a run started from `problem` takes a pass of its own.
  for (const p of pass.kept) problem(p);
  givePass(pass);
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
