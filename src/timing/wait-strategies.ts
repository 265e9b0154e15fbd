/**
 * Production waiting strategies for the TickScheduler.
 *
 * Node timers have millisecond granularity and fire up to a millisecond
 * late (or early), so `hybridWait` sleeps on a timer until `spinMs` before
 * the target, then spins on the clock for the rest. The spin costs CPU (about
 * spinMs per tick: 5 % of a core per ms of spin at 24 PPQN and 120 BPM) and
 * blocks its thread, and a busy thread cannot start it on time.
 *
 * On a thread of its own (outputs/midi/midi-clock-thread.ts), `blockingWait`
 * does better: it blocks in the kernel (Atomics.wait, a futex with a timeout)
 * until a margin before the target and spins only that last bit. It blocks the
 * thread's event loop while it waits, so messages to that thread are handled
 * between ticks; never use it on the main thread.
 *
 * How late the kernel wakes a blocked thread depends on the machine: about
 * 0.05 ms on bare metal, 0.2 ms typically and now and then over a millisecond
 * in a virtual machine whose idle vCPU must be woken by the host. A wake later
 * than the margin makes the tick late, so the margin adapts: it follows the
 * latest wakes' lateness (a peak that halves every `marginHalfLife` waits)
 * plus a guard, between `spinMs` and `maxSpinMs`. A quiet machine spins
 * `spinMs`; a noisy one spins longer, and only while it is noisy.
 */
import type { MonotonicClock } from './clock';
import type { Cancel, WaitStrategy } from './tick-scheduler';

export interface TimerFunctions {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const nodeTimers: TimerFunctions = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export interface HybridWaitOptions {
  /** How long before the target the timer hands over to spinning (ms). */
  readonly spinMs: number;
  readonly timers: TimerFunctions;
}

export const DEFAULT_SPIN_MS = 2;

/** Timer until `spinMs` before the target, then spin on `clock`. */
export function hybridWait(clock: MonotonicClock, options: Partial<HybridWaitOptions> = {}): WaitStrategy {
  const spinMs = options.spinMs ?? DEFAULT_SPIN_MS;
  const timers = options.timers ?? nodeTimers;
  return {
    waitUntil(at: number, fire: () => void): Cancel {
      let handle: unknown = null;
      let cancelled = false;
      const step = (): void => {
        handle = null;
        if (cancelled) return;
        const sleep = at - clock.now() - spinMs;
        // Timers may fire early by up to a millisecond (ms-truncated loop time): check again.
        if (sleep >= 1) {
          handle = timers.setTimeout(step, Math.floor(sleep));
          return;
        }
        while (clock.now() < at) {
          // spin
        }
        fire();
      };
      const sleep = at - clock.now() - spinMs;
      // Nearly due: spin as soon as the caller returns (a 0 ms timer would cost a millisecond).
      if (sleep < 1) queueMicrotask(step);
      else handle = timers.setTimeout(step, Math.floor(sleep));
      return () => {
        cancelled = true;
        if (handle !== null) timers.clearTimeout(handle);
      };
    },
  };
}

/** Timer only: cheap, about a millisecond late. For polling and anything not audible. */
export function timerWait(clock: MonotonicClock, timers: TimerFunctions = nodeTimers): WaitStrategy {
  return {
    waitUntil(at: number, fire: () => void): Cancel {
      const handle = timers.setTimeout(fire, Math.max(0, Math.ceil(at - clock.now())));
      return () => timers.clearTimeout(handle);
    },
  };
}

export interface BlockingWaitOptions {
  /** The least time before the target that blocking hands over to spinning (ms). */
  readonly spinMs: number;
  /** The most: however late wakes have been, blocking stops this long before the target at the latest (ms). */
  readonly maxSpinMs: number;
  /** Added to the recent wake lateness to make the margin (ms). */
  readonly guardMs: number;
  /** Waits over which the remembered wake lateness halves. */
  readonly marginHalfLife: number;
  /** Blocks the thread for up to `ms` (Atomics.wait in production). */
  readonly block: (ms: number) => void;
  /** Runs `fn` after the event loop has handled pending messages (setImmediate in production). */
  readonly defer: (fn: () => void) => void;
}

export const DEFAULT_BLOCKING_SPIN_MS = 0.3;
export const DEFAULT_BLOCKING_MAX_SPIN_MS = 1.5;
const DEFAULT_GUARD_MS = 0.1;
const DEFAULT_MARGIN_HALF_LIFE = 100;

/** A blocking wait whose spin margin can be read (for reports and tests). */
export interface AdaptiveWaitStrategy extends WaitStrategy {
  /** The margin the next wait will block short of its target by (ms). */
  readonly marginMs: number;
}

function atomicsBlock(): (ms: number) => void {
  const cell = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  return (ms) => {
    Atomics.wait(cell, 0, 0, ms);
  };
}

/** Block in the kernel until a margin before the target, then spin. For dedicated threads only. */
export function blockingWait(clock: MonotonicClock, options: Partial<BlockingWaitOptions> = {}): AdaptiveWaitStrategy {
  const minSpin = options.spinMs ?? DEFAULT_BLOCKING_SPIN_MS;
  const maxSpin = Math.max(minSpin, options.maxSpinMs ?? DEFAULT_BLOCKING_MAX_SPIN_MS);
  const guard = options.guardMs ?? DEFAULT_GUARD_MS;
  const decay = 0.5 ** (1 / (options.marginHalfLife ?? DEFAULT_MARGIN_HALF_LIFE));
  const block = options.block ?? atomicsBlock();
  const defer = options.defer ?? ((fn: () => void): void => void setImmediate(fn));
  /** Decaying peak of how late blocking woke (ms). */
  let lateness = 0;
  const margin = (): number => Math.min(maxSpin, Math.max(minSpin, lateness + guard));
  return {
    get marginMs() {
      return margin();
    },
    waitUntil(at: number, fire: () => void): Cancel {
      let cancelled = false;
      defer(() => {
        if (cancelled) return;
        const wake = at - margin();
        const sleep = wake - clock.now();
        if (sleep > 0) {
          block(sleep);
          lateness = Math.max(clock.now() - wake, lateness * decay);
        }
        while (clock.now() < at) {
          // spin
        }
        if (!cancelled) fire();
      });
      return () => {
        cancelled = true;
      };
    },
  };
}
