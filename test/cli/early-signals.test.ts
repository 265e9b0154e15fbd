/**
 * Ctrl-C while the bridge starts: the first signal is kept and stops the
 * bridge as soon as it has started, cleanly (exit code 0), instead of ending
 * the process before its handlers are there; a second one quits at once.
 */
import { spawn } from 'node:child_process';
import { CLI } from '../support/cli';
import { earlySignals } from '../../src/cli/run-command';

describe('signals while the bridge starts', () => {
  it('keeps the first, says so in one line, quits at once on the second, and lets go when disposed', () => {
    const warnings: string[] = [];
    const exits: number[] = [];
    const before = process.listenerCount('SIGINT');
    const early = earlySignals({ warn: (m: string) => warnings.push(m) } as never, (code) => exits.push(code));
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    expect(early.asked()).toBeNull();
    process.emit('SIGINT');
    expect(early.asked()).toBe('interrupted');
    expect(warnings).toEqual(['interrupted while starting: stopping as soon as the bridge has started (again to quit at once)']);
    expect(exits).toEqual([]);
    process.emit('SIGTERM');
    expect(exits).toEqual([143]);
    expect(early.asked()).toBe('interrupted');
    early.dispose();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('the real binary, interrupted as soon as it listens (before its bridge has started), stops cleanly with exit code 0', async () => {
    const child = spawn(process.execPath, [CLI, 'run', '--simulate', '--no-monitor'], { env: { ...process.env, NO_COLOR: '1' } });
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (!sent && stderr.includes('listening on')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])));
    expect(sent).toBe(true);
    expect(signal).toBeNull();
    expect(code).toBe(0);
    expect(stderr).toMatch(/interrupted( while starting)?: stopping/);
  }, 30_000);
});
