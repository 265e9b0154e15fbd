/**
 * Owns the live output targets and delivers the engine's commands to them.
 * `apply` takes a (re)loaded mapping's targets: targets whose settings did not
 * change keep their sockets and MIDI ports; removed or changed ones are closed
 * and new ones opened. A command for a target that failed to open is counted
 * and reported, never thrown. The router is the engine's sink: commands are
 * sent the moment the engine makes them.
 */
import { replayCommand, type CommandSink, type OutputCommand } from '../mapping/output-commands';
import { OscArgs } from './osc/osc-args';
import type { TargetConfig } from '../mapping/schema';
import { OscTcpTarget } from './osc/osc-tcp-target';
import { OscUdpTarget } from './osc/osc-udp-target';
import { heartbeatOptions } from './osc/heartbeat';
import type { OscTarget } from './osc/osc-target';
import { MidiTarget, type MidiOpener } from './midi-target';
import { WebSocketTarget } from './websocket/websocket-target';
import { RateLimitedReporter, realTimers, type Timers } from './reporter';
import type { MidiPort } from './midi/midi-port';
import { durationMs } from '../mapping/durations';

type Live =
  | { readonly kind: 'osc'; readonly key: string; readonly target: OscTarget }
  | { readonly kind: 'midi'; readonly key: string; readonly target: MidiTarget }
  | { readonly kind: 'websocket'; readonly key: string; readonly target: WebSocketTarget };

export interface OutputRouterOptions {
  readonly reporter: RateLimitedReporter;
  readonly openMidi: MidiOpener;
  readonly timers?: Timers;
  readonly midiRetryMs?: number;
}

export interface RouterStats {
  readonly delivered: number;
  readonly undeliverable: number;
}

/** One open target as it is now, for status displays. */
export interface TargetStatusLine {
  readonly name: string;
  readonly kind: 'osc-udp' | 'osc-tcp' | 'midi' | 'websocket';
  /** The target's own word for its state: 'connected', 'connecting', 'ready', 'open', 'listening' … */
  readonly state: string;
  /** Messages handed on; null where the target does not count them. */
  readonly sent: number | null;
  readonly dropped: number;
  /** Connected clients (WebSocket targets); null for the others. */
  readonly clients: number | null;
  readonly lastError: string | null;
}

function keyOf(config: TargetConfig): string {
  return JSON.stringify(config);
}

export class OutputRouter implements CommandSink {
  private readonly live = new Map<string, Live>();
  private readonly timers: Timers;
  private delivered = 0;
  private undeliverable = 0;
  private readonly scratch = new OscArgs();

  constructor(private readonly options: OutputRouterOptions) {
    this.timers = options.timers ?? realTimers;
  }

  /**
   * Opens, keeps or closes targets to match `targets`, and returns the names
   * opened anew. New and changed targets are in place when this returns
   * (synchronously), so no command in between finds its target missing; the
   * replaced ones finish closing in the background of the returned promise.
   */
  apply(targets: ReadonlyMap<string, TargetConfig>): { opened: string[]; closed: Promise<void> } {
    const retired: Live[] = [];
    const opened: string[] = [];
    for (const [name, live] of this.live) {
      if (!targets.has(name)) {
        retired.push(live);
        this.live.delete(name);
      }
    }
    // A changed WebSocket server must release its port before the new one listens.
    const afterClose: [string, TargetConfig][] = [];
    for (const [name, config] of targets) {
      const current = this.live.get(name);
      if (current !== undefined && current.key === keyOf(config)) continue;
      if (current !== undefined) retired.push(current);
      this.live.delete(name);
      if (current?.kind === 'websocket' && config.websocket !== undefined) {
        afterClose.push([name, config]);
        continue;
      }
      const live = this.open(name, config);
      if (live !== null) {
        this.live.set(name, live);
        opened.push(name);
      }
    }
    const closed = Promise.all(retired.map((l) => this.closeOne(l))).then(() => {
      for (const [name, config] of afterClose) {
        const live = this.open(name, config);
        if (live !== null) this.live.set(name, live);
      }
    });
    opened.push(...afterClose.map(([name]) => name));
    return { opened, closed };
  }

  /** The MIDI port behind a target, for the clock and timecode outputs. */
  midiPort(name: string): MidiPort | null {
    const live = this.live.get(name);
    return live?.kind === 'midi' ? live.target.port : null;
  }

  /** The WebSocket target of that name, e.g. to relay raw packets. */
  websocket(name: string): WebSocketTarget | null {
    const live = this.live.get(name);
    return live?.kind === 'websocket' ? live.target : null;
  }

  /** Relays a raw status datagram to every WebSocket target (each sends it only if it relays raw packets). */
  relayDatagram(data: Buffer): void {
    for (const live of this.live.values()) {
      if (live.kind === 'websocket') live.target.relayDatagram(data);
    }
  }

  /** Sends a command kept as a value. */
  dispatch(command: OutputCommand): void {
    replayCommand(command, this, this.scratch);
  }

  ruleFired(): void {
    // Nothing to do: commands say which rule they are for.
  }

  osc(target: string, rule: string, address: string, args: OscArgs): void {
    const live = this.find(target, rule);
    if (live?.kind === 'osc') live.target.sendArgs(address, args);
  }

  midiNote(target: string, rule: string, channel: number, note: number, velocity: number, durationMs: number): void {
    const live = this.find(target, rule);
    if (live?.kind === 'midi') live.target.note(channel, note, velocity, durationMs);
  }

  midiCc(target: string, rule: string, channel: number, controller: number, value: number): void {
    const live = this.find(target, rule);
    if (live?.kind === 'midi') live.target.controlChange(channel, controller, value);
  }

  midiProgram(target: string, rule: string, channel: number, program: number): void {
    const live = this.find(target, rule);
    if (live?.kind === 'midi') live.target.programChange(channel, program);
  }

  ws(target: string, rule: string, message: Readonly<Record<string, unknown>>): void {
    const live = this.find(target, rule);
    if (live?.kind === 'websocket') live.target.sendJson(message);
  }

  /** The open target a command is for, counted as delivered; or undefined, counted and reported. */
  private find(target: string, rule: string): Live | undefined {
    const live = this.live.get(target);
    if (live === undefined) {
      this.undeliverable++;
      this.options.reporter.report('warn', target, 'no-target', `target "${target}" is not open; rule "${rule}" could not send`);
      return undefined;
    }
    this.delivered++;
    return live;
  }

  stats(): RouterStats {
    return { delivered: this.delivered, undeliverable: this.undeliverable };
  }

  names(): string[] {
    return [...this.live.keys()];
  }

  /** Every open target's state and counts, in the mapping's order. */
  targetStatuses(): TargetStatusLine[] {
    return [...this.live].map(([name, live]): TargetStatusLine => {
      if (live.kind === 'osc') {
        const s = live.target.status();
        const kind = live.target instanceof OscTcpTarget ? 'osc-tcp' : 'osc-udp';
        return { name, kind, state: s.state, sent: s.sent, dropped: s.dropped, clients: null, lastError: s.lastError };
      }
      if (live.kind === 'websocket') {
        const s = live.target.status();
        return { name, kind: 'websocket', state: s.state, sent: s.sent, dropped: s.disconnected, clients: s.clients, lastError: s.lastError };
      }
      const port = live.target.port;
      return { name, kind: 'midi', state: port.isOpen ? 'open' : 'waiting', sent: null, dropped: port.dropped, clients: null, lastError: null };
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.live.values()].map((l) => this.closeOne(l)));
    this.live.clear();
  }

  private open(name: string, config: TargetConfig): Live | null {
    const key = keyOf(config);
    const reporter = this.options.reporter;
    if (config.osc !== undefined) {
      const { host, port, protocol, passcode, deadline } = config.osc;
      const deadlineMs = deadline === undefined ? {} : { deadlineMs: durationMs(deadline) };
      const heartbeat = heartbeatOptions(config.osc);
      const target =
        protocol === 'tcp'
          ? new OscTcpTarget({ name, host, port, passcode: passcode ?? null, heartbeat, reporter, timers: this.timers, ...deadlineMs })
          : new OscUdpTarget({ name, host, port, reporter, timers: this.timers, ...deadlineMs });
      return { kind: 'osc', key, target };
    }
    if (config.midi !== undefined) {
      const spec = config.midi.virtual !== undefined ? { virtual: config.midi.virtual } : (config.midi.port ?? '');
      const target = new MidiTarget({ name, spec, open: this.options.openMidi, timers: this.timers, reporter, ...(this.options.midiRetryMs === undefined ? {} : { retryMs: this.options.midiRetryMs }) });
      return { kind: 'midi', key, target };
    }
    if (config.websocket !== undefined) {
      const { host, port, relayRaw, origins } = config.websocket;
      const target = new WebSocketTarget({ name, host, port, relayRaw, reporter, ...(origins === undefined ? {} : { origins }) });
      return { kind: 'websocket', key, target };
    }
    return null;
  }

  private async closeOne(live: Live): Promise<void> {
    if (live.kind === 'midi') live.target.close();
    else await live.target.close();
  }
}
