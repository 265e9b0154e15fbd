/**
 * Runs the live mapping: loads and compiles the files, applies their targets
 * to the output router, runs each event through the engine and delivers the
 * commands. With `watch`, a save reloads the files; the new mapping replaces
 * the old one between two events (nothing is lost or sent twice) or, if it is
 * invalid, the old one keeps running and the errors are reported once.
 * A save that looks half-written (an empty file, a YAML error, a missing
 * file, every rule gone) is read again until the files stop changing; an
 * empty file is never applied, and a reload removes every rule only when a
 * file says `rules: []`. Rules with a lead are fired through `fireRule` by
 * the look-ahead.
 */
import type { BridgeEvent } from '../events/bridge-event';
import type { OutputRouter } from '../outputs/output-router';
import { compileMapping } from './compile-mapping';
import type { CompiledMapping, CompiledRule } from './compiled-mapping';
import { confirmRulesFor, initialMemory, rulesFor, runConfirmedEvent, runEvent, runInto, runRule, type EngineMemory, type EngineResult, type EngineProblem, type OutputCommand, type RunOptions } from './engine';

/** The runtime owns its memory (made by initialMemory, replaced by each run's): runs update it in place. */
const OWNED: RunOptions = { memoryOwned: true };
import type { World } from './expression-context';
import { parseReadSources, readMappingSources, type ReadSources } from './load-mapping';
import { MappingError } from './mapping-error';
import { MappingReloader, type Compiled } from './mapping-reloader';
import { fingerprint, looksMidWrite, settleSources } from './settle-sources';
import { watchMappingFiles, type Watcher } from './watch-files';
import { realTimers, type Timers } from '../outputs/reporter';

export interface MappingRuntimeEvents {
  /** A mapping was loaded (first time or reload). */
  loaded(mapping: CompiledMapping, reload: boolean, openedTargets: readonly string[]): void;
  /** The files are invalid; `kept` says whether a previous mapping keeps running. */
  rejected(errors: readonly MappingError[], kept: boolean): void;
  /** A rule fired and these commands went out. */
  fired(rule: CompiledRule, event: BridgeEvent, commands: readonly OutputCommand[]): void;
  /**
   * Whether anyone looks at `fired` now (a debug log, a monitor). When this
   * says no, the engine's commands go straight to the router as they are
   * made, with no command values, and `fired` is not called. Asked per event;
   * without it, `fired` is always called.
   */
  firedWatched?(): boolean;
  problem(problem: EngineProblem): void;
}

export interface MappingRuntimeOptions {
  readonly paths: readonly string[];
  readonly router: OutputRouter;
  readonly events: MappingRuntimeEvents;
  readonly watch: boolean;
  readonly debounceMs?: number;
  readonly timers?: Timers;
  /** A save that looks half-written is read again after this quiet time until two reads agree. */
  readonly settleMs?: number;
  /** The longest wait for files to stop changing. */
  readonly settleMaxMs?: number;
}

interface Loaded {
  readonly mapping: CompiledMapping;
  /** The files it came from, as read. */
  readonly fingerprint: string;
}

export class MappingRuntime {
  private mapping: CompiledMapping | null = null;
  private memory: EngineMemory = { lastFired: [], matches: [] };
  private readonly reloader: MappingReloader<Loaded>;
  private watcher: Watcher | null = null;
  private applying: Promise<unknown> = Promise.resolve();
  private readonly reportProblem = (problem: EngineProblem): void => this.options.events.problem(problem);
  /** The rule of a look-ahead firing, as runInto takes rules. */
  private readonly oneRule: CompiledRule[] = [];

  constructor(private readonly options: MappingRuntimeOptions) {
    this.reloader = new MappingReloader<Loaded>(
      (generation) => this.load(generation),
      (next, previous) => this.swap(next.mapping, previous !== null),
      (errors, kept) => options.events.rejected(errors, kept),
      (next, current) => next.fingerprint === current.fingerprint,
    );
  }

  get current(): CompiledMapping | null {
    return this.mapping;
  }

  /** Loads the mapping; false when the files are invalid (errors were reported). */
  async start(): Promise<boolean> {
    const report = await this.reloader.reload();
    await this.applying;
    if (this.options.watch) {
      this.watcher = watchMappingFiles(this.options.paths, () => void this.reload(), {
        ...(this.options.debounceMs === undefined ? {} : { debounceMs: this.options.debounceMs }),
        ...(this.options.timers === undefined ? {} : { timers: this.options.timers }),
      });
    }
    return report.kind === 'loaded';
  }

  async reload(): Promise<void> {
    await this.reloader.reload();
    await this.applying;
  }

  handle(event: BridgeEvent, world: World): void {
    const mapping = this.mapping;
    if (mapping === null) return;
    if (this.direct()) runInto(rulesFor(mapping, event), event, world, this.memory, this.options.router, this.reportProblem);
    else this.deliver(runEvent(mapping, event, world, this.memory, OWNED), event);
  }

  /** Runs a confirmed beat or phrase event through the rules with `confirm: true`. */
  handleConfirmed(event: BridgeEvent, world: World): void {
    const mapping = this.mapping;
    if (mapping === null) return;
    if (this.direct()) runInto(confirmRulesFor(mapping, event), event, world, this.memory, this.options.router, this.reportProblem);
    else this.deliver(runConfirmedEvent(mapping, event, world, this.memory, OWNED), event);
  }

  /** Runs one rule of the current mapping on an event (look-ahead firing); a rule of a replaced mapping is ignored. */
  fireRule(rule: CompiledRule, event: BridgeEvent, world: World): void {
    if (this.mapping === null || this.mapping.rules[rule.index] !== rule) return;
    if (this.direct()) {
      this.oneRule[0] = rule;
      runInto(this.oneRule, event, world, this.memory, this.options.router, this.reportProblem);
    } else this.deliver(runRule(rule, event, world, this.memory, OWNED), event);
  }

  /** Straight to the router unless someone watches what fires. */
  private direct(): boolean {
    return this.options.events.firedWatched?.() === false;
  }

  private deliver(result: EngineResult, event: BridgeEvent): void {
    this.memory = result.memory;
    for (const command of result.commands) this.options.router.dispatch(command);
    for (const problem of result.problems) this.options.events.problem(problem);
    const only = result.fired.length === 1;
    for (const rule of result.fired) this.options.events.fired(rule, event, only ? result.commands : result.commands.filter((c) => c.rule === rule.name));
  }

  stop(): void {
    this.watcher?.close();
    this.watcher = null;
    this.reloader.close();
  }

  private async load(generation: number): Promise<Compiled<Loaded>> {
    const read = (): Promise<ReadSources> => readMappingSources(this.options.paths);
    const first = await read();
    const result = this.compile(first);
    // On start there is nothing to protect: the files are taken as they are.
    if (result.ok || this.mapping === null || !looksMidWrite(result.errors)) return result;
    const { read: settled } = await settleSources(read, first, {
      timers: this.options.timers ?? realTimers,
      ...(this.options.settleMs === undefined ? {} : { quietMs: this.options.settleMs }),
      ...(this.options.settleMaxMs === undefined ? {} : { maxMs: this.options.settleMaxMs }),
      abandoned: () => !this.reloader.isCurrent(generation),
    });
    return this.compile(settled);
  }

  private compile(read: ReadSources): Compiled<Loaded> {
    const loaded = parseReadSources(read);
    if (!loaded.ok) return { ok: false, errors: loaded.errors };
    const compiled = compileMapping(loaded.mapping);
    if (!compiled.ok) return { ok: false, errors: compiled.errors };
    const running = this.mapping?.rules.length ?? 0;
    if (running > 0 && compiled.mapping.rules.length === 0 && !loaded.mapping.declaresNoRules) {
      const file = loaded.mapping.files[0] ?? this.options.paths[0] ?? 'mapping';
      const message = `this version has no rules and would stop the ${running} rule(s) that run now; to run without rules on purpose, write "rules: []"`;
      return { ok: false, errors: [new MappingError('emptied', file, 1, 1, '', message)] };
    }
    return { ok: true, value: { mapping: compiled.mapping, fingerprint: fingerprint(read) } };
  }

  private swap(next: CompiledMapping, reload: boolean): void {
    // The engine switches at once (synchronously, between two events); targets follow.
    this.mapping = next;
    this.memory = initialMemory(next);
    const { opened, closed } = this.options.router.apply(next.targets);
    this.options.events.loaded(next, reload, opened);
    this.applying = closed;
  }
}
