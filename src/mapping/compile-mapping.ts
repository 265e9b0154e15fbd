/**
 * Turns a validated mapping into a CompiledMapping: conditions become sets
 * and numbers, and every expression and {{ template }} is compiled against the
 * scope of its rule's event. A compile error is reported at the exact
 * file:line:col inside the YAML string.
 */
import { compileExpression } from './expr/compile';
import { compileTemplate, type CompiledTemplate } from './expr/template';
import { CompileError } from './expr/errors';
import type { ScopeDescription } from './expr/scope';
import { MappingError, formatPath } from './mapping-error';
import { closest } from './suggest';
import { durationMs } from './durations';
import { memorySlotsOf } from './memory-slots';
import { ruleReadsPositions } from './reads-positions';
import { POSITION_DEFAULT_THROTTLE_MS } from './schema-events';
import { PHRASE_KINDS, scopeFor } from './scopes';
import { parseTextMatch, TRACK_COLORS, TRACK_TEXT_FIELDS, type TextMatch, type TrackTextCondition } from './track-conditions';
import type { Located, ValidatedMapping } from './load-mapping';
import type { ActionConfig, ConditionConfig, OscArgConfig, RuleConfig } from './schema';
import type {
  CompiledAction,
  CompiledConditions,
  CompiledMapping,
  CompiledOscArg,
  CompiledRule,
  DeckSelector,
  Source,
  CueNameMatch,
} from './compiled-mapping';

export type CompileResult = { ok: true; mapping: CompiledMapping } | { ok: false; errors: readonly MappingError[] };

const TEMPLATE = /\{\{/;

class RuleCompiler {
  readonly errors: MappingError[] = [];
  private readonly scope: ScopeDescription;

  constructor(private readonly rule: Located<RuleConfig>) {
    this.scope = scopeFor(rule.value.on);
  }

  fail(sub: readonly PropertyKey[], message: string, inner: number | null = null, code: MappingError['code'] = 'expression'): void {
    const path = [...this.rule.path, ...sub];
    const { line, column } = inner === null ? this.rule.locate(path) : this.rule.locateInside(path, inner);
    this.errors.push(new MappingError(code, this.rule.file, line, column, formatPath(path), message));
  }

  template(sub: readonly PropertyKey[], text: string): CompiledTemplate | null {
    const compiled = compileTemplate(text, this.scope);
    if (compiled instanceof CompileError) {
      this.fail(sub, compiled.message, compiled.offset);
      return null;
    }
    return compiled;
  }

  source<T extends number | string | boolean>(sub: readonly PropertyKey[], value: T | string): Source<T> | null {
    if (typeof value === 'string' && TEMPLATE.test(value)) {
      const template = this.template(sub, value);
      return template === null ? null : { template };
    }
    return { literal: value as T };
  }

  conditions(when: ConditionConfig | undefined): CompiledConditions {
    const w = when ?? {};
    const set = <T>(v: T | readonly T[] | undefined): ReadonlySet<T> | null => (v === undefined ? null : new Set(Array.isArray(v) ? v : [v as T]));
    const phrase = set(w.phrase);
    for (const kind of phrase ?? []) {
      if (!PHRASE_KINDS.includes(kind)) {
        const hint = closest(kind, PHRASE_KINDS);
        this.fail(['when', 'phrase'], `unknown phrase kind "${kind}" (${hint === null ? '' : `did you mean "${hint}"? `}known: ${PHRASE_KINDS.join(', ')})`, null, 'schema');
      }
    }
    if ((w.cue !== undefined || w.cueKind !== undefined) && this.rule.value.on !== 'cue') {
      this.fail(['when', w.cue !== undefined ? 'cue' : 'cueKind'], `cue and cueKind only apply to rules on cue (this rule is on ${this.rule.value.on})`, null, 'schema');
    }
    let expr = null;
    if (w.expr !== undefined) {
      const compiled = compileExpression(w.expr, this.scope);
      if (compiled instanceof CompileError) this.fail(['when', 'expr'], compiled.message, compiled.offset);
      else expr = compiled;
    }
    let deck: DeckSelector = { kind: 'any' };
    if (w.deck === 'master') deck = { kind: 'master' };
    else if (typeof w.deck === 'number') deck = { kind: 'decks', decks: new Set([w.deck]) };
    else if (Array.isArray(w.deck)) deck = { kind: 'decks', decks: new Set(w.deck) };
    return {
      deck,
      onAir: w.onAir ?? null,
      playing: w.playing ?? null,
      bpmMin: w.bpm?.min ?? null,
      bpmMax: w.bpm?.max ?? null,
      beatInBar: set(w.beatInBar),
      phrase,
      label: w.label === undefined ? null : new Set([...(set(w.label) ?? [])].map((l) => l.toLowerCase())),
      mood: set(w.mood),
      bank: set(w.bank),
      trackId: set(w.trackId),
      trackText: this.trackText(w),
      color: this.trackColors(w.color),
      cue: this.cueNames(w.cue),
      cueKind: set(w.cueKind),
      expr,
    };
  }

  /** `cue:` names and /patterns/; a pattern that does not compile is an error naming it. */
  cueNames(cue: string | readonly string[] | undefined): readonly CueNameMatch[] | null {
    if (cue === undefined) return null;
    const list: readonly string[] = typeof cue === 'string' ? [cue] : cue;
    const out: CueNameMatch[] = [];
    list.forEach((text, i) => {
      const regex = /^\/(.*)\/([a-z]*)$/s.exec(text);
      if (regex === null) {
        out.push({ name: text.toLowerCase() });
        return;
      }
      try {
        out.push({ pattern: new RegExp(regex[1] ?? '', regex[2]?.replace(/g|y/g, '')) });
      } catch (error) {
        this.fail(typeof cue === 'string' ? ['when', 'cue'] : ['when', 'cue', i], `"${text}" is not a regular expression: ${error instanceof Error ? error.message : String(error)}`, null, 'schema');
      }
    });
    return out;
  }

  /** title, artist, album, genre and comment: text or /patterns/; a pattern that does not compile is an error at its place. */
  trackText(w: ConditionConfig): readonly TrackTextCondition[] | null {
    const out: TrackTextCondition[] = [];
    for (const field of TRACK_TEXT_FIELDS) {
      const value = w[field];
      if (value === undefined) continue;
      const list: readonly string[] = typeof value === 'string' ? [value] : value;
      const any: TextMatch[] = [];
      list.forEach((text, i) => {
        const match = parseTextMatch(text);
        if (match instanceof Error) this.fail(typeof value === 'string' ? ['when', field] : ['when', field, i], match.message, null, 'schema');
        else any.push(match);
      });
      out.push({ field, any });
    }
    return out.length === 0 ? null : out;
  }

  trackColors(color: string | readonly string[] | undefined): ReadonlySet<string> | null {
    if (color === undefined) return null;
    const list: readonly string[] = typeof color === 'string' ? [color] : color;
    const known = TRACK_COLORS.map((c) => c.toLowerCase());
    list.forEach((name, i) => {
      if (known.includes(name.toLowerCase())) return;
      const hint = closest(name, TRACK_COLORS);
      this.fail(typeof color === 'string' ? ['when', 'color'] : ['when', 'color', i], `unknown track colour "${name}" (${hint === null ? '' : `did you mean "${hint}"? `}known: ${TRACK_COLORS.join(', ')})`, null, 'schema');
    });
    return new Set(list.map((c) => c.toLowerCase()));
  }

  oscArg(sub: readonly PropertyKey[], arg: OscArgConfig): CompiledOscArg | null {
    if (typeof arg === 'number') return { type: Number.isInteger(arg) ? 'int' : 'float', value: { literal: arg } };
    if (typeof arg === 'boolean') return { type: 'bool', value: { literal: arg } };
    if (typeof arg === 'string') {
      const value = this.source<string>(sub, arg);
      return value === null ? null : { type: 'string', value };
    }
    const [type, raw] = Object.entries(arg)[0] as [CompiledOscArg['type'], number | string | boolean];
    const value = this.source(sub.concat(type), type === 'string' ? String(raw) : raw);
    return value === null ? null : { type, value };
  }

  action(i: number, action: ActionConfig): CompiledAction | null {
    const at = (...rest: PropertyKey[]): PropertyKey[] => ['send', i, ...rest];
    if (action.osc !== undefined) {
      const { osc } = action;
      const address = this.source<string>(at('osc', 'address'), osc.address);
      const args = osc.args.map((a, j) => this.oscArg(at('osc', 'args', j), a));
      if (address === null || args.some((a) => a === null)) return null;
      return { kind: 'osc', target: osc.to, address, args: args as CompiledOscArg[] };
    }
    if (action.midi !== undefined) {
      const m = action.midi;
      if (m.note !== undefined) {
        const note = this.source<number>(at('midi', 'note'), m.note);
        const velocity = this.source<number>(at('midi', 'velocity'), m.velocity);
        if (note === null || velocity === null) return null;
        return { kind: 'midi-note', target: m.to, channel: m.channel, note, velocity, durationMs: durationMs(m.duration) };
      }
      if (m.cc !== undefined) {
        const controller = this.source<number>(at('midi', 'cc'), m.cc);
        const value = this.source<number>(at('midi', 'value'), m.value ?? 0);
        if (controller === null || value === null) return null;
        return { kind: 'midi-cc', target: m.to, channel: m.channel, controller, value };
      }
      const program = this.source<number>(at('midi', 'program'), m.program ?? 0);
      return program === null ? null : { kind: 'midi-program', target: m.to, channel: m.channel, program };
    }
    const ws = action.ws;
    if (ws === undefined) return null;
    if (ws.message === undefined) return { kind: 'ws', target: ws.to, fields: null };
    const fields = new Map<string, Source<number | string | boolean | null>>();
    for (const [key, value] of Object.entries(ws.message)) {
      const source = value === null ? { literal: null } : this.source<number | string | boolean>(at('ws', 'message', key), value);
      if (source === null) return null;
      fields.set(key, source);
    }
    return { kind: 'ws', target: ws.to, fields };
  }

  compile(index: number, nextSlot: number): CompiledRule | null {
    const r = this.rule.value;
    const when = this.conditions(r.when);
    const actions = r.send.map((a, i) => this.action(i, a));
    if (this.errors.length > 0) return null;
    const { line } = this.rule.locate(this.rule.path);
    return {
      index,
      memorySlot: r.every === undefined && r.throttle === undefined && r.on !== 'position' ? null : nextSlot,
      name: r.name ?? `${this.rule.file}:${line}`,
      on: r.on,
      when,
      every: r.every ?? null,
      throttleMs: r.throttle === undefined ? (r.on === 'position' ? POSITION_DEFAULT_THROTTLE_MS : null) : durationMs(r.throttle),
      leadMs: r.lead === undefined ? null : durationMs(r.lead),
      confirm: r.confirm,
      actions: actions as CompiledAction[],
      readsPositions: ruleReadsPositions(when, actions as CompiledAction[]),
    };
  }
}

/** Which event type feeds a rule: downbeat and bar rules run on beats. */
export function sourceEvent(on: string): string {
  return on === 'downbeat' || on === 'bar' ? 'beat' : on;
}

export function compileMapping(validated: ValidatedMapping): CompileResult {
  const errors: MappingError[] = [];
  const rules: CompiledRule[] = [];
  let memorySlots = 0;
  validated.rules.forEach((located) => {
    if (!located.value.enabled) return;
    const compiler = new RuleCompiler(located);
    const rule = compiler.compile(rules.length, memorySlots);
    errors.push(...compiler.errors);
    if (rule === null) return;
    rules.push(rule);
    if (rule.memorySlot !== null) memorySlots += memorySlotsOf(rule);
  });
  if (errors.length > 0) return { ok: false, errors };
  const rulesByEvent = new Map<string, CompiledRule[]>();
  const confirmRulesByEvent = new Map<string, CompiledRule[]>();
  for (const rule of rules) {
    if (rule.leadMs !== null) continue;
    const byEvent = rule.confirm ? confirmRulesByEvent : rulesByEvent;
    const key = sourceEvent(rule.on);
    byEvent.set(key, [...(byEvent.get(key) ?? []), rule]);
  }
  return {
    ok: true,
    mapping: {
      files: validated.files,
      targets: new Map([...validated.targets].map(([name, t]) => [name, t.value])),
      rules,
      rulesByEvent,
      confirmRulesByEvent,
      leadRules: rules.filter((r) => r.leadMs !== null),
      memorySlots,
      clock: validated.clock.map((c) => c.value),
      timecode: validated.timecode.map((t) => t.value),
      artnetTimecode: validated.artnetTimecode.map((a) => a.value),
      link: validated.link?.value.enabled === true ? validated.link.value : null,
    },
  };
}
