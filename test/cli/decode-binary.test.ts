import { runCli } from '../support/cli';
import { CAPTURES, fixturePath } from '../support/fixtures';

describe('prolink-bridge decode (the real binary)', () => {
  it('prints one JSON line per Pro DJ Link packet of a capture', () => {
    const run = runCli(['decode', '--json', fixturePath(...CAPTURES.linkInfo2)], { timeoutMs: 30_000 });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(98 + 349 + 1685); // PROVENANCE §1: UDP on 50000 / 50001 / 50002
    expect(lines[1]).toMatchObject({ frame: 2, port: 50002, type: 0x0a, kind: 'cdjStatus', device: 2, trackId: 209, bpm: 126, packetCounter: 314 });
    expect(lines.filter((l) => l['kind'] === 'error')).toEqual([]);
  });

  it('exits 2 with one clear line for a file that is not a capture', () => {
    const run = runCli(['decode', __filename]);
    expect(run.status).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
