/**
 * The evaluator of a helper call. Arguments are gathered into one buffer per
 * call site, so a call allocates nothing; should a context getter re-enter
 * the same call site while its buffer is in use, that inner call gets a
 * fresh buffer instead.
 */
import type { Site } from './errors';
import type { Helper } from './functions';
import { finite, type Evaluator } from './operators';
import type { Value } from './values';

export function callEvaluator(helper: Helper, args: readonly Evaluator[], site: Site): Evaluator {
  const count = args.length;
  const apply = helper.apply;
  const nullGivesNull = helper.nullGivesNull;
  const shared: Value[] = new Array<Value>(count).fill(null);
  let busy = false;

  const gatherAndApply = (context: unknown, buffer: Value[]): Value => {
    for (let i = 0; i < count; i++) {
      const value = (args[i] as Evaluator)(context);
      if (value === null && nullGivesNull) return null;
      buffer[i] = value;
    }
    const result = apply(buffer, site);
    return typeof result === 'number' ? finite(result, site) : result;
  };

  return (context) => {
    if (busy) return gatherAndApply(context, new Array<Value>(count).fill(null));
    busy = true;
    try {
      return gatherAndApply(context, shared);
    } finally {
      busy = false;
    }
  };
}
