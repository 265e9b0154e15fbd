/**
 * Checks that need the whole (merged) mapping: every `to` names a target of
 * the right kind, one-of choices are made exactly once, and options fit the
 * event they are used with.
 */
import { MappingError, formatPath } from './mapping-error';
import { durationMs } from './durations';
import { parsePortSpec } from '../outputs/midi/julusian-midi-port';
import { MidiError } from '../outputs/midi/midi-errors';
import { CONFIRMABLE_EVENTS, COUNTABLE_EVENTS, MAX_LEAD_MS, PREDICTABLE_EVENTS, targetKind, type TargetKind } from './schema';
import type { Located, ValidatedMapping } from './load-mapping';
import { HEARTBEAT_NEEDS_TCP, STALE_NOT_LONGER } from './schema-targets';

const ACTION_TARGET_KIND: Record<'osc' | 'midi' | 'ws', TargetKind> = { osc: 'osc', midi: 'midi', ws: 'websocket' };

export function checkReferences(mapping: ValidatedMapping): MappingError[] {
  const errors: MappingError[] = [];
  const at = (item: Located<unknown>, sub: readonly PropertyKey[], message: string, code: MappingError['code'] = 'reference', atKey = false): void => {
    const full = [...item.path, ...sub];
    const { line, column } = item.locate(full, atKey);
    errors.push(new MappingError(code, item.file, line, column, formatPath(full), message));
  };

  const kindOf = new Map<string, TargetKind>();
  for (const [name, target] of mapping.targets) {
    const kind = targetKind(target.value);
    if (kind === null) {
      at(target, [], 'a target needs exactly one of osc, midi or websocket', 'schema');
      continue;
    }
    kindOf.set(name, kind);
    const osc = target.value.osc;
    if (osc !== undefined && osc.passcode !== undefined && osc.protocol !== 'tcp') {
      at(target, ['osc', 'passcode'], 'a passcode needs protocol: tcp (QLab only accepts /connect over TCP)', 'schema', true);
    }
    if (osc?.heartbeat !== undefined) {
      const { every, stale } = osc.heartbeat;
      if (osc.protocol !== 'tcp') at(target, ['osc', 'heartbeat'], HEARTBEAT_NEEDS_TCP, 'schema', true);
      else if (stale !== undefined && !(durationMs(stale) > durationMs(every))) at(target, ['osc', 'heartbeat', 'stale'], STALE_NOT_LONGER, 'schema');
    }
    const midi = target.value.midi;
    if (midi !== undefined) {
      if ((midi.port === undefined) === (midi.virtual === undefined)) {
        at(target, ['midi'], 'a midi target needs exactly one of port (an existing output) or virtual (a port to create)', 'schema');
      } else if (midi.port !== undefined) {
        const pattern = parsePortSpec(midi.port);
        if (pattern instanceof MidiError) at(target, ['midi', 'port'], pattern.message, 'schema');
      }
    }
  }
  const known = [...kindOf.keys()];
  const checkTo = (item: Located<unknown>, sub: readonly PropertyKey[], name: string, wanted: TargetKind): void => {
    const kind = kindOf.get(name);
    if (kind === undefined) {
      at(item, sub, `unknown target "${name}" (known: ${known.length > 0 ? known.join(', ') : 'none defined'})`);
    } else if (kind !== wanted) {
      const fitting = known.filter((k) => kindOf.get(k) === wanted);
      at(item, sub, `target "${name}" is a ${kind} target, not ${wanted} (${wanted} targets: ${fitting.length > 0 ? fitting.join(', ') : 'none defined'})`);
    }
  };

  for (const rule of mapping.rules) {
    const { on } = rule.value;
    if (rule.value.every !== undefined && !COUNTABLE_EVENTS.includes(on)) {
      at(rule, ['every'], `every only applies to ${COUNTABLE_EVENTS.join(', ')} (this rule is on ${on})`, 'schema', true);
    }
    if (rule.value.lead !== undefined && !PREDICTABLE_EVENTS.includes(on)) {
      at(rule, ['lead'], `lead only applies to predictable events: ${PREDICTABLE_EVENTS.join(', ')} (this rule is on ${on})`, 'schema', true);
    } else if (rule.value.lead !== undefined && !(durationMs(rule.value.lead) <= MAX_LEAD_MS)) {
      at(rule, ['lead'], `lead must be at most ${MAX_LEAD_MS / 1000}s (${String(rule.value.lead)} is further ahead than a tempo prediction holds)`, 'schema');
    }
    if (rule.value.confirm && !CONFIRMABLE_EVENTS.includes(on)) {
      at(rule, ['confirm'], `confirm only applies to ${CONFIRMABLE_EVENTS.join(', ')}, whose events can be predicted ahead of the deck (this rule is on ${on})`, 'schema', true);
    } else if (rule.value.confirm && rule.value.lead !== undefined) {
      at(rule, ['confirm'], 'confirm waits for the deck to show the event happened, lead fires before it: a rule takes one or the other', 'schema', true);
    }
    const bpm = rule.value.when?.bpm;
    if (bpm?.min !== undefined && bpm.max !== undefined && bpm.min > bpm.max) {
      at(rule, ['when', 'bpm'], `min (${bpm.min}) is above max (${bpm.max})`, 'schema');
    }
    rule.value.send.forEach((action, i) => {
      const kinds = (['osc', 'midi', 'ws'] as const).filter((k) => action[k] !== undefined);
      if (kinds.length !== 1) {
        at(rule, ['send', i], 'each send entry needs exactly one of osc, midi or ws', 'schema');
        return;
      }
      const kind = kinds[0] as 'osc' | 'midi' | 'ws';
      const to = action[kind]?.to ?? '';
      checkTo(rule, ['send', i, kind, 'to'], to, ACTION_TARGET_KIND[kind]);
      const midi = action.midi;
      if (midi !== undefined) {
        const messages = (['note', 'cc', 'program'] as const).filter((k) => midi[k] !== undefined);
        if (messages.length !== 1) {
          at(rule, ['send', i, 'midi'], 'a midi action needs exactly one of note, cc or program', 'schema');
        } else if (midi.cc !== undefined && midi.value === undefined) {
          at(rule, ['send', i, 'midi'], 'a cc action needs a value (0–127)', 'schema');
        } else if (midi.cc === undefined && midi.value !== undefined) {
          at(rule, ['send', i, 'midi', 'value'], 'value only goes with cc', 'schema', true);
        }
      }
    });
  }
  for (const clock of mapping.clock) checkTo(clock, ['to'], clock.value.to, 'midi');
  for (const timecode of mapping.timecode) checkTo(timecode, ['to'], timecode.value.to, 'midi');
  return errors;
}
