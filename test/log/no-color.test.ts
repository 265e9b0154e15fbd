/**
 * NO_COLOR (https://no-color.org): the pretty terminal logs, the logs that
 * pass by the monitor before it draws, and the monitor itself lose their
 * colours when it is set to anything; an empty NO_COLOR means unset.
 */
import { PassThrough } from 'node:stream';
import { createLogger } from '../../src/log/logger';
import { colorWanted } from '../../src/log/terminal-color';
import { setUpMonitor, type TerminalIo } from '../../src/monitor/monitor-setup';
import { FakeKeys } from '../support/fake-keys';

const ESCAPE = /\x1b\[/;

/** A stream that says it is a terminal, as tty.WriteStream does, and keeps what it was given. */
function terminal(): NodeJS.WriteStream & { text(): string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (c: Buffer) => (text += c.toString('utf8')));
  return Object.assign(stream, { isTTY: true, columns: 100, rows: 30, text: () => text }) as unknown as NodeJS.WriteStream & { text(): string };
}

async function settled(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

async function prettyLine(env: NodeJS.ProcessEnv): Promise<string> {
  const out = terminal();
  const logger = createLogger({ level: 'info', destination: out, env });
  logger.warn({ target: 'qlab' }, 'nothing is listening on 127.0.0.1:53000');
  await settled();
  return out.text();
}

describe('NO_COLOR', () => {
  it('is honoured when set to anything, and an empty value or absence means colour (on a terminal that is not dumb)', () => {
    expect(colorWanted({})).toBe(true);
    expect(colorWanted({ NO_COLOR: '' })).toBe(true);
    expect(colorWanted({ NO_COLOR: '1' })).toBe(false);
    expect(colorWanted({ NO_COLOR: 'yes please' })).toBe(false);
    expect(colorWanted({ TERM: 'dumb' })).toBe(false);
    expect(colorWanted({ TERM: 'xterm-256color' })).toBe(true);
  });

  it('takes the colour out of the pretty terminal logs, and only that', async () => {
    const coloured = await prettyLine({});
    const plain = await prettyLine({ NO_COLOR: '1' });
    expect(coloured).toMatch(ESCAPE);
    expect(plain).not.toMatch(ESCAPE);
    expect(plain).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] WARN: nothing is listening on 127\.0\.0\.1:53000\n {4}target: "qlab"\n$/);
    const withoutTime = (text: string): string => text.replace(/^\[[^\]]*\]/, '');
    expect(withoutTime(coloured.replace(/\x1b\[[0-9;]*m/g, ''))).toBe(withoutTime(plain));
  });

  it('takes the colour out of the logs shown before the monitor draws', async () => {
    const text = async (env: NodeJS.ProcessEnv): Promise<string> => {
      const stderr = terminal();
      const io: TerminalIo = { stdout: terminal(), stderr, stdin: new FakeKeys() as unknown as NodeJS.ReadStream, env };
      const setup = setUpMonitor({ monitor: undefined, logFile: null }, io);
      if (typeof setup === 'string') throw new Error(setup);
      createLogger({ level: 'info', destination: setup.logDestination, pretty: false }).info('listening on the built-in simulator');
      await settled();
      return stderr.text();
    };
    const coloured = await text({});
    const plain = await text({ NO_COLOR: '1' });
    expect(coloured).toContain('listening on the built-in simulator');
    expect(coloured).toMatch(ESCAPE);
    expect(plain).toContain('INFO: listening on the built-in simulator');
    expect(plain).not.toMatch(ESCAPE);
  });
});
