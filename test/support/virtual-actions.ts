/**
 * Counts the virtual actions (timer runs) a piece of a test executes on an
 * RxJS virtual-time scheduler: how many times something woke up.
 */
import { VirtualAction } from 'rxjs';

/** How many virtual actions (timer runs) `run` executes. */
export function countVirtualActions(run: () => void): number {
  let actions = 0;
  const proto = VirtualAction.prototype;
  const execute = proto.execute;
  proto.execute = function (this: VirtualAction<unknown>, state: unknown, delay: number) {
    actions++;
    return execute.call(this, state, delay);
  };
  try {
    run();
  } finally {
    proto.execute = execute;
  }
  return actions;
}
