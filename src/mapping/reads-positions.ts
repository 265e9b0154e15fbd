/**
 * Whether a rule reads a deck's position (deck.positionMs, deck.timecode, or
 * the same of master). Working a position out costs a look at the timeline
 * and a live view of the deck for every event, so the engine builds that view
 * only for rules that read it; every other rule reads the deck's plain view,
 * which is made once per deck state.
 */
import type { CompiledAction, CompiledConditions, Source } from './compiled-mapping';

const DECKS = new Set(['deck', 'master']);
const POSITION_FIELDS = new Set(['positionMs', 'timecode']);

/** A dotted path that reads a deck's position, or the whole deck (which holds it). */
export function pathReadsPosition(path: string): boolean {
  const [head, field] = path.split('.');
  return head !== undefined && DECKS.has(head) && (field === undefined || POSITION_FIELDS.has(field));
}

function sourceReads(source: Source<unknown>): boolean {
  return 'template' in source && source.template.paths.some(pathReadsPosition);
}

function actionReads(action: CompiledAction): boolean {
  switch (action.kind) {
    case 'osc':
      return sourceReads(action.address) || action.args.some((a) => sourceReads(a.value));
    case 'midi-note':
      return sourceReads(action.note) || sourceReads(action.velocity);
    case 'midi-cc':
      return sourceReads(action.controller) || sourceReads(action.value);
    case 'midi-program':
      return sourceReads(action.program);
    case 'ws':
      return action.fields !== null && [...action.fields.values()].some(sourceReads);
  }
}

export function ruleReadsPositions(when: CompiledConditions, actions: readonly CompiledAction[]): boolean {
  return (when.expr !== null && when.expr.paths.some(pathReadsPosition)) || actions.some(actionReads);
}
