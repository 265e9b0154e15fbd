/**
 * Ticks the network session only when it has something due, instead of every
 * tickMs: one timer, set to the next instant the session says it can act
 * (keep-alive, claim stage, timeout, auto mode's decision), re-armed after
 * each tick and whenever a received packet brings that instant forward.
 *
 * The ticks it runs fall on the same grid as `interval(tickMs)` started at
 * the same moment (start + k·tickMs): the first grid instant at or after the
 * due one. Ticks of that grid it skips are ticks the session would have
 * answered with an empty step, so the same packets go out at the same times;
 * only the empty wake-ups are gone (about 0.7 a second in lighting mode
 * instead of 10).
 */
import type { SchedulerLike } from 'rxjs';
import { Subscription } from '../rx';
import type { ProlinkSession } from '../prolink/network/session';
import type { SessionStep } from '../prolink/network/session-types';

/** Float noise in (due − start) / tickMs must not push a tick to the next grid instant. */
const GRID_EPSILON = 1e-6;

export interface SessionTicks {
  /** Stops the timer. */
  readonly subscription: Subscription;
  /** Call after the session received a packet: its next due instant may have come forward. */
  received(): void;
}

/**
 * How much later than its instant a tick's real timer is set. The event
 * loop's clock counts whole milliseconds, so a real timer can fire up to one
 * before the instant it was set for; the tick then has to be set again for
 * the rest, a second wake-up for nearly every keep-alive. Set this much
 * later, it fires at or just after the instant (where that second timer
 * fired), once.
 */
export const REAL_TIMER_SLACK_MS = 1;

/**
 * Starts ticking `session` on `scheduler`'s grid of `tickMs` from `start` (the
 * instant the session was started at), handing every tick's step to `apply`.
 * `slackMs`: how much later than its instant each tick's timer is set
 * (REAL_TIMER_SLACK_MS on real timers; 0 in virtual time, where timers are exact).
 */
export function tickSession(
  session: Pick<ProlinkSession, 'tick' | 'nextDue'>,
  scheduler: SchedulerLike,
  start: number,
  tickMs: number,
  apply: (step: SessionStep) => void,
  slackMs = 0,
): SessionTicks {
  const subscription = new Subscription();
  /** Grid index of the last tick that ran (0: the start itself). */
  let lastTick = 0;
  /** Grid index the timer is set for, or null when none is. */
  let armedTick: number | null = null;
  let armed: Subscription | null = null;

  const gridAt = (k: number): number => start + k * tickMs;

  /** The grid index the next tick should run at, or null when nothing is due. */
  const nextTick = (): number | null => {
    const due = session.nextDue();
    if (due === null) return null;
    const now = scheduler.now();
    // Not a tick that already ran, not one in the past, and not before the session has anything to do.
    const notPast = Math.ceil((now - start) / tickMs - GRID_EPSILON);
    const notEarly = Math.ceil((due - start) / tickMs - GRID_EPSILON);
    return Math.max(lastTick + 1, notPast, notEarly);
  };

  const arm = (k: number | null): void => {
    if (k === armedTick || subscription.closed) return;
    armed?.unsubscribe();
    armed = null;
    armedTick = k;
    if (k === null) return;
    armed = scheduler.schedule(fire, Math.max(0, gridAt(k) - scheduler.now()) + slackMs);
  };

  function fire(): void {
    const k = armedTick;
    armed = null;
    armedTick = null;
    if (k === null || subscription.closed) return;
    // A real timer may still wake a little before its instant (whole-ms event loop clock): wait for the rest of it.
    if (scheduler.now() < gridAt(k)) {
      arm(k);
      return;
    }
    lastTick = k;
    apply(session.tick(scheduler.now()));
    arm(nextTick());
  }

  subscription.add(() => {
    armed?.unsubscribe();
    armed = null;
    armedTick = null;
  });
  arm(nextTick());

  return {
    subscription,
    received(): void {
      const k = nextTick();
      // Only an earlier instant needs the timer moved: a later one finds the timer early, ticks nothing, and sets it again.
      if (k !== null && (armedTick === null || k < armedTick)) arm(k);
    },
  };
}
