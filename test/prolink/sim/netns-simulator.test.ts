import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { createLan, type Lan } from '../../support/netns';

/**
 * The standalone simulator (as `simulate` runs it) on one host of a private
 * namespace LAN, and a ProlinkSession-driven peer on another, both on the real
 * fixed ports with real broadcast. Uses the compiled dist/ (npm run build).
 */
const dist = path.resolve(__dirname, '../../../dist/prolink');
const distFile = (file: string): string => JSON.stringify(path.join(dist, file));

function simulatorProgram(scenario: string): string {
  return `
    const { runSimulatorCli } = require(${distFile('sim/main.js')});
    runSimulatorCli(['--interface', 'eth0', '--scenario', ${JSON.stringify(scenario)}, '--duration', '25'])
      .then((code) => { console.log('EXIT ' + code); process.exit(code); });`;
}

function bridgeProgram(mode: 'lighting' | 'cdj', address: string, mac: string, broadcast: string): string {
  return `
    const { openUdpSockets } = require(${distFile('network/udp-sockets.js')});
    const { ProlinkSession } = require(${distFile('network/session.js')});
    const { decodePacket } = require(${distFile('packets/dispatch.js')});
    const { ChunkReassembler } = require(${distFile('transfer/chunk-reassembler.js')});
    const { songStructureFromTransfer } = require(${distFile('transfer/pssi-transfer.js')});
    const log = (o) => console.log(JSON.stringify(o));
    const identity = { address: ${JSON.stringify(address)}, mac: ${JSON.stringify(mac)}, broadcast: ${JSON.stringify(broadcast)}, hostName: 'nsbridge' };
    const session = new ProlinkSession({ mode: ${JSON.stringify(mode)}, identity });
    const reassembler = new ChunkReassembler({ now: () => Date.now() });
    const seen = new Set();
    let sockets = null;
    let asked = false;
    function send(o) { if (o && sockets) sockets.send(o.port, o.address, o.port, o.data); }
    function apply(step) {
      step.send.forEach(send);
      step.notices.forEach((n) => log({ event: 'notice', code: n.code, message: n.message }));
    }
    function onDatagram(d) {
      const packet = decodePacket(d.port, d.data);
      if (packet.kind === undefined) { log({ event: 'decode-error', port: d.port, from: d.address, message: packet.message }); return; }
      const key = packet.kind + '/' + packet.device + '/' + d.address;
      if (!seen.has(key)) { seen.add(key); log({ event: 'first', kind: packet.kind, device: packet.device, name: packet.name, from: d.address, port: d.port }); }
      if (packet.kind === 'cdjStatus' && packet.device === 9 && packet.trackId !== 0 && !asked) {
        asked = true;
        send(session.requestPhrases(9, packet.trackId));
      }
      if (packet.kind === 'binaryChunk') {
        const r = reassembler.push(packet);
        if (r.status === 'complete' && r.transfer.dataType === 10) {
          const s = songStructureFromTransfer(r.data);
          log({ event: 'phrases', deck: r.transfer.deck, track: r.transfer.trackId, count: s.phrases.length, endBeat: s.endBeat, masked: s.masked });
        }
      }
      apply(session.receive(packet, d.address, Date.now()));
    }
    openUdpSockets({ onDatagram }).then((opened) => {
      if (!opened.ports) { console.log('ERROR ' + opened.message); process.exit(1); }
      sockets = opened;
      console.log('READY');
      apply(session.start(Date.now()));
      const timer = setInterval(() => apply(session.tick(Date.now())), 50);
      setTimeout(() => { clearInterval(timer); sockets.close(); }, 20000);
    });`;
}

/** Every stdout line of a child from its start, so a wait never misses a line printed earlier. */
class Lines {
  private readonly lines: string[] = [];
  private stderr = '';
  private waiters: (() => void)[] = [];

  constructor(child: ChildProcessWithoutNullStreams) {
    let buffer = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const parts = buffer.split('\n');
      buffer = parts.pop() ?? '';
      this.lines.push(...parts);
      for (const wake of this.waiters) wake();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
  }

  all(): readonly string[] {
    return this.lines;
  }

  async find(pattern: RegExp, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => pattern.test(l));
      if (line !== undefined) return line;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no line matching ${pattern} within ${timeoutMs} ms; stdout: ${this.lines.slice(-20).join(' | ')}; stderr: ${this.stderr.slice(-2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, left);
        function done(): void {
          clearTimeout(timer);
          resolve();
        }
        this.waiters.push(done);
      });
      this.waiters = [];
    }
  }
}

/** Ends a child and waits until it has gone (so the next test can bind the same ports). */
function stopped(child: ChildProcessWithoutNullStreams): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

const built = fs.existsSync(path.join(dist, 'sim', 'main.js'));
/**
 * How long a Node.js process may take to load the built modules and say it is
 * up: seconds on a loaded 2-core machine while other test files run beside
 * this one. A wait, not a measure: nothing here times the simulator.
 */
const START_MS = 20_000;
/** Each test starts two such processes, one after the other, then waits for the protocol. */
const TEST_MS = 2 * START_MS + 30_000;

describe('standalone simulator on real UDP in network namespaces', () => {
  let lan: Lan;
  beforeAll(() => {
    if (!built) throw new Error('dist/prolink/sim is missing: run `npx tsc -p tsconfig.build.json` first');
    lan = createLan(2);
  });
  afterAll(() => lan?.destroy());

  it('completes the OPUS handshake with a ProlinkSession peer: broadcast keep-alives, 0x10/0x11, status, phrases', async () => {
    const [opusHost, bridgeHost] = lan.hosts;
    if (opusHost === undefined || bridgeHost === undefined) throw new Error('LAN has no hosts');
    const bridgeProcess = lan.spawn(bridgeHost, process.execPath, ['-e', bridgeProgram('lighting', bridgeHost.address, bridgeHost.mac, lan.broadcast)]);
    const bridge = new Lines(bridgeProcess);
    await bridge.find(/READY/, START_MS);
    const simulatorProcess = lan.spawn(opusHost, process.execPath, ['-e', simulatorProgram('club')]);
    const simulator = new Lines(simulatorProcess);
    await simulator.find(/simulating "club" \(opus\) on eth0 169\.254\.20\.10/, START_MS);

    const keepAlive = JSON.parse(await bridge.find(/"kind":"keepAlive".*"name":"OPUS-QUAD"/, 5000));
    expect(keepAlive).toMatchObject({ from: opusHost.address, port: 50000 });
    await simulator.find(/OPUS-QUAD: heard rekordbox lighting at 169\.254\.21\.11/, 5000);
    await bridge.find(/"code":"opus-streaming"/, 5000);
    await simulator.find(/OPUS-QUAD: 169\.254\.21\.11 answered 0x11/, 5000);
    for (const device of [9, 10, 11, 12]) {
      const first = JSON.parse(await bridge.find(new RegExp(`"kind":"cdjStatus","device":${device}`), 5000));
      expect(first).toMatchObject({ name: 'OPUS-QUAD', from: opusHost.address, port: 50002 });
    }
    const phrases = JSON.parse(await bridge.find(/"event":"phrases"/, 5000));
    expect(phrases).toMatchObject({ deck: 1, track: 501, masked: true });
    expect(phrases.count).toBeGreaterThan(5);
    const hello = JSON.parse(await bridge.find(/"kind":"opusHello"/, 1000));
    expect(hello).toMatchObject({ from: opusHost.address, port: 50002, device: 9 });
    expect(bridge.all().filter((l) => l.includes('decode-error'))).toEqual([]);
    simulatorProcess.kill('SIGTERM');
    await simulator.find(/EXIT 0/, 5000);
    await stopped(bridgeProcess);
  }, TEST_MS);

  it('runs the CDJ pair and mixer on one address: beats broadcast on 50001, status to a CDJ-mode peer', async () => {
    const [simHost, bridgeHost] = lan.hosts;
    if (simHost === undefined || bridgeHost === undefined) throw new Error('LAN has no hosts');
    const bridgeProcess = lan.spawn(bridgeHost, process.execPath, ['-e', bridgeProgram('cdj', bridgeHost.address, bridgeHost.mac, lan.broadcast)]);
    const bridge = new Lines(bridgeProcess);
    await bridge.find(/READY/, START_MS);
    const simulatorProcess = lan.spawn(simHost, process.execPath, ['-e', simulatorProgram('cdj-pair')]);
    const simulator = new Lines(simulatorProcess);
    await simulator.find(/simulating "cdj-pair" \(cdj-pair\)/, START_MS);
    for (const device of [2, 33]) {
      const beat = JSON.parse(await bridge.find(new RegExp(`"kind":"beat","device":${device}`), 5000));
      expect(beat).toMatchObject({ from: simHost.address, port: 50001 });
    }
    await bridge.find(/"code":"number-claimed"/, 8000);
    for (const [kind, device] of [['cdjStatus', 2], ['cdjStatus', 3], ['mixerStatus', 33]] as const) {
      const first = JSON.parse(await bridge.find(new RegExp(`"kind":"${kind}","device":${device}`), 5000));
      expect(first).toMatchObject({ from: simHost.address, port: 50002 });
    }
    expect(bridge.all().filter((l) => l.includes('decode-error'))).toEqual([]);
    simulatorProcess.kill('SIGTERM');
    await simulator.find(/EXIT 0/, 5000);
    await stopped(bridgeProcess);
  }, TEST_MS);
});
