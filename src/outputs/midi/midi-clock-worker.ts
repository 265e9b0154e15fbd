/**
 * Entry point of the clock thread (see midi-clock-thread.ts). The thread owns
 * the MIDI port and the MidiClock and waits for pulses by blocking in the
 * kernel, then spinning the last fraction of a millisecond (blockingWait), so
 * a busy main thread (packet decoding, mappings, OSC) cannot delay pulses.
 * The main thread publishes the followed deck's grid; this thread extrapolates
 * it between updates.
 */
import { isMainThread, parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { hrtimeClock } from '../../timing/clock';
import { SnapshotSource } from '../../timing/grid-snapshot';
import { TickScheduler } from '../../timing/tick-scheduler';
import { blockingWait, timerWait } from '../../timing/wait-strategies';
import { MidiClock } from './midi-clock';
import type { ClockThreadSetup, FromClockThread, PortFactoryRef, ToClockThread } from './midi-clock-thread';
import { describeThrown, isMidiError, MidiError } from './midi-errors';
import type { MidiPort } from './midi-port';

function isMidiPort(value: unknown): value is MidiPort {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v['send'] === 'function' && typeof v['close'] === 'function' && typeof v['name'] === 'string';
}

/** Accepts a MidiPort, a MidiError, or an `{ ok, port | error }` result, possibly as a promise. */
async function openPort(ref: PortFactoryRef): Promise<MidiPort | MidiError> {
  const failed = (why: string, cause: string | null = null): MidiError =>
    new MidiError('port-open-failed', `The clock thread could not open its MIDI port: ${why}`, cause);
  let loaded: unknown;
  try {
    loaded = require(ref.module);
  } catch (thrown) {
    return failed(`${ref.module} could not be loaded`, describeThrown(thrown));
  }
  try {
    const open = typeof loaded === 'object' && loaded !== null ? (loaded as Record<string, unknown>)[ref.exportName] : undefined;
    if (typeof open !== 'function') return failed(`${ref.module} has no function "${ref.exportName}"`);
    const result: unknown = await Reflect.apply(open, undefined, [...ref.args]);
    if (isMidiPort(result) || isMidiError(result)) return result;
    if (typeof result === 'object' && result !== null) {
      const r = result as Record<string, unknown>;
      if (r['ok'] === true && isMidiPort(r['port'])) return r['port'];
      if (r['ok'] === false && isMidiError(r['error'])) return r['error'];
    }
    return failed(`"${ref.exportName}" returned something that is not a MIDI port`);
  } catch (thrown) {
    return failed(`"${ref.exportName}" threw`, describeThrown(thrown));
  }
}

async function run(parent: MessagePort, setup: ClockThreadSetup): Promise<void> {
  const post = (message: FromClockThread): void => parent.postMessage(message);
  const port = await openPort(setup.port);
  if (isMidiError(port)) {
    post({ kind: 'error', code: port.code, message: port.message, cause: port.cause });
    post({ kind: 'stopped', stats: null });
    parent.close();
    return;
  }
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
    try {
      port.close();
    } catch (thrown) {
      post({ kind: 'error', code: 'send-failed', message: `MIDI port "${port.name}" did not close cleanly`, cause: describeThrown(thrown) });
    }
    post({ kind: 'stopped', stats: clock.stats });
    parent.close();
  });
  clock.start();
  post({ kind: 'ready' });
}

if (!isMainThread && parentPort !== null) void run(parentPort, workerData as ClockThreadSetup);
