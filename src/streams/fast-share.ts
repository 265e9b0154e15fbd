/**
 * `share()` with a Subject whose `next` allocates nothing per value.
 *
 * RxJS 7's CommonJS build is compiled to ES5: every `Subject.next` wraps its
 * work in a closure (errorContext) and walks the observers with the `__values`
 * iterator helper, one iterator object and one `{ value, done }` per observer.
 * The stream layer runs some twenty shared stages per status packet, so that
 * was a good part of what a packet allocated.
 *
 * FastSubject does what Subject.next does (the same snapshot of the
 * observers, taken again only after a subscribe or unsubscribe; the same
 * errors when closed; nothing after error or complete), with a plain loop.
 * Under the deprecated synchronous error handling, or should a future RxJS
 * not keep the snapshot where this one does, it is Subject.next itself.
 */
import type { MonoTypeOperatorFunction, Observer } from 'rxjs';
import { config, ObjectUnsubscribedError, share, Subject } from '../rx';

interface SubjectInternals<T> {
  currentObservers: Observer<T>[] | null;
  observers: Observer<T>[];
}

export class FastSubject<T> extends Subject<T> {
  /** RxJS keeps the observer snapshot in `currentObservers` (null until the first next). */
  private readonly fast = 'currentObservers' in this;

  override next(value: T): void {
    if (!this.fast || config.useDeprecatedSynchronousErrorHandling) {
      super.next(value);
      return;
    }
    if (this.closed) throw new ObjectUnsubscribedError();
    if (this.isStopped) return;
    const self = this as unknown as SubjectInternals<T>;
    const current = self.currentObservers ?? (self.currentObservers = self.observers.slice());
    for (let i = 0; i < current.length; i++) (current[i] as Observer<T>).next(value);
  }
}

/** `share()` (the same reset and refcount behaviour), multicasting through a FastSubject. */
export function shareFast<T>(): MonoTypeOperatorFunction<T> {
  return share<T>({ connector: () => new FastSubject<T>() });
}
