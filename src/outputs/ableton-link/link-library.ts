/**
 * The Ableton Link native module, loaded lazily: `abletonlink` (npm, MIT
 * binding; the Link library inside it is GPL-2.0-or-later) is an optional
 * dependency, built from source by node-gyp when installed. When it is
 * missing or does not load, `link:` cannot run, and that is one sentence;
 * every other output goes on.
 *
 * The binding reads and sets the session at the instant of each call, on
 * Link's clock: CLOCK_MONOTONIC on Linux, mach_absolute_time on macOS and
 * QueryPerformanceCounter on Windows, the same clocks process.hrtime reads.
 * So a sample is stamped with the middle of a process.hrtime pair around the
 * read, and a beat wanted at an earlier instant is moved on to the call.
 *
 * Process exit with the module loaded ends in std::terminate (a thread the
 * module starts is never joined), so the bridge runs it in a process of its
 * own (link-host.ts) that is killed when it is done.
 */
import { MS_PER_MINUTE } from '../../timing/beat-grid';
import { LinkError } from './link-error';
import type { LinkSample, LinkSession, LinkSessionOptions } from './link-session';

export const LINK_MODULE = 'abletonlink';

/** The part of the binding's AbletonLink class used here. */
interface NativeLink {
  bpm: number;
  readonly beat: number;
  readonly isPlaying: boolean;
  quantum: number;
  update(): void;
  setBeatForce(beat: number): void;
  getNumPeers(): number;
  play(): void;
  stop(): void;
  enable(): void;
  disable(): void;
  enablePlayStateSync(): void;
  disablePlayStateSync(): void;
}

type NativeLinkClass = new (bpm: number, quantum: number, enable: boolean) => NativeLink;

export type LinkOpener = (options: LinkSessionOptions) => LinkSession;

function hrtimeMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function describe(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null && 'message' in thrown && typeof thrown.message === 'string') return thrown.message.split('\n')[0] ?? '';
  return String(thrown);
}

class NativeLinkSession implements LinkSession {
  constructor(private readonly link: NativeLink) {}

  sample(): LinkSample {
    const before = hrtimeMs();
    this.link.update();
    const after = hrtimeMs();
    return { at: (before + after) / 2, beat: this.link.beat, tempo: this.link.bpm, playing: this.link.isPlaying, peers: this.link.getNumPeers() };
  }

  setTempo(bpm: number): void {
    this.link.bpm = bpm;
  }

  forceBeat(beat: number, at: number, bpm: number): void {
    this.link.setBeatForce(beat + ((hrtimeMs() - at) * bpm) / MS_PER_MINUTE);
  }

  setPlaying(playing: boolean): void {
    if (playing) this.link.play();
    else this.link.stop();
  }

  close(): void {
    this.link.disable();
  }
}

/** Loads the native module: a way to open sessions, or the sentence saying why Link cannot run. */
export function loadLinkLibrary(load: (name: string) => unknown = require): LinkOpener | LinkError {
  let native: unknown;
  try {
    native = load(LINK_MODULE);
  } catch (thrown) {
    const missing = typeof thrown === 'object' && thrown !== null && 'code' in thrown && thrown.code === 'MODULE_NOT_FOUND' && describe(thrown).includes(`'${LINK_MODULE}'`);
    const message = missing
      ? `Ableton Link needs the optional module "${LINK_MODULE}", which is not installed: install it with "npm install ${LINK_MODULE}" (it builds with node-gyp and a C++ compiler), or remove link: from the mapping.`
      : `Ableton Link needs the optional module "${LINK_MODULE}", which is installed but does not load: rebuild it with "npm rebuild ${LINK_MODULE}" (it needs node-gyp and a C++ compiler), or remove link: from the mapping.`;
    return new LinkError('link-unavailable', message, describe(thrown));
  }
  if (typeof native !== 'function') {
    return new LinkError('link-unavailable', `The module "${LINK_MODULE}" is not the Ableton Link binding this bridge knows (version 0.1): install "${LINK_MODULE}@0.1", or remove link: from the mapping.`);
  }
  const Native = native as NativeLinkClass;
  return (options) => {
    const link = new Native(options.tempo, options.quantum, false);
    if (options.startStopSync) link.enablePlayStateSync();
    else link.disablePlayStateSync();
    link.enable();
    return new NativeLinkSession(link);
  };
}
