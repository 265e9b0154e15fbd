import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runDecode } from '../../src/cli/decode-command';
import { writePcapng, type OutgoingDatagram } from '../../src/capture';
import { CAPTURES, fixturePath, readFixture } from '../support/fixtures';

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

async function decode(file: string, json: boolean): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runDecode(file, { json }, (l) => out.push(l), (l) => err.push(l));
  return { code, out, err };
}

function parse(lines: readonly string[]): Record<string, unknown>[] {
  return lines.map((l) => JSON.parse(l) as Record<string, unknown>);
}

let tmp: string;
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'prolink-decode-'));
});
afterAll(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('decode --json', () => {
  it('prints one JSON line per Pro DJ Link datagram of LinkInfo2 (98 + 349 + 1685), nothing else', async () => {
    const { code, out, err } = await decode(fixturePath(...CAPTURES.linkInfo2), true);
    expect(code).toBe(0);
    expect(err).toEqual([]);
    const lines = parse(out);
    expect(lines).toHaveLength(98 + 349 + 1685);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(expect.arrayContaining(['frame', 'port', 'type', 'kind', 'device', 'timestampNs']));
      expect(line['kind']).not.toBe('error');
    }
    const frames = lines.map((l) => l['frame'] as number);
    expect(frames).toEqual([...frames].sort((a, b) => a - b));
  });

  it('gives every decoded field of the first status packet (frame 2)', async () => {
    const { out } = await decode(fixturePath(...CAPTURES.linkInfo2), true);
    const frame2 = parse(out).find((l) => l['frame'] === 2);
    expect(frame2).toMatchObject({
      kind: 'cdjStatus',
      port: 50002,
      type: 0x0a,
      name: 'CDJ-2000nexus',
      device: 2,
      trackId: 209,
      trackDevice: 2,
      slot: 'usb',
      playState: 'cued',
      bpm: 126,
      packetCounter: 314,
      length: 212,
      dst: expect.stringMatching(/^169\.254\.192\.112:50002$/),
      src: expect.stringMatching(/^169\.254\.244\.181:\d+$/),
    });
    expect(frame2?.['pitch'] as number).toBeCloseTo(0.9845, 5);
    expect(typeof frame2?.['timestampNs']).toBe('string');
    expect(BigInt(frame2?.['timestampNs'] as string)).toBeGreaterThan(1_466_000_000n * 1_000_000_000n);
  });

  it('prints Buffers as hex: the raw bytes of packets the codec does not interpret', async () => {
    const { out } = await decode(fixturePath(...CAPTURES.nxs2), true);
    const lines = parse(out);
    expect(lines).toHaveLength(2202 + 5198 + 4272);
    const unknown = lines.find((l) => l['frame'] === 142);
    expect(unknown).toMatchObject({ kind: 'unknown', type: 0x16, name: 'rekordbox', device: 41 });
    expect(unknown?.['raw']).toBe('5173707431576d4a4f4c1672656b6f7264626f78000000000000000000000001' + '01290000000000000000000000000000');
    const beat = lines.find((l) => l['frame'] === 4002);
    expect(beat).toMatchObject({ kind: 'beat', device: 3, bpm: 124, beatInBar: 2, nextBeat: 484, eighthBeat: 3871 });
  });
});

describe('decode (readable lines)', () => {
  it('prints one line per packet and a summary', async () => {
    const { code, out } = await decode(fixturePath(...CAPTURES.powerup), false);
    expect(code).toBe(0);
    expect(out).toHaveLength(76 + 269 + 1);
    expect(out[out.length - 1]).toBe('# 345 Pro DJ Link packets, 0 not decodable, 43 other UDP datagrams skipped, 437 frames');
    const beat = out.find((l) => / 28 beat /.test(l));
    expect(beat).toMatch(/DJM-2000nexus #33 +bpm=120\.00 pitchPercent=\+0\.00% effectiveBpm=120\.00 beatInBar=\d/);
    const hello = out.find((l) => / 0a hello /.test(l));
    expect(hello).toMatch(/^\s+\d+\s+\d+\.\d{6}  172\.16\.42\.\d+:50000 > 172\.16\.42\.255:50000  0a hello +(CDJ-2000nexus|DJM-2000nexus) /);
  });
});

describe('decode on bad input', () => {
  it('reports an unreadable file in one sentence and exits 2', async () => {
    const { code, out, err } = await decode(path.join(tmp, 'missing.pcapng'), false);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toBe(`Cannot read capture ${path.join(tmp, 'missing.pcapng')}: no such file (ENOENT).`);
  });

  it('names a folder given instead of a file', async () => {
    const { code, err } = await decode(tmp, false);
    expect(code).toBe(2);
    expect(err).toEqual([`Cannot read capture ${tmp}: it is a folder, not a file (EISDIR).`]);
  });

  it('refuses a file that is not a capture', async () => {
    const notCapture = path.join(tmp, 'notes.txt');
    await fs.writeFile(notCapture, 'not a capture at all');
    const { code, out, err } = await decode(notCapture, true);
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err[0]).toMatch(/is not a pcap or pcapng capture/);
  });

  it('prints what precedes damage, then the capture error, and exits 2', async () => {
    const whole = readFixture(...CAPTURES.toVirtual);
    const cut = path.join(tmp, 'cut.pcapng');
    await fs.writeFile(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    const { code, out, err } = await decode(cut, true);
    expect(code).toBe(2);
    const lines = parse(out);
    const last = lines[lines.length - 1];
    expect(last).toMatchObject({ kind: 'error', source: 'capture', code: 'truncated', fatal: true });
    expect(lines.length).toBeGreaterThan(20);
    expect(lines.slice(0, -1).every((l) => l['kind'] !== 'error')).toBe(true);
    expect(err[0]).toMatch(/is damaged at byte \d+/);
  });

  it('prints datagrams the codec rejects as error lines and carries on', async () => {
    const base: Omit<OutgoingDatagram, 'payload' | 'timestampNs'> = { srcIp: '10.0.0.2', dstIp: '10.0.0.255', srcPort: 50001, dstPort: 50001 };
    const magic = Buffer.from('Qspt1WmJOL', 'latin1');
    const shortBeat = Buffer.concat([magic, Buffer.from([0x28]), Buffer.alloc(29)]);
    const notProDjLink = Buffer.from('hello');
    const file = writePcapng([
      { ...base, timestampNs: 1_000_000_000n, payload: shortBeat },
      { ...base, timestampNs: 1_500_000_000n, payload: notProDjLink },
      { ...base, dstPort: 5353, timestampNs: 2_000_000_000n, payload: shortBeat },
    ]);
    const capture = path.join(tmp, 'errors.pcapng');
    await fs.writeFile(capture, file as Buffer);
    const json = await decode(capture, true);
    expect(json.code).toBe(0);
    expect(parse(json.out)).toEqual([
      expect.objectContaining({ frame: 1, kind: 'error', port: 50001, type: 0x28, code: 'too-short', length: 40, time: 0 }),
    ]);
    const human = await decode(capture, false);
    expect(human.out[0]).toMatch(/^\s+1\s+0\.000000  10\.0\.0\.2:50001 > 10\.0\.0\.255:50001  28 error +too-short: /);
    expect(human.out[1]).toBe('# 0 Pro DJ Link packets, 1 not decodable, 2 other UDP datagrams skipped, 3 frames');
  });
});
