/**
 * The built binary's monitor on the in-process simulator, without a terminal:
 * plain-text frames on stdout, once a second, and a clean stop on SIGINT.
 * (`npm test` builds dist/ first; alone, run `npx tsc -p tsconfig.build.json`.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, REPO } from '../support/cli';

const RULE = '─'.repeat(100);
const PHRASES = /^(Intro|Verse \d|Bridge|Chorus|Outro|Up \d|Down|Intro \d|Chorus \d|Outro \d)$/;

interface DeckRow {
  readonly deck: number;
  readonly track: string;
  readonly state: string;
  readonly bpm: string;
  readonly tempo: string;
  readonly beat: string;
  readonly bar: string;
  readonly dots: string;
  readonly phrase: string;
}

/** The deck rows of one frame, by the column layout of the title row. */
function deckRows(frame: string): DeckRow[] {
  const lines = frame.split('\n');
  const title = lines.find((l) => l.startsWith('DECK '));
  if (title === undefined) return [];
  const at = (name: string): number => title.indexOf(name);
  const cell = (line: string, from: number, to: number): string => [...line].slice(from, to).join('').trim();
  return lines
    .filter((l) => /^[1-4] /.test(l))
    .map((l) => ({
      deck: Number(l[0]),
      track: cell(l, at('TRACK'), at('STATE')),
      state: cell(l, at('STATE'), at('STATE') + 8),
      bpm: cell(l, at('STATE') + 8, at('BPM') + 3),
      tempo: cell(l, at('PITCH') + 5, at('TEMPO') + 5),
      beat: cell(l, at('TEMPO') + 5, at('BEAT') + 4),
      bar: cell(l, at('BEAT') + 4, at('BAR') + 3),
      dots: cell(l, at('BAR') + 3, at('BAR') + 8),
      phrase: cell(l, at('PHRASE'), at('PHRASE') + 8),
    }));
}

function complete(frame: string): boolean {
  const rows = deckRows(frame);
  const playing = rows.find((r) => r.state === 'playing');
  return (
    frame.includes('OPUS-QUAD #9') &&
    rows.map((r) => r.deck).join() === '1,2,3,4' &&
    playing !== undefined &&
    /^\d+\.\d\d$/.test(playing.bpm) &&
    /^\d+\.\d\d$/.test(playing.tempo) &&
    /^~?\d+$/.test(playing.beat) &&
    /^\d+$/.test(playing.bar) &&
    /^[●○]{4}$/.test(playing.dots) &&
    PHRASES.test(playing.phrase)
  );
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('prolink-bridge monitor --simulate (no terminal)', () => {
  it('prints frames with four OPUS-QUAD decks, tempo, beat, bar and phrase, and stops on SIGINT with code 0 within 1 s', async () => {
    const env = { ...process.env };
    delete env['COLUMNS'];
    delete env['LINES'];
    const child = spawn(process.execPath, [CLI, 'monitor', '--simulate'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const done = exited(child);
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    try {
      const frame = await new Promise<string>((resolve, reject) => {
        const timeout = setTimeout(() => reject(new Error(`no complete frame within 8 s; stdout:\n${stdout}\nstderr:\n${stderr}`)), 8000);
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString('utf8');
          const frames = stdout.split(`\n${RULE}\n`);
          const found = frames.slice(0, -1).find(complete) ?? (stdout.endsWith('\n') ? frames.filter(complete).at(-1) : undefined);
          if (found !== undefined) {
            clearTimeout(timeout);
            resolve(found);
          }
        });
      });
      for (const line of frame.split('\n')) expect([...line].length).toBeLessThanOrEqual(100);
      const rows = deckRows(frame);
      expect(rows.find((r) => r.deck === 3)?.state).toBe('empty');
      expect(rows.find((r) => r.deck === 1)?.track).toBe('501');
      // Logs stay on stderr, as JSON lines, out of the frames.
      expect(stderr).toContain('"msg":"mapping loaded"');
      expect(stdout).not.toContain('"level"');

      const signalledAt = performance.now();
      child.kill('SIGINT');
      const { code } = await done;
      expect(performance.now() - signalledAt).toBeLessThan(1000);
      expect(code).toBe(0);
      expect(stderr).toContain('interrupted: stopping');
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  }, 20_000);
});
