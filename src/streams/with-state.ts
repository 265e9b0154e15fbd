/**
 * An operator with private, mutable state: `init` makes the state afresh for
 * each subscription, so the operator is still a function of its input (two
 * subscriptions never share anything), and `step` takes one input, updates
 * the state in place and emits zero or more values.
 *
 * It does what `scan` + `mergeMap(from(...))` do, without their cost per
 * input: no copied Map, no state object, no array of outputs, no inner
 * subscription. The stream layer runs it for every status packet, so that
 * matters (garbage-collection pauses show up as output latency).
 *
 * `step` updates the state before it emits: an emitted value can lead,
 * synchronously and downstream, to another input. An exception in `step`
 * errors the output, as it would in `scan`.
 */
import type { OperatorFunction } from 'rxjs';
import { Observable } from '../rx';

export type Emit<T> = (value: T) => void;

export function withState<I, O, S>(init: () => S, step: (state: S, input: I, emit: Emit<O>) => void): OperatorFunction<I, O> {
  return (source) =>
    new Observable<O>((subscriber) => {
      const state = init();
      const emit: Emit<O> = (value) => subscriber.next(value);
      return source.subscribe({
        next: (input) => {
          try {
            step(state, input, emit);
          } catch (error: unknown) {
            subscriber.error(error);
          }
        },
        error: (error: unknown) => subscriber.error(error),
        complete: () => subscriber.complete(),
      });
    });
}
