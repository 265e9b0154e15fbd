/**
 * Latency on the wire: the loopback benchmark's datagrams as the kernel saw
 * them (lo-capture.py, SO_TIMESTAMPNS on a raw socket on lo), so the time
 * runs from the status datagram reaching the bridge's socket to the probe's
 * OSC datagram leaving the bridge, with neither the sending nor the receiving
 * event loop in it. Needs Linux, root and python3; without them the section
 * says why and is skipped.
 *
 * The capture writes to a file, read once it stops: its lines read as they
 * came, into the benchmark's own process, would be kept there through the run
 * (megabytes that every young-generation collection copies again), and the
 * bridge's GC pauses would be charged for them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { decodeCdjStatus } from '../../src/prolink/packets/cdj-status';
import { isPacketError } from '../../src/prolink/packets/errors';
import { decodeOsc } from '../support/osc-decode';
import { PROBE_ADDRESS } from './mapping-rules';

/** lo-capture.py sits next to this file's source (the compiled file runs from build/bench/test/bench). */
const SCRIPT = path.resolve(__dirname, '../../../../test/bench/lo-capture.py');
const READY_TIMEOUT_MS = 5000;

export interface WireDatagram {
  /** Kernel timestamp, ns. */
  readonly at: bigint;
  readonly port: number;
  readonly payload: Buffer;
}

export interface LoCapture {
  stop(): Promise<WireDatagram[]>;
}

function parseLine(line: string): WireDatagram | null {
  const [stamp, port, hex] = line.split(' ');
  if (stamp === undefined || port === undefined || hex === undefined) return null;
  const [seconds, nanoseconds] = stamp.split('.');
  if (seconds === undefined || nanoseconds === undefined) return null;
  return { at: BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds), port: Number(port), payload: Buffer.from(hex, 'hex') };
}

/** Starts capturing datagrams on lo to each "PORT" or "PORT:PREFIX" (lo-capture.py); a string says why it cannot. */
export function startLoCapture(ports: readonly string[]): Promise<LoCapture | string> {
  if (process.platform !== 'linux') return Promise.resolve('the wire capture needs Linux');
  if (process.getuid?.() !== 0) return Promise.resolve('the wire capture needs root (a raw socket on lo)');
  return new Promise((resolve) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'prolink-wire-'));
    const file = path.join(dir, 'capture.txt');
    const out = fs.openSync(file, 'w');
    const cleanUp = (): void => {
      fs.closeSync(out);
      fs.rmSync(dir, { recursive: true, force: true });
    };
    let child: ChildProcess;
    try {
      child = spawn('python3', [SCRIPT, ...ports], { stdio: ['pipe', out, 'pipe'] });
    } catch (error) {
      cleanUp();
      resolve(`python3 could not be started: ${String(error)}`);
      return;
    }
    let err = '';
    let settled = false;
    const exited = new Promise<void>((done) => child.once('close', () => done()));
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      child.kill('SIGTERM');
      void exited.then(cleanUp);
      resolve(why);
    };
    const timer = setTimeout(() => fail(`lo-capture.py did not start in ${READY_TIMEOUT_MS} ms: ${err.trim()}`), READY_TIMEOUT_MS);
    child.once('error', (error) => fail(`python3 could not be started: ${error.message}`));
    child.once('close', (code) => fail(`lo-capture.py ended (${String(code)}): ${err.trim()}`));
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString();
      if (settled || !err.includes('ready')) return;
      settled = true;
      clearTimeout(timer);
      resolve({
        stop: async () => {
          child.stdin?.end();
          await exited;
          const text = fs.readFileSync(file, 'latin1');
          cleanUp();
          return text
            .split('\n')
            .map(parseLine)
            .filter((d): d is WireDatagram => d !== null);
        },
      });
    });
  });
}

export interface WireLatencies {
  /** Status datagram on lo to the probe answering it on lo, ns, for the measured packets. */
  readonly latenciesNs: number[];
  readonly statusSeen: number;
  readonly probesSeen: number;
}

/**
 * Pairs each probe with the status datagram it answers (same deck and raw
 * BPM, first come first served, as the in-process measurement pairs them).
 * The first `warmup` status datagrams are warm-up.
 */
export function wireLatencies(datagrams: readonly WireDatagram[], inputPort: number, oscPort: number, warmup: number): WireLatencies {
  const waiting = new Map<string, { at: bigint; measured: boolean }[]>();
  const latenciesNs: number[] = [];
  let statusSeen = 0;
  let probesSeen = 0;
  for (const d of datagrams) {
    if (d.port === inputPort) {
      const status = decodeCdjStatus(d.payload);
      if (isPacketError(status) || status.bpm === null) continue;
      const key = `${status.deck}:${Math.round(status.bpm * 100)}`;
      const list = waiting.get(key) ?? [];
      list.push({ at: d.at, measured: statusSeen >= warmup });
      waiting.set(key, list);
      statusSeen++;
    } else if (d.port === oscPort) {
      let message;
      try {
        message = decodeOsc(d.payload);
      } catch {
        continue;
      }
      if (message.address !== PROBE_ADDRESS) continue;
      probesSeen++;
      const sent = waiting.get(`${String(message.args[0]?.value)}:${String(message.args[1]?.value)}`)?.shift();
      if (sent?.measured === true) latenciesNs.push(Number(d.at - sent.at));
    }
  }
  return { latenciesNs, statusSeen, probesSeen };
}
