/** Timers on a virtual clock: time moves only when a test calls advance(). */
export { VirtualClock as VirtualTimers } from '../../../src/prolink/sim/clock';
