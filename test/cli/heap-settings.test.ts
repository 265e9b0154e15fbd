/**
 * The young generation of a running bridge stays at its starting size, and
 * its old generation grows by a bounded step, unless the user chose
 * otherwise; checked on the real binary from V8's own heap statistics and
 * flags, not from timings.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI, REPO } from '../support/cli';
import { OLD_GENERATION_GROWTH_PERCENT, oldGenerationGrowthChosen, youngGenerationChosen } from '../../src/cli/heap-settings';

describe('youngGenerationChosen', () => {
  it('sees a semi-space size given on the command line or in NODE_OPTIONS, and nothing else', () => {
    expect(youngGenerationChosen([], undefined)).toBe(false);
    expect(youngGenerationChosen(['--enable-source-maps'], '--max-old-space-size=256')).toBe(false);
    expect(youngGenerationChosen(['--max-semi-space-size=8'], undefined)).toBe(true);
    expect(youngGenerationChosen([], '--enable-source-maps --max_semi_space_size=4')).toBe(true);
    expect(youngGenerationChosen([], '--min-semi-space-size=2')).toBe(true);
  });
});

describe('oldGenerationGrowthChosen', () => {
  it('sees a heap growth or --optimize-for-size given on the command line or in NODE_OPTIONS, and nothing else', () => {
    expect(oldGenerationGrowthChosen([], undefined)).toBe(false);
    expect(oldGenerationGrowthChosen(['--max-semi-space-size=8'], '--max-old-space-size=256')).toBe(false);
    expect(oldGenerationGrowthChosen(['--heap-growing-percent=50'], undefined)).toBe(true);
    expect(oldGenerationGrowthChosen([], '--optimize_for_size')).toBe(true);
  });
});

describe('the heap of `run` (the real binary)', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heap-'));
    // Preloaded with -r: on Ctrl-C, writes the size of V8's young generation (both semi-spaces) in MB.
    fs.writeFileSync(
      path.join(dir, 'young.js'),
      `process.prependListener('SIGINT', () => { const s = require('v8').getHeapSpaceStatistics().find((x) => x.space_name === 'new_space'); require('fs').writeFileSync(process.env.YOUNG_OUT, String(s.space_size / 1048576)); });\n`,
    );
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function youngAfterStart(nodeArgs: readonly string[]): Promise<number> {
    const out = path.join(dir, `young-${nodeArgs.length}.txt`);
    const child = spawn(process.execPath, [...nodeArgs, '-r', path.join(dir, 'young.js'), CLI, 'run', '--simulate', '--no-monitor'], {
      cwd: REPO,
      env: { ...process.env, NO_COLOR: '1', YOUNG_OUT: out, NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    for (let i = 0; i < 200 && !stderr.includes('is sending deck status'); i++) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    return Number(fs.readFileSync(out, 'utf8'));
  }

  it('stays at its starting size (2 MB at most) once the bridge has loaded and runs', async () => {
    expect(await youngAfterStart([])).toBeLessThanOrEqual(2);
  }, 30_000);

  it('is left to the user when node is given --max-semi-space-size', async () => {
    expect(await youngAfterStart(['--max-semi-space-size=8'])).toBeGreaterThan(2);
  }, 30_000);
});

describe('keepHeapSmall and the old generation', () => {
  /**
   * A burst of objects that live just long enough to be promoted and then die
   * (what a flood of datagrams leaves behind): the old generation's committed
   * size at its largest, in MB, in a fresh node with or without the setting.
   */
  function peakOldSpace(small: boolean): number {
    const program = `
      const v8 = require('v8');
      if (${small}) require(${JSON.stringify(path.join(REPO, 'dist/cli/heap-settings.js'))}).keepHeapSmall([], '');
      const old = () => v8.getHeapSpaceStatistics().find((s) => s.space_name === 'old_space').space_size;
      const ring = new Array(100000);
      let peak = 0;
      for (let i = 0; i < 4000000; i++) {
        ring[i % ring.length] = { i, s: 'x' + (i & 1023), a: [i, i + 1] };
        if ((i & 0xffff) === 0) peak = Math.max(peak, old());
      }
      process.stdout.write(String(peak / 1048576));`;
    const result = spawnSync(process.execPath, ['-e', program], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(result.status).toBe(0);
    return Number(result.stdout);
  }

  it(`holds the old generation's growth near what is alive (${OLD_GENERATION_GROWTH_PERCENT} %), where V8 alone lets it grow several times over`, () => {
    const alone = peakOldSpace(false);
    const small = peakOldSpace(true);
    expect(small).toBeLessThan(alone / 2);
  }, 30_000);
});
