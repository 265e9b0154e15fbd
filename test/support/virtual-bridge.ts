/**
 * The whole bridge (startBridge) on a virtual-time scheduler, fed datagrams
 * by hand, with a recording logger and a one-rule mapping: for tests of what
 * the running bridge logs and which timers it keeps.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Subject, type VirtualTimeScheduler } from 'rxjs';
import { startBridge, type RunningBridge } from '../../src/app/bridge';
import type { Link } from '../../src/app/link';
import type { TimedDatagram } from '../../src/streams/received';
import { MidiError } from '../../src/outputs/midi/midi-errors';
import { recordingLogger, type LoggedLine } from '../log/recording-logger';

const MAPPING = 'targets:\n  show: { osc: { host: 127.0.0.1, port: 9 } }\nrules:\n  - on: beat\n    send: [{ osc: { to: show, address: /beat } }]\n';

export interface VirtualBridge {
  readonly bridge: RunningBridge;
  readonly datagrams: Subject<TimedDatagram>;
  /** Every line logged at info and above, from the start. */
  readonly lines: LoggedLine[];
  /** Stops the bridge and removes its mapping folder. */
  stop(): Promise<void>;
}

/** Starts the bridge in passive mode on `scheduler`, with a link that takes `datagrams` and sends nowhere. */
export async function startVirtualBridge(scheduler: VirtualTimeScheduler): Promise<VirtualBridge> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'virtual-bridge-'));
  const mappingFile = path.join(dir, 'show.yaml');
  fs.writeFileSync(mappingFile, MAPPING);
  const datagrams = new Subject<TimedDatagram>();
  const link: Link = { description: 'virtual', datagrams, identity: null, send: () => undefined, close: async () => datagrams.complete() };
  const { logger, lines } = recordingLogger('info');
  const started = await startBridge({
    link,
    mode: 'passive',
    mappingPaths: [mappingFile],
    watchMappings: false,
    logger,
    openMidi: () => ({ ok: false, error: new MidiError('midi-unavailable', 'not used') }),
    scheduler,
  });
  if (!started.ok) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(started.message);
  }
  const bridge = started.bridge;
  return {
    bridge,
    datagrams,
    lines,
    stop: async () => {
      await bridge.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Plays virtual time up to `to` (ms). */
export function advanceTo(scheduler: VirtualTimeScheduler, to: number): void {
  scheduler.maxFrames = to;
  scheduler.flush();
}
