/**
 * The bridge under test of mapping-loopback.ts, in a process of its own as a
 * user runs it: the command line's heap settings (cli/heap-settings.ts), the
 * real startBridge wiring (streams, world, mapping runtime, output router with
 * real OSC UDP targets), status datagrams taken from a UDP socket on
 * 127.0.0.1 as the bridge's link takes them, and keep-alives from another
 * (the announce port's), so the bridge believes the decks as it believes gear
 * that announces itself. The harness (the sender, the OSC
 * receiver and its decoding) then shares neither the bridge's event loop nor
 * its heap: the garbage collections counted are the bridge's own.
 *
 * Driven over IPC (fork): `start` → `ready` (the input and announce ports), `measure` (GC
 * watch and CPU from here), `stop` → `result`, then the process exits. The
 * same bridge can run inside the harness's process (startBenchBridge), as
 * the latency figures have it.
 */
import * as dgram from 'node:dgram';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { keepHeapSmall } from '../../src/cli/heap-settings';

export interface ChildStart {
  readonly kind: 'start';
  readonly mappingFile: string;
  readonly timeScale: number;
}

export interface ChildReady {
  readonly kind: 'ready';
  readonly inputPort: number;
  readonly announcePort: number;
}

export interface ChildFailed {
  readonly kind: 'failed';
  readonly message: string;
}

/** A GC pause, in ms since the epoch (performance.timeOrigin + startTime: comparable across processes). */
export interface EpochSpan {
  readonly start: number;
  readonly end: number;
}

export interface ChildResult {
  readonly kind: 'result';
  readonly gcPauses: readonly EpochSpan[];
  readonly rules: number;
  readonly events: number;
  readonly received: number;
  readonly malformed: number;
  readonly undeliverable: number;
  /** CPU of the bridge process from `measure` to `stop` (ms), and the wall time between them. */
  readonly cpuMs: number;
  readonly wallMs: number;
}

export type ParentMessage = ChildStart | { readonly kind: 'measure' } | { readonly kind: 'stop' };
export type ChildMessage = ChildReady | ChildFailed | ChildResult;

const LOOPBACK = '127.0.0.1';

function bindLoopback(socket: dgram.Socket): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, LOOPBACK, () => resolve(socket.address().port));
  });
}

function reply(message: ChildMessage): void {
  process.send?.(message);
}

/** The bridge under test, listening: `measure` starts the GC watch and CPU count, `stop` ends the run with its figures. */
export interface BenchBridge {
  readonly inputPort: number;
  /** Where keep-alives go (the bridge takes them as from port 50000). */
  readonly announcePort: number;
  measure(): void;
  stop(): Promise<ChildResult>;
}

/** Starts the bridge on the mapping file; a string says why it could not. In this process: the caller's heap settings. */
export async function startBenchBridge(start: Omit<ChildStart, 'kind'>): Promise<BenchBridge | string> {
  // Loaded only now: in the bridge process, after the heap settings, as the command line loads it.
  const { Subject } = await import('rxjs');
  const { startBridge } = await import('../../src/app/bridge');
  const { monotonicMs } = await import('../../src/app/link');
  const { createLogger } = await import('../../src/log/logger');
  const { PORT_ANNOUNCE, PORT_STATUS } = await import('../../src/prolink/packets/header');
  const { CountingMidiPort } = await import('./counting-midi-port');
  type Link = import('../../src/app/link').Link;
  type TimedDatagram = import('../../src/streams/received').TimedDatagram;

  const input = dgram.createSocket('udp4');
  const datagrams = new Subject<TimedDatagram>();
  input.on('message', (data, rinfo) => datagrams.next({ port: PORT_STATUS, address: rinfo.address, data, at: monotonicMs() }));
  const inputPort = await bindLoopback(input);
  const announce = dgram.createSocket('udp4');
  announce.on('message', (data, rinfo) => datagrams.next({ port: PORT_ANNOUNCE, address: rinfo.address, data, at: monotonicMs() }));
  const announcePort = await bindLoopback(announce);
  const link: Link = {
    description: `benchmark input on ${LOOPBACK}:${inputPort}`,
    datagrams,
    identity: null,
    // Each OPUS deck sends a status every 200 ms (§3); the benchmark sends faster. The plausibility stage is told
    // so, as for a replay at speed, so it judges the packets on the devices' own clock.
    timeScale: start.timeScale,
    send: () => undefined,
    close: async () => {
      await new Promise<void>((resolve) => input.close(() => resolve()));
      await new Promise<void>((resolve) => announce.close(() => resolve()));
      datagrams.complete();
    },
  };
  const started = await startBridge({
    link,
    mode: 'passive',
    mappingPaths: [start.mappingFile],
    watchMappings: false,
    logger: createLogger({ level: 'error', pretty: false }),
    // A port that keeps nothing, as a real one: a recorder's growing list would lengthen every young-generation pause.
    openMidi: () => ({ ok: true, port: new CountingMidiPort('bench') }),
  });
  if (!started.ok) {
    await link.close();
    return `the benchmark mapping did not load: ${started.message}`;
  }
  const bridge = started.bridge;
  const pauses: EpochSpan[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const from = performance.timeOrigin + entry.startTime;
      pauses.push({ start: from, end: from + entry.duration });
    }
  });
  let cpu0 = process.cpuUsage();
  let wall0 = performance.now();
  return {
    inputPort,
    announcePort,
    measure() {
      observer.observe({ entryTypes: ['gc'] });
      cpu0 = process.cpuUsage();
      wall0 = performance.now();
    },
    async stop() {
      const cpu = process.cpuUsage(cpu0);
      const wallMs = performance.now() - wall0;
      observer.disconnect();
      const stats = { ...bridge.stats };
      const rules = bridge.runtime.current?.rules.length ?? 0;
      const undeliverable = bridge.router.stats().undeliverable;
      await bridge.stop();
      return {
        kind: 'result',
        gcPauses: pauses,
        rules,
        events: stats.events,
        received: stats.received,
        malformed: stats.malformed,
        undeliverable,
        cpuMs: (cpu.user + cpu.system) / 1000,
        wallMs,
      };
    },
  };
}

/** The bridge process: the command line's heap settings, then the bridge, driven by the parent's messages. */
function serve(): void {
  keepHeapSmall();
  let bridge: BenchBridge | null = null;
  process.on('message', (message: ParentMessage) => {
    if (message.kind === 'start') {
      startBenchBridge(message).then(
        (b) => {
          if (typeof b === 'string') {
            reply({ kind: 'failed', message: b });
            return;
          }
          bridge = b;
          reply({ kind: 'ready', inputPort: b.inputPort, announcePort: b.announcePort });
        },
        (error: unknown) => reply({ kind: 'failed', message: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      );
    } else if (message.kind === 'measure') {
      bridge?.measure();
    } else if (bridge !== null) {
      void bridge.stop().then((result) => process.send?.(result, () => process.exit(0)));
    }
  });
}

if (require.main === module) serve();
