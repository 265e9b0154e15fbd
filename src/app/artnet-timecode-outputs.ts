/**
 * The mapping's `artnet-timecode:` entries: ArtTimeCode over UDP following a
 * deck, on the same timeline as MIDI timecode (timing/track-timeline.ts).
 * Each entry gets its own socket and sender; a reload closes them all and
 * opens the new ones. Socket problems become reports (one sentence, rate
 * limited per output and problem) and the rest of the bridge carries on.
 */
import * as os from 'node:os';
import type { ArtnetTimecodeConfig } from '../mapping/schema';
import type { RateLimitedReporter, Timers } from '../outputs/reporter';
import type { MtcRate } from '../outputs/midi/mtc-rate';
import { formatTimecode } from '../outputs/midi/mtc-timecode';
import { resolveDestination, type LocalAddress } from '../outputs/artnet/artnet-address';
import { ArtNetError } from '../outputs/artnet/artnet-errors';
import { ArtNetSocket } from '../outputs/artnet/artnet-socket';
import { ArtNetTimecodeSender } from '../outputs/artnet/artnet-timecode-sender';
import { timelineOf, type TimecodeInputs } from '../timing/track-timeline';

/** What the monitor shows of one output. */
export interface ArtnetTimecodeStatus {
  /** e.g. "artnet 2.255.255.255:6454". */
  readonly label: string;
  readonly follow: ArtnetTimecodeConfig['follow'];
  /** Packets handed to the network. */
  readonly sent: number;
  /** Packets the system refused or could not send. */
  readonly failed: number;
  /** The last timecode sent (HH:MM:SS:FF), or null before the first. */
  readonly last: string | null;
  readonly running: boolean;
}

interface Output {
  readonly label: string;
  readonly config: ArtnetTimecodeConfig;
  readonly socket: ArtNetSocket | null;
  readonly sender: ArtNetTimecodeSender | null;
}

export interface ArtnetTimecodeOutputsOptions {
  readonly reporter: RateLimitedReporter;
  readonly timers: Timers;
  /** This machine's IPv4 addresses, to recognise their broadcast addresses; the default asks the OS. */
  readonly localAddresses?: () => readonly LocalAddress[];
}

function osLocalAddresses(): LocalAddress[] {
  return Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ address: i.address, netmask: i.netmask })));
}

export class ArtnetTimecodeOutputs {
  private outputs: Output[] = [];

  constructor(private readonly options: ArtnetTimecodeOutputsOptions) {}

  /** Replaces the outputs with the mapping's entries; resolves once every socket has tried to open. */
  async apply(configs: readonly ArtnetTimecodeConfig[], inputs: TimecodeInputs): Promise<void> {
    await this.stop();
    const locals = (this.options.localAddresses ?? osLocalAddresses)();
    const { reporter, timers } = this.options;
    const outputs = configs.map((config): Output => {
      const destination = resolveDestination(config.to, locals);
      const label = `artnet ${destination instanceof ArtNetError ? config.to : destination.address}:${config.port}`;
      if (destination instanceof ArtNetError) {
        reporter.report('error', label, destination.code, destination.message);
        return { label, config, socket: null, sender: null };
      }
      const socket = new ArtNetSocket({
        destination,
        port: config.port,
        fromPort: config.fromPort ?? null,
        timers,
        onProblem: (e) => reporter.report('warn', label, e.code, e.message),
        onRecovered: (code) => {
          reporter.resolve(label, code);
          reporter.report('info', label, `${code}-recovered`, `Art-Net timecode to ${destination.address}:${config.port} is going out again`);
        },
      });
      const sender = new ArtNetTimecodeSender({
        timers,
        rate: config.rate as MtcRate,
        onStop: config.onStop,
        sample: (now) => timelineOf(config, inputs, now),
        send: (packet) => socket.send(packet),
      });
      return { label, config, socket, sender };
    });
    this.outputs = outputs;
    await Promise.all(outputs.map((o) => o.socket?.open()));
    // A reload or stop while the sockets opened leaves these outputs behind.
    if (this.outputs !== outputs) return;
    for (const o of outputs) o.sender?.start();
  }

  /** Re-reads every timeline at once (after a jump or play/stop). */
  update(): void {
    for (const o of this.outputs) o.sender?.update();
  }

  /** A new position reading (a precise position, a status): outputs whose timeline jumped send at once. */
  reposition(): void {
    for (const o of this.outputs) o.sender?.reposition();
  }

  status(): readonly ArtnetTimecodeStatus[] {
    return this.outputs.map((o) => {
      const sent = o.sender?.stats;
      const last = sent?.last ?? null;
      return {
        label: o.label,
        follow: o.config.follow,
        sent: sent?.sent ?? 0,
        failed: o.socket?.stats.failed ?? 0,
        last: last === null ? null : formatTimecode(last, o.config.rate as MtcRate),
        running: sent?.running ?? false,
      };
    });
  }

  async stop(): Promise<void> {
    const outputs = this.outputs;
    this.outputs = [];
    for (const o of outputs) o.sender?.stop();
    await Promise.all(outputs.map((o) => o.socket?.close()));
  }
}
