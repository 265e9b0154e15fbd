/**
 * Entry point of the clock thread (see midi-clock-thread.ts). The thread owns
 * the MIDI port and the MidiClock and waits for pulses by blocking in the
 * kernel, then spinning the last fraction of a millisecond (blockingWait), so
 * a busy main thread (packet decoding, mappings, OSC) cannot delay pulses.
 * The main thread publishes the followed deck's grid; this thread extrapolates
 * it between updates.
 *
 * The port is kept open by a ReconnectingMidiPort. A port missing at start,
 * or gone mid-show (a send fails, or the MIDI system no longer lists it: ALSA
 * drops messages to a vanished port without an error), is reported and
 * opened again after `portRetryMs` (default 1 s), then at growing intervals up
 * to 30 s, until it returns. The clock
 * keeps time meanwhile (its messages are dropped) and, when the port is back,
 * repositions the receiver on the grid (MidiClock.resync: Stop, Song Position
 * Pointer, Continue). Outages, returns and port warnings reach the main
 * thread as 'port' messages.
 *
 * The factory is called again for every reopen, from a timer on this thread,
 * so it must open synchronously. A factory that cannot be loaded, or whose
 * first call throws or gives something other than a port or a MidiError,
 * will not get better by retrying: the thread reports it and ends.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { hrtimeClock } from '../../timing/clock';
import { SnapshotSource } from '../../timing/grid-snapshot';
import { TickScheduler } from '../../timing/tick-scheduler';
import { blockingWait, timerWait } from '../../timing/wait-strategies';
import { realTimers } from '../reporter';
import { MidiClock } from './midi-clock';
import type { ClockThreadSetup, FromClockThread, PortFactoryRef, ToClockThread } from './midi-clock-thread';
import { describeThrown, isMidiError, MidiError } from './midi-errors';
import type { MidiPort } from './midi-port';
import { ReconnectingMidiPort, type MidiOpenResult } from './reconnecting-midi-port';

/** A port the factory opened; `isPresent` (JulusianMidiPort has it) tells whether it is still there. */
interface ClockPort extends MidiPort {
  isPresent?(): boolean;
}

type Factory = (...args: unknown[]) => unknown;

/** One call of the factory; `broken` when the factory misbehaved, rather than the port being unavailable. */
interface FactoryCall {
  readonly result: MidiOpenResult<ClockPort>;
  readonly broken: boolean;
}

function isMidiPort(value: unknown): value is ClockPort {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['send'] === 'function' && typeof v['close'] === 'function' && typeof v['name'] === 'string';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as Record<string, unknown>)['then'] === 'function';
}

function openFailed(why: string, cause: string | null = null): MidiError {
  return new MidiError('port-open-failed', `The clock thread could not open its MIDI port: ${why}`, cause);
}

function loadFactory(ref: PortFactoryRef): Factory | MidiError {
  let loaded: unknown;
  try {
    loaded = require(ref.module);
  } catch (thrown) {
    return openFailed(`${ref.module} could not be loaded`, describeThrown(thrown));
  }
  const open = typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>)[ref.exportName] : undefined;
  return typeof open === 'function' ? (open as Factory) : openFailed(`${ref.module} has no function "${ref.exportName}"`);
}

/** Accepts a MidiPort, a MidiError, or an `{ ok, port | error }` result. */
function callFactory(open: Factory, ref: PortFactoryRef): FactoryCall {
  const broken = (why: string, cause: string | null = null): FactoryCall => ({ result: { ok: false, error: openFailed(why, cause) }, broken: true });
  let value: unknown;
  try {
    value = Reflect.apply(open, undefined, [...ref.args]);
  } catch (thrown) {
    return broken(`"${ref.exportName}" threw`, describeThrown(thrown));
  }
  if (isMidiPort(value)) return { result: { ok: true, port: value }, broken: false };
  if (isMidiError(value)) return { result: { ok: false, error: value }, broken: false };
  if (isThenable(value)) {
    // Whatever it opens later is closed at once: nobody would ever close it.
    value.then((late) => (isMidiPort(late) ? late.close() : undefined), () => undefined);
    return broken(`"${ref.exportName}" returned a promise; ports are reopened from a timer on the clock thread, so the factory must open synchronously`);
  }
  if (typeof value === 'object' && value !== null) {
    const r = value as Record<string, unknown>;
    const warning = typeof r['warning'] === 'string' ? r['warning'] : null;
    if (r['ok'] === true && isMidiPort(r['port'])) return { result: { ok: true, port: r['port'], warning }, broken: false };
    if (r['ok'] === false && isMidiError(r['error'])) return { result: { ok: false, error: r['error'] }, broken: false };
  }
  return broken(`"${ref.exportName}" returned something that is not a MIDI port`);
}

function isAlive(port: ClockPort): boolean {
  try {
    return port.isPresent?.() ?? true;
  } catch {
    return false;
  }
}

function run(parent: MessagePort, setup: ClockThreadSetup): void {
  const post = (message: FromClockThread): void => parent.postMessage(message);
  const end = (error: MidiError): void => {
    post({ kind: 'error', code: error.code, message: error.message, cause: error.cause });
    post({ kind: 'stopped', stats: null });
    parent.close();
  };
  const open = loadFactory(setup.port);
  if (isMidiError(open)) return end(open);
  const first = callFactory(open, setup.port);
  if (first.broken && !first.result.ok) return end(first.result.error);
  let firstResult: MidiOpenResult<ClockPort> | null = first.result;

  const port = new ReconnectingMidiPort<ClockPort>({
    name: setup.port.name ?? setup.port.exportName,
    open: () => {
      const result = firstResult ?? callFactory(open, setup.port).result;
      firstResult = null;
      return result;
    },
    timers: realTimers,
    report: (r) => post({ kind: 'port', level: r.level, code: r.code, message: r.message }),
    ...(setup.portRetryMs === undefined ? {} : { retryMs: setup.portRetryMs }),
    isAlive,
    onReopen: () => clock.resync(),
  });
  const scheduler = new TickScheduler(hrtimeClock, blockingWait(hrtimeClock, { spinMs: setup.spinMs }), timerWait(hrtimeClock));
  const source = new SnapshotSource();
  const clock = new MidiClock(port, scheduler, source, {
    ...setup.clock,
    onError: (e) => post({ kind: 'error', code: e.code, message: e.message, cause: e.cause }),
  });
  parent.on('message', (message: ToClockThread) => {
    if (message.kind === 'grid') {
      source.publish(message.grid);
      return;
    }
    clock.stop();
    port.close();
    post({ kind: 'stopped', stats: clock.stats });
    parent.close();
  });
  // The first open (or the report that the port is missing, and the retries) happens here.
  port.start();
  clock.start();
  post({ kind: 'ready' });
}

if (!isMainThread && parentPort !== null) run(parentPort, workerData as ClockThreadSetup);
