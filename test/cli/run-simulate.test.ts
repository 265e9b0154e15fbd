import { spawn } from 'node:child_process';
import * as dgram from 'node:dgram';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';
import { decodeOsc, type DecodedMessage } from '../support/osc-decode';

describe('prolink-bridge run --simulate (the real binary)', () => {
  it('sends OSC from the mapping to a local receiver within 3 s of starting, and stops cleanly on SIGINT', async () => {
    const receiver = dgram.createSocket('udp4');
    const received: { at: number; message: DecodedMessage }[] = [];
    receiver.on('message', (m) => received.push({ at: Date.now(), message: decodeOsc(m) }));
    await new Promise<void>((r) => receiver.bind(0, '127.0.0.1', () => r()));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-sim-'));
    const mapping = path.join(dir, 'show.yaml');
    fs.writeFileSync(
      mapping,
      `targets:\n  vj: { osc: { port: ${receiver.address().port} } }\nrules:\n  - { on: beat, send: [{ osc: { to: vj, address: /beat, args: [{ int: "{{ event.deck }}" }] } }] }\n`,
    );
    const started = Date.now();
    const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--mapping', mapping, '--no-monitor', '--log-level', 'warn'], { cwd: REPO, env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    try {
      for (let i = 0; i < 60 && received.length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(received.length).toBeGreaterThan(0);
      expect((received[0]?.at ?? Infinity) - started).toBeLessThan(3000);
      expect(received[0]?.message.address).toBe('/beat');
    } finally {
      const stoppedAt = Date.now();
      child.kill('SIGINT');
      const code = await new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
      expect(code).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(1500);
      receiver.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(stderr).not.toMatch(/"level":50/);
  });
});
